"""Set a source's own total beside the figures in use: what it summed, and why the two differ.

A combined figure (party BOTH, metric military_killed, e.g. the BBC's "over 5,000") is a sum a
source made of the parties' counts it had. The parties' figures from that same source (same
`source_url`, reported on or before the combined figure) are what it summed; the figures in use
are each party's latest count as of the report's date. Where a party's two figures differ, the
row says which is newer.
"""

from __future__ import annotations

import pandas as pd

from casualty_report.ledger.scope import MILITARY
from casualty_report.model.quantities import BOTH, counted_parties

COLUMNS = [
    "combined_figure_id",
    "combined_value",
    "combined_qualifier",
    "combined_reported_by",
    "party",
    "source_figure_id",
    "source_value",
    "source_qualifier",
    "source_reported_on",
    "in_use_figure_id",
    "in_use_value",
    "in_use_qualifier",
    "in_use_reported_on",
    "in_use_reported_by",
    "differs",
]


def reconcile(
    in_use: pd.DataFrame, all_figures: pd.DataFrame, scope: str = MILITARY
) -> pd.DataFrame:
    """One row per (combined figure in use, party in use): what the source summed, what is used.

    No rows when no combined figure of the toll's metric (`scope`) is in use.
    """
    killed = in_use[in_use["metric"] == scope]
    combined = killed[killed["party"] == BOTH]
    parties = killed[killed["party"].isin(counted_parties(in_use, scope))].sort_values("party")
    rows = []
    for c in combined.to_dict("records"):
        own = all_figures[
            (all_figures["source_url"] == c["source_url"])
            & (all_figures["metric"] == scope)
            & (all_figures["party"] != BOTH)
            & (all_figures["reported_on"] <= c["reported_on"])
        ]
        own = own.sort_index().sort_values("reported_on", kind="stable")
        own = own.groupby("party").tail(1).set_index("party")
        for p in parties.to_dict("records"):
            s = own.loc[p["party"]] if p["party"] in own.index else None
            row = dict(
                combined_figure_id=c["figure_id"],
                combined_value=c["value"],
                combined_qualifier=c["qualifier"],
                combined_reported_by=c["reported_by"],
                party=p["party"],
                source_figure_id=None if s is None else s["figure_id"],
                source_value=float("nan") if s is None else s["value"],
                source_qualifier=None if s is None else s["qualifier"],
                source_reported_on=pd.NaT if s is None else s["reported_on"],
                in_use_figure_id=p["figure_id"],
                in_use_value=p["value"],
                in_use_qualifier=p["qualifier"],
                in_use_reported_on=p["reported_on"],
                in_use_reported_by=p["reported_by"],
                differs=s is None or (s["value"], s["qualifier"]) != (p["value"], p["qualifier"]),
            )
            rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)
