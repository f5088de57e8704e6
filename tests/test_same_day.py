"""Same-day series (issue 22): one reporter's several figures of one party and metric on one day
are accepted, read in the order of reported_at where every row gives one and in file order
otherwise, and the day's last figure is the one selected. The rows are written here, a test
fixture, not reported figures; every expected value is read off them by hand."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from casualty_report import paths
from casualty_report.cli.check_data import main
from casualty_report.ledger import series
from casualty_report.ledger.figures import FiguresError, load_figures, select_as_of
from casualty_report.model.counts import count_status, daily
from casualty_report.report.formatting import disagreement_words, series_words

TODAY = date(2025, 6, 1)
COLUMNS = [
    "figure_id", "party", "metric", "value", "value_high", "qualifier", "period_start",
    "period_end", "reported_on", "reported_at", "reported_by", "source_title", "source_url",
    "quote", "source_kind",
]  # fmt: skip
KILLED = "military_and_civilian_killed"
MINISTRY = "Health Ministry"


def row(fid: str, value: int, at: str = "", *, day: str = "2025-03-18", **more: str) -> dict:
    """ETH's killed total from the Health Ministry, carried by an outlet of its own."""
    return {
        "figure_id": fid,
        "party": "ETH",
        "metric": KILLED,
        "value": value,
        "qualifier": "exact",
        "reported_on": day,
        "reported_at": at,
        "reported_by": MINISTRY,
        "source_title": f"Report {fid}",
        "source_url": f"https://news.example.org/{fid}",
        "quote": f"The ministry said {value} people had been killed.",
        **more,
    }


def write(folder: Path, rows: list[dict]) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows(rows)
    path = folder / "figures.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def chosen(figures: pd.DataFrame, as_of: str = "2025-03-18", party: str = "ETH") -> pd.Series:
    table = select_as_of(figures, as_of)
    (found,) = [r for _, r in table.iterrows() if r["party"] == party and r["metric"] == KILLED]
    return found


