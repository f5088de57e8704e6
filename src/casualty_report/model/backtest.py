"""How well each way of stating a toll did: nowcasts made on past dates, scored against what the
ledgers later reported.

For every shipped war, party and day after the fighting ended (nowcast.DAYS), three methods
state the party's eventual official count from what was known that day:

- `latest_count`: the count in force (the floor a report states);
- `count_plus_missing`: the count plus what the missing could add: best the count plus three
  quarters of the missing then reported, from the count to the count plus every missing soldier
  and unidentified body (the report's model, read at its defaults, without its simulation);
- `nowcast`: the reference-class nowcast (nowcast.py), the war itself left out.

Each is scored at 80 % and 90 %: whether its interval covered the eventual count, and its
absolute percentage error. One process, arrays per war: no notebook per date.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from casualty_report import paths
from casualty_report.model.nowcast import (
    DAYS,
    LEVELS,
    War,
    growth,
    in_force,
    interval,
)
from casualty_report.model.quantities import SCOPE_ADDING

COLUMNS = [
    "conflict",
    "party",
    "as_of",
    "days_after_fighting",
    "method",
    "level",
    "best",
    "interval_low",
    "interval_high",
    "eventual",
    "covered",
    "abs_pct_error",
]
MISSING_SHARE = 0.75  # the report's default most likely share of the missing who are dead


def backtest(wars: list[War], days: tuple[int, ...] = DAYS, levels=LEVELS) -> pd.DataFrame:
    """One row per war x party x day x method x level (see COLUMNS)."""
    rows = []
    grown = {(w.name, d): growth(w, d) for w in wars for d in days}
    for war in wars:
        series, final = war.curves
        final = final["eventual"]
        whens = [war.ended + pd.Timedelta(days=d) for d in days]
        counts_on = in_force(series, whens)
        missing_on, bodies_on = (
            in_force(war.days[war.days["metric"] == metric], whens)
            for metric in SCOPE_ADDING[war.scope][:2]
        )
        for i, (d, when) in enumerate(zip(days, whens, strict=True)):
            counts = counts_on.iloc[i].dropna()
            missing, bodies = missing_on.iloc[i].dropna(), bodies_on.iloc[i].dropna()
            others = [grown[(w.name, d)] for w in wars if w.name != war.name]
            pool = np.concatenate(others) if others else np.array([])
            for party, count in counts.items():
                m, b = missing.get(party, 0.0), bodies.get(party, 0.0)
                for level in levels:
                    methods = {
                        "latest_count": (count, count, count),
                        "count_plus_missing": (count + MISSING_SHARE * m, count, count + m + b),
                        "nowcast": interval(count, pool, level, m),
                    }
                    for method, (best, low, high) in methods.items():
                        rows.append(
                            dict(
                                conflict=war.name,
                                party=party,
                                as_of=when,
                                days_after_fighting=d,
                                method=method,
                                level=level,
                                best=best,
                                interval_low=low,
                                interval_high=high,
                                eventual=final[party],
                            )
                        )
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["covered"] = (table["interval_low"] <= table["eventual"]) & (
        table["eventual"] <= table["interval_high"]
    )
    table["abs_pct_error"] = 100.0 * (table["best"] - table["eventual"]).abs() / table["eventual"]
    return table


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per method: coverage at each level (share of rows covered) and the median absolute
    percentage error at each day; the rows with a nowcast only (a reference class existed)."""
    scored = table.dropna(subset=["best"])
    coverage = scored.groupby(["method", "level"])["covered"].mean().unstack("level")
    error = (
        scored[scored["level"] == scored["level"].min()]
        .groupby(["method", "days_after_fighting"])["abs_pct_error"]
        .median()
        .unstack("days_after_fighting")
    )
    return coverage.join(error)


def write_backtest(table: pd.DataFrame, path: str | Path) -> Path:
    """Write the backtest table (reports/backtest.csv)."""
    path = paths.resolve(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = table.assign(
        as_of=table["as_of"].dt.strftime("%Y-%m-%d"), covered=table["covered"].map(str).str.lower()
    )
    out.to_csv(path, index=False, float_format="%.1f")
    return path
