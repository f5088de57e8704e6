"""check-data's lines in words: what a figures file holds and the same-day series it read (the
scope of its toll and why: `scopes.scope_line`). The ledger hands over the loaded table and its
series; every problem it finds is its own refusal, worded where it is found."""

from __future__ import annotations

import pandas as pd

from casualty_report import paths
from casualty_report.ledger.problems import PRINTED_PROBLEMS
from casualty_report.ledger.series import BY_LINE, BY_TIME, Series
from casualty_report.report import formatting


def summary(figures: pd.DataFrame) -> str:
    """One line: rows, parties, metrics, the range of reporting dates and the package read."""
    first, last = figures["reported_on"].min(), figures["reported_on"].max()
    dates = "no dates" if figures.empty else f"reported {first:%Y-%m-%d} to {last:%Y-%m-%d}"
    parties = ", ".join(sorted(figures["party"].unique()))
    conflict = figures.attrs.get("conflict")
    package = (
        f"parties named by {paths.display(conflict.path)}"
        if conflict is not None and conflict.path is not None
        else "no datapackage.json beside it: neutral defaults"
    )
    return (
        f"{len(figures)} figures, {figures['party'].nunique()} parties ({parties}), "
        f"{figures['metric'].nunique()} metrics, {dates}; {package}"
    )


def series_lines(file: str, found: list[Series], limit: int = PRINTED_PROBLEMS) -> list[str]:
    """One line per same-day series (`ledger.series`): what it read, and in which order; at
    most `limit` of them, then how many more there are."""
    how = {BY_TIME: "read in the order of reported_at", BY_LINE: "read in file order"}
    lines = [
        f"{file}: {s.party} {s.metric} on {s.reported_on:%Y-%m-%d} ({s.reported_by}): a same-day"
        f" series, {how[s.order]}: {formatting.series_words(s.figures)}"
        for s in found[:limit]
    ]
    if len(found) > limit:
        lines.append(
            f"{file}: ... and {len(found) - limit:,} more same-day series ({len(found):,} in all)"
        )
    return lines
