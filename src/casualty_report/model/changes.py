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
    *,
    in_use: pd.DataFrame | None = None,
) -> tuple[pd.Timestamp | None, pd.DataFrame]:
    """Each (party, metric) whose figure differs between `compare_to` and `as_of`; `in_use`, the
    selection as of `as_of` where the analysis has made it (`Analysis.in_use`), is not made again.

    Returns the date compared with and a frame with columns party, metric, status
    ('revised', 'new' or 'withdrawn'), value, value_high, qualifier and basis before and now,
    kind, change (value now minus before, only between figures of the same basis) and
    reported_on_now. `kind` says what a revision is: 'rose', 'fell', 'restated' (the same
    figure again, from another report: corroboration, not a revision) or 'other_basis' (the two
    figures count different things, so no change is computed); for the others it is the status.
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
        "basis_before",
        "basis_now",
        "kind",
        "change",
        "reported_on_now",
    ]
    if since is None:
        return None, pd.DataFrame(columns=columns)
    shown = ["value", "value_high", "qualifier", "basis", "figure_id"]
    now = (select_as_of(figures, as_of) if in_use is None else in_use)[
        KEY + shown + ["reported_on"]
    ]
    before = select_as_of(figures, since)[KEY + shown]
    merged = now.merge(before, on=KEY, how="outer", suffixes=("_now", "_before"), indicator=True)
    differs = merged["figure_id_now"] != merged["figure_id_before"]
    merged = merged[differs].copy()
    merged["status"] = (
        merged["_merge"]
        .map({"both": "revised", "left_only": "new", "right_only": "withdrawn"})
        .astype(str)
    )
    same_basis = merged["basis_now"] == merged["basis_before"]
    same_figure = (merged["value_now"] == merged["value_before"]) & (
        merged["qualifier_now"] == merged["qualifier_before"]
    )
    change = merged["value_now"] - merged["value_before"]
    merged["change"] = change.where(same_basis)
    kind = pd.Series("other_basis", index=merged.index)
    kind = kind.mask(same_basis & (change > 0), "rose").mask(same_basis & (change < 0), "fell")
    kind = kind.mask(same_figure, "restated")
    merged["kind"] = kind.where(merged["status"] == "revised", merged["status"])
    merged = merged.rename(columns={"reported_on": "reported_on_now"})
    return since, merged[columns].sort_values(KEY).reset_index(drop=True)
