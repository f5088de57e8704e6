"""Every party in the data, and whether the report counts it: no party silently disappears.

A party is counted when it has its own count in the toll's scope (soldiers killed, or soldiers
and civilians killed: see `ledger.scope`) in use on the report's date. Every other party is
listed with the reason, as a code the report puts into words:
- `part_of`: an actor whose figures belong to another counted party's side (never added);
- `combined`: a figure for all sides together (a cross-check);
- `other_scope`: it had published figures, but no count in the toll's scope (for example only
  soldiers and civilians together, when the toll counts soldiers); the metrics it did publish
  are listed;
- `not_yet`: its first figure was reported after the report's date.
"""

from __future__ import annotations

import pandas as pd

from casualty_report.ledger import vocabulary
from casualty_report.ledger.scope import MILITARY
from casualty_report.model.quantities import BOTH, counted_parties

COLUMNS = ["party", "role", "side", "metrics", "first_reported_on"]


def party_roles(
    figures: pd.DataFrame, in_use: pd.DataFrame, as_of: str, scope: str = MILITARY
) -> pd.DataFrame:
    """One row per party in `figures` (columns COLUMNS), counted parties first; counted are
    those with a figure of the metric `scope` in use.

    `metrics` lists, in the schema's order of first appearance, what the party had published by
    `as_of` (for `not_yet`, what it published later).
    """
    as_of = pd.Timestamp(as_of)
    counted = counted_parties(in_use, scope)
    part_of = vocabulary.part_of()
    rows = []
    for party, own in figures.groupby("party", sort=True):
        known = own[own["reported_on"] <= as_of]
        shown = known if not known.empty else own
        row = {
            "party": party,
            "side": part_of.get(party, ""),
            "metrics": list(dict.fromkeys(shown.sort_values("reported_on")["metric"])),
            "first_reported_on": own["reported_on"].min(),
        }
        if party in counted:
            row["role"] = "counted"
        elif party == BOTH:
            row["role"] = "combined"
        elif known.empty:
            row["role"] = "not_yet"
        elif part_of.get(party) in counted:
            row["role"] = "part_of"
        else:
            row["role"] = "other_scope"
        rows.append(row)
    table = pd.DataFrame(rows, columns=COLUMNS)
    order = {"counted": 0, "part_of": 1, "other_scope": 2, "not_yet": 3, "combined": 4}
    table["order"] = table["role"].map(order)
    return table.sort_values(["order", "party"]).drop(columns="order").reset_index(drop=True)
