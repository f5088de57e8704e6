"""Reconcile a source's own headline sum with the figures the report uses.

A reporter's total (basis `secondary_sum`, party BOTH) adds up the parties' counts as that
source had them; by the report's date a party may have published a later count. Both sums are
shown, with the party whose figure differs: e.g. BBC News summed Armenia's count of 18 November
(2,425) and Azerbaijan's 2,783 into "over 5,000", while the ministries' own latest figures on
3 December summed to at least 2,718 + 2,783.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .figures import figure_words

COMBINED = "BOTH"
KILLED = "military_killed"
LOWER_BOUNDS = ("at_least", "more_than")  # a sum with one of these is "at least" the sum


def _component(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "figure_id": row["figure_id"],
        "party": row["party"],
        "value": int(row["value"]),
        "words": figure_words(row["value"], row.get("value_high"), row["qualifier"]),
        "qualifier": row["qualifier"],
        "reported_on": row["reported_on"],
    }


def reconcile(
    in_use: pd.DataFrame, all_figures: pd.DataFrame, counts: pd.DataFrame
) -> list[dict[str, Any]]:
    """One entry per secondary sum in use whose parts differ from the counts in use.

    Each entry: `source` (reported_by), `title`, `headline` (the sum as the source words it),
    `reported_on`, `then` (the parts the source summed: party, value, words, reported_on),
    `then_total`, `now` (the counts in use, same keys), `now_total`, `now_at_least` (a part is
    a lower bound), and `differs` (the parties whose figure changed).
    """
    sums = in_use[
        (in_use["party"] == COMBINED)
        & (in_use["metric"] == KILLED)
        & (in_use["basis"] == "secondary_sum")
    ]
    counted = {r["party"]: r for r in counts.to_dict("records")}
    found = []
    for total in sums.to_dict("records"):
        same_source = all_figures[
            (all_figures["source_url"] == total["source_url"])
            & (all_figures["metric"] == KILLED)
            & (all_figures["party"].isin(list(counted)))
            & (all_figures["reported_on"] <= total["reported_on"])
        ]
        parts = same_source.sort_values("reported_on").groupby("party").tail(1)
        if set(parts["party"]) != set(counted):
            continue  # the source did not sum exactly the parties the report models
        then = [_component(r) for r in parts.sort_values("party").to_dict("records")]
        now = [_component(counted[p["party"]]) for p in then]
        differs = [
            p["party"]
            for p, q in zip(then, now, strict=True)
            if (p["value"], p["qualifier"]) != (q["value"], q["qualifier"])
        ]
        if not differs:
            continue
        found.append(
            {
                "source": total["reported_by"],
                "title": total["source_title"],
                "headline": total.get("value_as_written")
                or figure_words(total["value"], total["value_high"], total["qualifier"]),
                "reported_on": total["reported_on"],
                "then": then,
                "then_total": sum(p["value"] for p in then),
                "now": now,
                "now_total": sum(p["value"] for p in now),
                "now_at_least": any(p["qualifier"] in LOWER_BOUNDS for p in now),
                "differs": differs,
            }
        )
    return found
