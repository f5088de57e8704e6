"""What changed: the figures in use at `as_of` compared with those in use at an earlier date."""

from __future__ import annotations

import pandas as pd

from casualty_report.ledger.figures import select_as_of

KEY = ["party", "metric"]


def baseline_date(figures: pd.DataFrame, as_of: str | pd.Timestamp) -> pd.Timestamp | None:
    """The day before the latest report on or before `as_of`: the picture before that report."""
    reported = figures.loc[figures["reported_on"] <= pd.Timestamp(as_of), "reported_on"]
    return None if reported.empty else reported.max() - pd.Timedelta(days=1)


def what_changed(
    figures: pd.DataFrame,
    as_of: str | pd.Timestamp,
    compare_to: str | pd.Timestamp | None = None,
) -> tuple[pd.Timestamp | None, pd.DataFrame]:
    """Each (party, metric) whose figure differs between `compare_to` and `as_of`.

    Returns the date compared with and a frame with columns party, metric, status
    ('revised', 'new' or 'withdrawn'), value, value_high and qualifier before and now,
    change (value now minus before, where both exist), reported_on_now.
    """
    since = baseline_date(figures, as_of) if compare_to is None else pd.Timestamp(compare_to)
    columns = [
        "party",
        "metric",
        "status",
        "value_before",
        "value_high_before",
        "qualifier_before",
        "value_now",
        "value_high_now",
        "qualifier_now",
        "change",
        "reported_on_now",
    ]
    if since is None:
        return None, pd.DataFrame(columns=columns)
    shown = ["value", "value_high", "qualifier", "figure_id"]
    now = select_as_of(figures, as_of)[KEY + shown + ["reported_on"]]
    before = select_as_of(figures, since)[KEY + shown]
    merged = now.merge(before, on=KEY, how="outer", suffixes=("_now", "_before"), indicator=True)
    differs = merged["figure_id_now"] != merged["figure_id_before"]
    merged = merged[differs].copy()
    merged["status"] = (
        merged["_merge"]
        .map({"both": "revised", "left_only": "new", "right_only": "withdrawn"})
        .astype(str)
    )
    merged["change"] = merged["value_now"] - merged["value_before"]
    merged = merged.rename(columns={"reported_on": "reported_on_now"})
    return since, merged[columns].sort_values(KEY).reset_index(drop=True)
