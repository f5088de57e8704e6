"""Tests of the ledger loader: bad files are refused with the line and field named, text is
kept as written, and the real figures match what the BBC article says (worked out by hand)."""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casualty_report import paths
from casualty_report.cli.check_data import main
from casualty_report.ledger.figures import (
    FigureProblem,
    FiguresError,
    history,
    load_figures,
    select_as_of,
    sha256,
)
from casualty_report.ledger.problems import PRINTED_PROBLEMS
from casualty_report.report.checks import summary
from casualty_report.report.formatting import disagreement_words, series_words

REAL = paths.DEFAULT_FIGURES
# The ledger's first twelve rows, from the BBC article of 3 December 2020, as the ledger holds them
# (all columns): the tests below work their values out by hand from that article.
BBC = Path(__file__).parent / "fixtures" / "bbc_ledger.csv"
SEED = paths.ROOT.parent / "shared" / "seed"
BBC_URL = "https://www.bbc.com/news/world-europe-55174211"
TODAY = date(2025, 6, 1)  # a fixed "today": the tests do not depend on the clock

Table = tuple[list[str], list[list[str]]]
# The columns select_as_of adds, as the brief names them (written out, not imported).
SELECTION_COLUMNS = [
    "corroborated_by",
    "disagreement",
    "same_day_series",
    "previous_figure_id",
    "previous_value",
    "previous_reported_on",
    "previous_basis",
    "basis_changed",
]


# Helpers: copies of the real file, modified, written to tmp_path.


def real_table() -> Table:
    """The header and rows of the ledger's BBC rows, as text."""
    with BBC.open(encoding="utf-8", newline="") as handle:
        header, *rows = csv.reader(handle)
    return header, rows


