"""Read a figures file as CSV text: encoding, dialect and the shape of each row, nothing else.

Forgiving where a spreadsheet is: Excel's "CSV UTF-8" (a byte-order mark, CRLF line ends) is read as
it is. Strict where guessing would be wrong: a file that is not UTF-8, or is separated by
semicolons, is refused with one line saying what to do. Cells are returned as written.
"""

from __future__ import annotations

import codecs
import csv
import io
import sys
from pathlib import Path
from typing import NamedTuple

from casualty_report.problems import FigureProblem, FiguresError

# Python's csv module refuses longer fields by default; we read them and refuse them ourselves,
# naming line and field (a cell this long is nearly always a quote that was never closed).
CSV_FIELD_LIMIT = 131_072


class Table(NamedTuple):
    """The header, the rows that have one cell per column (with the line each starts on), and the
    problems of rows that do not (blank, too short, too long, a cell over the size limit)."""

    labels: list[str]
    lines: list[int]
    rows: list[list[str]]
    problems: list[FigureProblem]


def read_text(path: Path, file: str) -> str:
    """The file decoded as UTF-8 (a byte-order mark dropped), or FiguresError saying why not."""
    if not path.is_file():
        raise FiguresError([FigureProblem(file, None, None, "file not found: expected a CSV file")])
    data = path.read_bytes()
    if not data.strip():
        message = "file is empty: expected a header line naming the columns, then one figure a line"
        raise FiguresError([FigureProblem(file, None, None, message)])
    data = data.removeprefix(codecs.BOM_UTF8)  # Excel's "CSV UTF-8" starts with one
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


def refuse_semicolons(text: str, file: str) -> None:
    """One problem, alone, when the header is separated by semicolons rather than commas."""
    header = text.partition("\n")[0]
    semicolons, commas = header.count(";"), header.count(",")
    if semicolons > commas:
        message = (
            f"the file looks semicolon-separated (its header has {semicolons} semicolons and "
            f"{commas} commas): expected comma-separated values; in the spreadsheet, save it as "
            "'CSV UTF-8 (Comma delimited)' (or set the list separator to a comma)"
        )
        raise FiguresError([FigureProblem(file, 1, None, message)])


def _records(text: str) -> list[tuple[int, list[str]]]:
    """Every CSV record with the line it starts on (a blank line is an empty record)."""
    limit = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        records, start = [], 1
        for cells in reader:
            records.append((start, cells))
            start = reader.line_num + 1
    finally:
        csv.field_size_limit(limit)
    return records


def read_table(path: Path, file: str) -> Table:
    """The file's header and rows, or FiguresError when it cannot be read as CSV at all."""
    text = read_text(path, file)
    refuse_semicolons(text, file)
    (_, labels), *records = _records(text)
    width = len(labels)
    lines, rows, problems = [], [], []
    for line, cells in records:
        if len(cells) == width and any(cells):
            lines.append(line)
            rows.append(cells)
        elif not any(cells):
            message = "blank line: expected a figure on every line after the header"
            problems.append(FigureProblem(file, line, None, message))
        elif len(cells) > width:
            message = (
                f"more cells than columns ({len(cells)} cells, {width} columns): expected one "
                "cell per column (is a comma unquoted?)"
            )
            problems.append(FigureProblem(file, line, None, message))
        else:
            message = (
                f"the row ends before this column ({len(cells)} cells, {width} columns): "
                "expected one cell per column"
            )
            problems.append(FigureProblem(file, line, labels[len(cells)], message))
        if sum(map(len, cells)) > CSV_FIELD_LIMIT:
            problems += _long_cells(file, line, labels, cells)
    return Table(labels, lines, rows, problems)


def _long_cells(file: str, line: int, labels: list[str], cells: list[str]) -> list[FigureProblem]:
    """A problem for each cell of the row longer than CSV_FIELD_LIMIT characters."""
    problems = []
    for position, cell in enumerate(cells):
        if len(cell) > CSV_FIELD_LIMIT:
            field = labels[position] if position < len(labels) else None
            message = (
                f"expected a cell of at most {CSV_FIELD_LIMIT:,} characters, got "
                f"{len(cell):,} (is a quote mark not closed?)"
            )
            problems.append(FigureProblem(file, line, field, message))
    return problems
