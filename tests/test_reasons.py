"""Tests of the assumptions' reasons: evidence computed from the ledger, or a judgement."""

from __future__ import annotations

from casualty_report.model.analysis import analyse
from casualty_report.report.reasons import assumption_reasons
from ledger_rows import assume, fig, ledger

LEDGER = ledger(
    fig("AZE", "military_killed", 2783, on="2020-12-03", basis="list_of_dead"),
    fig("AZE", "military_missing", 100, "more_than", on="2020-12-03"),
    fig("AZE", "unidentified_bodies", 103, on="2020-12-03"),
    fig("AZE", "military_killed", 2881, on="2021-03-02", basis="list_of_dead"),
    fig("AZE", "military_missing", 28, on="2021-03-02"),
    fig("AZE", "unidentified_bodies", 5, on="2021-03-02"),
)


def by_name(reasons: list[dict]) -> dict[str, dict]:
    return {r["name"]: r for r in reasons}


def test_missing_share_and_bodies_cite_the_ledger_with_dates() -> None:
    # As of 2 March 2021 both figures are known; the evidence is how they moved up to then.
    reasons = by_name(assumption_reasons(analyse(LEDGER, "2021-03-02", assume())))
    share = reasons["missing_dead_share_best"]
    assert share["kind"] == "evidence"
    # 2881 − 2783 = 98, between 3 December 2020 and 2 March 2021
    assert (
        "Azerbaijan's missing fell from more than 100 (3 December 2020) to 28 (2 March 2021)"
        " while its killed count rose by 98" in share["reason"]
    )
    bodies = reasons["unidentified_counted_prob"]
    assert bodies["kind"] == "evidence"
    assert (
        "Azerbaijan had 103 bodies awaiting identification (3 December 2020), then 5"
        " (2 March 2021); over the same days its killed count rose by 98" in bodies["reason"]
    )
    assert reasons["overlap_best"]["kind"] == "judgement"
    assert reasons["seed"]["value"] == 1 and reasons["seed"]["meaning"]


def test_without_earlier_figures_every_reason_is_a_judgement() -> None:
    first_day = LEDGER[LEDGER["reported_on"] == "2020-12-03"]
    reasons = assumption_reasons(analyse(first_day, "2020-12-03", assume()))
    # No evidence: every reason a judgement, but for the readings of qualifiers no figure in use
    # carries (the three figures are exact, exact and "more than 100"): at least, about, up to.
    assert {r["kind"] for r in reasons} == {"judgement", "unused"}
    unused = [r["name"] for r in reasons if r["kind"] == "unused"]
    assert unused == ["at_least_high_factor", "about_relative_width", "up_to_low_factor"]
    assert by_name(reasons)["at_least_high_factor"]["unused"] == (
        "No figure the model read on 3 December 2020 was qualified “at least N”."
    )


def test_figures_reported_after_as_of_are_never_used() -> None:
    # The ledger holds 2 March 2021, but a report as of 3 December 2020 must not lean on it.
    reasons = assumption_reasons(analyse(LEDGER, "2020-12-03", assume()))
    assert {r["kind"] for r in reasons} == {"judgement", "unused"}  # no evidence: see above
    assert not any("2021" in r["reason"] for r in reasons)


def test_a_change_of_basis_gives_both_figures_and_no_rise() -> None:
    other = LEDGER.copy()
    other.loc[other["figure_id"] == "aze-military-killed-20210302", "basis"] = "identified"
    reason = by_name(assumption_reasons(analyse(other, "2021-03-02", assume())))[
        "missing_dead_share_best"
    ]
    assert (
        "went from 2,783 (3 December 2020), basis list of dead, to 2,881 (2 March 2021), basis"
        " identified: counts of different bases, so no rise is computed" in reason["reason"]
    )
    assert "rose by" not in reason["reason"]


def test_extra_parameters_carry_their_own_reasons() -> None:
    reasons = by_name(
        assumption_reasons(analyse(LEDGER, "2020-12-03", assume()), stale_after_days=30)
    )
    assert reasons["stale_after_days"]["value"] == 30
    assert reasons["stale_after_days"]["kind"] == "judgement"
