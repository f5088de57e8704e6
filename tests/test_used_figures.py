"""Tests of the figures-used table: ages, stale flags and the treatment of stale figures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from casualty_report.model.analysis import analyse
from casualty_report.model.inputs import check_stale_parameters
from casualty_report.report.notes import inputs_with_words
from casualty_report.report.outputs import write_outputs
from ledger_rows import assume, fig, ledger, row

AZE = ledger(
    fig("AZE", "military_killed", 2783, on="2020-12-03", basis="list_of_dead"),
    fig("AZE", "military_missing", 100, "more_than", on="2020-12-03"),
    fig("AZE", "unidentified_bodies", 103, on="2020-12-03"),
    fig("AZE", "military_killed", 2881, on="2021-03-02", basis="list_of_dead"),
    fig("AZE", "military_missing", 28, on="2021-03-02"),
)


def test_old_unidentified_bodies_beside_a_newer_killed_count_are_stale() -> None:
    used = inputs_with_words(analyse(AZE, "2021-12-31", assume(n_draws=2000)).inputs)
    used = used.set_index("metric")
    # The killed count in use is 2 March 2021: 2 Mar → 31 Dec 2021 = 29 (rest of March) + 30
    # + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 31 = 304 days; it is not stale itself.
    assert used.loc["military_killed", "age_days"] == 304
    assert not used.loc["military_killed", "stale"]
    # The bodies of 3 December 2020: 365 + 28 = 393 days old, 89 days before the killed count
    # (28 + 31 + 28 + 2 = 89 > 30): stale, and excluded by default.
    assert used.loc["unidentified_bodies", "age_days"] == 393
    assert used.loc["unidentified_bodies", "stale"]
    assert used.loc["unidentified_bodies", "treatment"].startswith("excluded")
    # The missing of 2 March 2021 sit beside the killed count of the same day: not stale.
    assert not used.loc["military_missing", "stale"]
    assert used.loc["military_killed", "count_status"] == "open"
    assert used.loc["military_missing", "count_status"] == ""


def test_exclude_drops_the_stale_bodies_and_keep_uses_them() -> None:
    # Exclude: K 2881 + p × 28 with p 0.5..1 → 2881 + 14 = 2895 .. 2881 + 28 = 2909; no scenario.
    excluded = analyse(AZE, "2021-12-31", assume(n_draws=2000)).results
    assert (row(excluded, "military_deaths", "AZE")[["low", "high"]] == [2895, 2909]).all()
    assert set(excluded["scenario"]) == {"all"}
    # Keep: the 103 bodies may add: high 2881 + 103 + 1 × max(28 − 0 × 103, 0) = 3012
    kept = analyse(AZE, "2021-12-31", assume(n_draws=2000), stale_treatment="keep")
    assert row(kept.results, "military_deaths", "AZE")["high"] == 3012
    assert (
        inputs_with_words(kept.inputs)
        .set_index("metric")
        .loc["unidentified_bodies", "treatment"]
        .startswith("used as reported")
    )


def test_as_of_the_first_day_nothing_is_stale() -> None:
    used = analyse(AZE, "2020-12-03", assume(n_draws=2000)).inputs
    assert not used["stale"].any() and (used["age_days"] == 0).all()


@pytest.mark.parametrize(
    ("days", "treatment", "message"),
    [
        (-1, "exclude", "stale_after_days must be >= 0"),
        (2.5, "exclude", "stale_after_days must be a whole number"),
        (30, "drop", "stale_treatment must be one of 'exclude', 'keep', got 'drop'"),
    ],
)
def test_bad_stale_parameters_are_named(days, treatment, message) -> None:
    with pytest.raises(ValueError, match=message):
        check_stale_parameters(days, treatment)


def test_outputs_are_written_beside_the_report(tmp_path: Path) -> None:
    analysis = analyse(AZE, "2021-12-31", assume(n_draws=2000))
    written = write_outputs(analysis, tmp_path / "report")
    assert {p.name for p in written.values()} == {
        "report.results.csv",
        "report.inputs.csv",
        "report.retrospective.csv",
    }
    inputs = pd.read_csv(written["inputs"])
    assert inputs["reported_on"].tolist()[0].count("-") == 2  # dates as YYYY-MM-DD
    assert pd.read_csv(written["retrospective"]).empty  # nothing reported after 31 Dec 2021
