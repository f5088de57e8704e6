"""The former one-module API, kept so that the notebook builds until it calls `analysis.analyse`.

The model now lives in modules of one job each: `readings` (qualifier → low/mode/high),
`model` (the formula, scenarios and keys), `bounds` (interval arithmetic), `simulation` (numpy
draws), `results` (the table), `sensitivity`, `counts`, `used_figures`, `retrospective` and
`analysis` (the entry point). Nothing new should import this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from casualty_report.assumptions import Assumptions
from casualty_report.bounds import bounds as bounds_of
from casualty_report.model import BOTH, METRIC_INPUT, MIXTURE, QUANTITIES, build, military_parties
from casualty_report.results import (
    RESULT_COLUMNS,
    likely_scenario,
    result_row,
    results_table,
    summarise,
    write_results,
)
from casualty_report.sensitivity import sensitivity as sensitivity_of

__all__ = [
    "BOTH",
    "QUANTITIES",
    "RESULT_COLUMNS",
    "Analysis",
    "analyse",
    "military_parties",
    "result_row",
    "split_used",
    "write_results",
]


@dataclass(frozen=True)
class Analysis:
    """Results, sensitivity and the toll draws keyed 'PARTY.military_deaths' (mixture only)."""

    results: pd.DataFrame
    draws: dict[str, np.ndarray]
    sensitivity: pd.DataFrame
    assumptions: Assumptions


def analyse(
    selected: pd.DataFrame,
    assumptions: Assumptions,
    *,
    period_start: Any = None,
    period_end: Any = None,
) -> Analysis:
    """The results of a selection alone (no ledger history: every count is taken as open)."""
    model = build(selected, assumptions, period_start, period_end)
    bounds = bounds_of(model)
    summary, draws = summarise(
        model,
        bounds,
        assumptions.n_draws,
        assumptions.seed,
        assumptions.interval,
        keep=lambda key: key.quantity == "military_deaths" and key.scenario == MIXTURE,
    )
    results = results_table(model, bounds, summary, {})
    legacy = {f"{k.party}.{k.quantity}": x for k, x in draws.items()}
    return Analysis(
        results, legacy, sensitivity_of(model, likely_scenario(model, summary)), assumptions
    )


def split_used(figures: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The figures the model reads, and the others (context the report only lists)."""
    used = figures["metric"].isin(METRIC_INPUT)
    return figures[used], figures[~used]
