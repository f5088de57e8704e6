"""Load and validate the reported figures, and select them as of a date.

The schema in ``data/datapackage.json`` is the contract: frictionless checks every cell against it,
then this module checks what a Table Schema cannot say (ranges, periods, dates, conflicting rows).
Every problem names the file, the CSV line (the header is line 1; a row whose cells span several
lines is numbered by its first line) and the field, and says what was expected.

The loaded table has one row per figure, indexed by CSV line number (``line``), columns in schema
order: ``value`` int64, ``value_high`` nullable Int64, date columns datetime64 (NaT when empty),
text columns ``str`` exactly as written, with ``""`` (never NaN) for an empty optional cell.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import difflib
import hashlib
import io
import json
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

import pandas as pd
from frictionless import Resource, errors

from casualty_report import paths

RESOURCE = "reported_figures"
_DIGITS = re.compile(r"[0-9]{1,18}")  # at most 18 digits: always fits int64
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_EXPECTED_TYPE = {
    "integer": "a whole number in digits only, with no thousands separators, sign or decimals "
    "(e.g. 2783)",
    "date": "a date written YYYY-MM-DD (e.g. 2020-12-03)",
    "string/uri": "a URL with a scheme (e.g. https://www.bbc.com/news/world-europe-55174211)",
}


class FigureProblem(NamedTuple):
    """One problem in a figures file, located as precisely as it can be."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = "" if self.field is None else f" field '{self.field}':"
        return f"{where}:{field} {self.message}"


