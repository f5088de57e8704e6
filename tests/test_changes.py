"""What changed between two as-of dates, on the BBC rows plus a test-only revision.

The BBC rows are a fixture (the ledger now holds the later history, which would move the dates)."""

from __future__ import annotations

import pandas as pd

from casualty_report import paths
from casualty_report.ledger.figures import load_figures
from casualty_report.model.changes import what_changed
from ledger_rows import fig, ledger

BBC_ROWS = paths.ROOT / "tests" / "fixtures" / "bbc_rows_2020-12-03.csv"


def with_revision() -> pd.DataFrame:
    figures = load_figures(BBC_ROWS)
    revision = figures[figures["figure_id"] == "aze-military-killed-20201203"].copy()
    revision["figure_id"] = "aze-military-killed-20210110"
    revision["value"] = 2823  # hypothetical revision, for the test only
    revision["reported_on"] = pd.Timestamp("2021-01-10")
    revision.index = [figures.index.max() + 1]
    return pd.concat([figures, revision])


def test_a_revision_is_listed_with_its_change() -> None:
    since, changed = what_changed(with_revision(), "2021-02-01")
    assert since == pd.Timestamp("2021-01-09")  # the day before the latest report in use
    row = changed.set_index(["party", "metric"]).loc[("AZE", "military_killed")]
    assert (row["status"], row["value_before"], row["value_now"], row["change"]) == (
        "revised",
        2783,
        2823,
        40,  # 2,823 - 2,783
    )
    assert len(changed) == 1  # nothing else moved after 9 January 2021


def test_before_the_revision_nothing_is_revised_and_new_reports_are_listed() -> None:
    since, changed = what_changed(with_revision(), "2020-12-03", compare_to="2020-11-30")
    assert since == pd.Timestamp("2020-11-30")
    assert "revised" not in set(changed["status"])
    new = changed[changed["status"] == "new"].set_index(["party", "metric"])
    assert new.loc[("AZE", "military_killed"), "value_now"] == 2783
    assert ("ARM", "military_killed") not in new.index  # reported 18 November, before


def test_each_kind_of_change_is_told_apart() -> None:
    figures = ledger(
        fig("ARM", "military_killed", 100, on="2030-01-01", basis="bodies_examined"),
        fig("ARM", "military_killed", 120, on="2030-01-05", basis="bodies_examined"),
        fig("AZE", "military_killed", 80, on="2030-01-01"),
        fig("AZE", "military_killed", 70, on="2030-01-05"),
        fig("GEO", "military_killed", 50, on="2030-01-01"),
        fig("GEO", "military_killed", 50, on="2030-01-05"),
        fig("RUS", "military_killed", 64, on="2030-01-01", basis="list_of_dead"),
        fig("RUS", "military_killed", 67, on="2030-01-05", basis="criminal_case"),
    )
    _, changed = what_changed(figures, "2030-01-05", "2030-01-01")
    by = changed.set_index("party")
    # 120 - 100 = 20 up; 70 - 80 = 10 down; 50 again is a restatement; 64 then 67 are of
    # different bases, so no change is computed between them.
    assert (by.loc["ARM", "kind"], by.loc["ARM", "change"]) == ("rose", 20)
    assert (by.loc["AZE", "kind"], by.loc["AZE", "change"]) == ("fell", -10)
    assert (by.loc["GEO", "kind"], by.loc["GEO", "change"]) == ("restated", 0)
    assert by.loc["RUS", "kind"] == "other_basis" and pd.isna(by.loc["RUS", "change"])
