"""Open and final counts: is a party's killed count still running, and how fast did it rise?

A party's killed count (of the toll's scope: `military_killed` unless said) is open (a running
count, so a lower bound) unless the ledger marks that row `count_status = final`; a first report
with no revision yet is open too. The ledger's own history is the evidence: the rise from the
previous figure of the same party, if that figure counts the same thing (same `basis`); figures
of different bases count different things, so no rise is computed between them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd

from casualty_report.ledger.schema import load_schema
from casualty_report.ledger.scope import MILITARY
from casualty_report.ledger.selection import preferred_days
from casualty_report.model.quantities import counted_parties

COLUMNS = [
    "party",
    "figure_id",
    "value",
    "qualifier",
    "reported_on",
    "basis",
    "count_status",
    "previous_value",
    "previous_qualifier",
    "previous_reported_on",
    "previous_basis",
    "same_basis",
    "rise",
    "rise_pct",
    "days",
]
DEFAULTED = ("basis", "count_status", "source_kind")  # filled as the loader fills them


def with_defaults(figures: pd.DataFrame) -> pd.DataFrame:
    """The figures with `basis`, `count_status` and `source_kind` present and filled with the
    schema's defaults, as the loader fills them (a ledger may predate them)."""
    out = figures.copy()
    for column in DEFAULTED:
        default = load_schema().defaults[column]
        if column not in out.columns:
            out[column] = default
        out[column] = out[column].fillna(default).replace("", default).astype(str)
    return out


def daily(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per (party, metric, day), chosen as `select_as_of` chooses, in date order.

    Among several rows of one day the one whose source_kind ranks first wins, then the later
    line: the same rule as the selection, so a count's history matches what was in use.
    """
    # The selection's own ordering, so the two can never disagree on which row a day shows.
    return preferred_days(with_defaults(figures)).sort_values("reported_on", kind="stable")


def count_status(
    in_use: pd.DataFrame,
    days: pd.DataFrame,
    as_of: str | date | pd.Timestamp,
    scope: str = MILITARY,
) -> pd.DataFrame:
    """Each modelled party's killed count in use (of the metric `scope`), open or final, with
    its recent rise.

    `days` is the ledger's rows of a day each (`daily`); only those reported up to `as_of` are
    read. The previous figure is the party's figure of that metric of the latest earlier day,
    chosen among that day's rows as the selection chooses.
    Columns: see COLUMNS; rise is value − previous value (same basis only), rise_pct is 100 ×
    rise / previous value (NaN when that is 0), days the days between the two reports.
    """
    as_of = pd.Timestamp(as_of)
    killed = with_defaults(in_use)
    killed = killed[
        (killed["metric"] == scope) & killed["party"].isin(counted_parties(in_use, scope))
    ]
    past = days[days["reported_on"] <= as_of]
    past = past[past["metric"] == scope]
    rows = []
    for r in killed.sort_values("party").to_dict("records"):
        earlier = past[(past["party"] == r["party"]) & (past["reported_on"] < r["reported_on"])]
        prev = earlier.iloc[-1] if len(earlier) else None
        row = {c: r.get(c) for c in COLUMNS[:7]}
        row["count_status"] = "final" if r["count_status"] == "final" else "open"
        row.update(
            previous_value=np.nan if prev is None else prev["value"],
            previous_qualifier=None if prev is None else prev["qualifier"],
            previous_reported_on=pd.NaT if prev is None else prev["reported_on"],
            previous_basis=None if prev is None else prev["basis"],
        )
        row["same_basis"] = prev is not None and prev["basis"] == r["basis"]
        rise = r["value"] - prev["value"] if row["same_basis"] else np.nan
        row["rise"] = rise
        # No percentage of a previous count of 0 (it would be "inf %"): the rise says it all.
        row["rise_pct"] = (
            100.0 * rise / prev["value"] if row["same_basis"] and prev["value"] > 0 else np.nan
        )
        row["days"] = np.nan if prev is None else (r["reported_on"] - prev["reported_on"]).days
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def not_yet_counted(
    history: pd.DataFrame,
    counted: Iterable[str],
    as_of: str | date | pd.Timestamp,
    scope: str = MILITARY,
) -> pd.DataFrame:
    """The parties whose count of the scope's metric is in the ledger but began after `as_of`
    (e.g. Azerbaijan's, first published on 3 December 2020), with the day of their first count
    and their latest count (hindsight: the report says so).

    `history` holds a row per party, metric and day (`daily`); `counted` are the parties with a
    count by then. Columns: party, first_reported_on, latest_value, latest_qualifier,
    latest_reported_on.
    """
    killed = history[history["metric"] == scope]
    later = killed[
        killed["party"].isin(set(counted_parties(killed, scope)) - set(counted))
        & (killed["reported_on"] > pd.Timestamp(as_of))
    ].sort_values(["party", "reported_on"], kind="stable")
    first = later.groupby("party", as_index=False)["reported_on"].min()
    latest = later.groupby("party", as_index=False).tail(1)[
        ["party", "value", "qualifier", "reported_on"]
    ]
    latest.columns = ["party", "latest_value", "latest_qualifier", "latest_reported_on"]
    first = first.rename(columns={"reported_on": "first_reported_on"})
    return first.merge(latest, on="party", how="left")


def statuses(counts: pd.DataFrame) -> dict[str, str]:
    """party -> 'open' or 'final', from a `count_status` table."""
    return dict(zip(counts["party"], counts["count_status"], strict=True))
