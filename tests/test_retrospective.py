"""Tests of the retrospective check against figures reported after as_of, worked by hand."""

from __future__ import annotations

import math

from casualty_report.model.analysis import analyse
from ledger_rows import assume, fig, ledger

LEDGER = ledger(
    # As of 3 December 2020. Armenia: "at least 2,718", an open count read as its floor: 2718.
    fig("ARM", "military_killed", 2718, "at_least", on="2020-12-02", basis="bodies_examined"),
    # Azerbaijan: toll 2783 .. 2783 + 103 + 150 = 3036 (see test_model).
    fig("AZE", "military_killed", 2783, on="2020-12-03", basis="list_of_dead"),
    fig("AZE", "military_missing", 100, "more_than", on="2020-12-03"),
    fig("AZE", "unidentified_bodies", 103, on="2020-12-03"),
    # Later figures.
    fig("ARM", "military_killed", 3000, on="2021-01-10", basis="bodies_examined"),
    fig("ARM", "military_killed", 3755, on="2025-11-20", basis="death_certificates"),
    fig("AZE", "military_killed", 2900, on="2022-01-01", basis="list_of_dead"),
)


def test_one_party_covered_and_one_not() -> None:
    retro = analyse(LEDGER, "2020-12-03", assume(n_draws=2000)).retrospective.set_index("party")
    arm, aze = retro.loc["ARM"], retro.loc["AZE"]
    # Armenia: the latest later figure of the same basis is 3,000 (not 3,755, which counts death
    # certificates); the open count's low and high are both 2,718: off by 3000 − 2718 = 282.
    assert arm["latest_value"] == 3000 and arm["same_basis"]
    assert (arm["asof_low"], arm["asof_high"]) == (2718, 2718)
    assert not arm["covered"] and arm["off_by"] == 282
    assert arm["count_status"] == "open"
    # Azerbaijan: 2783 <= 2,900 <= 3036: covered, off by 0.
    assert aze["latest_value"] == 2900 and aze["same_basis"]
    assert aze["covered"] and aze["off_by"] == 0
    assert aze["asof_confirmed"] == 2783 and aze["count_status"] == "open"
    assert aze["asof_interval_low"] <= aze["asof_best"] <= aze["asof_interval_high"]
    # Scenario centres: in the count 2783 .. 2933, not in it 2886 .. 3036 (see test_model).
    assert 2783 <= aze["asof_best_unidentified_in_count"] <= 2933
    assert 2886 <= aze["asof_best_unidentified_not_in_count"] <= 3036
    assert math.isnan(arm["asof_best_unidentified_in_count"])  # no bodies: no scenarios


def test_without_a_later_figure_of_the_same_basis_another_basis_is_flagged() -> None:
    later_other = LEDGER[LEDGER["figure_id"] != "arm-military-killed-20210110"]
    arm = analyse(later_other, "2020-12-03", assume(n_draws=2000)).retrospective
    arm = arm.set_index("party").loc["ARM"]
    # Only 3,755 (death certificates) is later: used, but flagged as counting something else.
    assert arm["latest_value"] == 3755 and not arm["same_basis"]
    assert arm["latest_basis"] == "death_certificates" and arm["asof_basis"] == "bodies_examined"
    assert not arm["covered"] and arm["off_by"] == 3755 - 2718  # 1037


def test_nothing_later_gives_no_rows() -> None:
    retro = analyse(LEDGER, "2025-12-31", assume(n_draws=2000)).retrospective
    assert retro.empty and "covered" in retro.columns


def test_steps_list_each_partys_official_count_over_time() -> None:
    steps = analyse(LEDGER, "2020-12-03", assume(n_draws=2000)).steps
    arm = steps[steps["party"] == "ARM"]
    assert arm["value"].tolist() == [2718, 3000, 3755]
    assert arm["basis"].tolist() == ["bodies_examined", "bodies_examined", "death_certificates"]
