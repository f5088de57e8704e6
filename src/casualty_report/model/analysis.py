"""The analysis in one call: figures in use, open counts, bounds, scenarios, checks and files.

    analysis = analyse(all_figures, as_of="2020-12-03", assumptions=assumptions)

reads like the report's story: select the figures as of a date, flag stale ones, state each
party's count as open or final, bound and simulate every quantity per scenario, rank the
assumptions, compare with what was reported later. The report layer writes the three CSV files
beside a report (`report.outputs.write_outputs`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from casualty_report.errors import ParameterError
from casualty_report.ledger.figures import select_as_of
from casualty_report.ledger.scope import Choice, toll_scope
from casualty_report.model import backtest, nowcast
from casualty_report.model import counts as counts_
from casualty_report.model.assumptions import Assumptions
from casualty_report.model.bounds import bounds as bounds_of
from casualty_report.model.inputs import figures_used, model_selection
from casualty_report.model.nowcast import War
from casualty_report.model.parties import party_roles
from casualty_report.model.quantities import (
    ALL,
    MIXTURE,
    SCOPE_ADDING,
    Key,
    Model,
    build,
)
from casualty_report.model.reconcile import reconcile
from casualty_report.model.results import likely_scenario, results_table, summarise
from casualty_report.model.retrospective import (
    later_in_other_scope,
    official_steps,
    retrospective,
)
from casualty_report.model.sensitivity import sensitivity as sensitivity_of


@dataclass(frozen=True)
class Analysis:
    """Everything the report states about the figures as of one date, under one assumption set."""

    as_of: pd.Timestamp
    in_use: pd.DataFrame  # the ledger's figures as of `as_of` (select_as_of)
    days: pd.DataFrame  # the whole ledger, a row per party, metric and day (counts.daily)
    results: pd.DataFrame  # see results.RESULT_COLUMNS
    counts: pd.DataFrame  # counts.COLUMNS: each party's count, open or final, and its rise
    not_yet_counted: pd.DataFrame  # party, first_reported_on, latest_…: a count begun after as_of
    scenarios: pd.DataFrame  # scenario, probability, most_likely, best, low, high, … (in words:
    # report.notes.ASSUMES)
    retrospective: pd.DataFrame  # retrospective.COLUMNS; no rows when nothing later exists
    later_other_scope: pd.DataFrame  # parties whose later counts are of the other scope only
    steps: pd.DataFrame  # each party's official count over time, for a step chart
    inputs: pd.DataFrame  # used_figures.COLUMNS: every figure used, age, stale, treatment
    reconciliation: pd.DataFrame  # reconcile.COLUMNS: a source's own total beside the counts
    sensitivity: pd.DataFrame  # sensitivity.COLUMNS, attrs["baseline"]
    draws: dict[Key, np.ndarray]  # military_deaths of each party and ALL, per scenario
    parties: tuple[str, ...]
    party_roles: pd.DataFrame  # parties.COLUMNS: every party in the data, counted or why not
    period: tuple[pd.Timestamp, pd.Timestamp] | None  # the war's first and last day, if known
    nowcast: pd.DataFrame  # nowcast.outlook: where each count is likely to end (an estimate)
    track_record: pd.DataFrame  # backtest.summary over the other wars: how such estimates did
    eventual: dict[str, dict]  # party -> its eventual official count, as the package names it
    likely_scenario: str | None
    assumptions: Assumptions
    model: Model  # the figures as the model read them: what the report's notes say about
    scope: Choice = Choice()  # the metric the toll counts, and how it was chosen

    @property
    def metric(self) -> str:
        """The metric the toll counts: military_killed or military_and_civilian_killed."""
        return self.scope.scope


def _scenarios(model: Model, results: pd.DataFrame, likely: str | None) -> pd.DataFrame:
    """One row per scenario (and the mixture) of the total toll, side by side."""
    total = results[(results["quantity"] == "military_deaths") & (results["party"] == ALL)]
    rows = []
    for r in total.to_dict("records"):
        name = r["scenario"]
        rows.append(
            dict(
                scenario=name,
                probability=1.0 if name == MIXTURE else model.probability(name),
                most_likely=name == likely,
                **{k: r[k] for k in ("low", "best", "high", "interval_low", "interval_high")},
            )
        )
    columns = ["scenario", "probability", "most_likely", "low", "best", "high"]
    return pd.DataFrame(rows, columns=[*columns, "interval_low", "interval_high"])


def analyse(
    all_figures: pd.DataFrame,
    as_of: str | date | pd.Timestamp,
    assumptions: Assumptions,
    *,
    stale_after_days: int = 30,
    stale_treatment: str = "exclude",
    period_start: Any = None,
    period_end: Any = None,
    reference: list[War] | None = None,
) -> Analysis:
    """Analyse the ledger as of a date (see `Analysis` for what comes back); `reference`, the
    other wars, gives the nowcast of where each count is likely to end and its track record."""
    # Load inputs.
    as_of = pd.Timestamp(as_of)
    choice = toll_scope(all_figures, as_of)  # its package's, else from the rows up to as_of
    scope = choice.scope
    in_use = select_as_of(all_figures, as_of)
    if in_use.empty:
        raise ParameterError(
            f"as_of {as_of:%Y-%m-%d}: no figure was reported on or before that day"
        )
    used = figures_used(in_use, as_of, stale_after_days, stale_treatment, scope)
    # Process data.
    model = build(model_selection(in_use, used), assumptions, period_start, period_end, scope)
    days = counts_.daily(all_figures)  # the whole ledger's: the periods before and after read it
    counts = counts_.count_status(in_use, days, as_of, scope)
    bounds = bounds_of(model)
    summary, draws = summarise(
        model,
        bounds,
        assumptions.n_draws,
        assumptions.seed,
        assumptions.interval,
        keep=lambda key: key.quantity == "military_deaths",
    )
    likely = likely_scenario(model, summary)
    results = results_table(model, bounds, summary, counts_.statuses(counts))
    ended = _fighting_ended(all_figures, period_end, model)
    during = ended is not None and ended > as_of  # no estimate while the fighting goes on
    reference = [] if during else (reference or [])
    counted = counts.set_index("party")["value"].astype(float)
    missing = used[used["metric"].eq(SCOPE_ADDING[scope][0]) & ~used["excluded"]]
    outlook = nowcast.outlook(
        {p: counted[p] for p in model.parties if p in counted.index},
        missing.set_index("party")["value"].astype(float).to_dict(),
        nowcast.days_after(as_of, ended),
        reference,
        assumptions.interval,
        assumptions.n_draws,
        assumptions.seed,
        frozenset(p for p, status in counts_.statuses(counts).items() if status == "final"),
    )
    outlook.attrs["during"] = during
    if outlook["best"].notna().any():  # an estimate needs a reference class
        estimate = nowcast.result_rows(outlook[outlook["best"].notna()])
        results = pd.concat([results, estimate]).reset_index(drop=True)
    return Analysis(
        as_of=as_of,
        in_use=in_use,
        days=days,
        results=results,
        counts=counts,
        not_yet_counted=counts_.not_yet_counted(days, model.parties, as_of, scope),
        scenarios=_scenarios(model, results, likely),
        retrospective=retrospective(days, as_of, results, counts, scope),
        later_other_scope=later_in_other_scope(days, as_of, list(model.parties), scope),
        steps=official_steps(days, list(model.parties), scope),
        inputs=used,
        reconciliation=reconcile(in_use, all_figures, scope),
        sensitivity=sensitivity_of(model, likely),
        draws=draws,
        parties=model.parties,
        party_roles=party_roles(all_figures, in_use, as_of, scope),
        nowcast=outlook,
        track_record=track_record(reference),
        # Hindsight for the chart and the retrospective, of the scope the report counts.
        eventual={
            p: e for p, e in all_figures.attrs.get("eventual", {}).items() if e["metric"] == scope
        },  # fmt: skip
        period=model.period,
        likely_scenario=likely,
        assumptions=assumptions,
        model=model,
        scope=choice,
    )


def _fighting_ended(all_figures: pd.DataFrame, period_end: Any, model: Model) -> Any:
    """The last day of the fighting: the package's, else the period_end given, else the end of
    the war's period (None when unknown)."""
    conflict = all_figures.attrs.get("conflict")
    declared = conflict.report.get("fighting_ended") if conflict is not None else None
    if declared:
        return pd.Timestamp(declared)
    if period_end:
        return pd.Timestamp(period_end)
    return None if model.period is None else model.period[1]


def track_record(reference: list[War]) -> pd.DataFrame:
    """How the three ways of stating a toll did in the other wars' own histories (backtest)."""
    return backtest.summary(backtest.backtest(reference)) if reference else pd.DataFrame()
