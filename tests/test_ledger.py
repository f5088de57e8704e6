"""The ledger itself: every row's figure stands in its own quote, and the history it must hold.

These read data/reported_figures.csv as text with the csv module (not through the loader), so a
loader bug cannot hide a data problem. Thresholds come from issue 8 ("What it must show").
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from casualty_report import paths

FIXTURES = Path(__file__).parent / "fixtures"
BBC_DATE = "2020-12-03"
# Number words the sources spell out ("Seventeen political parties", "seven are still missing",
# "More than a hundred"), and Armenian "3 հազար 250" (3 thousand 250), as the sources write them.
WORDS = {"three": 3, "six": 6, "seven": 7, "seventeen": 17, "a hundred": 100, "one hundred": 100}
THOUSAND_HY = re.compile(r"(\d+) հազար (\d+)")  # Armenian: N thousand M


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return _rows(paths.DEFAULT_FIGURES)


def _groupings(value: int) -> set[str]:
    """The numeral as sources write it: 2855, 2,855, 2.855, 2 855 (plain or no-break spaces)."""
    plain = str(value)
    if value < 1000:
        return {plain}
    grouped = f"{value:,}"
    return {plain} | {grouped.replace(",", sep) for sep in (",", ".", " ", "\u00a0", "\u202f")}


def _carries(quote: str, value: int, as_written: str) -> bool:
    """The quote carries the value as a numeral (not inside a longer number) or in words."""
    for numeral in _groupings(value):
        if re.search(rf"(?<![\d.,]){re.escape(numeral)}(?![\d]|[.,]\d)", quote):
            return True
    if as_written not in quote:
        return False
    armenian = THOUSAND_HY.search(as_written)
    if armenian:
        return int(armenian[1]) * 1000 + int(armenian[2]) == value
    words = as_written.lower()
    return any(value == number and re.search(rf"\b{w}\b", words) for w, number in WORDS.items())


def test_every_figure_stands_in_its_own_quote(rows: list[dict[str, str]]) -> None:
    missing = []
    for line, row in enumerate(rows, start=2):
        value = int(row["value"])
        if row["qualifier"] == "range":  # "tens of thousands": the words, and the bounds they mean
            ok = row["value_as_written"] in row["quote"] and row["value_as_written"] == (
                "tens of thousands"
            )
            ok = ok and (value, int(row["value_high"])) == (10_000, 99_999)
        else:
            ok = _carries(row["quote"], value, row["value_as_written"])
        if not ok:
            missing.append(f"line {line} {row['figure_id']}: {value} not in {row['quote']!r}")
    assert not missing, "\n".join(missing)


def test_value_as_written_is_verbatim_in_the_quote(rows: list[dict[str, str]]) -> None:
    bad = [r["figure_id"] for r in rows if r["value_as_written"] not in r["quote"]]
    assert not bad


def test_the_groupings_helper_reads_every_convention() -> None:
    # Hand-written renderings of 2,855 as sources print it.
    for quote in ("lost 2855 soldiers", "2,855 troops", "2.855 militari", "2 855 военнослужащих"):
        assert _carries(quote, 2855, "")
    assert not _carries("12,855 troops", 2855, "")  # inside a longer number
    assert not _carries("2,8550 troops", 2855, "")
    assert _carries("Seventeen political parties", 17, "Seventeen")
    assert _carries("More than a hundred servicemen", 100, "More than a hundred")
    assert _carries("ունի 3 հազար 250 զոհ", 3250, "3 հազար 250")
    assert not _carries("ունի 3 հազար 250 զոհ", 3205, "3 հազար 250")
    assert not _carries("seven are missing", 6, "seven")


def test_the_bbc_rows_are_kept_exactly(rows: list[dict[str, str]]) -> None:
    original = _rows(FIXTURES / "bbc_rows_2020-12-03.csv")
    by_id = {row["figure_id"]: row for row in rows}
    for row in original:
        kept = by_id[row["figure_id"]]
        assert {k: kept[k] for k in row} == row, row["figure_id"]


def test_the_history_reaches_2025_from_many_sources(rows: list[dict[str, str]]) -> None:
    later = [r for r in rows if r["reported_on"] > BBC_DATE]
    assert len(later) >= 30
    sites = {urlsplit(r["source_url"]).hostname.removeprefix("www.") for r in later}
    assert len(sites) >= 8, sites
    for party in ("ARM", "AZE"):
        killed = [r for r in later if r["party"] == party and r["metric"] == "military_killed"]
        assert len(killed) >= 5, party
    assert max(r["reported_on"] for r in later) >= "2025-01-01"


def test_no_placeholder_urls_or_future_dates(rows: list[dict[str, str]]) -> None:
    for row in rows:
        host = urlsplit(row["source_url"]).hostname or ""
        assert row["source_url"].startswith(("http://", "https://")), row["figure_id"]
        assert not re.search(r"example\.(com|org)|localhost|placeholder", host), row["figure_id"]
        assert date.fromisoformat(row["reported_on"]) <= date.today()


def test_armenias_count_of_2_december_is_a_row(rows: list[dict[str, str]]) -> None:
    found = [
        r
        for r in rows
        if r["party"] == "ARM"
        and r["metric"] == "military_killed"
        and r["reported_on"] == "2020-12-02"
        and r["value"] == "2718"
    ]
    assert found
    assert {r["qualifier"] for r in found} <= {"at_least", "more_than"}
