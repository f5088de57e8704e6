"""Check a figures table against the data package's schema, a column at a time.

Each check works on whole columns (pandas string methods, vectorised comparisons), so that a
ledger of 100,000 rows costs little more than one of twelve; only the cells that fail are visited
one by one, to write their messages. Every problem names the file, the line (the header is line
1) and the field, and says what was expected and what was found.
"""

from __future__ import annotations

import difflib
import unicodedata
from datetime import date

import pandas as pd

from casualty_report.ledger_schema import Schema
from casualty_report.problems import FigureProblem

DIGITS = r"[0-9]{1,18}"  # at most 18 digits: always fits int64
ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
URI = r"[A-Za-z][A-Za-z0-9+.-]*:\S+"  # a scheme, then something
EXPECTED_TYPE = {
    "integer": "a whole number in digits only, with no thousands separators, sign or decimals "
    "(e.g. 2783)",
    "date": "a date written YYYY-MM-DD (e.g. 2020-12-03)",
    "string/uri": "a URL with a scheme (e.g. https://www.bbc.com/news/world-europe-55174211)",
}
COMMON_COUNTRIES = ("ARM", "AZE", "RUS", "TUR")  # examples named in the party message


def shown(cell: str, width: int = 60) -> str:
    """A cell as a message quotes it: repr, cut to ``width`` characters."""
    return repr(cell) if len(cell) <= width else repr(cell[:width]) + f"... ({len(cell):,} chars)"


def header_problems(file: str, labels: list[str], schema: Schema) -> list[FigureProblem]:
    """Unknown or repeated columns and missing contract columns, each named; order is free."""
    names, contract = schema.names, schema.contract
    if not any(label.strip() for label in labels):
        expected = "expected a header naming at least the columns " + ", ".join(contract)
        return [FigureProblem(file, 1, None, f"the header line is blank: {expected}")]
    problems, seen = [], set()
    absent = [name for name in names if name not in labels]
    for position, label in enumerate(labels, start=1):
        if label in seen:
            message = "column appears twice: expected each column once"
            problems.append(FigureProblem(file, 1, label, message))
        elif label not in names:
            guess = difflib.get_close_matches(label, absent, n=1)
            hint = f"did you mean '{guess[0]}'? " if guess else ""
            message = (
                f"unknown column at position {position}: {hint}expected only the columns "
                "described in the data package"
            )
            problems.append(FigureProblem(file, 1, label or None, message))
        seen.add(label)
    for name in contract:
        if name not in labels:
            message = (
                f"missing column: expected every contract column ({', '.join(contract)}) "
                "in the header, in any order"
            )
            problems.append(FigureProblem(file, 1, name, message))
    return problems


def _char_name(char: str) -> str:
    """A character as a message names it: U+202E (RIGHT-TO-LEFT OVERRIDE)."""
    name = unicodedata.name(char, "") or "a control character"
    return f"U+{ord(char):04X} ({name})"


def cell_problems(file: str, raw: pd.DataFrame, schema: Schema) -> list[FigureProblem]:
    """Each cell against its field's type and constraints; at most one problem per cell."""
    problems = []
    for field in schema.fields:
        name = field["name"]
        if name in raw.columns:
            problems += _field_problems(file, raw[name], field, schema)
    return problems


