"""Where the counts are likely to end, as the report shows it: the estimate's section (words from
`analysis.nowcast` and its track record) and its chart (each count, the estimate's intervals
and, where the ledger knows it, the count that was later reported, labelled as hindsight)."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from casualty_report.ledger.vocabulary import party_name
from casualty_report.report import formatting, scopes
from casualty_report.report.plots import COLOURS, THOUSANDS, chart
from casualty_report.report.render import Section


def outlook_section(analysis: Any, interval: float) -> Section:
    """Where each count is likely to end (an estimate), how it was made and how such estimates
    have done: numbers from `analysis.nowcast` and `analysis.track_record`."""
    table = analysis.nowcast
    statuses = dict(zip(analysis.counts["party"], analysis.counts["count_status"], strict=True))
    rows = [
        {**r, "open": statuses.get(r["party"], "open") == "open"}
        for r in table.to_dict("records")
        if r["best"] == r["best"]  # no estimate without a reference class
    ]
    return Section(
        "nowcast.html.j2",
        rows=rows,
        share=formatting.share(interval),
        pool=list(table.attrs.get("pool", [])),
        wars=table.attrs.get("wars", 0),
        days=table.attrs.get("days", 0),
        record=_track_record(analysis.track_record, table.attrs.get("days", 0)),
        during=table.attrs.get("during", False),
        as_of=analysis.as_of,
    )


def key_finding(analysis: Any) -> dict[str, Any]:
    """The estimate as a key finding: each party's (not their sum), and how the best value did
    against the count alone at this many days in the other wars' histories."""
    rows = [
        r
        for r in analysis.nowcast.to_dict("records")
        if r["party"] != "ALL" and r["best"] == r["best"]
    ]
    record = _track_record(analysis.track_record, analysis.nowcast.attrs.get("days", 0))
    return {"rows": rows, "record": record}


def _track_record(record: pd.DataFrame, days: int) -> dict[str, str] | None:
    """Coverage and median error of the three methods at the backtest day nearest `days`."""
    if record.empty or "nowcast" not in record.index:
        return None
    day_columns = [c for c in record.columns if c not in (0.8, 0.9)]
    day = min(day_columns, key=lambda d: abs(d - max(days, 0)))
    return {
        "better": bool(record.loc["nowcast", day] < record.loc["latest_count", day]),
        "cover_80": formatting.share(record.loc["nowcast", 0.8]),
        "cover_90": formatting.share(record.loc["nowcast", 0.9]),
        "day": f"{day:g}",
        "nowcast": f"{record.loc['nowcast', day]:.0f}%",
        "latest": f"{record.loc['latest_count', day]:.0f}%",
        "missing": f"{record.loc['count_plus_missing', day]:.0f}%",
    }


def outlook_chart(analysis: Any, interval: float, source: str) -> Section | None:
    """One row per party (and all parties): the count as reported (a dot), the estimate's 80 %
    and `interval` ranges (bands) and best value (a tick); a cross marks a later official count.
    None when there is no estimate to draw."""
    table = analysis.nowcast[analysis.nowcast["best"] == analysis.nowcast["best"]]
    if table.empty:
        return None
    steps = analysis.steps[analysis.steps["reported_on"] > analysis.as_of]
    later = steps.groupby("party")["value"].last().astype(float)  # the last official count
    for party, official in analysis.eventual.items():  # the package's eventual count first
        later[party] = float(official["value"])
    later = later.reindex(table["party"])
    if "ALL" in set(table["party"]) and later.drop("ALL", errors="ignore").notna().all():
        later["ALL"] = later.drop("ALL", errors="ignore").sum()
    fig, ax = plt.subplots(figsize=(7.0, 0.5 + 0.32 * len(table)))
    y = np.arange(len(table))[::-1]
    share = formatting.share(interval)
    colours = (COLOURS * len(table))[: len(table)]
    for yi, colour, r in zip(y, colours, table.to_dict("records"), strict=True):
        ax.plot([r["low"], r["high"]], [yi, yi], color=colour, alpha=0.3, linewidth=8)
        ax.plot([r["low_80"], r["high_80"]], [yi, yi], color=colour, alpha=0.7, linewidth=8)
        ax.plot([r["best"]], [yi], marker="|", markersize=14, color="black")
        ax.plot([r["count"]], [yi], marker="o", color="black", markersize=4)
        if r["party"] in later.index and later[r["party"]] == later[r["party"]]:
            ax.plot([later[r["party"]]], [yi], marker="x", color="#b2182b", markersize=7)
    ax.set_yticks(y, [party_name(p) for p in table["party"]])
    ax.xaxis.set_major_formatter(THOUSANDS)
    said = scopes.words(None)
    ax.set_xlabel(f"{said['label']}: count (dot), estimate's 80% and {share} ranges, best (bar)")
    fig.tight_layout()
    parts = [
        f"{party_name(r['party'])}: count {formatting.count(r['count'])}, best"
        f" {formatting.count(r['best'])}, 80% {formatting.count(r['low_80'])} to"
        f" {formatting.count(r['high_80'])}"
        for r in table.to_dict("records")
    ]
    known = later.dropna()
    hindsight = (
        " A cross marks the eventual official count the ledger holds from later (else its last"
        " count): hindsight, not used by the estimate."
        if not known.empty
        else ""
    )
    return chart(
        fig,
        alt="Where the counts are likely to end, an estimate. " + "; ".join(parts) + ".",
        finding="Where the counts are likely to end: an estimate, not a reported figure.",
        caption="Each count as reported on the report's date (dot), the estimate's 80% range"
        f" (dark band) and {share} range (light band) and its best value (bar)." + hindsight,
        source=source,
    )
