"""Tests of select_as_of: which row is chosen when several sources report on one day, what the
chosen row says about corroboration, disagreement and the previous figure, and that counts may
fall. Expected values are read by hand from the fixtures (tests/fixtures/*.csv)."""

from __future__ import annotations

import pandas as pd
import pytest

from casualty_report import paths
from casualty_report.ledger.figures import history, load_figures, select_as_of
from casualty_report.report.formatting import disagreement_words
from ledger_rows import fig, ledger

FIXTURES = paths.ROOT / "tests" / "fixtures"


@pytest.fixture(scope="module")
def same_day() -> pd.DataFrame:
    return load_figures(FIXTURES / "same_day_sources.csv")


@pytest.fixture(scope="module")
def missing() -> pd.DataFrame:
    return load_figures(FIXTURES / "aze_missing_series.csv")


def chosen(table: pd.DataFrame, party: str, metric: str) -> pd.Series:
    """The only selected row of ``table`` for party and metric."""
    found = table[(table["party"] == party) & (table["metric"] == metric)]
    assert len(found) == 1, found
    return found.iloc[0]


def test_official_source_wins_the_day_and_others_corroborate_or_disagree(same_day) -> None:
    # 2 December 2020: line 3 AP (wire) 2,718; line 4 ministry (official) 2,718; line 5 Source X
    # (news) 2,700; line 6 Aggregator Y 2,718. Official ranks first, although AP is earlier in
    # the file and Aggregator Y later.
    row = chosen(select_as_of(same_day, "2020-12-02"), "ARM", "military_killed")
    assert (row.name, row["value"], row["source_kind"]) == (4, 2718, "official")
    assert row["corroborated_by"] == "AP; Aggregator Y"  # same value, in file order
    assert disagreement_words(row["disagreement"]) == "2,700 (Source X)"
    # The previous figure: 2,425 of 18 November, the same basis.
    assert row["previous_value"] == 2425
    assert row["previous_reported_on"] == pd.Timestamp("2020-11-18")
    assert row["previous_figure_id"] == "arm-military-killed-20201118"
    assert (row["previous_basis"], row["basis_changed"]) == ("bodies_examined", False)


def test_same_kind_on_one_day_goes_to_the_later_line(same_day) -> None:
    # 3 December 2020: Source A (news, line 9) 2,783 and Source B (news, line 10) 2,790.
    row = chosen(select_as_of(same_day, "2020-12-03"), "AZE", "military_killed")
    assert (row.name, row["value"]) == (10, 2790)
    assert row["corroborated_by"] == ""
    assert disagreement_words(row["disagreement"]) == "2,783 (Source A)"


def test_a_change_of_basis_is_flagged_not_chained_silently(same_day) -> None:
    # 2 March 2021: 3,825 by death certificates, after 2,718 bodies examined (2 December).
    row = chosen(select_as_of(same_day, "2021-03-02"), "ARM", "military_killed")
    assert (row["value"], row["basis"]) == (3825, "death_certificates")
    assert (row["previous_value"], row["previous_basis"]) == (2718, "bodies_examined")
    assert bool(row["basis_changed"]) is True
    assert (row["corroborated_by"], disagreement_words(row["disagreement"])) == ("", "")


def test_military_and_civilian_total_is_never_military_killed(same_day) -> None:
    # 1 August 2021: 3,900 soldiers and civilians together; soldiers alone stay at 3,825.
    as_of = select_as_of(same_day, "2021-09-01")
    assert chosen(as_of, "ARM", "military_killed")["value"] == 3825
    total = chosen(as_of, "ARM", "military_and_civilian_killed")
    assert total["value"] == 3900 and total["previous_figure_id"] == ""
    assert pd.isna(total["previous_value"]) and pd.isna(total["previous_reported_on"])
    assert bool(total["basis_changed"]) is False  # no previous figure: nothing changed


def test_first_figure_has_no_previous(same_day) -> None:
    row = chosen(select_as_of(same_day, "2020-11-30"), "ARM", "military_killed")
    assert row["value"] == 2425 and row["previous_figure_id"] == "" and row["previous_basis"] == ""