def _field_problems(file: str, cells: pd.Series, field: dict, schema: Schema) -> list:
    """The problems of one column, checked as an array; a failing cell is not checked further."""
    name, kind, fmt = field["name"], field["type"], field.get("format", "default")
    constraints = field.get("constraints", {})
    problems: list[FigureProblem] = []
    bad = pd.Series(False, index=cells.index)

    def refuse(mask: pd.Series, message) -> None:
        nonlocal bad
        mask = mask & ~bad
        for line, cell in cells[mask].items():
            problems.append(FigureProblem(file, int(line), name, message(cell)))
        bad |= mask

    filled = cells != ""
    forbidden = cells.str.contains(schema.forbidden, regex=True)
    refuse(
        forbidden,
        lambda c: (
            "expected text without control characters or bidirectional overrides, got "
            + _char_name(pd.Series([c]).str.extract(f"({schema.forbidden})").iat[0, 0])
        ),
    )
    if constraints.get("required"):
        refuse(~filled, lambda c: "expected a value, got an empty cell")
    if kind == "integer":
        digits = cells.str.fullmatch(DIGITS)
        negative = cells.str.fullmatch("-" + DIGITS)
        lowest = constraints.get("minimum")
        refuse(filled & negative, lambda c: f"expected a number of at least {lowest}, got {c!r}")
        refuse(filled & ~digits, lambda c: f"expected {EXPECTED_TYPE[kind]}, got {shown(c)}")
        numbers = pd.to_numeric(cells.where(digits & ~bad))
        if lowest is not None:
            refuse(numbers < lowest, lambda c: f"expected a number of at least {lowest}, got {c}")
        if "maximum" in constraints:
            top = constraints["maximum"]
            refuse(numbers > top, lambda c: f"expected a number of at most {top}, got {c}")
    elif kind == "date":
        parsed = pd.to_datetime(
            cells.where(cells.str.fullmatch(ISO_DATE)), format="%Y-%m-%d", errors="coerce"
        )
        refuse(filled & parsed.isna(), lambda c: f"expected {EXPECTED_TYPE[kind]}, got {shown(c)}")
    elif fmt == "uri":
        uri = cells.str.fullmatch(URI)
        refuse(filled & ~uri, lambda c: f"expected {EXPECTED_TYPE['string/uri']}, got {shown(c)}")
    if "enum" in constraints:
        allowed = constraints["enum"]
        listed = ", ".join(allowed)
        refuse(filled & ~cells.isin(allowed), lambda c: f"expected one of {listed}, got {shown(c)}")
    if "codeList" in field:
        parties = [*schema.countries, *schema.actors]
        refuse(filled & ~cells.isin(parties), lambda c: _party_message(c, schema))
    if "pattern" in constraints:
        pattern = constraints["pattern"]
        matches = cells.str.fullmatch(pattern)
        refuse(
            filled & ~matches,
            lambda c: f"expected text matching the pattern {pattern}, got {shown(c)}",
        )
    if constraints.get("unique"):
        first_line = pd.Series(cells.index, index=cells.index).groupby(cells).transform("min")
        again = filled & cells.duplicated(keep="first")
        for line in cells.index[again & ~bad]:
            message = (
                f"expected a unique value, got {shown(cells[line])}, "
                f"already on line {first_line[line]}"
            )
            problems.append(FigureProblem(file, int(line), name, message))
    return problems


def _party_message(cell: str, schema: Schema) -> str:
    """What a party cell should be, with a guess when the cell names a country or a known code."""
    by_name = {country.casefold(): code for code, country in schema.countries.items()}
    known = {code.casefold(): code for code in [*schema.countries, *schema.actors]}
    guess = known.get(cell.strip().casefold()) or by_name.get(cell.strip().casefold())
    hint = f"; did you mean {guess!r}?" if guess else ""
    return (
        "expected an ISO 3166-1 alpha-3 country code (e.g. "
        f"{', '.join(COMMON_COUNTRIES)}) or an actor declared in the data package "
        f"({', '.join(schema.actors)}), got {shown(cell)}{hint}"
    )


def _claim(typed: pd.DataFrame, line: int) -> str:
    """A row's figure in words, to compare two rows in a message."""
    high = typed.at[line, "value_high"]
    high = "" if pd.isna(high) else f" to {high}"
    return f"{typed.at[line, 'value']}{high} ({typed.at[line, 'qualifier']})"


