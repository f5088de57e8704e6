"""The report's charts, drawn with one style sheet and returned as accessible HTML figures.

Text from the data (party codes, source titles) reaches matplotlib as plain text: the style
sheet turns mathtext off, so `$`, `_` or `^` print as written.
"""

from __future__ import annotations

import base64
import html
import io
import textwrap

import matplotlib

matplotlib.use("Agg")  # no display in a build; set before pyplot is imported
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from . import formatting, paths  # noqa: E402
from .narrative import party_name  # noqa: E402
from .uncertainty import result_row  # noqa: E402

plt.style.use(paths.STYLE_SHEET)
COLOURS = plt.rcParams["axes.prop_cycle"].by_key()["color"]


def figure_html(fig: plt.Figure, alt: str, caption: str) -> str:
    """The figure as an inline PNG with alt text and a caption; closes the figure."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def _finish(fig: plt.Figure, title: str, source: str) -> plt.Figure:
    """Title the chart with its finding, lay it out, and put the source line under it all."""
    fig.suptitle(title, x=0.01, ha="left", fontsize=10.5, fontweight="bold")
    fig.tight_layout()
    # Just below the laid-out figure; savefig's tight bounding box grows to include it.
    # Wrapped to the figure's width, so a long source line cannot widen (and shrink) the chart.
    wrapped = textwrap.fill(source, width=int(fig.get_figwidth() * 16))
    fig.text(0.01, 0.0, wrapped, ha="left", va="top", fontsize=7.5, color="#555555")
    return fig


def deaths_by_party(results: pd.DataFrame, parties: list[str], title: str, source: str):
    """Confirmed and possible additional deaths per party, with the low–high range marked."""
    fig, ax = plt.subplots(figsize=(7.0, 1.3 + 0.6 * len(parties)))
    y = np.arange(len(parties))[::-1]
    confirmed = np.array(
        [result_row(results, "military_deaths_confirmed", p)["best"] for p in parties]
    )
    toll = [result_row(results, "military_deaths", p) for p in parties]
    best = np.array([r["best"] for r in toll])
    low = np.array([r["low"] for r in toll])
    high = np.array([r["high"] for r in toll])
    ax.barh(y, confirmed, color=COLOURS[0], label="Confirmed")
    ax.barh(
        y,
        best - confirmed,
        left=confirmed,
        color=COLOURS[1],
        label="Possible additional (missing, unidentified), best estimate",
    )
    ax.errorbar(
        best,
        y,
        xerr=[best - low, high - best],
        fmt="none",
        ecolor="#222222",
        capsize=4,
        linewidth=1,
        label="Low–high range",
    )
    for yi, b, h in zip(y, best, high, strict=True):
        ax.text(h, yi, f"  {formatting.count(b)}", va="center", fontsize=8.5)
    ax.set_yticks(y, [party_name(p) for p in parties])
    ax.set_xlabel("Military deaths")
    ax.set_xlim(0, high.max() * 1.12)
    ax.xaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.02), ncol=3, borderaxespad=0)
    return _finish(fig, title, source)


def simulated_total(draws: np.ndarray, row: pd.Series, interval: float, title: str, source: str):
    """Histogram of the simulated total with the interval and the low/high bounds marked."""
    fig, ax = plt.subplots()
    ax.hist(draws, bins=60, color=COLOURS[4], edgecolor="white", linewidth=0.3)
    for x, style in ((row["interval_low"], "--"), (row["interval_high"], "--")):
        ax.axvline(x, color=COLOURS[5], linestyle=style, linewidth=1.2)
    ax.axvline(row["best"], color="#222222", linewidth=1.2)
    ax.set_xlabel("Simulated military deaths, all parties")
    ax.set_ylabel("Draws")
    ax.xaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    ax.grid(False)
    handles = [
        plt.Line2D(
            [],
            [],
            color=COLOURS[5],
            linestyle="--",
            label=f"{interval:.0%} interval: {formatting.count(row['interval_low'])}"
            f"–{formatting.count(row['interval_high'])}",
        ),
        plt.Line2D(
            [], [], color="#222222", label=f"Best estimate: {formatting.count(row['best'])}"
        ),
    ]
    ax.legend(handles=handles, loc="upper right")
    return _finish(fig, title, source)


def tornado(sensitivity: pd.DataFrame, best_total: float, title: str, source: str):
    """How far each assumption, swung from its low to its high, moves the total."""
    shown = sensitivity  # the caller passes the assumptions that move the total
    fig, ax = plt.subplots(figsize=(7.0, 0.9 + 0.45 * max(len(shown), 1)))
    y = np.arange(len(shown))[::-1]
    lows = shown["total_at_low"].to_numpy(float)
    highs = shown["total_at_high"].to_numpy(float)
    left = np.minimum(lows, highs)
    ax.barh(y, np.abs(highs - lows), left=left, color=COLOURS[0], height=0.6)
    ax.axvline(best_total, color="#222222", linewidth=1)
    for yi, lo, hi in zip(y, lows, highs, strict=True):
        ax.text(min(lo, hi), yi, f"{formatting.count(lo)}  ", ha="right", va="center", fontsize=8)
        ax.text(max(lo, hi), yi, f"  {formatting.count(hi)}", ha="left", va="center", fontsize=8)
    ax.set_yticks(y, shown["label"])
    span = max(highs.max(), lows.max()) - min(highs.min(), lows.min()) if len(shown) else 1
    ax.set_xlim(
        min(left.min(), best_total) - 0.25 * span,
        max(highs.max(), lows.max(), best_total) + 0.25 * span,
    )
    ax.xaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    ax.set_xlabel("Total military deaths with this assumption at its low and high end")
    return _finish(fig, title, source)


def timeline(history: pd.DataFrame, title: str, source: str):
    """Each party's reported count across report dates (steps: a count holds until revised)."""
    fig, ax = plt.subplots()
    for colour, (party, rows) in zip(COLOURS, history.groupby("party", sort=True), strict=False):
        rows = rows.sort_values("reported_on")
        ax.step(rows["reported_on"], rows["value"], where="post", color=colour, linewidth=1.2)
        ax.plot(rows["reported_on"], rows["value"], "o", color=colour, label=party_name(party))
        for when, value in zip(rows["reported_on"], rows["value"], strict=True):
            ax.annotate(
                formatting.count(value),
                (when, value),
                textcoords="offset points",
                xytext=(4, 5),
                fontsize=8,
            )
    ax.set_ylabel("Reported military deaths")
    ax.set_ylim(0, history["value"].max() * 1.2)
    ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    ax.grid(axis="y")
    span = history["reported_on"].max() - history["reported_on"].min()
    pad = max(span * 0.15, pd.Timedelta(days=5))
    ax.set_xlim(history["reported_on"].min() - pad, history["reported_on"].max() + pad)
    fig.autofmt_xdate()
    ax.legend(loc="lower right")
    return _finish(fig, title, source)
