"""How the figures held up: each party's statement as of a date beside its later official count.

Everything here counts the toll's scope (`military_killed` unless said; see `ledger.scope`), the
same at every date. For each modelled party, the latest figure of that metric reported after
`as_of` with the
same basis as the count in use; where the party has none of that basis, the latest of any basis,
flagged `same_basis = False` (the two then count different things, and the comparison says so).
`covered` means that later figure lies within the as-of low–high of the party's military deaths
(scenario `all`); `off_by` is how far outside: later − high above it, later − low (negative)
below it, 0 when covered.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from casualty_report.ledger.scope import MILITARY, SCOPES
from casualty_report.model.quantities import BOTH, MIXTURE, SCENARIOS
from casualty_report.model.results import result_row

COLUMNS = [
    "party",
    "latest_figure_id",
    "latest_value",
    "latest_qualifier",
    "latest_reported_on",
    "latest_basis",
    "asof_basis",
    "same_basis",
    "count_status",
    "asof_confirmed",
    "asof_low",
    "asof_best",
    "asof_high",
    "asof_interval_low",
    "asof_interval_high",
    *(f"asof_best_{name}" for name in SCENARIOS),
    "covered",
    "off_by",
]


def later_in_other_scope(
    days: pd.DataFrame,
    as_of: str | date | pd.Timestamp,
    parties: list[str],
    scope: str = MILITARY,
) -> pd.DataFrame:
    """For each party with no count of the toll's scope reported after `as_of`: its latest later
    count of the other scope, if any (a total of soldiers and civilians together for a toll of
    soldiers, a count of soldiers alone for a toll of both; columns party, value, qualifier,
    reported_on). Such a party is never silently left out of how the figures held up. `days`
    is the ledger's rows of a day each (`counts.daily`)."""
    other = next(s for s in SCOPES if s != scope)
    later = days[days["reported_on"] > pd.Timestamp(as_of)]
    killed = set(later.loc[later["metric"] == scope, "party"])
    wider = later[(later["metric"] == other) & later["party"].isin(parties)]
    wider = wider[~wider["party"].isin(killed)].groupby("party").tail(1)
    return wider[["party", "value", "qualifier", "reported_on"]].reset_index(drop=True)


def retrospective(
    days: pd.DataFrame,
    as_of: str | date | pd.Timestamp,
    results: pd.DataFrame,
    counts: pd.DataFrame,
    scope: str = MILITARY,
) -> pd.DataFrame:
    """One row per modelled party with a killed figure (of the metric `scope`) reported after
    `as_of` (see COLUMNS), from the ledger's rows of a day each (`days`, `counts.daily`)."""
    later = days[days["reported_on"] > pd.Timestamp(as_of)]
    later = later[(later["metric"] == scope) & (later["party"] != BOTH)]
    rows = []
    for c in counts.to_dict("records"):
        mine = later[later["party"] == c["party"]]
        if mine.empty:
            continue
        same = mine[mine["basis"] == c["basis"]]
        latest = (same if len(same) else mine).iloc[-1]
        deaths = result_row(results, "military_deaths", c["party"], MIXTURE)
        value = float(latest["value"])
        off_by = outside(value, deaths["low"], deaths["high"])
        row = dict(
            party=c["party"],
            latest_figure_id=latest["figure_id"],
            latest_value=value,
            latest_qualifier=latest["qualifier"],
            latest_reported_on=latest["reported_on"],
            latest_basis=latest["basis"],
            asof_basis=c["basis"],
            same_basis=bool(len(same)),
            count_status=c["count_status"],
            asof_confirmed=result_row(results, "military_deaths_confirmed", c["party"])["best"],
            asof_low=deaths["low"],
            asof_best=deaths["best"],
            asof_high=deaths["high"],
            asof_interval_low=deaths["interval_low"],
            asof_interval_high=deaths["interval_high"],
            covered=off_by == 0.0,
            off_by=off_by,
        )
        for name in SCENARIOS:
            try:
                row[f"asof_best_{name}"] = result_row(results, "military_deaths", c["party"], name)[
                    "best"
                ]
            except KeyError:
                row[f"asof_best_{name}"] = np.nan
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def outside(value: float, low: float, high: float) -> float:
    """How far `value` lies outside [low, high]: above is positive, below negative, inside 0."""
    return value - high if value > high else (value - low if value < low else 0.0)


def official_steps(days: pd.DataFrame, parties: list[str], scope: str = MILITARY) -> pd.DataFrame:
    """Each party's official killed count (of the metric `scope`) over time (the whole ledger),
    one row per report date, from the ledger's rows of a day each (`days`, `counts.daily`).

    Columns: party, reported_on, value, qualifier, basis, figure_id. On a date with several
    rows, the one the selection takes. Draw as steps: a count holds until the next report; a
    change of basis is a change of what is counted.
    """
    rows = days[(days["metric"] == scope) & days["party"].isin(parties)]
    rows = rows.sort_values(["party", "reported_on"], kind="stable")
    columns = ["party", "reported_on", "value", "qualifier", "basis", "figure_id"]
    return rows[columns].reset_index(drop=True)