def to_csv(header: list[str], rows: list[list[str]], end: str = "\n") -> str:
    """CSV text as a spreadsheet would save it: quotes only where needed (with ``end="\n"`` a
    lone carriage return is not quoted, so cells holding one need ``end="\r\n"``)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=end)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def find(table: Table, figure_id: str) -> tuple[list[str], int]:
    """The row with this figure_id and its CSV line (no real cell spans lines)."""
    header, rows = table
    index = [row[0] for row in rows].index(figure_id)
    return rows[index], index + 2


def problems_of(path: Path, today: date = TODAY) -> list[FigureProblem]:
    """The problems load_figures reports for ``path``, checking it left the file unchanged."""
    before = path.read_bytes()
    with pytest.raises(FiguresError) as raised:
        load_figures(path, today=today)
    assert path.read_bytes() == before, "load_figures must never write to the file"
    if len(raised.value.problems) <= PRINTED_PROBLEMS:
        assert str(raised.value) == "\n".join(map(str, raised.value.problems))
    return raised.value.problems


def assert_names(problems: list[FigureProblem], line: int | None, field: str | None, *words: str):
    """Some problem is located at line and field, says what was expected and uses ``words``."""
    listing = "\n".join(map(str, problems))
    found = [p for p in problems if p.line == line and p.field == field]
    assert found, f"no problem at line {line}, field {field!r} in:\n{listing}"
    problem = found[0]
    text = str(problem)
    assert text.startswith(problem.file) and Path(problem.file).name == "figures.csv"
    if line is not None:
        assert f":{line}:" in text
    if field is not None:
        assert f"field '{field}'" in text
    for word in ("expected", *words):
        assert word in problem.message, listing


AZE_KILLED = "aze-military-killed-20201203"
ARM_KILLED = "arm-military-killed-20201118"
DISPLACED = "both-civilians-displaced-20201203"

# One modified cell each: (figure_id, column, new cell, words the message must contain).
BAD_CELLS = {
    "non-numeric value": (AZE_KILLED, "value", "many", ["'many'"]),
    "negative value": (AZE_KILLED, "value", "-5", ["at least 0"]),
    "fractional value": (AZE_KILLED, "value", "2783.5", ["whole number"]),
    "thousands separator": (AZE_KILLED, "value", "2,783", ["no thousands separators", "'2,783'"]),
    "underscore separator": (AZE_KILLED, "value", "2_783", ["digits only"]),
    "plus sign": (AZE_KILLED, "value", "+2783", ["digits only"]),
    "padded number": (AZE_KILLED, "value", " 2783", ["digits only"]),
    # Any ISO 3166-1 alpha-3 code or declared actor is a party; a country's name gets its code.
    "unknown party": (
        AZE_KILLED,
        "party",
        "Azerbaijan",
        ["ISO 3166-1 alpha-3", "BOTH", "UNSPECIFIED", "datapackage.json", "did you mean 'AZE'?"],
    ),
    "made-up party code": (AZE_KILLED, "party", "XYZ", ["ISO 3166-1 alpha-3", "'XYZ'"]),
    "unknown metric": (AZE_KILLED, "metric", "soldiers_killed", ["military_killed"]),
    "unknown qualifier": (AZE_KILLED, "qualifier", "roughly", ["exact, at_least"]),
    "range without value_high": (DISPLACED, "value_high", "", ["upper bound", "range"]),
    "value_high below value": (DISPLACED, "value_high", "5000", ["at least value (10000)"]),
    "value_high without range": (AZE_KILLED, "value_high", "3000", ["'exact'", "empty"]),
    "impossible date": (AZE_KILLED, "reported_on", "2020-13-45", ["YYYY-MM-DD", "2020-13-45"]),
    "unpadded date": (AZE_KILLED, "period_start", "2020-9-27", ["YYYY-MM-DD"]),
    "period end before start": (AZE_KILLED, "period_end", "2020-09-01", ["period_start"]),
    "reported in the future": (ARM_KILLED, "reported_on", "2031-05-01", ["today (2025-06-01)"]),
    "reported after publication": (ARM_KILLED, "reported_on", "2020-12-04", ["published"]),
    "empty required cell": (AZE_KILLED, "reported_by", "", ["a value"]),
    "not a URL": (AZE_KILLED, "source_url", "bbc news", ["URL"]),
    "script URL": (AZE_KILLED, "source_url", "javascript:alert(1)", ["pattern"]),
    "bad figure_id": (AZE_KILLED, "figure_id", "AZE killed", ["letters, digits", "a space"]),
}


@pytest.mark.parametrize("case", BAD_CELLS)
def test_bad_cell_is_refused_with_line_and_field(tmp_path: Path, case: str) -> None:
    figure_id, column, cell, words = BAD_CELLS[case]
    header, rows = table = real_table()
    row, line = find(table, figure_id)
    row[header.index(column)] = cell
    path = tmp_path / "figures.csv"
    path.write_text(to_csv(header, rows), encoding="utf-8")
    assert_names(problems_of(path), line, column, *words)


def test_unquoted_thousands_separator_is_refused_on_its_line(tmp_path: Path) -> None:
    header, rows = table = real_table()
    _, line = find(table, AZE_KILLED)
    lines = to_csv(header, rows).splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].replace(",2783,", ",2,783,")
    path = tmp_path / "figures.csv"
    path.write_text("".join(lines), encoding="utf-8")
    assert_names(problems_of(path), line, None, "more cells than columns")


def test_missing_column_is_named(tmp_path: Path) -> None:
    header, rows = real_table()
    drop = header.index("value_high")
    path = tmp_path / "figures.csv"
    kept = [[cell for i, cell in enumerate(row) if i != drop] for row in [header, *rows]]
    path.write_text(to_csv(kept[0], kept[1:]), encoding="utf-8")
    # Columns may come in any order now: the message names the contract, not a position.
    assert_names(problems_of(path), 1, "value_high", "missing column", "contract column")


def test_misspelt_column_is_named_with_a_suggestion(tmp_path: Path) -> None:
    header, rows = real_table()
    header[header.index("qualifier")] = "qualifer"
    path = tmp_path / "figures.csv"
    path.write_text(to_csv(header, rows), encoding="utf-8")
    problems = problems_of(path)
    assert_names(problems, 1, "qualifer", "unknown column", "did you mean 'qualifier'?")
    assert_names(problems, 1, "qualifier", "missing column")


def test_a_second_figure_of_one_reporter_and_day_is_a_same_day_series(tmp_path: Path) -> None:
    # Refused before issue 22; now the later line is the later figure of that day: 2,783 on
    # line `line`, then 2,800 on the new last line, from the same reporter.
    header, rows = table = real_table()
    row, line = find(table, AZE_KILLED)
    revised = list(row)
    revised[header.index("figure_id")] = "aze-military-killed-20201203-b"
    revised[header.index("value")] = "2800"
    rows.append(revised)
    path = tmp_path / "figures.csv"
    path.write_text(to_csv(header, rows), encoding="utf-8")
    chosen = figure(select_as_of(load_figures(path, today=TODAY), "2020-12-03"), "AZE",
                    "military_killed")  # fmt: skip
    assert (chosen.name, chosen["value"]) == (len(rows) + 1, 2800)
    assert (
        series_words(chosen["same_day_series"]) == "2,783 → 2,800"
        and disagreement_words(chosen["disagreement"]) == ""
    )


def test_duplicate_figure_id_is_refused(tmp_path: Path) -> None:
    header, rows = table = real_table()
    row, line = find(table, AZE_KILLED)
    rows.append(list(row))
    path = tmp_path / "figures.csv"
    path.write_text(to_csv(header, rows), encoding="utf-8")
    assert_names(problems_of(path), len(rows) + 1, "figure_id", f"already on line {line}")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    header, rows = table = real_table()
    changes = {
        (AZE_KILLED, "party"): "Azerbaijan",
        (AZE_KILLED, "metric"): "soldiers_killed",
        (AZE_KILLED, "value"): "2,783",
        (DISPLACED, "value"): "many",
        (ARM_KILLED, "reported_on"): "2031-05-01",
    }
    expected = set()
    for (figure_id, column), cell in changes.items():
        row, line = find(table, figure_id)
        row[header.index(column)] = cell
        expected.add((line, column))
    path = tmp_path / "figures.csv"
    path.write_text(to_csv(header, rows), encoding="utf-8")
    assert {(p.line, p.field) for p in problems_of(path)} == expected


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    path.write_bytes(b"")
    assert_names(problems_of(path), None, None, "empty")


def test_header_without_figures_is_refused(tmp_path: Path) -> None:
    header, _ = real_table()
    path = tmp_path / "figures.csv"
    path.write_text(to_csv(header, []), encoding="utf-8")
    assert_names(problems_of(path), None, None, "no figures")


def test_blank_line_is_refused(tmp_path: Path) -> None:
    header, rows = real_table()
    lines = to_csv(header, rows).splitlines(keepends=True)
    lines.insert(3, "\n")
    path = tmp_path / "figures.csv"
    path.write_text("".join(lines), encoding="utf-8")
    assert_names(problems_of(path), 4, None, "blank line")


def test_latin1_file_is_refused_with_its_line(tmp_path: Path) -> None:
    header, rows = table = real_table()
    row, line = find(table, "aze-unidentified-bodies-20201203")
    row[header.index("note")] += " Identification by the café's owner."
    path = tmp_path / "figures.csv"
    path.write_bytes(to_csv(header, rows).encode("latin-1"))
    assert_names(problems_of(path), line, None, "not UTF-8", "0xe9")


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FiguresError, match="figures.csv: file not found"):
        load_figures(tmp_path / "figures.csv")


# Text is data: whatever is written is what is loaded.

ODD_TEXT = {
    "note": "<script>alert(1)</script>",
    "reported_by": "AT&T 100% $5_{x}",
    "source_title": "Հայաստան",
    "quote": 'Əliyev ş said 2,425, "quoted", and\nmore on a second line.',
}


def test_text_is_kept_exactly(tmp_path: Path) -> None:
    header, rows = table = real_table()
    row, line = find(table, ARM_KILLED)
    for column, text in ODD_TEXT.items():
        row[header.index(column)] = text
    path = tmp_path / "figures.csv"
    path.write_text(to_csv(header, rows), encoding="utf-8")
    before = path.read_bytes()
    figures = load_figures(path, today=TODAY)
    assert path.read_bytes() == before
    for column, text in ODD_TEXT.items():
        assert figures.at[line, column] == text
    assert figures.index[figures.index > line][0] == line + 2  # the quote spans two lines


# Property: any table that satisfies the schema loads back as written, in any column order.

# A sample of valid parties: ISO 3166-1 alpha-3 codes (not only the ledger's) and declared actors.
PARTIES = ["ARM", "AZE", "RUS", "TUR", "GEO", "FRA", "BOTH", "UNSPECIFIED"]
KILLED_METRICS = ["military_killed", "military_and_civilian_killed"]
METRICS = [
    *KILLED_METRICS,
    "military_missing",
    "unidentified_bodies",
    "military_wounded_hospitalised",
    "civilians_killed",
    "civilians_displaced",
    "military_and_civilian_missing",
    "military_wounded",
    "civilians_missing",
    "military_buried",
]
QUALIFIERS = ["exact", "at_least", "more_than", "about", "up_to", "range"]
DATE_BASES = ["stated", "publication", "external"]
COUNT_BASES = [
    "not_stated",
    "bodies_examined",
    "bodies_recovered",
    "death_certificates",
    "list_of_dead",
    "identified",
    "criminal_case",
    "documented_cases",
    "secondary_sum",
]
SOURCE_KINDS = ["official", "wire", "state_media", "news", "aggregator"]
TEXT_COLUMNS = [
    "figure_id",
    "party",
    "metric",
    "qualifier",
    "value_as_written",
    "reported_at",
    "reported_on_basis",
    "reported_by",
    "source_title",
    "source_url",
    "quote",
    "note",
    "basis",
    "count_status",
    "in_killed_count",
    "source_kind",
    "quote_language",
    "quote_en",
]
DATE_COLUMNS = ["period_start", "period_end", "reported_on", "source_published_on"]
MAX_COUNT = 10_000_000_000
# Refused in text (the schema's forbiddenCharacters): controls other than tab, LF and CR, and
# the bidirectional embedding, override and isolate characters.
FORBIDDEN = (
    [chr(c) for c in range(0x00, 0x20) if chr(c) not in "\t\n\r"]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
)

any_text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters=FORBIDDEN))
some_text = any_text.filter(lambda text: text != "")
FIRST_DAY = date(1900, 1, 1)
days = st.dates(min_value=FIRST_DAY, max_value=TODAY)


def days_until(last: date) -> st.SearchStrategy[date]:
    """Dates from FIRST_DAY up to and including ``last``."""
    return st.dates(min_value=FIRST_DAY, max_value=last)


@st.composite
def figure_rows(draw: Callable) -> dict:
    """One row that satisfies the schema and the cross-field rules, as typed values."""
    qualifier = draw(st.sampled_from(QUALIFIERS))
    value = draw(st.integers(0, MAX_COUNT))
    high = draw(st.integers(value, MAX_COUNT)) if qualifier == "range" else None
    published = draw(days)
    basis = draw(st.sampled_from(DATE_BASES))
    reported = published if basis == "publication" else draw(days_until(published))
    start = draw(st.none() | days)
    end = draw(st.none() | st.dates(min_value=start or FIRST_DAY, max_value=TODAY))
    metric = draw(st.sampled_from(METRICS))
    written = draw(some_text)
    return {
        "figure_id": draw(st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True)),
        "party": draw(st.sampled_from(PARTIES)),
        "metric": metric,
        "value": value,
        "value_high": high,
        "qualifier": qualifier,
        "value_as_written": written,
        "period_start": start,
        "period_end": end,
        "reported_on": reported,
        "reported_at": draw(st.sampled_from(["", "00:00", "14:30", "09:05+03:00", "23:59-14:00"])),
        "reported_on_basis": basis,
        "reported_by": draw(some_text),
        "source_title": draw(some_text),
        "source_url": draw(
            st.from_regex(r"https://[a-z]{1,10}\.org/[A-Za-z0-9_~%/.-]*", fullmatch=True)
        ),
        "source_published_on": published,
        "quote": draw(any_text) + written + draw(any_text),  # value_as_written is in the quote
        "note": draw(any_text),
        "basis": draw(st.sampled_from(COUNT_BASES)),
        "count_status": draw(st.sampled_from(["open", "final"]))
        if metric in KILLED_METRICS
        else "",
        "in_killed_count": draw(st.sampled_from(["", "yes", "no"]))
        if metric == "unidentified_bodies"
        else "",
        "source_kind": draw(st.sampled_from(SOURCE_KINDS)),
        "quote_language": draw(st.sampled_from(["en", "hy", "az", "ru", "tr", "pt-BR"])),
        "quote_en": draw(any_text),
    }


def as_cell(value: object) -> str:
    """A typed value as the schema writes it."""
    return "" if value is None else value.isoformat() if isinstance(value, date) else str(value)


tables = st.lists(
    figure_rows(),
    min_size=1,
    max_size=6,
    unique_by=(
        lambda row: row["figure_id"],
        lambda row: (row["party"], row["metric"], row["reported_on"], row["reported_by"]),
    ),
)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(tables, st.permutations(list(range(24))))
def test_any_valid_table_round_trips(rows: list[dict], order: list[int]) -> None:
    names = list(rows[0])
    header = [names[i] for i in order]  # the file's column order is free
    cells = [[as_cell(row[name]) for name in header] for row in rows]
    text = to_csv(header, cells, end="\r\n")
    # Expected line of each row: the header is line 1; a cell may hold line breaks.
    starts, line = [], 2
    for row in cells:
        starts.append(line)
        line += len(re.findall(r"\r\n|\r|\n", to_csv(row, [], end="\r\n")))
    expected = pd.DataFrame(rows, index=pd.Index(starts, name="line"))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "figures.csv"
        path.write_text(text, encoding="utf-8", newline="")
        figures = load_figures(path, today=TODAY)
    assert list(figures.columns) == names  # the schema's order
    assert figures["value"].dtype == "int64" and figures["value_high"].dtype == "Int64"
    assert all(figures[name].dtype == "str" for name in TEXT_COLUMNS)
    assert all(figures[name].dtype.kind == "M" for name in DATE_COLUMNS)
    expected["value_high"] = expected["value_high"].astype("Int64")
    for name in DATE_COLUMNS:
        expected[name] = pd.to_datetime(expected[name]).astype(figures[name].dtype)
    pd.testing.assert_frame_equal(figures, expected.astype({n: "str" for n in TEXT_COLUMNS}))


# The real figures, worked out by hand from the article.


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    return load_figures(BBC)


def figure(table: pd.DataFrame, party: str, metric: str) -> pd.Series:
    """The only row of ``table`` for party and metric."""
    found = table[(table["party"] == party) & (table["metric"] == metric)]
    assert len(found) == 1, found
    return found.iloc[0]


def test_real_file_loads_typed(figures: pd.DataFrame) -> None:
    assert figures.index.name == "line" and figures.index[0] == 2
    assert figures["value"].dtype == "int64" and figures["value_high"].dtype == "Int64"
    assert figures.at[2, "figure_id"] == ARM_KILLED
    assert figures.at[2, "reported_on"] == pd.Timestamp("2020-11-18")
    assert pd.isna(figures.at[2, "period_start"]) and pd.isna(figures.at[2, "value_high"])
    # A relative path starts at the project root. The ledger holds the article's rows; its
    # vague displacement estimate went to the context file (not a casualty count).
    ledger = load_figures("data/nagorno-karabakh-2020/figures.csv").set_index("figure_id")
    article = figures.set_index("figure_id").drop(index=DISPLACED)
    assert ledger.loc[article.index].equals(article)


def test_figures_as_of_publication_day(figures: pd.DataFrame) -> None:
    # "Armenia said last month it had counted 2,425 dead soldiers."
    # "2,783 soldiers killed ... more than 100 soldiers were missing ... identify 103 bodies"
    as_of = select_as_of(figures, "2020-12-03")
    assert figure(as_of, "ARM", "military_killed")["value"] == 2425
    assert figure(as_of, "AZE", "military_killed")["value"] == 2783
    missing = figure(as_of, "AZE", "military_missing")
    assert (missing["value"], missing["qualifier"]) == (100, "more_than")
    assert figure(as_of, "AZE", "unidentified_bodies")["value"] == 103
    assert as_of.index.name == "line"
    assert list(as_of.columns) == [*figures.columns, *SELECTION_COLUMNS]


def test_figures_before_azerbaijan_reported(figures: pd.DataFrame) -> None:
    as_of = select_as_of(figures, date(2020, 11, 20))
    assert figure(as_of, "ARM", "military_killed")["value"] == 2425
    assert as_of[(as_of["party"] == "AZE") & (as_of["metric"] == "military_killed")].empty


def test_as_of_accepts_text_date_and_timestamp(figures: pd.DataFrame) -> None:
    by_text = select_as_of(figures, "2020-12-03")
    assert by_text.equals(select_as_of(figures, date(2020, 12, 3)))
    assert by_text.equals(select_as_of(figures, pd.Timestamp("2020-12-03")))
    assert select_as_of(figures, "2020-01-01").empty


def with_revision(tmp_path: Path, reported_by: str, reported_on: str) -> Path:
    """The real file plus a test-only hypothetical Azerbaijani revision to 2,823 killed."""
    header, rows = table = real_table()
    revision = list(find(table, AZE_KILLED)[0])
    changes = {
        "figure_id": f"aze-military-killed-{reported_on.replace('-', '')}-test",
        "value": "2823",
        "value_as_written": "2,823",
        "reported_on": reported_on,
        "reported_on_basis": "publication",
        "reported_by": reported_by,
        "source_title": "Test-only hypothetical revision",
        "source_url": "https://example.org/hypothetical-revision",
        "source_published_on": reported_on,
        "quote": "Azerbaijan now says 2,823 of its soldiers were killed.",
        "note": "Hypothetical, for tests only.",
    }
    for column, cell in changes.items():
        revision[header.index(column)] = cell
    path = tmp_path / "figures.csv"
    path.write_text(to_csv(header, [*rows, revision]), encoding="utf-8")
    return path


def test_revision_is_a_new_row_picked_by_date(tmp_path: Path) -> None:
    figures = load_figures(with_revision(tmp_path, "Azerbaijan Ministry of Defence", "2021-01-10"))
    assert figure(select_as_of(figures, "2021-02-01"), "AZE", "military_killed")["value"] == 2823
    assert figure(select_as_of(figures, "2020-12-03"), "AZE", "military_killed")["value"] == 2783
    timeline = history(figures, "AZE", "military_killed")
    assert list(timeline["value"]) == [2783, 2823]


def test_same_day_tie_goes_to_the_later_line(tmp_path: Path) -> None:
    figures = load_figures(with_revision(tmp_path, "Another reporter", "2020-12-03"))
    chosen = figure(select_as_of(figures, "2020-12-03"), "AZE", "military_killed")
    assert chosen["value"] == 2823 and chosen.name == figures.index.max()


def test_history_is_in_reporting_order(figures: pd.DataFrame) -> None:
    killed = history(figures, metric="military_killed")
    assert list(killed["party"]) == ["ARM", "AZE", "BOTH"]  # 18 Nov, then 3 Dec twice
    assert history(figures)["reported_on"].is_monotonic_increasing
    assert len(history(figures, party="AZE")) == 4  # killed, missing, bodies, wounded


def test_summary_and_checksum(figures: pd.DataFrame, tmp_path: Path) -> None:
    two = figures.loc[[2, 3]]
    assert (
        summary(two)
        == "2 figures, 2 parties (ARM, AZE), 1 metrics, reported 2020-11-18 to 2020-12-03;"
        " no datapackage.json beside it: neutral defaults"
    )
    path = tmp_path / "x.bin"
    path.write_bytes(b"abc")
    assert sha256(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_main_prints_summary_or_problems(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main([str(BBC)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"{len(real_table()[1])} figures") and err == ""
    assert main([str(REAL)]) == 0  # the whole ledger validates too
    capsys.readouterr()
    header, rows = table = real_table()
    row, line = find(table, AZE_KILLED)
    row[header.index("value")] = "2,783"
    path = tmp_path / "figures.csv"
    path.write_text(to_csv(header, rows), encoding="utf-8")
    assert main([str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and f"figures.csv:{line}: field 'value':" in err


def test_schema_describes_every_column_and_code() -> None:
    schema = json.loads(paths.FIGURES_SCHEMA.read_text(encoding="utf-8"))
    assert (
        schema["encoding"] == "utf-8" and "revisions are added as new rows" in schema["description"]
    )
    fields = schema["fields"]
    # Every column of the ledger, in order; reported_at (issue 22) is optional and unused there.
    assert [f["name"] for f in fields if f["name"] != "reported_at"] == real_table()[0]
    assert "default" in fields[[f["name"] for f in fields].index("reported_at")]
    for field in fields:
        assert field["title"] and field["description"] and field["type"], field["name"]
        if "enum" in field.get("constraints", {}):
            coded = [category["value"] for category in field["categories"]]
            assert coded == field["constraints"]["enum"], field["name"]
            assert all(category["label"] for category in field["categories"]), field["name"]
    # The new vocabularies say what each code means; their defaults are codes of the vocabulary.
    for name in ("basis", "source_kind", "count_status"):
        field = fields[[f["name"] for f in fields].index(name)]
        assert all(category["description"] for category in field["categories"]), name
        assert field["default"] in field["constraints"]["enum"], name
    # The party code list sits beside the schema: 249 codes in iso-codes 4.15.0.
    code_list = fields[1]["codeList"]
    with (paths.FIGURES_SCHEMA.parent / code_list["path"]).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 249
    assert {"ARM": "Armenia", "AZE": "Azerbaijan"}.items() <= {
        row["code"]: row["name"] for row in rows
    }.items()
    # Every conflict folder has its package: what the war is, its licences, its parties.
    for package_file in paths.DATA_DIR.glob("*/datapackage.json"):
        package = json.loads(package_file.read_text(encoding="utf-8"))
        assert package["title"] and package["description"] and package["licenses"], package_file
        assert package["report"]["title"] and package["report"]["as_of"], package_file
        assert (package_file.parent / "figures.csv").is_file(), package_file


# Each row agrees with its own quote.
WORD_NUMBERS = {"Seventeen": 17, "three": 3}  # as written in the article
RANGES = {"tens of thousands": (10_000, 99_999)}  # the recorded reading of a vague quantity
PREFIXES = {"more than ": "more_than", "over ": "more_than", "At least ": "at_least"}


def read_written(text: str) -> tuple[int, int | None, str]:
    """value, value_high and qualifier read by hand from a value_as_written."""
    if text in RANGES:
        return (*RANGES[text], "range")
    qualifier = "exact"
    for prefix, meaning in PREFIXES.items():
        if text.startswith(prefix):
            text, qualifier = text.removeprefix(prefix), meaning
    number = text.split()[0]  # "three areas" -> "three"
    if re.fullmatch(r"\d{1,3}(,\d{3})*", number):
        return int(number.replace(",", "")), None, qualifier
    return WORD_NUMBERS[number], None, qualifier


def test_value_as_written_is_in_the_quote_and_agrees(figures: pd.DataFrame) -> None:
    for line, row in figures.iterrows():
        assert row["value_as_written"] in row["quote"], line
        high = None if pd.isna(row["value_high"]) else row["value_high"]
        assert read_written(row["value_as_written"]) == (row["value"], high, row["qualifier"]), line


MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


@pytest.mark.skipif(not SEED.is_dir(), reason=f"source article not present at {SEED}")
def test_quotes_and_numbers_come_from_the_article(figures: pd.DataFrame) -> None:
    article = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEED.glob("*.txt")))
    for line, quote in figures["quote"].items():
        assert quote in article, f"line {line}: quote not verbatim in the article"
    numbers = [
        m.group()
        for m in re.finditer(r"\d[\d,]*\d|\d", article)
        if not re.match(rf" ({MONTHS})\b", article[m.end() :])  # day numbers of dates
    ]
    assert numbers, "no numbers found in the article"
    # The article's figures that are not casualties are in the conflict's context file.
    with (paths.DATA_DIR / "nagorno-karabakh-2020" / "context.csv").open(encoding="utf-8") as f:
        context = [r for r in csv.DictReader(f) if r["source_url"] == BBC_URL]
    written = " | ".join([*figures["value_as_written"], *(r["value_as_written"] for r in context)])
    for number in numbers:
        assert re.search(rf"(?<![\d,]){re.escape(number)}(?![\d,])", written), number