# Azerbaijan's missing: more than 100, up to 40, more than 30, 64, 50, 28 (issue 8). Falling and
# rising counts are data: each loads and is selected as reported, with the one before it.
SERIES = [
    ("2020-12-03", 100, "more_than"),
    ("2021-01-15", 40, "up_to"),
    ("2021-03-10", 30, "more_than"),
    ("2021-06-01", 64, "exact"),
    ("2022-03-01", 50, "exact"),
    ("2024-09-01", 28, "exact"),
]


def test_a_falling_series_loads_and_is_selected_as_reported(missing) -> None:
    timeline = history(missing, "AZE", "military_missing")
    assert list(timeline["value"]) == [100, 40, 30, 64, 50, 28]
    for position, (day, value, qualifier) in enumerate(SERIES):
        row = chosen(select_as_of(missing, day), "AZE", "military_missing")
        assert (row["value"], row["qualifier"]) == (value, qualifier), day
        if position:
            assert row["previous_value"] == SERIES[position - 1][1], day
            assert row["previous_reported_on"] == pd.Timestamp(SERIES[position - 1][0]), day
        # Only the 13 contract columns are in the file: the defaults are filled.
        assert (row["basis"], row["source_kind"], row["count_status"]) == ("not_stated", "news", "")
        assert bool(row["basis_changed"]) is False  # not_stated throughout
    # The day before the fourth report, the third (more than 30) is in force.
    assert chosen(select_as_of(missing, "2021-05-31"), "AZE", "military_missing")["value"] == 30


def test_bbc_rows_alone_give_the_article_sum() -> None:
    # "Armenia said last month it had counted 2,425 dead soldiers"; Azerbaijan: "2,783 soldiers
    # killed". 2,425 + 2,783 = 5,208, the sum behind the BBC's "over 5,000".
    figures = load_figures()
    bbc = figures[figures["source_url"] == "https://www.bbc.com/news/world-europe-55174211"]
    as_of = select_as_of(bbc, "2020-12-03")
    killed = as_of[as_of["metric"] == "military_killed"].set_index("party")["value"]
    assert killed["ARM"] + killed["AZE"] == 5208
    basis = as_of[as_of["metric"] == "military_killed"].set_index("party")["basis"]
    assert (basis["ARM"], basis["AZE"], basis["BOTH"]) == (
        "bodies_examined",
        "not_stated",
        "secondary_sum",
    )


def test_selection_of_nothing_is_empty(same_day) -> None:
    assert select_as_of(same_day, "2000-01-01").empty


def test_a_blank_source_kind_ranks_as_news_in_the_selection_and_the_daily_rows() -> None:
    # A table made in code may leave source_kind blank; the loader would fill it as "news",
    # which ranks above an aggregator. The selection and counts.daily must choose alike.
    from casualty_report.model.counts import daily
    from ledger_rows import fig, ledger

    table = ledger(
        fig("ARM", "military_missing", 80, on="2020-12-03", slug="a"),
        fig("ARM", "military_missing", 90, on="2020-12-03", slug="b"),
    )
    table["reported_by"] = ["Source A", "Source B"]  # two sources, not one reporter's series
    for kinds in (["", "aggregator"], pd.Categorical(["wire", "aggregator"])):
        # (a categorical column once ranked by the kinds' names: aggregator before wire)
        table["source_kind"] = kinds
        assert select_as_of(table, "2020-12-03")["value"].tolist() == [80], kinds
        assert daily(table)["value"].tolist() == [80], kinds


def test_a_copy_of_the_same_figure_that_places_its_bodies_answers_for_the_one_in_use() -> None:
    # Three copies of one ministry's 103 on one day; the one chosen (the later line, of the same
    # kind) says nothing of where the bodies are, a copy says "103 of them": inside the count.
    def copies(*answers: str) -> pd.DataFrame:
        rows = [
            {**fig("AZE", "unidentified_bodies", 103, slug=f"s{i}"), "in_killed_count": answer}
            for i, answer in enumerate(answers)
        ]
        return ledger(fig("AZE", "military_killed", 2783), *rows)

    def chosen(figures: pd.DataFrame) -> str:
        selected = select_as_of(figures, "2020-12-03").set_index("metric")
        return selected.loc["unidentified_bodies", "in_killed_count"]

    assert chosen(copies("", "yes", "")) == "yes"
    assert chosen(copies("", "", "")) == ""
    assert chosen(copies("no", "yes", "")) == ""  # the copies disagree: left open
    assert chosen(copies("yes", "", "no")) == "no"  # the chosen copy's own answer stands
