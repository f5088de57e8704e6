"""The report's charts, drawn with one style sheet and shown as numbered, captioned figures.

Each chart function returns a `render.Section` (the `figure.html.j2` template): an inline PNG
with alt text that gives the numbers a sighted reader sees, and a caption that says the finding.
Text from the data (party codes, source titles) reaches matplotlib as plain text: the style
sheet turns mathtext off, so `$`, `_` or `^` print as written.
"""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")  # no display in a build; set before pyplot is imported
import matplotlib.dates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from . import formatting, paths  # noqa: E402
from .render import Section  # noqa: E402
from .uncertainty import result_row  # noqa: E402
from .vocabulary import ALL, basis_name, party_name  # noqa: E402

plt.style.use(paths.STYLE_SHEET)
COLOURS = plt.rcParams["axes.prop_cycle"].by_key()["color"]
MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*")  # one per basis, in order of appearance
THOUSANDS = matplotlib.ticker.StrMethodFormatter("{x:,.0f}")


def chart(fig: plt.Figure, alt: str, finding: str, caption: str, source: str = "") -> Section:
    """The figure as an inline PNG with alt text and a caption; closes the figure."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return Section(
        "figure.html.j2",
        png_base64=base64.b64encode(buffer.getvalue()).decode("ascii"),
        alt=alt,
        finding=finding,
        caption=caption,
        source=source,
    )


def deaths_by_party(results: pd.DataFrame, parties: list[str], source: str) -> Section:
    """Confirmed and possible additional deaths per party, with the low–high range marked."""
    fig, ax = plt.subplots(figsize=(7.0, 0.9 + 0.45 * len(parties)))
    y = np.arange(len(parties))[::-1]
    confirmed = np.array(
        [result_row(results, "military_deaths_confirmed", p)["best"] for p in parties]
    )
    toll = [result_row(results, "military_deaths", p) for p in parties]
    best, low, high = (np.array([r[c] for r in toll]) for c in ("best", "low", "high"))
    ax.barh(y, confirmed, color=COLOURS[0], label="Confirmed")
    ax.barh(y, best - confirmed, left=confirmed, color=COLOURS[1], label="Best estimate of more")
    ax.errorbar(
        best, y, xerr=[best - low, high - best], fmt="none", ecolor="#222222", capsize=4,
        linewidth=1, label="Low–high range",
    )  # fmt: skip
    for yi, b, h in zip(y, best, high, strict=True):
        ax.text(h, yi, f"  {formatting.count(b)}", va="center", fontsize=8.5)
    ax.set_yticks(y, [party_name(p) for p in parties])
    ax.set_xlim(0, high.max() * 1.12)
    ax.xaxis.set_major_formatter(THOUSANDS)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3, borderaxespad=0)
    fig.tight_layout()
    total = result_row(results, "military_deaths", ALL)
    confirmed_all = result_row(results, "military_deaths_confirmed", ALL)
    parts = [
        f"{party_name(p)}: {formatting.count(c)} confirmed, best estimate"
        f" {formatting.count(r['best'])}, range {formatting.count(r['low'])} to"
        f" {formatting.count(r['high'])}"
        for p, c, r in zip(parties, confirmed, toll, strict=True)
    ]
    return chart(
        fig,
        alt="Bar chart of military deaths by party. " + "; ".join(parts) + ".",
        finding=f"{formatting.count(confirmed_all['best'])} military deaths confirmed;"
        f" the missing and unidentified could add up to"
        f" {formatting.count(total['high'] - confirmed_all['best'])}.",
        caption="Confirmed deaths by party, the best estimate of what the missing and the"
        " unidentified add, and the low–high range the assumptions allow; the number is the"
        " best estimate.",
        source=source,
    )


def simulated_total(
    draws: np.ndarray, row: pd.Series, interval: float, n_draws: int, seed: int, source: str
) -> Section:
    """Histogram of the simulated total with the interval and the best value marked."""
    fig, ax = plt.subplots(figsize=(7.0, 2.4))
    ax.hist(draws, bins=60, color=COLOURS[4], edgecolor="white", linewidth=0.3)
    for x in (row["interval_low"], row["interval_high"]):
        ax.axvline(x, color=COLOURS[5], linestyle="--", linewidth=1.2)
    ax.axvline(row["best"], color="#222222", linewidth=1.2)
    ax.set_xlabel("Simulated military deaths, all parties")
    ax.set_ylabel("Draws")
    ax.xaxis.set_major_formatter(THOUSANDS)
    ax.yaxis.set_major_formatter(THOUSANDS)
    ax.grid(False)
    low, high = formatting.count(row["interval_low"]), formatting.count(row["interval_high"])
    handles = [
        plt.Line2D([], [], color=COLOURS[5], linestyle="--", label=f"Interval: {low}–{high}"),
        plt.Line2D([], [], color="#222222", label=f"Best: {formatting.count(row['best'])}"),
    ]
    ax.legend(handles=handles, loc="upper right")
    fig.tight_layout()
    share = formatting.share(interval)
    return chart(
        fig,
        alt=f"Histogram of {n_draws:,} simulated totals of military deaths. Best estimate"
        f" {formatting.count(row['best'])}; {share} interval {low} to {high}; bounds"
        f" {formatting.count(row['low'])} to {formatting.count(row['high'])}.",
        finding=f"{share} of simulated totals fall between {low} and {high}.",
        caption=f"Distribution of {n_draws:,} simulated totals of military deaths, all parties"
        f" (seed {seed}).",
        source=source,
    )


def tornado_figure(sensitivity: pd.DataFrame, best_total: float) -> plt.Figure:
    """The tornado chart: one bar per assumption from the total at its low end to the total at
    its high end, each value printed just outside the end of the bar it describes."""
    fig, ax = plt.subplots(figsize=(7.0, 0.8 + 0.4 * max(len(sensitivity), 1)))
    y = np.arange(len(sensitivity))[::-1]
    lows = sensitivity["total_at_low"].to_numpy(float)
    highs = sensitivity["total_at_high"].to_numpy(float)
    left = np.minimum(lows, highs)
    ax.barh(y, np.abs(highs - lows), left=left, color=COLOURS[0], height=0.6)
    ax.axvline(best_total, color="#222222", linewidth=1)
    for yi, lo, hi in zip(y, lows, highs, strict=True):
        for value, other in ((lo, hi), (hi, lo)):
            # The smaller end's label sits left of it, the larger end's right of it, whichever
            # of the two is the assumption's low end.
            on_left = value <= other
            label = f"{formatting.count(value)}  " if on_left else f"  {formatting.count(value)}"
            ax.text(value, yi, label, ha="right" if on_left else "left", va="center", fontsize=8)
    ax.set_yticks(y, sensitivity["label"])
    span = max(float(np.max(np.maximum(lows, highs)) - left.min()), 1.0)
    ax.set_xlim(
        min(left.min(), best_total) - 0.3 * span, np.max(np.maximum(lows, highs)) + 0.3 * span
    )
    ax.xaxis.set_major_formatter(THOUSANDS)
    ax.set_xlabel("Total military deaths with each assumption at its low and its high end")
    fig.tight_layout()
    return fig


def tornado(sensitivity: pd.DataFrame, best_total: float, source: str) -> Section:
    """How far each assumption, swung from its low to its high end, moves the total."""
    top = sensitivity.iloc[0]
    parts = [
        f"{r.label}: {formatting.count(r.total_at_low)} at its low end,"
        f" {formatting.count(r.total_at_high)} at its high end"
        for r in sensitivity.itertuples()
    ]
    return chart(
        tornado_figure(sensitivity, best_total),
        alt="Tornado chart of the total military deaths as each assumption swings. "
        + "; ".join(parts)
        + ".",
        finding=f"The assumption that moves the total most: {top['label'].lower()}.",
        caption="Each assumption swung from its low to its high end, the others held at their"
        " defaults; the line marks the best estimate.",
        source=source,
    )


def timeline(history: pd.DataFrame, as_of: str, source: str) -> Section:
    """Each party's reported count as steps (a count holds until revised), basis by marker."""
    history = history.assign(basis=history.get("basis", "not_stated")).fillna({"basis": ""})
    bases = list(dict.fromkeys(b or "not_stated" for b in history["basis"]))
    marker = {b: MARKERS[i % len(MARKERS)] for i, b in enumerate(bases)}
    fig, ax = plt.subplots(figsize=(7.0, 2.6))
    parties = sorted(history["party"].unique())
    end = max(history["reported_on"].max(), pd.Timestamp(as_of))
    for colour, party in zip(COLOURS, parties, strict=False):
        rows = history[history["party"] == party].sort_values("reported_on")
        x = [*rows["reported_on"], end]
        v = [*rows["value"], rows["value"].iloc[-1]]
        ax.step(x, v, where="post", color=colour, linewidth=1.4, label=party_name(party))
        for when, value, basis in rows[["reported_on", "value", "basis"]].itertuples(index=False):
            ax.plot(when, value, marker[basis or "not_stated"], color=colour, markersize=5)
        ax.annotate(
            formatting.count(v[-1]), (end, v[-1]), textcoords="offset points", xytext=(4, 0),
            va="center", fontsize=8, color=colour,
        )  # fmt: skip
    ax.axvline(pd.Timestamp(as_of), color="#555555", linewidth=0.8, linestyle=":")
    ax.set_ylabel("Soldiers killed, as reported")
    ax.set_ylim(0, history["value"].max() * 1.15)
    ax.yaxis.set_major_formatter(THOUSANDS)
    ax.grid(axis="y")
    span = end - history["reported_on"].min()
    pad = max(span * 0.12, pd.Timedelta(days=4))
    ax.set_xlim(history["reported_on"].min() - pad, end + pad)
    locator = matplotlib.dates.AutoDateLocator(maxticks=6)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(locator))
    party_handles = ax.get_legend_handles_labels()[0]
    basis_handles = [
        plt.Line2D([], [], linestyle="none", marker=marker[b], color="#444444", label=basis_name(b))
        for b in bases
    ]
    ax.legend(handles=party_handles + basis_handles, loc="lower right", ncol=2)
    fig.tight_layout()
    parts = [
        f"{party_name(r.party)} {formatting.count(r.value)} on {formatting.day(r.reported_on)}"
        for r in history.sort_values(["party", "reported_on"]).itertuples()
    ]
    revised = history.groupby("party").size().max() > 1
    return chart(
        fig,
        alt="Reported soldiers killed by date of report: " + "; ".join(parts) + ".",
        finding="Each party's count of soldiers killed, as it was reported over time."
        if revised
        else "Each party's count of soldiers killed, as first reported.",
        caption="A count holds until revised; markers show the basis of each figure, the dotted"
        f" line the as-of date, {formatting.day(as_of)}.",
        source=source,
    )
