"""Where the counts are likely to end, as the report shows it: the estimate's section (words from
`analysis.nowcast` and its track record) and its chart (each count, the estimate's intervals
and, where the ledger knows it, the count that was later reported, labelled as hindsight)."""

from __future__ import annotations

from typing import Any

import matplotlib.dates
import matplotlib.pyplot as plt
import pandas as pd

from casualty_report.ledger.vocabulary import party_name, short
from casualty_report.model.quantities import ALL
from casualty_report.report import formatting, scopes
from casualty_report.report.plots import COLOURS, THOUSANDS, chart, coloured_parties, date_locator
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
    if len(rows) == 2:  # one party: its "all parties" is itself, and would read as a sum of all
        rows = [r for r in rows if r["party"] != ALL]
    return Section(
        "nowcast.html.j2",
        rows=rows,
        below=any(r["low"] < r["count"] for r in rows),
        share=formatting.share(interval),
        pool=list(table.attrs.get("pool", [])),
        members=sorted(
            (
                {**m, "name": short(m["label"]) if m["label"] else party_name(m["party"])}
                for m in table.attrs.get("members", [])
            ),
            key=lambda m: (m["factor"], m["war"], m["party"]),
        ),
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
        if r["party"] != ALL and r["best"] == r["best"]
    ]
    record = _track_record(analysis.track_record, analysis.nowcast.attrs.get("days", 0))
    return {"rows": rows, "record": record}


def _track_record(record: pd.DataFrame, days: int) -> dict[str, str] | None:
    """Coverage and median error of the three methods at the backtest day nearest `days`."""
    if record.empty or "nowcast" not in record.index:
        return None
    day_columns = [c for c in record.columns if c not in (0.8, 0.9)]
    day = min(day_columns, key=lambda d: abs(d - max(days, 0)))
    shown = record.reindex(["nowcast", "latest_count", "count_plus_missing"])[day]
    if shown.isna().any():  # a method not scored at that day: nothing to say of it
        return None
    return {
        "better": bool(record.loc["nowcast", day] < record.loc["latest_count", day]),
        "worse": bool(record.loc["nowcast", day] > record.loc["latest_count", day]),
        "cover_80": formatting.share(record.loc["nowcast", 0.8]),
        "cover_90": formatting.share(record.loc["nowcast", 0.9]),
        "day": f"{day:g}",
        # the backtest scores set days: the one nearest the report's own, said when it differs
        "nearest": "" if day == max(days, 0) else f", the scored day nearest this report's {days}",
        "first_day": f"{min(day_columns):g}",
        "last_day": f"{max(day_columns):g}",
        "nowcast": f"{record.loc['nowcast', day]:.0f}%",
        "latest": f"{record.loc['latest_count', day]:.0f}%",
        "missing": f"{record.loc['count_plus_missing', day]:.0f}%",
    }