def row_problems(
    file: str, raw: pd.DataFrame, typed: pd.DataFrame, schema: Schema, today: date
) -> list[FigureProblem]:
    """The rules that involve more than one cell, each checked over whole columns.

    ``raw`` holds every column as text (defaults filled), ``typed`` the same with numbers and
    dates converted (NA where a cell is malformed, so that its own problem is not repeated here).
    """
    problems = []

    def add(lines: pd.Index, field: str, expected, got) -> None:
        for line in lines:
            message = f"expected {expected(line)}, got {got(line)}"
            problems.append(FigureProblem(file, int(line), field, message))

    t, cell = typed, raw.at
    is_range = raw["qualifier"] == "range"
    no_high = raw["value_high"] == ""
    add(
        t.index[is_range & no_high],
        "value_high",
        lambda _: "an upper bound because qualifier is 'range'",
        lambda _: "an empty cell",
    )
    add(
        t.index[is_range & (t["value_high"] < t["value"]).fillna(False)],
        "value_high",
        lambda line: f"at least value ({cell[line, 'value']})",
        lambda line: cell[line, "value_high"],
    )
    add(
        t.index[~is_range & ~no_high],
        "value_high",
        lambda line: f"an empty cell because qualifier is {cell[line, 'qualifier']!r}, not 'range'",
        lambda line: repr(cell[line, "value_high"]),
    )
    add(
        t.index[t["period_end"] < t["period_start"]],
        "period_end",
        lambda line: f"a date on or after period_start ({cell[line, 'period_start']})",
        lambda line: cell[line, "period_end"],
    )
    add(
        t.index[t["reported_on"] > pd.Timestamp(today)],
        "reported_on",
        lambda _: f"a date not after today ({today})",
        lambda line: cell[line, "reported_on"],
    )
    add(
        t.index[t["reported_on"] > t["source_published_on"]],
        "reported_on",
        lambda line: (
            f"a date on or before source_published_on ({cell[line, 'source_published_on']}"
            "; a source cannot report a figure after it is published)"
        ),
        lambda line: cell[line, "reported_on"],
    )
    published = raw["reported_on_basis"] == "publication"
    add(
        t.index[published & (t["reported_on"] < t["source_published_on"])],
        "reported_on",
        lambda line: (
            f"source_published_on ({cell[line, 'source_published_on']}) because "
            "reported_on_basis is 'publication'"
        ),
        lambda line: cell[line, "reported_on"],
    )
    counted = raw["metric"].isin(schema.count_metrics)
    other_metric = raw["metric"].isin(schema.field("metric")["constraints"]["enum"]) & ~counted
    add(
        t.index[other_metric & (raw["count_status"] != "")],
        "count_status",
        lambda line: (
            f"an empty cell because metric is {cell[line, 'metric']!r} (count_status "
            f"applies only to {', '.join(schema.count_metrics)})"
        ),
        lambda line: repr(cell[line, "count_status"]),
    )
    written = raw["value_as_written"]
    inside = [w in q for w, q in zip(written, raw["quote"], strict=True)]
    add(
        t.index[(written != "") & ~pd.Series(inside, index=t.index, dtype=bool)],
        "value_as_written",
        lambda _: "words that occur verbatim in quote",
        lambda line: f"{shown(cell[line, 'value_as_written'])}, not found in the quote",
    )
    problems += _conflicting_claims(file, raw, t)
    return problems


def _conflicting_claims(file: str, raw: pd.DataFrame, typed: pd.DataFrame) -> list:
    """Two rows of one party, metric, reported_on and reported_by that give different figures."""
    keys = [raw[key] for key in ("party", "metric", "reported_on", "reported_by")]
    claim = raw["value"] + "|" + raw["value_high"] + "|" + raw["qualifier"]
    groups = claim.groupby(keys, sort=False)
    first_claim = groups.transform("first")
    first_line = pd.Series(raw.index, index=raw.index).groupby(keys, sort=False).transform("min")
    problems = []
    for line in raw.index[claim != first_claim]:
        first = first_line[line]
        message = (
            f"expected one figure per party, metric, reported_on and reported_by, as on line "
            f"{first} ({_claim(typed, first)}); a revision needs its own reported_on, "
            f"got {_claim(typed, line)}"
        )
        problems.append(FigureProblem(file, int(line), "value", message))
    return problems
