"""The CSV reader: its fast path (pandas' C reader, one record a line) must read exactly what the
csv module reads, cells, lines and problems, whatever the text."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from casualty_report.ledger.reader import _records, _table_from_records, read_table

# Cells with the characters that matter to CSV: separators, quotes, line ends, spaces.
cells = st.text(st.sampled_from(list('ab ,"\r\n\t;Հə')), max_size=6)
rows = st.lists(cells, min_size=0, max_size=5)


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(st.lists(cells, min_size=1, max_size=4), st.lists(rows, max_size=6), st.booleans())
def test_fast_reader_reads_what_the_csv_module_reads(
    tmp_path_factory, header: list[str], body: list[list[str]], crlf: bool
) -> None:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n" if crlf else "\n").writerows([header, *body])
    text = out.getvalue()
    if ";" in text.partition("\n")[0]:
        text = text.replace(";", "")  # a semicolon header is refused before reading
    path = Path(tmp_path_factory.mktemp("csv")) / "figures.csv"
    path.write_text(text, encoding="utf-8", newline="")
    if not text.strip():
        return  # an empty file is refused before reading
    fast = read_table(path, "figures.csv")
    slow = _table_from_records("figures.csv", _records(text))
    assert fast.labels == slow.labels
    assert fast.problems == slow.problems
    assert list(fast.rows.index) == list(slow.rows.index)
    assert fast.rows.to_numpy().tolist() == slow.rows.to_numpy().tolist()


def test_fast_reader_numbers_lines_and_finds_short_rows(tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    path.write_text("a,b,c\n1,2,3\n4,5\n\n7,8,9\n", encoding="utf-8")
    table = read_table(path, "figures.csv")
    assert table.labels == ["a", "b", "c"]
    pd.testing.assert_frame_equal(
        table.rows,
        pd.DataFrame(
            [["1", "2", "3"], ["7", "8", "9"]],
            index=pd.Index([2, 5], name="line"),
            dtype=object,
        ),
        check_column_type=False,
    )
    assert [str(problem) for problem in table.problems] == [
        "figures.csv:3: field 'c': the row ends before this column (2 cells, 3 columns): "
        "expected one cell per column",
        "figures.csv:4: blank line: expected a figure on every line after the header",
    ]
