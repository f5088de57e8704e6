"""A ministry's revision pasted in with only the 13 contract columns: it validates, builds at a
later date, and the inputs file says which figures have gone stale (issue 8, "What it must show").

The fixture is the 12 BBC rows plus three later rows of the ledger (Azerbaijan 2,881 killed and
28 missing on 2 March 2021; Armenia 3,702 killed on 26 August 2021), with the contract columns only.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import FAST, build_or_fail, run_make

FIXTURE = Path(__file__).parent / "fixtures" / "revision_contract_columns.csv"
CONTRACT = (
    "figure_id,party,metric,value,value_high,qualifier,period_start,period_end,reported_on,"
    "reported_by,source_title,source_url,quote"
).split(",")


def test_the_fixture_carries_only_the_contract_columns() -> None:
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == CONTRACT


def test_check_data_accepts_the_contract_columns() -> None:
    done = run_make("check-data", f"DATA={FIXTURE}")
    assert done.returncode == 0, done.stderr
    assert "11 figures" in done.stdout  # the article's 8 casualty figures + 3 revisions


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    out = tmp_path_factory.mktemp("revision")
    args = ("--data", str(FIXTURE), "-p", "as_of=2021-12-31", *FAST)
    build_or_fail(out, *args, name="revision")
    with (out / "revision.inputs.csv").open(encoding="utf-8", newline="") as handle:
        return {row["figure_id"]: row for row in csv.DictReader(handle)}


def test_old_unidentified_bodies_are_stale_beside_a_newer_killed_count(inputs: dict) -> None:
    # As of 2021-12-31: the bodies of 2020-12-03 are 28 + 365 = 393 days old (the rest of
    # December 2020, then 2021); Azerbaijan's killed count in use, of 2021-03-02, is
    # 29 (rest of March) + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 31 (April to December) = 304
    # days old. 393 - 304 = 89 days older, more than the default stale_after_days of 30.
    bodies = inputs["aze-unidentified-bodies-20201203"]
    assert (bodies["age_days"], bodies["stale"]) == ("393", "True")
    killed = inputs["aze-military-killed-20210302-aa"]
    assert (killed["age_days"], killed["stale"]) == ("304", "False")
    assert killed["count_status"] == "open"  # no final marking in a contract-columns file
    # Azerbaijan's missing of the same day as its killed count is not stale.
    assert inputs["aze-military-missing-20210302-aa"]["stale"] == "False"