class FiguresError(ValueError):
    """The figures file is unusable; ``problems`` lists every reason, one per line in ``str``."""

    def __init__(self, problems: Sequence[FigureProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def resource_descriptor() -> dict:
    """The ``reported_figures`` resource of the data package, as a plain descriptor."""
    package = json.loads(paths.FIGURES_SCHEMA.read_text(encoding="utf-8"))
    return next(r for r in package["resources"] if r["name"] == RESOURCE)


def _read_text(path: Path, file: str) -> str:
    """The file decoded as UTF-8, or FiguresError saying why it cannot be read."""
    if not path.is_file():
        raise FiguresError([FigureProblem(file, None, None, "file not found: expected a CSV file")])
    data = path.read_bytes()
    if not data.strip():
        message = "file is empty: expected a header line naming the columns, then one figure a line"
        raise FiguresError([FigureProblem(file, None, None, message)])
    if data.startswith(codecs.BOM_UTF8):
        message = "file starts with a byte-order mark: expected UTF-8 without BOM"
        raise FiguresError([FigureProblem(file, 1, None, message)])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        message = (
            f"file is not UTF-8: byte 0x{data[err.start]:02x} at column {column} "
            "(perhaps Latin-1 or Windows-1252); expected the file saved as UTF-8"
        )
        raise FiguresError([FigureProblem(file, line, None, message)]) from None


def _records(text: str) -> list[tuple[int, list[str]]]:
    """Every CSV record with the line it starts on (blank lines are empty records)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records, start = [], 1
    for cells in reader:
        records.append((start, cells))
        start = reader.line_num + 1
    return records


def _header_problems(file: str, labels: list[str], names: list[str]) -> list[FigureProblem]:
    """Missing, unknown, duplicated or misplaced columns, each named."""
    expected = "expected the columns " + ", ".join(names)
    if not any(label.strip() for label in labels):
        return [FigureProblem(file, 1, None, f"the header line is blank: {expected}")]
    problems = []
    missing = [name for name in names if name not in labels]
    for position, label in enumerate(labels, start=1):
        if labels.index(label) != position - 1:
            message = f"column appears twice: expected each column once ({expected})"
            problems.append(FigureProblem(file, 1, label, message))
        elif label not in names:
            guess = difflib.get_close_matches(label, missing, n=1)
            hint = f"did you mean '{guess[0]}'? " if guess else ""
            message = f"unknown column at position {position}: {hint}{expected}"
            problems.append(FigureProblem(file, 1, label or None, message))
    for name in missing:
        message = f"missing column: expected it at position {names.index(name) + 1}"
        problems.append(FigureProblem(file, 1, name, message))
    if not problems and labels != names:
        problems.append(FigureProblem(file, 1, None, f"columns are out of order: {expected}"))
    return problems


def _cell_message(error: errors.Error, field: dict | None, line_of: dict[int, int]) -> str:
    """A frictionless error rewritten to say what was expected and what was found."""
    cell = getattr(error, "cell", None)
    got = "got an empty cell" if cell in (None, "") else f"got {cell!r}"
    if error.type == "type-error" and field is not None:
        fmt = field.get("format", "default")
        kind = field["type"] if fmt == "default" else f"{field['type']}/{fmt}"
        return f"expected {_EXPECTED_TYPE.get(kind, kind)}, {got}"
    if error.type == "constraint-error" and field is not None:
        name = re.search(r'constraint "(\w+)"', error.note).group(1)
        bound = field["constraints"][name]
        bound = ", ".join(map(str, bound)) if isinstance(bound, list) else bound
        expected = {
            "required": "a value",
            "enum": f"one of {bound}",
            "minimum": f"a number of at least {bound}",
            "maximum": f"a number of at most {bound}",
            "pattern": f"text matching the pattern {bound}",
        }.get(name, f"{name} {bound}")
        return f"expected {expected}, {got}"
    if error.type == "unique-error":
        earlier = int(re.search(r"position (\d+)", error.note).group(1))
        return f"expected a unique value, {got}, already on line {line_of.get(earlier, earlier)}"
    if error.type == "blank-row":
        return "blank line: expected a figure on every line after the header"
    if error.type == "extra-cell":
        return "more cells than columns: expected one cell per column (is a comma unquoted?)"
    if error.type == "missing-cell":
        return "the row ends before this column: expected one cell per column"
    return error.message


def _schema_problems(path: Path, file: str, descriptor: dict, line_of: dict[int, int]):
    """Every cell and row problem frictionless finds, with columns matched by name."""
    schema = {**descriptor["schema"], "fieldsMatch": "partial"}  # header checked separately
    resource = Resource.from_descriptor(
        {**descriptor, "path": path.name, "schema": schema}, basepath=str(path.parent)
    )
    fields = {field["name"]: field for field in schema["fields"]}
    report = resource.validate(limit_errors=10_000)
    problems = []
    for error in (e for task in report.tasks for e in task.errors):
        if error.type == "primary-key" or isinstance(error, errors.HeaderError):
            continue  # the same as the unique-error on figure_id; the header has its own check
        row = getattr(error, "row_number", None)
        name = getattr(error, "field_name", None) or None
        message = _cell_message(error, fields.get(name), line_of)
        problems.append(FigureProblem(file, line_of.get(row, row), name, message))
    return problems


def _typed(raw: pd.DataFrame, fields: list[dict]) -> pd.DataFrame:
    """Text cells to typed columns; a cell that is not strictly well-formed becomes NA."""
    typed = raw.copy()
    for field in fields:
        name, cells = field["name"], raw[field["name"]]
        if field["type"] == "integer":
            numbers = [int(c) if _DIGITS.fullmatch(c) else pd.NA for c in cells]
            typed[name] = pd.array(numbers, dtype="Int64")
        elif field["type"] == "date":
            iso = cells.where(cells.str.fullmatch(_ISO_DATE.pattern))
            typed[name] = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce")
    return typed


def _claim(typed: pd.DataFrame, line: int) -> str:
    """A row's figure in words, to compare two rows in a message."""
    high = typed.at[line, "value_high"]
    high = "" if pd.isna(high) else f" to {high}"
    return f"{typed.at[line, 'value']}{high} ({typed.at[line, 'qualifier']})"


def _row_problems(
    file: str, raw: pd.DataFrame, typed: pd.DataFrame, fields: list[dict], today: date
) -> list[FigureProblem]:
    """Strict number and date spelling, and the checks that involve more than one cell."""
    problems = []

    def add(line: int, field: str, expected: str, got: object) -> None:
        problems.append(FigureProblem(file, int(line), field, f"expected {expected}, got {got}"))

    for field in fields:  # frictionless accepts ' 5', '+5', '2_783' and '2020-1-5'; we do not
        kind, name = field["type"], field["name"]
        if kind in ("integer", "date"):
            for line, cell in raw.loc[(raw[name] != "") & typed[name].isna(), name].items():
                add(line, name, _EXPECTED_TYPE[kind], repr(cell))

    t, cell = typed, raw.at
    is_range = t["qualifier"] == "range"
    for line in t.index[is_range & (raw["value_high"] == "")]:
        add(line, "value_high", "an upper bound because qualifier is 'range'", "an empty cell")
    for line in t.index[is_range & (t["value_high"] < t["value"]).fillna(False)]:
        add(line, "value_high", f"at least value ({cell[line, 'value']})", cell[line, "value_high"])
    for line in t.index[~is_range & (raw["value_high"] != "")]:
        expected = f"an empty cell because qualifier is {cell[line, 'qualifier']!r}, not 'range'"
        add(line, "value_high", expected, repr(cell[line, "value_high"]))
    for line in t.index[t["period_end"] < t["period_start"]]:
        expected = f"a date on or after period_start ({cell[line, 'period_start']})"
        add(line, "period_end", expected, cell[line, "period_end"])
    for line in t.index[t["reported_on"] > pd.Timestamp(today)]:
        add(line, "reported_on", f"a date not after today ({today})", cell[line, "reported_on"])
    for line in t.index[t["reported_on"] > t["source_published_on"]]:
        expected = (
            f"a date on or before source_published_on ({cell[line, 'source_published_on']}; "
            "a source cannot report a figure after it is published)"
        )
        add(line, "reported_on", expected, cell[line, "reported_on"])
    dated = t["reported_on"].notna() & t["source_published_on"].notna()
    published = dated & (t["reported_on_basis"] == "publication")
    for line in t.index[published & (t["reported_on"] < t["source_published_on"])]:
        expected = (
            f"source_published_on ({cell[line, 'source_published_on']}) because "
            "reported_on_basis is 'publication'"
        )
        add(line, "reported_on", expected, cell[line, "reported_on"])

    keys = [raw[key] for key in ("party", "metric", "reported_on", "reported_by")]
    for _, group in raw.groupby(keys, sort=False):
        first = group.index[0]
        for line in group.index[1:]:
            if _claim(t, line) != _claim(t, first):
                expected = (
                    f"one figure per party, metric, reported_on and reported_by, as on line "
                    f"{first} ({_claim(t, first)}); a revision needs its own reported_on"
                )
                add(line, "value", expected, _claim(t, line))
    return problems


def _frame(records: list[tuple[int, list[str]]], names: list[str]) -> pd.DataFrame:
    """The data rows as text in schema column order, indexed by line; blank rows and rows with
    too few or too many cells are left out (frictionless reports them)."""
    labels = records[0][1]
    rows = [
        (line, cells) for line, cells in records[1:] if len(cells) == len(labels) and any(cells)
    ]
    lines = pd.Index([line for line, _ in rows], dtype="int64", name="line")
    raw = pd.DataFrame([cells for _, cells in rows], index=lines, columns=labels, dtype=str)
    return raw[names]


def load_figures(
    path: str | Path = paths.DEFAULT_FIGURES, *, today: date | None = None
) -> pd.DataFrame:
    """The figures in ``path``, validated against the package schema; raises FiguresError.

    Every problem is collected before raising, so one run lists all that needs fixing.
    Relative paths are taken from the project root. The file is only read.
    """
    path = paths.resolve(path)
    file = paths.display(path)
    descriptor = resource_descriptor()
    fields = descriptor["schema"]["fields"]
    names = [field["name"] for field in fields]

    # Load inputs.
    records = _records(_read_text(path, file))
    line_of = {number: line for number, (line, _) in enumerate(records, start=1)}
    labels = records[0][1]

    # Validate: the header, every cell against the schema, then across cells and rows.
    problems = _header_problems(file, labels, names)
    if len(records) == 1:
        message = "no figures: expected one figure a line after the header"
        problems.append(FigureProblem(file, None, None, message))
    unique_labels = len(set(labels)) == len(labels) and any(label.strip() for label in labels)
    if unique_labels:
        problems += _schema_problems(path, file, descriptor, line_of)
    if unique_labels and set(names) <= set(labels):
        raw = _frame(records, names)
        typed = _typed(raw, fields)
        located = {(problem.line, problem.field) for problem in problems}
        today = date.today() if today is None else today
        for problem in _row_problems(file, raw, typed, fields, today):
            if (problem.line, problem.field) not in located:
                problems.append(problem)
    if problems:
        order = {name: position for position, name in enumerate(names)}
        raise FiguresError(
            sorted(problems, key=lambda p: (p.line or 0, order.get(p.field or "", -1)))
        )

    # Process data.
    return typed.astype({"value": "int64"})


def select_as_of(figures: pd.DataFrame, as_of: str | date | pd.Timestamp) -> pd.DataFrame:
    """For each (party, metric), the latest figure reported on or before ``as_of``.

    Figures reported on the same date are ordered by line: the row later in the file wins, so an
    addition at the end of the file is the one shown. The result keeps the columns and ``line``.
    """
    known = figures[figures["reported_on"] <= pd.Timestamp(as_of)]
    ordered = known.sort_index().sort_values("reported_on", kind="stable")
    return ordered.groupby(["party", "metric"], sort=False).tail(1).sort_index()


def history(
    figures: pd.DataFrame,
    party: str | None = None,
    metric: str | None = None,
    as_of: str | date | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """The figures of a party and/or metric, reported up to `as_of`, in the order reported."""
    keep = pd.Series(True, index=figures.index)
    if as_of is not None:
        keep &= figures["reported_on"] <= pd.Timestamp(as_of)
    if party is not None:
        keep &= figures["party"] == party
    if metric is not None:
        keep &= figures["metric"] == metric
    return figures[keep].sort_index().sort_values("reported_on", kind="stable")


def sha256(path: str | Path = paths.DEFAULT_FIGURES) -> str:
    """Hex SHA-256 of the file's bytes, to record in a report which data it was built from."""
    return hashlib.sha256(paths.resolve(path).read_bytes()).hexdigest()


def summary(figures: pd.DataFrame) -> str:
    """One line: rows, parties, metrics and the range of reporting dates."""
    first, last = figures["reported_on"].min(), figures["reported_on"].max()
    dates = "no dates" if figures.empty else f"reported {first:%Y-%m-%d} to {last:%Y-%m-%d}"
    parties = ", ".join(sorted(figures["party"].unique()))
    return (
        f"{len(figures)} figures, {figures['party'].nunique()} parties ({parties}), "
        f"{figures['metric'].nunique()} metrics, {dates}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Check a figures file: print its summary and return 0, or print every problem and return 1."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(paths.DEFAULT_FIGURES), help="figures CSV")
    args = parser.parse_args(argv)
    try:
        figures = load_figures(args.path)
    except FiguresError as err:
        print(err, file=sys.stderr)
        return 1
    print(summary(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
