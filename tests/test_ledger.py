"""The ledgers themselves: every row's figure stands in its own quote, every row has a recorded
independent check, and the 2020 ledger holds the history it must.

These read each data/<conflict>/figures.csv as text with the csv module (not through the
loader), so a loader bug cannot hide a data problem. Thresholds come from issues 8 and 18.
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
# Number words as the sources spell them, by language: each a value, or a multiplier (hundred,
# thousand). "One hundred and eighty six", "2 тысячи 100", "двух тысяч", "3 հազար 250".
UNITS = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
UNITS += " sixteen seventeen eighteen nineteen"
TENS = "twenty thirty forty fifty sixty seventy eighty ninety"
NUMBER_WORDS = {
    **dict(zip(UNITS.split(), range(1, 20), strict=True)),
    **dict(zip(TENS.split(), range(20, 100, 10), strict=True)),
    "a": 1,  # "a hundred"
    "an": 1,  # "an Azerbaijani civilian"
    "двое": 2,  # ru
    "двух": 2,
    "drei": 3,  # de
    "quatro": 4,  # pt
}
MULTIPLIERS = {"hundred": 100, "հարյուր": 100, "thousand": 1000, "тысячи": 1000, "тысяч": 1000}
MULTIPLIERS["հազար"] = 1000


def _spelled(text: str) -> int | None:
    """The number a text spells out in words and numerals, or None: its number tokens summed
    and multiplied as words are read ("118 servicemen and one servicewoman" is 119)."""
    total, current, seen = 0, 0, False
    for token in re.findall(r"\w+", text.lower().replace("-", " ")):
        if token.isdigit():
            current, seen = current + int(token), True
        elif token in NUMBER_WORDS:
            current, seen = current + NUMBER_WORDS[token], True
        elif token in MULTIPLIERS:
            current, seen = max(current, 1) * MULTIPLIERS[token], True
            if MULTIPLIERS[token] >= 1000:
                total, current = total + current, 0
    return total + current if seen else None


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


CONFLICTS = sorted(p.parent.name for p in paths.DATA_DIR.glob("*/figures.csv"))
CHECKED = {"confirmed", "corrected"}  # the verdicts of a second check that let a row ship


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    """The default conflict's ledger (2020)."""
    return _rows(paths.DEFAULT_FIGURES)


@pytest.fixture(scope="module", params=CONFLICTS)
def any_rows(request: pytest.FixtureRequest) -> list[dict[str, str]]:
    """Each shipped conflict's ledger in turn."""
    return _rows(paths.DATA_DIR / request.param / "figures.csv")


def test_at_least_six_conflicts_are_shipped() -> None:
    assert len(CONFLICTS) >= 6 and paths.DEFAULT_CONFLICT in CONFLICTS, CONFLICTS


@pytest.mark.parametrize("conflict", CONFLICTS)
def test_every_row_has_a_recorded_independent_check(conflict: str) -> None:
    folder = paths.DATA_DIR / conflict
    ids = [r["figure_id"] for r in _rows(folder / "figures.csv")]
    checks = _rows(folder / "checks.csv")
    assert [c["figure_id"] for c in checks if c["verdict"] in CHECKED] == ids
    assert all(c["checked_by"] and date.fromisoformat(c["checked_on"]) for c in checks)


@pytest.mark.parametrize("conflict", CONFLICTS)
def test_two_parties_report_soldiers_killed_and_revisions_have_three_dates(conflict: str) -> None:
    killed: dict[tuple[str, str], set[str]] = {}
    for r in _rows(paths.DATA_DIR / conflict / "figures.csv"):
        if r["metric"] in ("military_killed", "military_and_civilian_killed"):
            killed.setdefault((r["party"], r["metric"]), set()).add(r["reported_on"])
    assert len({party for party, _ in killed}) >= 2, killed
    revised = {key: len(days) for key, days in killed.items() if len(days) > 1}
    assert revised and all(n >= 3 for n in revised.values()), revised


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
    return as_written in quote and _spelled(as_written) == value


def test_every_figure_stands_in_its_own_quote(any_rows: list[dict[str, str]]) -> None:
    missing = []
    for line, row in enumerate(any_rows, start=2):
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


def test_value_as_written_is_verbatim_in_the_quote(any_rows: list[dict[str, str]]) -> None:
    bad = [r["figure_id"] for r in any_rows if r["value_as_written"] not in r["quote"]]
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
    assert _carries("One hundred and eighty six of them", 186, "One hundred and eighty six")
    assert _carries("составило 2 тысячи 100 человек", 2100, "2 тысячи 100")
    assert _carries("по меньшей мере двух тысяч человек", 2000, "по меньшей мере двух тысяч")
    assert _carries("the 118 servicemen – and one servicewoman", 119, "118 servicemen – and one")


def test_the_bbc_rows_are_kept_exactly(rows: list[dict[str, str]]) -> None:
    original = _rows(FIXTURES / "bbc_rows_2020-12-03.csv")
    context = _rows(paths.DEFAULT_FIGURES.parent / "context.csv")  # moved out, kept there
    by_id = {row["figure_id"]: row for row in [*rows, *context]}
    for row in original:
        kept = by_id[row["figure_id"]]
        note = kept["note"]  # a row moved to the context file says why first
        assert {k: kept[k] for k in row if k != "note"} == {k: row[k] for k in row if k != "note"}
        assert note.endswith(row["note"]), row["figure_id"]


def test_the_history_reaches_2025_from_many_sources(rows: list[dict[str, str]]) -> None:
    later = [r for r in rows if r["reported_on"] > BBC_DATE]
    assert len(later) >= 30
    sites = {urlsplit(r["source_url"]).hostname.removeprefix("www.") for r in later}
    assert len(sites) >= 8, sites
    tolls = ("military_killed", "military_and_civilian_killed")
    for party in ("ARM", "AZE"):
        killed = [r for r in later if r["party"] == party and r["metric"] in tolls]
        assert len(killed) >= 5, party
    assert max(r["reported_on"] for r in later) >= "2025-01-01"


def test_no_placeholder_urls_or_future_dates(any_rows: list[dict[str, str]]) -> None:
    for row in any_rows:
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