def outlook_chart(analysis: Any, interval: float, source: str) -> Section | None:
    """Each party's count as steps up to the report's date, and beyond it, at the right, the
    estimate of where it ends: its `interval` range (light band), 80 % range (dark band) and best
    value (bar); a cross marks the eventual official count, where the ledger knows it (hindsight).
    Past the palette, the largest counts keep a colour and the rest are named. None when there
    is no estimate to draw."""
    table = analysis.nowcast[analysis.nowcast["best"].notna() & (analysis.nowcast["party"] != ALL)]
    if table.empty:
        return None
    as_of = analysis.as_of
    steps = analysis.steps[analysis.steps["reported_on"] <= as_of]
    steps = steps[steps["party"].isin(table["party"])].sort_values(["party", "reported_on"])
    later = analysis.steps[analysis.steps["reported_on"] > as_of].groupby("party")["value"].last()
    for party, official in analysis.eventual.items():  # the package's eventual count first
        if pd.Timestamp(official["reported_on"]) > as_of:  # hindsight only: reported later
            later[party] = official["value"]
    table = table.set_index("party")
    drawn = coloured_parties(table["count"], len(COLOURS))
    start = steps["reported_on"].min() if not steps.empty else as_of - pd.Timedelta(days=7)
    span = max(as_of - start, pd.Timedelta(days=7))
    fig, (ax, end) = plt.subplots(
        1, 2, figsize=(7.0, 2.4), sharey=True, width_ratios=[3, 1 + 0.25 * len(drawn)]
    )
    for i, (party, colour) in enumerate(zip(drawn, COLOURS, strict=False)):
        rows = steps[steps["party"] == party]
        if not rows.empty:  # a dot per report: a count first reported on as_of is a dot alone
            ax.step([*rows["reported_on"], as_of], [*rows["value"], rows["value"].iloc[-1]],
                    where="post", color=colour, linewidth=1.4, label=party_name(party))  # fmt: skip
            ax.plot(rows["reported_on"], rows["value"], "o", color=colour, markersize=3.5)
        r = table.loc[party]
        # Bars, whose ends are the interval's ends (a thick line's caps reached past them).
        for low, high, alpha in ((r["low"], r["high"], 0.3), (r["low_80"], r["high_80"], 0.75)):
            end.bar(i, high - low, bottom=low, width=0.3, color=colour, alpha=alpha)
        end.plot([i], [r["best"]], marker="_", markersize=16, color="black")
        if party in later.index:
            end.plot([i], [later[party]], marker="x", color="#b2182b", markersize=7)
    left, right = start - span * 0.05, as_of + span * 0.05
    ax.set_xlim(left, right)
    ax.set_ylim(0, None)
    ax.yaxis.set_major_formatter(THOUSANDS)
    ax.set_ylabel(scopes.words(None)["axis"])
    locator = date_locator(left.to_pydatetime(), right.to_pydatetime(), maxticks=5)
    ax.xaxis.set_major_locator(locator)
    formats = ["%Y", "%b %Y", "%d %b", "%d %b %H:%M", "%H:%M", "%H:%M:%S"]
    ax.xaxis.set_major_formatter(
        matplotlib.dates.ConciseDateFormatter(
            locator, formats=formats, zero_formats=formats, show_offset=False
        )
    )
    ax.set_title(f"counts up to {formatting.day(as_of)}", fontsize=8, loc="left")
    end.set_title("where they may end", fontsize=8, loc="left")
    end.set_xticks(range(len(drawn)), [party_name(p) for p in drawn], fontsize=7, rotation=30)
    end.set_xlim(-0.6, len(drawn) - 0.4)
    fig.tight_layout()
    share = formatting.share(interval)
    bands = "" if share == formatting.share(0.8) else f"{share} range (light band) "
    parts = [
        f"{party_name(p)}: count {formatting.count(r['count'])}, best"
        f" {formatting.count(r['best'])}, 80% {formatting.count(r['low_80'])} to"
        f" {formatting.count(r['high_80'])}"
        + (f", reported later {formatting.count(later[p])}" if p in later.index else "")
        for p, r in table.loc[drawn].iterrows()
    ]
    rest = [p for p in table.index if p not in drawn]
    named = f" Not drawn, {len(rest)} smaller: {', '.join(map(party_name, rest))}." if rest else ""
    crosses = int(later.index.isin(drawn).sum())
    reports = "1 later report" if crosses == 1 else f"{crosses} later reports"
    hindsight = (
        " A cross marks a count reported after that day (the eventual official count where the"
        f" data names one, else the last; {reports}, listed under Sources): hindsight, not used"
        " by the estimate."
        if crosses
        else ""
    )
    return chart(
        fig,
        alt="Where the counts are likely to end, an estimate. " + "; ".join(parts) + "." + named,
        finding="Where the counts are likely to end: an estimate, not a reported figure.",
        caption=f"Left, each count as steps up to {formatting.day(as_of)}, a dot per report; right,"
        f" the estimate of where it ends: 80% range (dark band), {bands}and"
        " best value (bar)."
        + (" The sum of all parties is in the text." if len(table) > 1 else "")
        + hindsight
        + named,
        source=source,
    )
