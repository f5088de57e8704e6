"""Tests of open and final counts and their recent rise, with values worked out by hand."""

from __future__ import annotations

import math

import pytest

from casualty_report.ledger.figures import select_as_of
from casualty_report.model.counts import count_status, daily
from casualty_report.report.narrative import count_statement
from ledger_rows import fig, ledger

ARM_SERIES = ledger(
    fig("ARM", "military_killed", 2317, on="2020-11-14", basis="bodies_examined"),
    fig("ARM", "military_killed", 2425, on="2020-11-18", basis="bodies_examined"),
    fig("ARM", "military_killed", 2718, "at_least", on="2020-12-02", basis="bodies_examined"),
    fig("AZE", "military_killed", 2783, on="2020-12-03", basis="list_of_dead"),
    fig("AZE", "military_killed", 2881, on="2021-03-02", basis="identified"),
    fig("ARM", "military_killed", 3755, on="2025-11-20", basis="not_stated", status="final"),
)


def counts_as_of(as_of: str):
    return count_status(select_as_of(ARM_SERIES, as_of), daily(ARM_SERIES), as_of).set_index(
        "party"
    )


def test_an_open_count_states_its_rise_from_the_previous_figure_of_the_same_basis() -> None:
    arm = counts_as_of("2020-12-03").loc["ARM"]
    # 2,718 on 2 December against 2,425 on 18 November: 2718 − 2425 = 293;
    # 293 / 2425 = 12.08 %; 18 November → 2 December = 14 days
    assert arm["count_status"] == "open"
    assert arm["rise"] == 293
    assert arm["rise_pct"] == pytest.approx(100 * 293 / 2425)
    assert arm["days"] == 14
    assert count_statement(arm) == "open: rose by 293, or 12 %, in the 14 days to 2 December 2020"


def test_a_first_report_is_open_without_a_rise() -> None:
    aze = counts_as_of("2020-12-03").loc["AZE"]
    assert aze["count_status"] == "open" and math.isnan(aze["previous_value"])
    assert count_statement(aze) == "open: a first report, not yet revised"


def test_a_change_of_basis_gives_no_rise() -> None:
    aze = counts_as_of("2021-03-02").loc["AZE"]
    # 2,881 identified (2 March 2021) after 2,783 on the list of the dead: different things
    assert aze["previous_value"] == 2783 and not aze["same_basis"]
    assert math.isnan(aze["rise"]) and math.isnan(aze["rise_pct"])
    assert "counted something else" in count_statement(aze)


def test_a_count_marked_final_is_final() -> None:
    arm = counts_as_of("2025-12-31").loc["ARM"]
    assert arm["count_status"] == "final" and arm["value"] == 3755
    assert count_statement(arm).startswith("final")


def test_empty_cells_read_open_and_not_stated() -> None:
    blank = ARM_SERIES.assign(basis="", count_status="")
    counts = count_status(select_as_of(blank, "2020-12-03"), daily(blank), "2020-12-03")
    counts = counts.set_index("party")
    assert (counts["count_status"] == "open").all()
    assert (counts["basis"] == "not_stated").all()
    assert counts.loc["ARM", "rise"] == 293  # 2718 − 2425, both of the same (unstated) basis


def test_on_a_day_with_two_sources_the_previous_figure_is_the_one_selection_takes() -> None:
    two = ledger(
        {**fig("ARM", "military_killed", 2425, on="2020-11-18"), "source_kind": "official"},
        {
            **fig("ARM", "military_killed", 2400, on="2020-11-18", slug="x"),
            "source_kind": "news",
            "reported_by": "Source X",  # another reporter: the same reporter's would be a series
        },
        fig("ARM", "military_killed", 2718, "at_least", on="2020-12-02"),
    )
    arm = count_status(select_as_of(two, "2020-12-03"), daily(two), "2020-12-03").iloc[0]
    # The official 2,425 outranks the later news line's 2,400: rise 2718 − 2425 = 293.
    assert arm["previous_value"] == 2425 and arm["rise"] == 293


def test_an_unchanged_count_a_day_later_says_so() -> None:
    two = ledger(
        fig("AZE", "military_killed", 2907, on="2021-09-27"),
        fig("AZE", "military_killed", 2907, on="2021-09-28"),
    )
    aze = count_status(select_as_of(two, "2021-12-31"), daily(two), "2021-12-31").iloc[0]
    assert aze["rise"] == 0 and aze["days"] == 1
    assert count_statement(aze) == "open: unchanged in the day to 28 September 2021"


def test_a_previous_figure_that_did_not_say_how_it_was_counted_gives_no_rise() -> None:
    # Armenia's 2,718 of 2 December 2020, whose basis no source states, then 2,996 bodies
    # examined on 11 December: unknown, not known to differ, and no rise between them.
    series = ledger(
        fig("ARM", "military_killed", 2718, "at_least", on="2020-12-02", basis="not_stated"),
        fig("ARM", "military_killed", 2996, on="2020-12-11", basis="bodies_examined"),
    )
    arm = count_status(select_as_of(series, "2020-12-12"), daily(series), "2020-12-12")
    arm = arm.set_index("party").loc["ARM"]
    assert arm["previous_value"] == 2718 and not arm["same_basis"]
    assert count_statement(arm) == (
        "open: the previous figure (2 December 2020) did not say how it was counted (this one:"
        " bodies examined), so no rise is given"
    )
    assert math.isnan(arm["rise"])
