"""Rows of a small ledger, built in the tests: the columns the model and its checks read."""

from __future__ import annotations

from typing import Any

import pandas as pd

from casualty_report.model.assumptions import Assumptions


def fig(
    party: str,
    metric: str,
    value: int,
    qualifier: str = "exact",
    *,
    on: str = "2020-12-03",
    basis: str = "not_stated",
    status: str = "",
    value_high: int | None = None,
    period: tuple[str, str] | None = None,
    slug: str = "",
) -> dict[str, Any]:
    """One ledger row (figure_id from party, metric, date and an optional source slug)."""
    figure_id = f"{party.lower()}-{metric.replace('_', '-')}-{on.replace('-', '')}"
    return {
        "figure_id": figure_id + (f"-{slug}" if slug else ""),
        "party": party,
        "metric": metric,
        "value": value,
        "value_high": value_high,
        "qualifier": qualifier,
        "period_start": period[0] if period else None,
        "period_end": period[1] if period else None,
        "reported_on": on,
        "basis": basis,
        "count_status": status or ("open" if "killed" in metric else ""),
        "reported_by": "Test source",
        "source_kind": "news",
        "source_url": "https://example.org/test-source",
    }


def ledger(*rows: dict[str, Any]) -> pd.DataFrame:
    """A ledger as `figures.load_figures` types it (value int, value_high Int64, dates)."""
    frame = pd.DataFrame(list(rows))
    frame["value"] = frame["value"].astype("int64")
    frame["value_high"] = frame["value_high"].astype("Int64")
    for column in ("period_start", "period_end", "reported_on"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


# The assumptions the model tests start from (chosen here; the report's defaults live in the
# notebook).
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


def row(results: pd.DataFrame, quantity: str, party: str, scenario: str = "all") -> pd.Series:
    """The one results row of (quantity, party, scenario); fails if there is not exactly one."""
    found = results[
        (results["quantity"] == quantity)
        & (results["party"] == party)
        & (results["scenario"] == scenario)
    ]
    assert len(found) == 1, f"expected one row for {quantity} {party} {scenario}: {len(found)}"
    return found.iloc[0]


def assert_ordered(results: pd.DataFrame) -> None:
    """low <= interval_low <= best <= interval_high <= high in every row (NaN rows skipped)."""
    columns = ["low", "interval_low", "best", "interval_high", "high"]
    for r in results.to_dict("records"):
        values = [r[c] for c in columns]
        if any(pd.isna(v) for v in values):
            continue
        assert all(a <= b + 1e-9 for a, b in zip(values, values[1:], strict=False)), r
