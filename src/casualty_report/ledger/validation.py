"""Check a figures table against the data package's schema, a column at a time.

Each check works on whole columns (pandas string methods, vectorised comparisons), so that a
ledger of 100,000 rows costs little more than one of twelve; only the cells that fail are visited
one by one, to write their messages. Every problem names the file, the line (the header is line
1) and the field, and says what was expected and what was found.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from datetime import date

import numpy as np
import pandas as pd

from casualty_report.ledger import series
from casualty_report.ledger.problems import FigureProblem
from casualty_report.ledger.schema import Schema

DIGITS = r"[0-9]{1,18}"  # at most 18 digits: always fits int64
ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
URI = r"[A-Za-z][A-Za-z0-9+.-]*:\S+"  # a scheme, then something
EXPECTED_TYPE = {
    "integer": "a whole number in digits only, with no thousands separators, sign or decimals "
    "(e.g. 2783)",
    "date": "a date written YYYY-MM-DD (e.g. 2020-12-03)",
    "string/uri": "a URL with a scheme (e.g. https://www.bbc.com/news/world-europe-55174211)",
}
SEPARATOR = "\x1f"  # joins texts for one-pass checks; DIGITS and ISO_DATE cannot match it
COMMON_COUNTRIES = ("FRA", "IND", "USA")  # examples named in the party message


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


def fullmatch(values: np.ndarray, pattern: str) -> np.ndarray:
    """Whether each text of ``values`` matches ``pattern`` entirely, as a boolean array."""
    regex = re.compile(pattern)
    return np.fromiter(map(bool, map(regex.fullmatch, values)), dtype=bool, count=len(values))


def all_match(values: np.ndarray, pattern: str) -> bool:
    """Whether every text matches ``pattern`` (which must not match U+001F), in one regex pass
    over the texts joined by U+001F: the fast path for a clean column. False when a text holds
    U+001F itself, so that the caller checks one by one."""
    joined = SEPARATOR.join(values)
    if joined.count(SEPARATOR) != max(len(values) - 1, 0):
        return False
    return re.fullmatch(f"(?:{pattern})(?:{SEPARATOR}(?:{pattern}))*", joined) is not None


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
    values = cells.to_numpy(dtype=object)
    lines = cells.index.to_numpy()
    problems: list[FigureProblem] = []
    bad = np.zeros(len(values), dtype=bool)

    def refuse(mask: np.ndarray, message) -> None:
        nonlocal bad
        mask = mask & ~bad
        for position in np.flatnonzero(mask):
            problems.append(
                FigureProblem(file, int(lines[position]), name, message(values[position]))
            )
        bad |= mask

    filled = values != ""
    if re.search(schema.forbidden, "".join(values)):
        regex = re.compile(schema.forbidden)
        found = np.fromiter(map(bool, map(regex.search, values)), dtype=bool, count=len(values))
        refuse(found, lambda c: _forbidden_message(c, schema.forbidden))
    if constraints.get("required"):
        refuse(~filled, lambda c: "expected a value, got an empty cell")
    if kind == "integer":
        _number_problems(values, filled & ~bad, constraints, refuse)
    elif kind == "date":
        iso = filled if all_match(values[filled], ISO_DATE) else fullmatch(values, ISO_DATE)
        dates = pd.Series(values).where(iso)
        parsed = pd.to_datetime(dates, format="%Y-%m-%d", errors="coerce").isna().to_numpy()
        refuse(filled & parsed, lambda c: f"expected {EXPECTED_TYPE[kind]}, got {shown(c)}")
        if "minimum" in constraints:  # ISO dates compare as text
            early = np.array([v < constraints["minimum"] for v in values], dtype=bool)
            refuse(
                filled & early,
                lambda c: (
                    f"expected a date from {constraints['minimum']} on (an earlier one is"
                    f" most likely a typing error), got {shown(c)}"
                ),
            )
    elif fmt == "uri":
        uri = fullmatch(values, URI)
        refuse(filled & ~uri, lambda c: f"expected {EXPECTED_TYPE['string/uri']}, got {shown(c)}")
    if "enum" in constraints:
        allowed = constraints["enum"]
        listed = ", ".join(allowed)
        outside = ~pd.Series(values).isin(allowed).to_numpy()
        refuse(filled & outside, lambda c: f"expected one of {listed}, got {shown(c)}")
    if "codeList" in field:
        parties = [*schema.countries, *schema.actors]
        outside = ~pd.Series(values).isin(parties).to_numpy()
        # One message per distinct cell: a ledger typing a name for every code is refused
        # in the time of one (16,538 such cells took 1.7 s, each building its own message).
        refuse(filled & outside, functools.cache(lambda c: _party_message(c, schema)))
    if "pattern" in constraints:
        pattern = constraints["pattern"]
        # The field's own words for what it expects, where the schema gives them.
        expected = field.get("patternExpected") or f"text matching the pattern {pattern}"
        refuse(
            filled & ~fullmatch(values, pattern),
            lambda c: f"expected {expected}, got {shown(c)}",
        )
    if name == "figure_id":
        refuse(filled & ~fullmatch(values, ID_CHARACTERS), _id_message)
    if constraints.get("unique"):
        # Identifiers are compared as people mean them: 'GEO_2008-01' is 'geo-2008-01'.
        keys = np.array([normalised_id(v) for v in values], dtype=object)
        column = pd.Series(keys)
        again = filled & column.duplicated(keep="first").to_numpy() & ~bad
        if again.any():
            first_line = dict(zip(keys[::-1], lines[::-1], strict=True))
            for position in np.flatnonzero(again):
                message = (
                    f"expected a unique value, got {shown(values[position])}, "
                    f"already on line {first_line[keys[position]]}"
                )
                problems.append(FigureProblem(file, int(lines[position]), name, message))
    return problems


def _number_problems(values: np.ndarray, filled: np.ndarray, constraints: dict, refuse) -> None:
    """Digits only (checked in one pass when the column is clean), then the bounds."""
    lowest = constraints.get("minimum")
    digits = filled
    if not all_match(values[filled], DIGITS):  # some cell is not plain digits: find which
        negative = fullmatch(values, "-" + DIGITS)
        refuse(filled & negative, lambda c: f"expected a number of at least {lowest}, got {c!r}")
        digits = filled & fullmatch(values, DIGITS)
        refuse(filled & ~digits, lambda c: f"expected {EXPECTED_TYPE['integer']}, got {shown(c)}")
    numbers = np.zeros(len(values))
    numbers[digits] = [float(value) for value in values[digits]]
    if lowest is not None:
        refuse(
            digits & (numbers < lowest),
            lambda c: f"expected a number of at least {lowest}, got {c}",
        )
    if "maximum" in constraints:
        top = constraints["maximum"]
        refuse(digits & (numbers > top), lambda c: f"expected a number of at most {top}, got {c}")


ID_CHARACTERS = r"[A-Za-z0-9._-]+"


def normalised_id(value: str) -> str:
    """A figure identifier as compared for uniqueness: lower case, '_' read as '-'."""
    return value.casefold().replace("_", "-")


def _id_message(cell: str) -> str:
    odd = sorted({c for c in cell if not (c.isascii() and (c.isalnum() or c in "._-"))})
    named = ", ".join("a space" if c == " " else repr(c) for c in odd)
    return (
        "expected an identifier of letters, digits, '-', '_' or '.' with no spaces,"
        f" got {shown(cell)}, which holds {named}"
    )


def _forbidden_message(cell: str, forbidden: str) -> str:
    """What is wrong with a cell holding a forbidden character, naming the first one."""
    char = re.search(forbidden, cell).group()
    expected = "text without control characters or bidirectional overrides"
    return f"expected {expected}, got {_char_name(char)}"


def _party_message(cell: str, schema: Schema) -> str:
    """What a party cell should be, with a guess when the cell names a country or a known code."""
    by_name = {country.casefold(): code for code, country in schema.countries.items()}
    known = {code.casefold(): code for code in [*schema.countries, *schema.actors]}
    guess = known.get(cell.strip().casefold()) or by_name.get(cell.strip().casefold())
    hint = f"; did you mean {guess!r}?" if guess else ""
    where = (
        f"in {schema.package}" if schema.package else "in a datapackage.json beside the file (none)"
    )
    return (
        "expected an ISO 3166-1 alpha-3 country code (e.g. "
        f"{', '.join(COMMON_COUNTRIES)}) or an actor declared {where} "
        f"({', '.join(schema.actors)}), got {shown(cell)}{hint}"
    )


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
    known = raw["metric"].isin(schema.field("metric")["constraints"]["enum"])
    for name, metrics in schema.applies.items():  # count_status, in_killed_count
        add(
            t.index[known & ~raw["metric"].isin(metrics) & (raw[name] != "")],
            name,
            lambda line, name=name, metrics=metrics: (
                f"an empty cell because metric is {cell[line, 'metric']!r} ({name} "
                f"applies only to {', '.join(metrics)})"
            ),
            lambda line, name=name: repr(cell[line, name]),
        )
    written = raw["value_as_written"]
    inside = [w in q for w, q in zip(written, raw["quote"], strict=True)]
    add(
        t.index[(written != "") & ~pd.Series(inside, index=t.index, dtype=bool)],
        "value_as_written",
        lambda _: "words that occur verbatim in quote",
        lambda line: f"{shown(cell[line, 'value_as_written'])}, not found in the quote",
    )
    problems += series.problems(file, t)  # same-day series whose order cannot be read
    return problems
