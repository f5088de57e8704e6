"""Tests of reconciling a source's own total with the figures in use, worked by hand."""

from __future__ import annotations

from casualty_report.ledger.figures import select_as_of
from casualty_report.model.reconcile import reconcile
from ledger_rows import fig, ledger

BBC = "https://www.bbc.com/news/world-europe-55174211"
AP = "https://apnews.com/example"


def with_source(row: dict, url: str, by: str) -> dict:
    return {**row, "source_url": url, "reported_by": by}


LEDGER = ledger(
    with_source(fig("ARM", "military_killed", 2425, on="2020-11-18"), BBC, "Government of Armenia"),
    with_source(fig("AZE", "military_killed", 2783), BBC, "Azerbaijan Ministry of Defence"),
    with_source(fig("BOTH", "military_killed", 5000, "more_than"), BBC, "BBC News"),
    with_source(
        fig("ARM", "military_killed", 2718, "at_least", on="2020-12-02"), AP, "Armenia's ministry"
    ),
)


def test_the_bbc_sum_beside_the_counts_in_use() -> None:
    table = reconcile(select_as_of(LEDGER, "2020-12-03"), LEDGER).set_index("party")
    # The BBC summed 2,425 + 2,783 = 5,208; in use are 2,718 + 2,783 = 5,501.
    assert table["source_value"].sum() == 5208
    assert table["in_use_value"].sum() == 5501
    assert table.loc["ARM", "differs"] and not table.loc["AZE", "differs"]
    # What the source summed (18 November) is older than the count in use (2 December).
    assert str(table.loc["ARM", "source_reported_on"].date()) == "2020-11-18"
    assert str(table.loc["ARM", "in_use_reported_on"].date()) == "2020-12-02"
    assert table.loc["ARM", "in_use_reported_by"] == "Armenia's ministry"


def test_no_combined_figure_gives_no_rows() -> None:
    parties_only = LEDGER[LEDGER["party"] != "BOTH"]
    assert reconcile(select_as_of(parties_only, "2020-12-03"), parties_only).empty


def test_the_same_count_from_another_source_is_not_a_difference() -> None:
    wire = {
        **fig("AZE", "military_killed", 2783, slug="trend"),
        "source_url": "https://example.org/trend",
        "reported_by": "Trend",
        "source_kind": "wire",
    }
    both = ledger(
        *LEDGER.assign(reported_on=LEDGER["reported_on"].astype(str)).to_dict("records"), wire
    )
    table = reconcile(select_as_of(both, "2020-12-03"), both).set_index("party")
    # Trend's 2,783 outranks the BBC's copy as the row in use; the value is the same.
    assert table.loc["AZE", "in_use_figure_id"] == "aze-military-killed-20201203-trend"
    assert not table.loc["AZE", "differs"]
    assert table.loc["AZE", "source_value"] == table.loc["AZE", "in_use_value"] == 2783
    assert table.loc["AZE", "in_use_reported_by"] == "Trend"
