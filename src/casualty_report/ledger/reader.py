"""Read a figures file as CSV text: encoding, dialect and the shape of each row, nothing else.

Forgiving where a spreadsheet is: Excel's "CSV UTF-8" (a byte-order mark, CRLF line ends) is read as
it is. Strict where guessing would be wrong: a file that is not UTF-8, or is separated by
semicolons, is refused with one line saying what to do. Cells are returned as written.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import sys
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from casualty_report.ledger.files import unreadable
from casualty_report.ledger.problems import FigureProblem, FiguresError

# Python's csv module refuses longer fields by default; we read them and refuse them ourselves,
# naming line and field (a cell this long is nearly always a quote that was never closed).
CSV_FIELD_LIMIT = 131_072
SENTINEL = "\x1e"  # marks the end of each line for the fast reader; a forbidden character


class Table(NamedTuple):
    """The header; the rows that have one cell per column, as text (object dtype, columns by
    position, index ``line``: the line each row starts on); and the problems of the rows that do
    not (blank, too short, too long) or hold a cell over the size limit."""

    labels: list[str]
    rows: pd.DataFrame
    problems: list[FigureProblem]
    sha256: str = ""  # of the file's bytes, exactly those read


def read_text(path: Path, file: str) -> tuple[str, str]:
    """The file decoded as UTF-8 (a byte-order mark dropped) and the SHA-256 of its bytes, or
    FiguresError saying why it cannot be read."""
    problem = unreadable(path)  # not there, not a regular file, or compressed
    if problem:
        raise FiguresError([FigureProblem(file, None, None, problem)])
    data = path.read_bytes()
    if not data.strip():
        message = "file is empty: expected a header line naming the columns, then one figure a line"
        raise FiguresError([FigureProblem(file, None, None, message)])
    digest = hashlib.sha256(data).hexdigest()
    data = data.removeprefix(codecs.BOM_UTF8)  # Excel's "CSV UTF-8" starts with one
    try:
        return data.decode("utf-8"), digest
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


def _one_line_records(text: str) -> pd.DataFrame | None:
    """The records, parsed by pandas' C reader, when every record is one line; else None.

    A sentinel cell is added at the end of each line so that a row with too few cells shows (the
    C reader would pad it with empty cells). The result is used only when the number of records
    equals the number of lines, i.e. no quoted cell spans lines (the sentinel never lands inside
    a cell), and the C reader found no row with too many cells; otherwise the csv module reads.
    """
    if SENTINEL in text or text.count("\r") != text.count("\r\n"):
        return None
    lines = text.replace("\r\n", "\n").removesuffix("\n")
    if not lines:
        return None
    count = lines.count("\n") + 1
    # Bytes, not io.StringIO, which would hold four bytes a character.
    marked = (lines.replace("\n", f",{SENTINEL}\n") + f",{SENTINEL}\n").encode("utf-8")
    del lines
    try:
        frame = pd.read_csv(
            io.BytesIO(marked),
            encoding="utf-8",
            header=None,
            dtype=object,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError):
        return None
    if len(frame) != count:
        return None
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="line")
    return frame


def read_table(path: Path, file: str) -> Table:
    """The file's header and rows, or FiguresError when it cannot be read as CSV at all."""
    text, digest = read_text(path, file)
    return _table(text, file)._replace(sha256=digest)


def _table(text: str, file: str) -> Table:
    """The table of the decoded text: pandas' C reader when it can, the csv module otherwise."""
    refuse_semicolons(text, file)
    frame = _one_line_records(text)
    if frame is None or not any(_cells(frame.iloc[0].to_numpy())):  # a blank header: slow path
        return _table_from_records(file, _records(text))
    width = frame.shape[1] - 1  # without the sentinel
    labels = [str(cell) for cell in frame.iloc[0, :width]]
    body = frame.iloc[1:]
    cells = body.iloc[:, :width]
    full = (body[width] == SENTINEL).to_numpy()
    blank = (cells.to_numpy() == "").all(axis=1)
    if full.all() and not blank.any() and max(map(len, text.split("\n"))) <= CSV_FIELD_LIMIT:
        return Table(labels, cells, [])
    records = [(line, _cells(row)) for line, row in zip(body.index, body.to_numpy(), strict=True)]
    return _table_from_records(file, [(1, labels), *records])


def _cells(row) -> list[str]:
    """A parsed row's cells up to its sentinel (a blank line has none)."""
    cells = list(row[: list(row).index(SENTINEL)])
    return [] if cells == [""] else cells


def _table_from_records(file: str, records: list[tuple[int, list[str]]]) -> Table:
    """The table of records read one by one, with a problem for each row of the wrong shape."""
    (_, labels), *records = records
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
    index = pd.Index(lines, dtype="int64", name="line")
    table = pd.DataFrame(rows, index=index, columns=range(width), dtype=object)
    return Table(labels, table, problems)


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
