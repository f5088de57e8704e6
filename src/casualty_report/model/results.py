"""The results table: low, best, high and the simulated interval of every quantity, per scenario.

"Best" follows UCDP's "most likely" value and is never a value in a trough between scenarios:
- in a scenario, best is the median of that scenario's draws. A scenario fixes the yes/no
  question, so its draws come from single-peaked readings and have one hump: the median lies
  between its peak and its mean, a value of high density, and always inside the central
  interval (a reading's mode may not: "more than 100" is most likely 101, below the 5th
  percentile of its reading).
- in the mixture `all`, best is the central value of the most likely scenario: the one with
  the larger probability; at an even chance, the one whose interval of the total is narrower
  (its draws are the more concentrated, so its hump is the higher), and if that ties too,
  `unidentified_not_in_count`. The interval of `all` is the central interval of the mixed
  draws; it may span both humps, and best is never the trough between them.
Every row keeps low <= interval_low <= best <= interval_high <= high: low and high are exact
bounds (see `bounds`), the interval and the median come from the same draws.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from casualty_report.model.bounds import Interval
from casualty_report.model.quantities import (
    ALL,
    IN_COUNT,
    MIXTURE,
    NOT_IN_COUNT,
    QUANTITIES,
    SCENARIOS,
    Key,
    Model,
)
from casualty_report.model.simulation import iter_draws

RESULT_COLUMNS = [
    "quantity",
    "party",
    "scenario",
    "low",
    "best",
    "high",
    "interval_low",
    "interval_high",
    "unit",
    "count_status",
]
# Quantities that carry the count status of the confirmed counts inside them.
COUNTED = (
    "military_deaths_confirmed",
    "military_deaths_additional",
    "military_deaths",
    "military_deaths_confirmed_per_day",
    "military_deaths_per_day",
)
Summary = dict[Key, tuple[float, float, float]]  # (interval low, median, interval high)


def summarise(
    model: Model,
    bounds: Mapping[Key, Interval],
    n_draws: int,
    seed: int,
    interval: float,
    keep: Callable[[Key], bool] = lambda key: False,
) -> tuple[Summary, dict[Key, np.ndarray]]:
    """The central interval and median of every quantity's draws, and the draws `keep` wants.

    A quantity whose bounds coincide is a constant: its interval and median are that value.
    """
    tail = round((1.0 - interval) / 2.0, 12)  # 0.05, not 0.04999…, for interval 0.9
    summary: Summary = {}
    kept: dict[Key, np.ndarray] = {}
    for key, x in iter_draws(model, n_draws, seed):
        b = bounds[key]
        if keep(key):
            kept[key] = x
        if b.low == b.high or np.isnan(b.low):
            summary[key] = (b.low, b.low, b.low)
            continue
        lo, med, hi = np.clip(np.quantile(x, [tail, 0.5, 1.0 - tail]), b.low, b.high)
        summary[key] = (float(lo), float(med), float(hi))
    return summary, kept


def likely_scenario(model: Model, summary: Summary) -> str | None:
    """The most likely scenario (see the module docstring), or None without scenarios."""
    if not model.scenarios:
        return None
    p_in = model.probability(IN_COUNT)
    if p_in != 0.5:
        return IN_COUNT if p_in > 0.5 else NOT_IN_COUNT

    def width(name: str) -> float:
        lo, _, hi = summary[Key("military_deaths", ALL, name)]
        return hi - lo

    narrower = width(NOT_IN_COUNT) - width(IN_COUNT)
    tie = 1e-9 * max(1.0, width(NOT_IN_COUNT))  # the same draws shifted: equal up to rounding
    return IN_COUNT if narrower > tie else NOT_IN_COUNT


def _status(party: str, statuses: Mapping[str, str]) -> str:
    if party == ALL:
        return "open" if any(s != "final" for s in statuses.values()) else "final"
    return statuses.get(party, "open")


def results_table(
    model: Model,
    bounds: Mapping[Key, Interval],
    summary: Summary,
    statuses: Mapping[str, str],
) -> pd.DataFrame:
    """One row per Key: low / best / high, the central interval, unit and count status (the
    report adds each row's note in words: `report.notes`)."""
    likely = likely_scenario(model, summary)
    rows = []
    for key in sorted(summary, key=_order(model)):
        b = bounds[key]
        i_lo, best, i_hi = summary[key]
        if key.scenario == MIXTURE and likely and Key(key.quantity, key.party, likely) in summary:
            best = summary[Key(key.quantity, key.party, likely)][1]
            # The likelier scenario's best may lie outside a narrow interval of both together
            # (with interval=0.5 the mixture's upper end fell just below it): inside the range.
            check_order(key, b.low, i_lo, i_hi, b.high)
            check_order(key, b.low, best, b.high)
        else:
            check_order(key, b.low, i_lo, best, i_hi, b.high)
        status = _status(key.party, statuses) if key.quantity in COUNTED else ""
        rows.append(
            dict(
                quantity=key.quantity,
                party=key.party,
                scenario=key.scenario,
                low=b.low,
                best=best,
                high=b.high,
                interval_low=i_lo,
                interval_high=i_hi,
                unit=QUANTITIES[key.quantity],
                count_status=status,
            )
        )
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def _order(model: Model) -> Callable[[Key], tuple]:
    quantities = {q: i for i, q in enumerate(QUANTITIES)}
    parties = {p: i for i, p in enumerate((*model.parties, ALL))}
    scenarios = {s: i for i, s in enumerate((MIXTURE, *SCENARIOS))}
    return lambda k: (
        quantities[k.quantity],
        parties.get(k.party, len(parties)),
        k.party,
        scenarios[k.scenario],
    )


def check_order(key: Key, *values: float) -> None:
    """Sanity check: low <= interval_low <= best <= interval_high <= high, up to rounding."""
    if any(np.isnan(v) for v in values):
        return
    slack = 1e-9 * max(1.0, abs(values[-1]))
    if not all(a <= b + slack for a, b in zip(values, values[1:], strict=False)):
        raise RuntimeError(
            f"{key}: expected low <= interval_low <= best <= interval_high <= high, got {values}"
        )


def result_row(
    results: pd.DataFrame, quantity: str, party: str, scenario: str = MIXTURE
) -> pd.Series:
    """The row of the results table for one quantity, party and scenario (a table without a
    scenario column, e.g. one built by hand, has only the mixture)."""
    found = results[(results["quantity"] == quantity) & (results["party"] == party)]
    if "scenario" in results.columns:
        found = found[found["scenario"] == scenario]
    if found.empty:
        raise KeyError(f"no result {quantity!r} for party {party!r} in scenario {scenario!r}")
    return found.iloc[0]
