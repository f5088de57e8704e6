"""Every figure the model used, with its age and whether it is stale, and how it was treated.

A figure is stale when it is older than the same party's killed count in use (of the toll's
scope: `military_killed` unless said) by more than `stale_after_days`: e.g. as of 31 December
2021, bodies awaiting identification on 3 December 2020 beside a killed count of 2 March 2021
were most likely identified and counted since. The treatment of stale missing and unidentified
figures is a parameter:
- "exclude" (the default): they add nothing to the toll; counting them again would add deaths
  that the newer killed count most likely holds already.
- "keep": they are used as reported.
Other stale figures (wounded, civilians) are never added to the toll, so they are only flagged.
In the scope of soldiers and civilians, a party's split of its total (soldiers, civilians) is
listed too, shown beside the total and never added to it.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from casualty_report.ledger.scope import MILITARY
from casualty_report.ledger.vocabulary import part_of
from casualty_report.model.assumptions import check_stale_parameters
from casualty_report.model.counts import with_defaults
from casualty_report.model.quantities import (
    BOTH,
    SCOPE_ADDING,
    SCOPE_INPUT,
    SPLIT_METRICS,
    counted_parties,
)

COLUMNS = [
    "figure_id",
    "party",
    "metric",
    "value",
    "value_high",
    "qualifier",
    "reported_on",
    "basis",
    "count_status",
    "age_days",
    "stale",
    "excluded",
    "treatment",
]


def _treatment(
    r: dict, killed_parties: set[str], stale_treatment: str, scope: str, totals: dict
) -> str:
    """How the model uses a figure, in a few words (`totals`: each counted party's day of its
    count in use)."""
    metric, party = r["metric"], r["party"]
    side = part_of().get(party)  # the party whose side an actor's figures belong to, if any
    if metric == scope:
        if party == BOTH:
            return "cross-check only, never added to the parties"
        if party not in killed_parties and side in killed_parties:
            return f"part of {side}'s count: shown, never added"
        return f"confirmed count ({r['count_status']})"
    wider = scope != MILITARY
    if wider and metric in SPLIT_METRICS and party in killed_parties:
        if totals.get(party) == r["reported_on"]:
            return "a split of the party's total of that day: shown beside it, never added to it"
        return "a part of what the party's total counts, of another day: shown, never added"
    if party not in killed_parties and party != BOTH and (wider or metric != "civilians_killed"):
        if side in killed_parties:
            return f"not modelled: part of {side}'s side"
        if wider:
            return "not counted: the party has no total of soldiers and civilians killed"
        return "not modelled: the party has no killed count"
    if metric in SCOPE_ADDING[scope]:
        if r["stale"] and stale_treatment == "exclude":
            return "excluded: stale, adds nothing to the toll"
        if r["stale"]:
            return "used as reported, though stale: may add to the toll"
        return "used: may add to the toll"
    if metric == "military_wounded_hospitalised":
        return "shown, never added to the toll"
    return "shown beside the military toll, never added to it"


def figures_used(
    in_use: pd.DataFrame,
    as_of: str | date | pd.Timestamp,
    stale_after_days: int,
    stale_treatment: str,
    scope: str = MILITARY,
) -> pd.DataFrame:
    """Every figure in use that the model reads (for the toll's `scope`), with age_days, stale
    and its treatment; in the scope of soldiers and civilians, the splits of a total too.

    age_days is as_of − reported_on in days; stale compares a figure with the same party's
    killed count in use (a party without one has no stale figures).
    """
    check_stale_parameters(stale_after_days, stale_treatment)
    table = with_defaults(in_use)
    shown = [*SCOPE_INPUT[scope], *(SPLIT_METRICS if scope != MILITARY else ())]
    table = table[table["metric"].isin(shown)].copy()
    not_killed = table["metric"] != scope
    table.loc[not_killed, "count_status"] = ""
    table["age_days"] = (pd.Timestamp(as_of) - table["reported_on"]).dt.days
    killed_rows = table[table["metric"] == scope]
    killed = dict(zip(killed_rows["party"], killed_rows["reported_on"], strict=True))
    killed_on = pd.to_datetime(table["party"].map(killed))
    lag = (killed_on - table["reported_on"]).dt.days
    table["stale"] = (lag > stale_after_days).fillna(False).astype(bool)
    parties = set(counted_parties(in_use, scope))
    table["treatment"] = [
        _treatment(r, parties, stale_treatment, scope, killed) for r in table.to_dict("records")
    ]
    table["excluded"] = (
        table["stale"]
        & table["metric"].isin(SCOPE_ADDING[scope])
        & table["party"].isin(parties)
        & (stale_treatment == "exclude")
    )
    return table.sort_values(["party", "metric"])[COLUMNS].reset_index(drop=True)


def model_selection(in_use: pd.DataFrame, used: pd.DataFrame) -> pd.DataFrame:
    """The figures in use minus those the treatment excludes: what the model reads."""
    excluded = used.loc[used["excluded"], "figure_id"]
    return in_use[~in_use["figure_id"].isin(excluded)]
