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


# How the model uses a figure (the `treatment` column), as a code; the report says each in words
# (`report.notes.TREATMENTS`).
CONFIRMED = "confirmed"  # the party's count in use (its count_status says open or final)
CROSS_CHECK = "cross_check"  # a count for both sides together
PART_OF_COUNT = "part_of_count"  # an actor's count inside its side's count (column `side`)
SPLIT = "split"  # a part of the party's total of the same day
SPLIT_OTHER_DAY = "split_other_day"  # a part of what the total counts, of another day
PART_OF_SIDE = "part_of_side"  # an actor's other figures, on its side (column `side`)
NO_TOTAL = "no_total"  # the party has no total of soldiers and civilians killed
NO_COUNT = "no_count"  # the party has no killed count
EXCLUDED = "excluded"  # stale missing or bodies, left out (stale_treatment "exclude")
KEPT_STALE = "kept_stale"  # stale missing or bodies, used as reported (stale_treatment "keep")
ADDS = "adds"  # missing or bodies, used
INSIDE = "inside"  # bodies whose source places them inside the count: never added to it
OUTSIDE = "outside"  # bodies whose source places them beside the count: added in every scenario
WOUNDED = "wounded"  # wounded in hospital, shown
BESIDE = "beside"  # civilians killed, shown beside a toll of soldiers


def _treatment(
    r: dict, killed_parties: set[str], stale_treatment: str, scope: str, totals: dict
) -> str:
    """How the model uses a figure, as a code (`totals`: each counted party's day of its count
    in use; r["side"]: the party whose side an actor's figures belong to, "" for none)."""
    metric, party, side = r["metric"], r["party"], r["side"]
    if metric == scope:
        if party == BOTH:
            return CROSS_CHECK
        if party not in killed_parties and side in killed_parties:
            return PART_OF_COUNT
        return CONFIRMED
    wider = scope != MILITARY
    if wider and metric in SPLIT_METRICS and party in killed_parties:
        return SPLIT if totals.get(party) == r["reported_on"] else SPLIT_OTHER_DAY
    if party not in killed_parties and party != BOTH and (wider or metric != "civilians_killed"):
        if side in killed_parties:
            return PART_OF_SIDE
        return NO_TOTAL if wider else NO_COUNT
    if metric in SCOPE_ADDING[scope]:
        if r["stale"] and stale_treatment == "exclude":
            return EXCLUDED
        if r["stale"]:
            return KEPT_STALE
        placed = r.get("in_killed_count") if metric == "unidentified_bodies" else None
        return {"yes": INSIDE, "no": OUTSIDE}.get(placed, ADDS)
    if metric == "military_wounded_hospitalised":
        return WOUNDED
    return BESIDE


def figures_used(
    in_use: pd.DataFrame,
    as_of: str | date | pd.Timestamp,
    stale_after_days: int,
    stale_treatment: str,
    scope: str = MILITARY,
) -> pd.DataFrame:
    """Every figure in use that the model reads (for the toll's `scope`), with age_days, stale,
    its treatment (a code: CONFIRMED …) and side (the party whose side an actor's figures belong
    to, "" for none); in the scope of soldiers and civilians, the splits of a total too. The
    CSV's columns are COLUMNS, the treatment in words (`report.notes.inputs_with_words`).

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
    sides = part_of()  # the party whose side an actor's figures belong to
    table["side"] = [sides.get(party, "") for party in table["party"]]
    table["treatment"] = [
        _treatment(r, parties, stale_treatment, scope, killed) for r in table.to_dict("records")
    ]
    table["excluded"] = (
        table["stale"]
        & table["metric"].isin(SCOPE_ADDING[scope])
        & table["party"].isin(parties)
        & (stale_treatment == "exclude")
    )
    return table.sort_values(["party", "metric"])[[*COLUMNS, "side"]].reset_index(drop=True)


def model_selection(in_use: pd.DataFrame, used: pd.DataFrame) -> pd.DataFrame:
    """The figures in use minus those the treatment excludes: what the model reads."""
    excluded = used.loc[used["excluded"], "figure_id"]
    return in_use[~in_use["figure_id"].isin(excluded)]
