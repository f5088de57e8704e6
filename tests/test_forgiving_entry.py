"""Data entry that forgives spreadsheets (issue 8): what a spreadsheet saves is read as it is, and
what cannot be read gets one clear line naming file, line and field. Each test asserts the exact
message or the values loaded."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from casualty_report import paths
from casualty_report.cli.check_data import main
from casualty_report.ledger.figures import FiguresError, load_figures

# The ledger's BBC rows (all columns), a stable base for copies: the full ledger grows.
REAL = Path(__file__).parent / "fixtures" / "bbc_ledger.csv"
TODAY = date(2025, 6, 1)
CONTRACT = [
    "figure_id",
    "party",
    "metric",
    "value",
    "value_high",
    "qualifier",
    "period_start",
    "period_end",
    "reported_on",
    "reported_by",
    "source_title",
    "source_url",
    "quote",
]


def real_rows() -> list[dict[str, str]]:
    """The real file's rows as dicts of text."""
    with REAL.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, header: list[str], rows: list[dict], end: str = "\n", **fmt) -> Path:
    """Write rows (dicts) under ``header`` as CSV text; returns the path."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=end, **fmt)
    writer.writerow(header)
    writer.writerows([[row.get(name, "") for name in header] for row in rows])
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return path


def problems(path: Path) -> list[str]:
    """Each problem load_figures reports for ``path``, as printed."""
    with pytest.raises(FiguresError) as raised:
        load_figures(path, today=TODAY)
    return [str(problem) for problem in raised.value.problems]


@pytest.fixture()
def figures_csv(tmp_path: Path) -> Path:
    return tmp_path / "figures.csv"


def test_excel_csv_utf8_with_bom_and_crlf_is_read_as_is(figures_csv: Path) -> None:
    # Excel's "CSV UTF-8": a byte-order mark and CRLF line ends. Before issue 8 this was refused.
    text = REAL.read_text(encoding="utf-8").replace("\n", "\r\n")
    figures_csv.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    pd.testing.assert_frame_equal(load_figures(figures_csv, today=TODAY), load_figures(REAL))


def test_contract_columns_alone_validate_and_get_the_defaults(figures_csv: Path) -> None:
    # A ministry's figure pasted in with only the 13 contract columns must validate.
    write(figures_csv, CONTRACT, real_rows())
    figures = load_figures(figures_csv, today=TODAY)
    assert len(figures) == 8 and len(figures.columns) == 24
    assert set(figures["basis"]) == {"not_stated"}
    assert set(figures["source_kind"]) == {"news"}
    assert set(figures["quote_language"]) == {"en"}
    assert set(figures["reported_on_basis"]) == {"stated"}
    for empty in ("value_as_written", "reported_at", "note", "quote_en", "in_killed_count"):
        assert set(figures[empty]) == {""}, empty
    assert figures["source_published_on"].isna().all()
    # count_status is "open" on the three military_killed rows (ARM, AZE, BOTH: lines 2, 3, 7)
    # and empty on the five others.
    assert list(figures.index[figures["count_status"] == "open"]) == [2, 3, 7]
    assert (figures["count_status"] == "").sum() == 5


def test_columns_in_any_order(figures_csv: Path) -> None:
    with REAL.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    write(figures_csv, header[::-1], real_rows())
    pd.testing.assert_frame_equal(load_figures(figures_csv, today=TODAY), load_figures(REAL))


def test_semicolon_separated_file_gets_one_line(figures_csv: Path) -> None:
    write(figures_csv, CONTRACT, real_rows(), delimiter=";")
    file = paths.display(figures_csv)
    assert problems(figures_csv) == [
        f"{file}:1: the file looks semicolon-separated (its header has 12 semicolons and 0 "
        "commas): expected comma-separated values; in the spreadsheet, save it as "
        "'CSV UTF-8 (Comma delimited)' (or set the list separator to a comma)"
    ]


def test_thousands_of_problems_print_a_few_dozen_and_a_count(figures_csv: Path) -> None:
    rows = real_rows()
    extra = [f"extra_{n}" for n in range(5000)]
    header = [*rows[0], *extra]
    write(figures_csv, header, rows)
    with pytest.raises(FiguresError) as raised:
        load_figures(figures_csv, today=TODAY)
    assert len(raised.value.problems) == 5000  # one per unknown column, all kept
    printed = str(raised.value).splitlines()
    assert len(printed) == 41  # 40 problems, then the count of the rest: 5,000 - 40 = 4,960
    file = paths.display(figures_csv)
    assert printed[0] == (
        f"{file}:1: field 'extra_0': unknown column at position 24: expected only the columns "
        "described in the data package"
    )
    assert printed[-1] == (
        f"{file}: ... and 4,960 more problems (5,000 in all); the first 40 are shown, "
        "fix them and check again"
    )


def test_a_cell_over_the_csv_field_limit_is_refused_in_one_line(figures_csv: Path) -> None:
    rows = real_rows()
    rows[1]["note"] = "x" * 200_000  # line 3; Python's csv limit is 131,072 characters
    write(figures_csv, list(rows[0]), rows)
    file = paths.display(figures_csv)
    assert problems(figures_csv) == [
        f"{file}:3: field 'note': expected a cell of at most 131,072 characters, got 200,000 "
        "(is a quote mark not closed?)"
    ]


def test_an_unclosed_quote_is_one_line_not_a_traceback(
    figures_csv: Path, capsys: pytest.CaptureFixture
) -> None:
    # The quote on line 3 opens a quote mark that is never closed, so the rest of the file (a
    # 140,000-character line 4) is swallowed into that one cell. main() prints one line.
    row = "aze-military-killed-20201203,AZE,military_killed,2783,,exact,,,2020-12-03,Ministry,T,"
    lines = [
        ",".join(CONTRACT) + "\n",
        "arm-military-killed-20201118,ARM,military_killed,2425,,exact,,,2020-11-18,Ministry,T,"
        "https://example.org/a,Counted 2425.\n",
        row + 'https://example.org/b,"2783 soldiers were killed.\n',
        "aze-military-missing-20201203,AZE,military_missing,100,,more_than,,,2020-12-03,"
        "Ministry,T,https://example.org/c," + "m" * 140_000 + "\n",
    ]
    figures_csv.write_text("".join(lines), encoding="utf-8")
    # Swallowed: "2783 soldiers were killed.\n" (27) + line 4: 79 characters up to the date's
    # comma, 33 for "Ministry,T,https://example.org/c,", 140,000 m and a line feed = 140,113.
    assert len(lines[3]) == 79 + 33 + 140_000 + 1
    assert main([str(figures_csv)]) == 1
    out, err = capsys.readouterr()
    file = paths.display(figures_csv)
    assert out == "" and err.splitlines() == [
        f"{file}:3: field 'quote': expected a cell of at most 131,072 characters, got "
        "140,140 (is a quote mark not closed?)"
    ]


FORBIDDEN = {
    "NUL": ("\x00", "U+0000 (a control character)"),
    "escape": ("\x1b", "U+001B (a control character)"),
    "right-to-left override": ("\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    "left-to-right embedding": ("\u202a", "U+202A (LEFT-TO-RIGHT EMBEDDING)"),
    "first strong isolate": ("\u2068", "U+2068 (FIRST STRONG ISOLATE)"),
    "pop directional isolate": ("\u2069", "U+2069 (POP DIRECTIONAL ISOLATE)"),
}


@pytest.mark.parametrize("case", FORBIDDEN)
def test_control_and_bidi_characters_are_refused_with_line_and_field(
    figures_csv: Path, case: str
) -> None:
    char, named = FORBIDDEN[case]
    rows = real_rows()
    rows[3]["reported_by"] = f"Ministry{char} of Defence"  # line 5
    write(figures_csv, list(rows[0]), rows)
    file = paths.display(figures_csv)
    assert problems(figures_csv) == [
        f"{file}:5: field 'reported_by': expected text without control characters or "
        f"bidirectional overrides, got {named}"
    ]


def test_a_control_character_after_a_line_break_is_found(figures_csv: Path) -> None:
    rows = real_rows()
    rows[0]["quote"] += "\nsecond line \x07"  # line 2; BEL after a line break in the cell
    write(figures_csv, list(rows[0]), rows)
    file = paths.display(figures_csv)
    assert problems(figures_csv) == [
        f"{file}:2: field 'quote': expected text without control characters or bidirectional "
        "overrides, got U+0007 (a control character)"
    ]


def test_tabs_and_line_breaks_in_text_are_kept(figures_csv: Path) -> None:
    rows = real_rows()
    rows[0]["note"] = "first\tsecond\r\nthird"
    write(figures_csv, list(rows[0]), rows, end="\r\n")
    assert load_figures(figures_csv, today=TODAY).at[2, "note"] == "first\tsecond\r\nthird"


def test_any_iso_code_and_declared_actor_is_a_party(figures_csv: Path) -> None:
    # TUR and GEO are not among the ledger's rows; NKR is an actor its package declares.
    rows = real_rows()[:3]
    for row, party in zip(rows, ["TUR", "GEO", "NKR"], strict=True):
        row["party"] = party
    write(figures_csv, list(rows[0]), rows)
    with pytest.raises(FiguresError, match="datapackage.json beside the file"):
        load_figures(figures_csv, today=TODAY)  # no package: NKR is not declared
    package = {"parties": [{"code": "NKR", "label": "Karabakh", "kind": "actor"}]}
    (figures_csv.parent / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    assert list(load_figures(figures_csv, today=TODAY)["party"]) == ["TUR", "GEO", "NKR"]


def test_rules_of_the_new_columns(figures_csv: Path) -> None:
    rows = real_rows()
    rows[2]["count_status"] = "open"  # line 4: military_missing, not a killed count
    rows[3]["value_as_written"] = "104"  # line 5: the quote says 103
    rows[4]["basis"] = "counted"  # line 6: not in the vocabulary
    rows[5]["quote_language"] = "English"  # line 7: not a BCP 47 tag
    write(figures_csv, list(rows[0]), rows)
    file = paths.display(figures_csv)
    assert problems(figures_csv) == [
        f"{file}:4: field 'count_status': expected an empty cell because metric is "
        "'military_missing' (count_status applies only to military_killed, "
        "military_and_civilian_killed), got 'open'",
        f"{file}:5: field 'value_as_written': expected words that occur verbatim in quote, "
        "got '104', not found in the quote",
        f"{file}:6: field 'basis': expected one of not_stated, bodies_examined, "
        "bodies_recovered, death_certificates, list_of_dead, identified, criminal_case, "
        "documented_cases, secondary_sum, got 'counted'",
        f"{file}:7: field 'quote_language': expected text matching the pattern "
        "[a-z]{2,3}(-[A-Za-z0-9]{2,8})*, got 'English'",
    ]


def test_repeated_column_is_refused(figures_csv: Path) -> None:
    rows = real_rows()
    write(figures_csv, [*rows[0], "note"], rows)
    file = paths.display(figures_csv)
    assert problems(figures_csv) == [
        f"{file}:1: field 'note': column appears twice: expected each column once"
    ]


def test_a_date_before_1900_is_refused_in_words(figures_csv: Path) -> None:
    rows = real_rows()[:1]
    rows[0]["reported_on"] = "0001-01-01"  # a typing error that drew a three-century chart
    write(figures_csv, list(rows[0]), rows)
    (problem,) = problems(figures_csv)
    assert problem.endswith(
        "field 'reported_on': expected a date from 1900-01-01 on (an earlier one is most likely"
        " a typing error), got '0001-01-01'"
    )


def test_in_killed_count_is_yes_or_no_on_bodies_only(figures_csv: Path) -> None:
    rows = real_rows()
    assert rows[3]["metric"] == "unidentified_bodies"  # line 5: Azerbaijan's 103
    rows[2]["in_killed_count"] = "yes"  # line 4: military_missing, not bodies
    rows[3]["in_killed_count"] = "inside"  # line 5: not a code of the field
    write(figures_csv, list(rows[0]), rows)
    file = paths.display(figures_csv)
    assert problems(figures_csv) == [
        f"{file}:4: field 'in_killed_count': expected an empty cell because metric is "
        "'military_missing' (in_killed_count applies only to unidentified_bodies), got 'yes'",
        f"{file}:5: field 'in_killed_count': expected one of yes, no, got 'inside'",
    ]
    rows[2]["in_killed_count"], rows[3]["in_killed_count"] = "", "yes"
    write(figures_csv, list(rows[0]), rows)
    assert list(load_figures(figures_csv, today=TODAY)["in_killed_count"])[:4] == [
        "", "", "", "yes"
    ]  # fmt: skip