def check_data(path: Path, capsys: pytest.CaptureFixture) -> list[str]:
    assert main([str(path)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out.splitlines()


def test_without_times_the_series_is_read_in_file_order(tmp_path, capsys) -> None:
    # Lines 2, 3, 4: 36, 46, 59 on one day from one ministry, each carried by another outlet.
    path = write(tmp_path, [row("ETH-1", 36), row("ETH-2", 46), row("ETH-3", 59)])
    figures = load_figures(path, today=TODAY)
    last = chosen(figures)
    assert (last.name, last["value"]) == (4, 59)
    assert series_words(last["same_day_series"]) == "36 → 46 → 59"
    assert (
        disagreement_words(last["disagreement"]) == "" and last["corroborated_by"] == ""
    )  # revisions, not others
    lines = check_data(path, capsys)
    assert (
        f"{paths.display(path)}: ETH {KILLED} on 2025-03-18 ({MINISTRY}): a same-day series,"
        " read in file order: 36 → 46 → 59" in lines
    )


def test_with_times_the_series_is_read_in_their_order(tmp_path, capsys) -> None:
    # The file holds 59 (18:05), 36 (09:40), 46 (13:00): by the clock, 36 → 46 → 59.
    path = write(
        tmp_path, [row("ETH-3", 59, "18:05"), row("ETH-1", 36, "09:40"), row("ETH-2", 46, "13:00")]
    )
    last = chosen(load_figures(path, today=TODAY))
    assert (last.name, last["value"], series_words(last["same_day_series"])) == (
        2,
        59,
        "36 → 46 → 59",
    )
    assert any(
        line.endswith("a same-day series, read in the order of reported_at: 36 → 46 → 59")
        for line in check_data(path, capsys)
    )


def test_times_with_an_offset_are_compared_in_utc(tmp_path) -> None:
    # 10:30+03:00 is 07:30 UTC, before 08:00Z: 46 then 40, although 10:30 reads later.
    path = write(tmp_path, [row("ETH-1", 40, "08:00Z"), row("ETH-2", 46, "10:30+03:00")])
    last = chosen(load_figures(path, today=TODAY))
    assert (last["value"], series_words(last["same_day_series"])) == (40, "46 → 40")


def test_a_series_whose_figures_fall_ends_on_its_last(tmp_path) -> None:
    # 59, then corrected down to 52 and 50 the same day: the day's figure is 50, and the count's
    # rise is worked out from the previous day's 12: 50 − 12 = 38.
    rows = [
        row("ETH-0", 12, day="2025-03-17"),
        row("ETH-1", 59),
        row("ETH-2", 52),
        row("ETH-3", 50),
    ]
    figures = load_figures(write(tmp_path, rows), today=TODAY)
    last = chosen(figures)
    assert (last["value"], series_words(last["same_day_series"])) == (50, "59 → 52 → 50")
    assert (last["previous_value"], last["previous_reported_on"]) == (
        12,
        pd.Timestamp("2025-03-17"),
    )
    counts = count_status(select_as_of(figures, "2025-03-18"), daily(figures), "2025-03-18", KILLED)
    assert counts.loc[0, "rise"] == 38


def test_the_series_order_wins_over_the_kind_of_source(tmp_path) -> None:
    # The ministry's own channel (official) gave 36; a later line (news) carries its 59: the day's
    # figure is 59. Of the two copies of 59, the wire's outranks the news site's.
    rows = [
        row("ETH-1", 36, source_kind="official"),
        row("ETH-2", 59, source_kind="wire"),
        row("ETH-3", 59, source_kind="news"),
    ]
    last = chosen(load_figures(write(tmp_path, rows), today=TODAY))
    assert (last.name, last["value"], last["source_kind"]) == (3, 59, "wire")
    assert last["corroborated_by"] == MINISTRY  # line 4, the other copy of 59
    assert (
        series_words(last["same_day_series"]) == "36 → 59"
        and disagreement_words(last["disagreement"]) == ""
    )


def test_another_reporter_disagrees_with_the_last_figure_only(tmp_path) -> None:
    # The army's own 30 that day is a disagreement; the ministry's superseded 36 is not.
    rows = [
        row("ETH-1", 36, source_kind="official"),
        row("ETH-2", 59, source_kind="official"),
        row("ETH-A", 30, reported_by="Army", source_kind="news"),
    ]
    last = chosen(load_figures(write(tmp_path, rows), today=TODAY))
    assert (last["value"], disagreement_words(last["disagreement"])) == (59, "30 (Army)")


def test_one_reporter_repeating_a_figure_is_not_a_series(tmp_path, capsys) -> None:
    path = write(tmp_path, [row("ETH-1", 36, "09:00"), row("ETH-2", 36, "17:00+03:00")])
    last = chosen(load_figures(path, today=TODAY))
    assert series_words(last["same_day_series"]) == "" and last["corroborated_by"] == MINISTRY
    assert not any("same-day series" in line for line in check_data(path, capsys))


def test_times_on_some_lines_only_keep_the_file_order(tmp_path) -> None:
    # Line 3 gives no time: the file orders the series, and 09:00 before 12:00 agrees with it.
    path = write(tmp_path, [row("ETH-1", 36, "09:00"), row("ETH-2", 46), row("ETH-3", 59, "12:00")])
    assert (
        series_words(chosen(load_figures(path, today=TODAY))["same_day_series"]) == "36 → 46 → 59"
    )


def problems(path: Path) -> list[str]:
    with pytest.raises(FiguresError) as raised:
        load_figures(path, today=TODAY)
    return [str(problem) for problem in raised.value.problems]


@pytest.mark.parametrize("cell", ["2pm", "14:30:00", "24:00", "9:05", "14:30+3", "14h30"])
def test_a_time_not_written_hh_mm_is_refused_in_words(tmp_path, cell: str) -> None:
    path = write(tmp_path, [row("ETH-1", 36, cell)])
    assert problems(path) == [
        f"{paths.display(path)}:2: field 'reported_at': expected a time of day written HH:MM on a"
        " 24-hour clock, with a UTC offset where the source gives one (e.g. 14:30, 09:05+03:00"
        f" or 21:40Z), got {cell!r}"
    ]


def test_times_with_and_without_an_offset_in_one_series_are_refused(tmp_path) -> None:
    path = write(tmp_path, [row("ETH-1", 36, "09:00"), row("ETH-2", 46, "10:00+03:00")])
    (problem,) = problems(path)
    assert problem.startswith(f"{paths.display(path)}:3: field 'reported_at': expected the times")
    assert "all with a UTC offset or all without" in problem and "lines 2, 3" in problem


def test_times_on_some_lines_against_the_file_order_are_refused(tmp_path) -> None:
    # Line 4 says 08:00, earlier than 12:00 on line 2, while line 3 has no time to place it.
    path = write(tmp_path, [row("ETH-1", 36, "12:00"), row("ETH-2", 46), row("ETH-3", 59, "08:00")])
    (problem,) = problems(path)
    assert problem.startswith(f"{paths.display(path)}:4: field 'reported_at':")
    assert "got '08:00', earlier than '12:00' on line 2" in problem
    assert "give every line of the series a time" in problem


def test_the_schema_pattern_and_the_reader_accept_the_same_times() -> None:
    schema = json.loads(paths.FIGURES_SCHEMA.read_text(encoding="utf-8"))
    (field,) = [f for f in schema["fields"] if f["name"] == "reported_at"]
    pattern = re.compile(field["constraints"]["pattern"])
    for cell in ["00:00", "23:59", "14:30Z", "09:05+03:00", "09:05-14:00", "12:00+14:59"]:
        assert pattern.fullmatch(cell) and series.TIME.fullmatch(cell), cell
    for cell in ["24:00", "12:60", "1:00", "12:00+15:00", "12:00 UTC", "12:00:00", ""]:
        assert not pattern.fullmatch(cell) and not series.TIME.fullmatch(cell), cell
    assert series.minutes("09:05+03:00") == (6 * 60 + 5, True)
    assert series.minutes("09:05") == (9 * 60 + 5, False)
    # The rule of the series is stated where the column is described.
    assert "file's order" in field["description"] and "source_kind" in field["description"]


def test_check_data_prints_at_most_40_series_then_counts_the_rest(tmp_path, capsys) -> None:
    # 45 days with a series each (10 then 11): 40 lines, then one counting the 5 more.
    rows = [
        row(f"ETH-{day:02d}-{value}", value, day=f"2025-01-{day:02d}")
        for day in range(1, 32)
        for value in (10, 11)
    ] + [
        row(f"ETH-F{day:02d}-{value}", value, day=f"2025-02-{day:02d}")
        for day in range(1, 15)
        for value in (10, 11)
    ]
    lines = [line for line in check_data(write(tmp_path, rows), capsys) if "same-day" in line]
    assert len(lines) == 41
    assert lines[0].endswith("on 2025-01-01 (Health Ministry): a same-day series, read in file"
                             " order: 10 → 11")  # fmt: skip
    assert lines[-1].endswith("... and 5 more same-day series (45 in all)")
