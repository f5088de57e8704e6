"""Tests of reconciling a source's own total with the figures in use, worked by hand."""

from __future__ import annotations

from casualty_report.figures import select_as_of
from casualty_report.reconcile import reconcile
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
    assert table.loc["ARM", "reason"] == (
        "the source summed the count of 18 November 2020; a later count, of 2 December 2020"
        " (Armenia's ministry), is in use"
    )


def test_no_combined_figure_gives_no_rows() -> None:
    parties_only = LEDGER[LEDGER["party"] != "BOTH"]
    assert reconcile(select_as_of(parties_only, "2020-12-03"), parties_only).empty
