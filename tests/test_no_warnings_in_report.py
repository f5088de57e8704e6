"""No warning text in a report (issue 21): the cases that raised warnings or errors are mended:
a previous count of 0 ("rose by 2,718, or inf %") and a count of wounded in hospital of 0
(ZeroDivisionError in a cell)."""

from __future__ import annotations

import warnings

import pandas as pd

from casualty_report.model.analysis import analyse
from casualty_report.report import narrative, tables
from ledger_rows import assume, fig, ledger

ZERO_THEN_2718 = [
    fig("AZE", "military_killed", 0, on="2020-11-20"),
    fig("AZE", "military_killed", 2718, on="2020-12-03"),
    fig("AZE", "military_wounded_hospitalised", 0, on="2020-12-03"),
    fig("ARM", "military_killed", 2425, on="2020-12-03"),
]


def test_zero_counts_give_words_not_inf_or_an_error() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the test
        result = analyse(ledger(*ZERO_THEN_2718), "2020-12-03", assume(n_draws=2000))
        reconciliation = narrative.reconciliation(result)
        findings = narrative.key_findings(result, reconciliation, 0.9).html
        counts = narrative.counts_section(result, reconciliation).html
        used = tables.figures_in_use(result).html
    assert "rose from 0 to 2,718 in the 13 days to 3 December 2020" in findings
    assert "up from 0 to\n2,718 in the 13 days before" in counts
    assert "inf" not in findings + counts
    aze = result.counts.set_index("party").loc["AZE"]
    assert aze["rise"] == 2718 and pd.isna(aze["rise_pct"])
    assert "open: rose from 0 to 2,718" in narrative.count_statement(aze.to_dict())
    ratio = result.results["quantity"] == "confirmed_killed_per_hospitalised_wounded"
    assert result.results[ratio].empty, "a ratio to a count of 0 was computed"
    assert "no killed per wounded ratio: the count of wounded can be 0" in used


def test_a_positive_count_of_wounded_still_gives_its_ratio() -> None:
    rows = [fig("AZE", "military_killed", 2783), fig("AZE", "military_wounded_hospitalised", 1245)]
    result = analyse(ledger(*rows), "2020-12-03", assume(n_draws=2000))
    ratio = result.results[
        result.results["quantity"] == "confirmed_killed_per_hospitalised_wounded"
    ]
    assert ratio["best"].tolist() == [2783 / 1245]
    assert "no killed per wounded ratio" not in tables.figures_in_use(result).html
