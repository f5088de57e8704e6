"""Tests of casualty_report.uncertainty and .assumptions on selections built by hand.

Expected values are worked out from the BBC article of 3 December 2020 (Armenia 2,425 dead
soldiers; Azerbaijan 2,783 killed 27 Sep–10 Nov, more than 100 missing, 103 bodies awaiting DNA
identification, 1,245 wounded in hospital; at least 143 civilians on both sides; "over 5,000"
soldiers in all) and written as arithmetic, never pasted from the code's output.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from casualty_report.assumptions import JUSTIFICATIONS, LABELS, Assumptions
from casualty_report.uncertainty import (
    QUANTITIES,
    RESULT_COLUMNS,
    analyse,
    draw_quantiles,
    model_inputs,
    quantiles,
    read_figure,
    sensitivity,
    simulate,
    write_results,
)
from conftest import EXPECTED_RESULT_COLUMNS

# --- Helpers -----------------------------------------------------------------------------------


def fig(
    party: str,
    metric: str,
    value: int,
    qualifier: str = "exact",
    *,
    value_high: int | None = None,
    period: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """One selected figure, as `figures.select_as_of` returns it (the columns the model reads)."""
    return {
        "figure_id": f"{party.lower()}-{metric.replace('_', '-')}",
        "party": party,
        "metric": metric,
        "value": value,
        "value_high": value_high,
        "qualifier": qualifier,
        "period_start": period[0] if period else None,
        "period_end": period[1] if period else None,
        "reported_on": "2020-12-03",
    }


def selection(*rows: dict[str, Any]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    frame["value"] = frame["value"].astype("int64")
    frame["value_high"] = frame["value_high"].astype("Int64")
    for column in ("period_start", "period_end", "reported_on"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


WAR = ("2020-09-27", "2020-11-10")
ARM_KILLED = fig("ARM", "military_killed", 2425)
AZE_KILLED = fig("AZE", "military_killed", 2783, period=WAR)
AZE_MISSING = fig("AZE", "military_missing", 100, "more_than")
AZE_BODIES = fig("AZE", "unidentified_bodies", 103)
AZE_WOUNDED = fig("AZE", "military_wounded_hospitalised", 1245)
BOTH_KILLED = fig("BOTH", "military_killed", 5000, "more_than")
BOTH_CIVILIANS = fig("BOTH", "civilians_killed", 143, "at_least")
DISPLACED = fig("BOTH", "civilians_displaced", 10000, "range", value_high=99999)  # context only

ARTICLE = selection(
    ARM_KILLED,
    AZE_KILLED,
    AZE_MISSING,
    AZE_BODIES,
    AZE_WOUNDED,
    BOTH_KILLED,
    BOTH_CIVILIANS,
    DISPLACED,
)

# The assumptions every test starts from (chosen here; the report's defaults live in the notebook).
BASE = dict(
    more_than_high_factor=1.5,
    at_least_high_factor=1.5,
    about_relative_width=0.1,
    up_to_low_factor=0.5,
    missing_dead_share_low=0.5,
    missing_dead_share_best=0.8,
    missing_dead_share_high=1.0,
    unidentified_counted_prob=0.5,
    overlap_low=0.0,
    overlap_best=0.5,
    overlap_high=1.0,
    interval=0.9,
    n_draws=20_000,
    seed=1,
)


def assume(**changes: Any) -> Assumptions:
    return Assumptions(**{**BASE, **changes})


def row(results: pd.DataFrame, quantity: str, party: str) -> pd.Series:
    found = results[(results["quantity"] == quantity) & (results["party"] == party)]
    assert len(found) == 1, f"expected one row for {quantity} {party}, got {len(found)}"
    return found.iloc[0]


@pytest.fixture(scope="module")
def article() -> pd.DataFrame:
    return analyse(ARTICLE, assume()).results


# --- Confirmed counts and proportions ----------------------------------------------------------


def test_confirmed_total_is_the_sum_of_the_parties(article: pd.DataFrame) -> None:
    total = row(article, "military_deaths_confirmed", "ALL")
    # 2425 + 2783 = 5208; the BBC's "over 5,000" is not added (it would give 10,209 or more).
    assert total["low"] == total["best"] == total["high"] == 5208


def test_shares_of_confirmed_deaths(article: pd.DataFrame) -> None:
    # 2783 / 5208 = 0.53437… → 53.4 %; 2425 / 5208 = 0.46563… → 46.6 %
    assert round(row(article, "share_of_military_deaths_confirmed", "AZE")["best"], 1) == 53.4
    assert round(row(article, "share_of_military_deaths_confirmed", "ARM")["best"], 1) == 46.6
    assert row(article, "share_of_military_deaths_confirmed", "AZE")["unit"] == "percent"


def test_shares_of_possible_toll_bounds(article: pd.DataFrame) -> None:
    arm = row(article, "share_of_military_deaths", "ARM")
    # lowest when Azerbaijan's toll is highest: 2425 / (2425 + 3036) = 0.44406…
    assert arm["low"] == pytest.approx(100 * 2425 / 5461)
    # highest when nothing is added to Azerbaijan's count: 2425 / 5208 = 0.46563…
    assert arm["high"] == pytest.approx(100 * 2425 / 5208)


def test_deaths_per_day_over_the_war_period(article: pd.DataFrame) -> None:
    # 27 Sep–10 Nov inclusive: 4 (27–30 Sep) + 31 (Oct) + 10 (1–10 Nov) = 45 days
    # 5208 / 45 = 115.73…
    per_day = row(article, "military_deaths_confirmed_per_day", "ALL")
    assert round(per_day["best"], 1) == 115.7
    assert "45 days" in per_day["note"]
    # The possible toll per day at its high end: 5461 / 45 = 121.36…
    assert row(article, "military_deaths_per_day", "ALL")["high"] == pytest.approx(5461 / 45)


def test_period_arguments_override_the_data() -> None:
    results = analyse(ARTICLE, assume(), period_start="2020-09-27", period_end="2020-11-09").results
    # 27 Sep–9 Nov inclusive = 44 days: 5208 / 44 = 118.36…
    assert row(results, "military_deaths_confirmed_per_day", "ALL")["best"] == pytest.approx(
        5208 / 44
    )


def test_no_period_gives_nan_rates_with_a_note() -> None:
    undated = selection(ARM_KILLED, fig("AZE", "military_killed", 2783))
    per_day = row(analyse(undated, assume()).results, "military_deaths_confirmed_per_day", "ALL")
    assert math.isnan(per_day["best"]) and math.isnan(per_day["low"])
    assert "period_start" in per_day["note"]


def test_killed_per_hospitalised_wounded(article: pd.DataFrame) -> None:
    ratio = row(article, "confirmed_killed_per_hospitalised_wounded", "AZE")
    # 2783 / 1245 = 2.2353…
    assert round(ratio["best"], 3) == 2.235
    assert "hospital" in ratio["note"] and "not all wounded" in ratio["note"]
    assert not (
        article["quantity"].eq("confirmed_killed_per_hospitalised_wounded")
        & article["party"].eq("ARM")
    ).any()  # Armenia gives no wounded figure


def test_civilians_share_of_deaths(article: pd.DataFrame) -> None:
    share = row(article, "civilians_share_of_deaths_confirmed", "ALL")
    # 143 / (143 + 5208) = 143 / 5351 = 0.026724… → 2.67 %
    assert round(share["best"], 2) == 2.67
    # highest with "at least 143" read up to 143 × 1.5 = 214.5: 214.5 / (214.5 + 5208) = 3.956 %
    assert share["high"] == pytest.approx(100 * 214.5 / 5422.5)


def test_missing_and_unidentified_as_shares_of_the_toll(article: pd.DataFrame) -> None:
    # At best: toll 2874.1 (see test_best_estimate_by_hand); 101 / 2874.1 and 103 / 2874.1
    assert row(article, "missing_share_of_military_deaths", "AZE")["best"] == pytest.approx(
        100 * 101 / 2874.1
    )
    assert row(article, "unidentified_share_of_military_deaths", "AZE")["best"] == pytest.approx(
        100 * 103 / 2874.1
    )
    # Missing share at its highest: 150 missing, toll at its lowest with them:
    # bodies counted, p = 0.5, overlap 1: 2783 + 0.5 × (150 − 103) = 2806.5 → 150 / 2806.5
    assert row(article, "missing_share_of_military_deaths", "AZE")["high"] == pytest.approx(
        100 * 150 / 2806.5
    )


# --- Bounds ------------------------------------------------------------------------------------


def test_low_best_high_ordered_and_interval_inside(article: pd.DataFrame) -> None:
    for r in article.itertuples():
        if math.isnan(r.best):
            continue
        assert r.low <= r.best <= r.high, r
        assert r.low <= r.interval_low <= r.interval_high <= r.high, r


def test_high_bound_by_hand(article: pd.DataFrame) -> None:
    # Bodies not counted (+103), "more than 100" read at 100 × 1.5 = 150, all missing dead,
    # no unidentified body among the missing: 2783 + 103 + 1.0 × max(150 − 0 × 103, 0)
    assert row(article, "military_deaths", "AZE")["high"] == 2783 + 103 + 150  # 3036
    assert row(article, "military_deaths", "ALL")["high"] == 2425 + 3036  # 5461
    assert row(article, "military_deaths_additional", "ALL")["high"] == 103 + 150  # 253


def test_low_bound_by_hand(article: pd.DataFrame) -> None:
    # Bodies counted (+0), 101 missing, half dead, every body one of the missing:
    # 2783 + 0.5 × max(101 − 1 × 103, 0) = 2783 + 0 = 2783
    assert row(article, "military_deaths", "AZE")["low"] == 2783
    assert row(article, "military_deaths", "ALL")["low"] == 5208
    # With at most half the bodies among the missing: 0.5 × max(101 − 0.5 × 103, 0) = 24.75
    results = analyse(ARTICLE, assume(overlap_high=0.5)).results
    assert row(results, "military_deaths", "AZE")["low"] == pytest.approx(2783 + 24.75)
    assert row(results, "military_deaths", "ALL")["low"] == pytest.approx(5208 + 24.75)


def test_best_estimate_by_hand(article: pd.DataFrame) -> None:
    # Modes and the expected c: 2783 + (1 − 0.5) × 103 + 0.8 × max(101 − 0.5 × 103, 0)
    # = 2783 + 51.5 + 0.8 × 49.5 = 2783 + 51.5 + 39.6 = 2874.1
    assert row(article, "military_deaths", "AZE")["best"] == pytest.approx(2874.1)
    assert row(article, "military_deaths", "ALL")["best"] == pytest.approx(2425 + 2874.1)


@pytest.mark.parametrize(
    ("prob", "aze"),
    [
        # c = 0, bodies additional: 2783 + 103 + 0.6 × (101 − 0.25 × 103) = 2783 + 103 + 45.15
        (0.0, 2931.15),
        # c = 1, bodies already counted: 2783 + 0.6 × (101 − 25.75) = 2783 + 45.15
        (1.0, 2828.15),
    ],
)
def test_certain_assumptions_collapse_the_bounds(prob: float, aze: float) -> None:
    # Factors at 1 and width 0: "more than 100" still reads 101 (counts are whole), not 100.
    certain = assume(
        more_than_high_factor=1.0,
        at_least_high_factor=1.0,
        about_relative_width=0.0,
        up_to_low_factor=1.0,
        missing_dead_share_low=0.6,
        missing_dead_share_best=0.6,
        missing_dead_share_high=0.6,
        overlap_low=0.25,
        overlap_best=0.25,
        overlap_high=0.25,
        unidentified_counted_prob=prob,
    )
    results = analyse(ARTICLE, certain).results
    for party, expected in (("AZE", aze), ("ALL", 2425 + aze)):
        r = row(results, "military_deaths", party)
        for column in ("low", "best", "high", "interval_low", "interval_high"):
            assert r[column] == pytest.approx(expected), (party, column)
    assert row(results, "military_missing", "AZE")["high"] == 101
    assert row(results, "civilians_killed", "ALL")["high"] == 143
    assert row(results, "military_deaths_reported_combined", "ALL")["best"] == 5001


def test_bounds_find_an_extreme_between_corners() -> None:
    # A party whose unidentified bodies outnumber its confirmed count: K = 10, U = 100, all
    # counted (c = 1), p = o = 1, missing "about 130" read 65 … 195 (width 0.5).
    # Toll = 10 + max(M − 100, 0): the missing share M / toll rises to 100 / 10 = 10 (1000 %)
    # at M = 100 and falls after; the corners give only 65 / 10 and 195 / 105.
    odd = selection(
        fig("XXX", "military_killed", 10),
        fig("XXX", "military_missing", 130, "about"),
        fig("XXX", "unidentified_bodies", 100),
    )
    results = analyse(
        odd,
        assume(
            about_relative_width=0.5,
            missing_dead_share_low=1.0,
            missing_dead_share_best=1.0,
            overlap_low=1.0,
            overlap_best=1.0,
            unidentified_counted_prob=1.0,
        ),
    ).results
    assert row(results, "missing_share_of_military_deaths", "XXX")["high"] == pytest.approx(1000)


def test_party_without_missing_or_unidentified_is_a_lower_bound(article: pd.DataFrame) -> None:
    arm = row(article, "military_deaths", "ARM")
    assert arm["low"] == arm["best"] == arm["high"] == 2425
    assert "lower bound" in arm["note"] and "do not quantify" in arm["note"]


def test_wounded_civilians_and_combined_figure_never_added() -> None:
    bare = selection(ARM_KILLED, AZE_KILLED, AZE_MISSING, AZE_BODIES)
    with_all = analyse(ARTICLE, assume()).results
    without = analyse(bare, assume()).results
    for column in ("low", "best", "high", "interval_low", "interval_high"):
        assert row(with_all, "military_deaths", "ALL")[column] == pytest.approx(
            row(without, "military_deaths", "ALL")[column]
        )
    assert "cross-check" in row(with_all, "military_deaths_reported_combined", "ALL")["note"]


def test_civilians_summed_from_parties_without_a_combined_row() -> None:
    parts = selection(
        ARM_KILLED,
        AZE_KILLED,
        fig("ARM", "civilians_killed", 50),
        fig("AZE", "civilians_killed", 93),
    )
    results = analyse(parts, assume()).results
    assert row(results, "civilians_killed", "ALL")["best"] == 50 + 93  # 143
    assert row(results, "civilians_killed", "ARM")["best"] == 50


# --- Readings ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "qualifier", "value_high", "expected"),
    [
        (2783, "exact", None, (2783, 2783, 2783)),
        (100, "more_than", None, (101, 101, 150)),  # 100 + 1; 100 × 1.5
        (143, "at_least", None, (143, 143, 214.5)),  # 143 × 1.5
        (1000, "about", None, (900, 1000, 1100)),  # 1000 × (1 ∓ 0.1)
        (200, "up_to", None, (100, 200, 200)),  # 200 × 0.5
        (10000, "range", 99999, (10000, 54999.5, 99999)),  # (10000 + 99999) / 2
    ],
)
def test_read_figure(
    value: int, qualifier: str, value_high: int | None, expected: tuple[float, float, float]
) -> None:
    assert read_figure(value, qualifier, assume(), value_high) == pytest.approx(expected)


def test_more_than_never_reads_below_n_plus_one() -> None:
    # 5000 × 1.0001 = 5000.5 < 5001: the high end stays at 5001
    assert read_figure(5000, "more_than", assume(more_than_high_factor=1.0001)) == (
        5001,
        5001,
        5001,
    )


def test_bad_figures_are_refused_with_the_figure_named() -> None:
    with pytest.raises(ValueError, match="arm-military-killed.*range"):
        analyse(selection(fig("ARM", "military_killed", 10, "range")), assume())
    with pytest.raises(ValueError, match="duplicates"):
        analyse(selection(ARM_KILLED, ARM_KILLED), assume())
    with pytest.raises(ValueError, match="military_killed"):
        analyse(selection(BOTH_CIVILIANS), assume())


# --- Monte Carlo -------------------------------------------------------------------------------


def test_same_seed_gives_identical_numbers() -> None:
    first, second = simulate(ARTICLE, assume()), simulate(ARTICLE, assume())
    assert first.keys() == second.keys()
    for key in first:
        np.testing.assert_array_equal(first[key], second[key])
    pd.testing.assert_frame_equal(
        analyse(ARTICLE, assume()).results, analyse(ARTICLE, assume()).results
    )


def test_another_seed_moves_intervals_within_the_documented_tolerance() -> None:
    # Tolerance from analyse's docstring: at 200,000 draws every endpoint within 1.5 % of the
    # quantity's low–high range, and the total's endpoints within 2 deaths.
    a = analyse(ARTICLE, assume(n_draws=200_000, seed=1)).results
    b = analyse(ARTICLE, assume(n_draws=200_000, seed=2)).results
    width = a["high"] - a["low"]
    varies = width > 0
    for column in ("interval_low", "interval_high"):
        moved = (a[column] - b[column]).abs()
        assert (moved[varies] <= 0.015 * width[varies]).all(), a.loc[varies, "quantity"]
        assert (moved[~varies] == 0).all()
    total_a, total_b = row(a, "military_deaths", "ALL"), row(b, "military_deaths", "ALL")
    assert abs(total_a["interval_low"] - total_b["interval_low"]) <= 2
    assert abs(total_a["interval_high"] - total_b["interval_high"]) <= 2
    assert (total_a["interval_low"], total_a["interval_high"]) != (
        total_b["interval_low"],
        total_b["interval_high"],
    )


def test_draws_follow_their_distributions() -> None:
    draws = simulate(ARTICLE, assume(n_draws=200_000))
    # triangular(101, 101, 150) has mean (101 + 101 + 150) / 3 = 117.33…, sd ≈ 11.6
    assert draws["AZE.military_missing"].mean() == pytest.approx(352 / 3, abs=0.2)
    assert draws["AZE.military_missing"].min() >= 101
    assert draws["AZE.military_missing"].max() <= 150
    # triangular(0.5, 0.8, 1.0): mean 2.3 / 3
    assert draws["AZE.missing_dead_share"].mean() == pytest.approx(2.3 / 3, abs=0.002)
    # Bernoulli(0.5)
    assert set(np.unique(draws["AZE.unidentified_counted"])) == {0.0, 1.0}
    assert draws["AZE.unidentified_counted"].mean() == pytest.approx(0.5, abs=0.005)


def test_draws_cover_the_model_and_are_read_only() -> None:
    draws = simulate(ARTICLE, assume(n_draws=1000))
    assert "ALL.military_deaths" in draws
    assert all(x.shape == (1000,) for x in draws.values())
    assert (draws["ARM.military_deaths"] == 2425).all()
    with pytest.raises(ValueError):
        draws["ALL.military_deaths"][0] = 0
    # toll = confirmed + (1 − c)·U + p·max(M − o·U, 0), draw by draw
    d = {k.split(".", 1)[1]: v for k, v in draws.items() if k.startswith("AZE.")}
    expected = (
        2783
        + (1 - d["unidentified_counted"]) * 103
        + d["missing_dead_share"] * np.maximum(d["military_missing"] - d["overlap"] * 103, 0)
    )
    np.testing.assert_allclose(draws["AZE.military_deaths"], expected)
    np.testing.assert_allclose(draws["ALL.military_deaths"], 2425 + expected)


def test_draw_quantiles_report_interval_and_median() -> None:
    # 0 … 100: 5th percentile 5, median 50, 95th percentile 95
    assert list(draw_quantiles(np.arange(101, dtype=float), 0.9)) == [5, 50, 95]


@pytest.mark.parametrize("n", [10, 99_999, 100_000, 1_000_003])
def test_quantiles_match_numpy_exactly(n: int) -> None:
    rng = np.random.default_rng(n)
    probs = [0.0, 0.05, 0.5, 0.95, 1.0]
    for x in (
        rng.random(n),
        np.round(rng.normal(size=n), 1),
        np.sort(rng.random(n)),
        (rng.random(n) < 0.5) * 103.0 + rng.random(n),
    ):
        np.testing.assert_array_equal(quantiles(x, probs), np.quantile(x, probs))
    with_nan = rng.random(n)
    with_nan[n // 2] = np.nan
    assert np.isnan(quantiles(with_nan, [0.5])).all()


# --- Sensitivity -------------------------------------------------------------------------------


def test_sensitivity_ranking_by_hand() -> None:
    table = sensitivity(ARTICLE, assume())
    # Swings of the total, others at best (p = 0.8, o = 0.5, c = 0.5, 101 missing):
    #   counted or not:  (1 − 0) × 103 − (1 − 1) × 103                      = 103
    #   overlap 0 → 1:   0.8 × (max(101 − 0, 0) − max(101 − 103, 0)) = 0.8 × 101 = 80.8
    #   more than 100:   0.8 × ((150 − 51.5) − (101 − 51.5))        = 0.8 × 49  = 39.2
    #   dead share:      (1.0 − 0.5) × (101 − 51.5)                 = 0.5 × 49.5 = 24.75
    #   at least 143:    civilians only, not in the military total   = 0
    assert table["assumption"].tolist() == [
        "unidentified_counted_prob",
        "overlap",
        "more_than_high_factor",
        "missing_dead_share",
        "at_least_high_factor",
    ]
    assert table["swing"].tolist() == pytest.approx([103, 80.8, 39.2, 24.75, 0])
    top = table.iloc[0]
    # c = 0 (not counted): 5299.1 + 0.5 × 103 = 5350.6; c = 1: 5299.1 − 51.5 = 5247.6
    assert (top["total_at_low"], top["total_at_high"]) == pytest.approx((5350.6, 5247.6))
    assert table.attrs["baseline"] == pytest.approx(5299.1)
    assert list(table.columns) == ["assumption", "label", "total_at_low", "total_at_high", "swing"]
    assert table["label"].str.len().gt(0).all()


# --- Results table -----------------------------------------------------------------------------


def test_results_columns_and_vocabulary(article: pd.DataFrame) -> None:
    assert list(article.columns) == RESULT_COLUMNS == EXPECTED_RESULT_COLUMNS
    assert set(article["quantity"]) <= set(QUANTITIES)
    for r in article.itertuples():
        assert r.unit == QUANTITIES[r.quantity][0]
    for quantity in ("military_deaths_confirmed", "military_deaths"):
        assert {"ARM", "AZE", "ALL"} <= set(article.loc[article["quantity"] == quantity, "party"])
    for quantity in (
        "military_missing",
        "unidentified_bodies",
        "military_wounded_hospitalised",
        "civilians_killed",
    ):
        assert quantity in set(article["quantity"])
    assert not article.duplicated(["quantity", "party"]).any()


def test_model_inputs_list_every_reading(article: pd.DataFrame) -> None:
    inputs = model_inputs(ARTICLE, assume()).set_index("key")
    assert inputs.loc["AZE.military_missing", ["low", "best", "high"]].tolist() == [101, 101, 150]
    assert inputs.loc["AZE.unidentified_counted", "distribution"] == "bernoulli"
    assert "ARM.missing_dead_share" not in inputs.index  # nothing missing to apply it to


def test_write_results_round_trips(tmp_path: Path, article: pd.DataFrame) -> None:
    target = tmp_path / "out" / "results.csv"
    write_results(article, target)
    pd.testing.assert_frame_equal(
        pd.read_csv(target, keep_default_na=False), article, check_dtype=False
    )


# --- Assumptions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("missing_dead_share_low", 1.2),
        ("overlap_high", -0.1),
        ("unidentified_counted_prob", 1.5),
        ("more_than_high_factor", 0.9),
        ("at_least_high_factor", 0.5),
        ("up_to_low_factor", 0.0),
        ("about_relative_width", -0.1),
        ("interval", 1.0),
        ("n_draws", 0),
        ("n_draws", 2.5),
        ("seed", -1),
        ("overlap_best", float("nan")),
    ],
)
def test_invalid_assumptions_name_field_and_value(field: str, value: Any) -> None:
    with pytest.raises(ValueError) as err:
        assume(**{field: value})
    message = str(err.value)
    assert field in message and repr(value) in message and "\n" not in message


def test_low_best_high_must_be_ordered() -> None:
    with pytest.raises(ValueError, match=r"missing_dead_share_low <= .*0\.9, 0\.8, 1\.0"):
        assume(missing_dead_share_low=0.9)


def test_from_namespace_picks_fields_and_names_missing_ones() -> None:
    namespace = {**BASE, "as_of": "2020-12-03", "In": []}
    assert Assumptions.from_namespace(namespace) == assume()
    del namespace["seed"], namespace["interval"]
    with pytest.raises(ValueError, match="missing parameters: interval, seed"):
        Assumptions.from_namespace(namespace)


def test_every_field_has_a_label_and_a_justification_without_numbers() -> None:
    names = [f.name for f in dataclasses.fields(Assumptions)]
    assert set(LABELS) == set(JUSTIFICATIONS) == set(names)
    for name in names:
        assert LABELS[name] and len(JUSTIFICATIONS[name]) > 40
        assert not any(ch.isdigit() for ch in JUSTIFICATIONS[name] + LABELS[name]), name


def test_assumptions_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        assume().seed = 2  # type: ignore[misc]


def test_no_assumption_has_a_default() -> None:
    assert all(f.default is dataclasses.MISSING for f in dataclasses.fields(Assumptions))
