"""The report's charts, drawn with one style sheet and shown as numbered, captioned figures.

Each chart function returns a `render.Section` (the `figure.html.j2` template): an inline PNG
with alt text that gives the numbers a sighted reader sees, and a caption that says the finding.
Text from the data (party codes, source titles) reaches matplotlib as plain text: the style
sheet turns mathtext off, so `$`, `_` or `^` print as written.
"""

from __future__ import annotations

import base64
import io
import warnings
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display in a build; set before pyplot is imported
import matplotlib.dates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from casualty_report import paths  # noqa: E402
from casualty_report.ledger.vocabulary import basis_name, categories, party_name  # noqa: E402
from casualty_report.model.quantities import ALL, MIXTURE, Key  # noqa: E402
from casualty_report.report import formatting, scopes  # noqa: E402
from casualty_report.report.reasons import SWING_LABELS  # noqa: E402
from casualty_report.report.render import Section  # noqa: E402

plt.style.use(paths.STYLE_SHEET)
COLOURS = plt.rcParams["axes.prop_cycle"].by_key()["color"]
# One per basis, in the schema's order: a basis has the same marker in every chart.
MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*", "h")
# Parties past the palette (the largest counts keep a colour each) are drawn thin, in this grey,
# without end labels, and named in the legend, the caption and the alt text.
OTHERS_COLOUR = "#9a9a9a"
THOUSANDS = matplotlib.ticker.StrMethodFormatter("{x:,.0f}")
END_LABEL_SIZE = 8  # points: the value at the end of each party's steps


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


def scenario_totals(
    draws: Mapping[Any, np.ndarray],
    scenarios: pd.DataFrame,
    interval: float,
    n_draws: int,
    seed: int,
    source: str,
    scope: object = None,
) -> Section:
    """The simulated count with additions, one histogram per scenario, each best value marked;
    labelled with the toll's scope (the figures loaded last unless given)."""
    said = scopes.words(scope)
    named = scenarios[scenarios["scenario"] != MIXTURE]
    if named.empty:
        named = scenarios
    fig, ax = plt.subplots(figsize=(7.0, 1.6))
    samples = [draws[Key("military_deaths", ALL, s)] for s in named["scenario"]]
    bins = np.histogram_bin_edges(np.concatenate(samples), bins=70)
    share = formatting.share(interval)
    parts = []
    colours = COLOURS[4:] + COLOURS
    for colour, row, sample in zip(colours, named.itertuples(), samples, strict=False):
        name = formatting.scenario_name(row.scenario)
        span = f"{formatting.count(row.interval_low)}–{formatting.count(row.interval_high)}"
        label = f"{name}: best {formatting.count(row.best)} ({share} interval {span})"
        ax.hist(sample, bins=bins, color=colour, alpha=0.55, histtype="stepfilled", label=label)
        ax.axvline(row.best, color=colour, linewidth=1.4)
        parts.append(label)
    ax.set_xlabel(f"{said['label']}, all parties: reported counts plus what could be added")
    ax.set_ylabel("Draws")
    ax.xaxis.set_major_formatter(THOUSANDS)
    ax.yaxis.set_major_formatter(THOUSANDS)
    ax.grid(False)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=1, borderaxespad=0.2)
    fig.tight_layout()
    return chart(
        fig,
        alt=f"Histograms of {n_draws:,} simulated totals per scenario. " + "; ".join(parts) + ".",
        finding="Each answer to whether the unidentified bodies are already counted gives its own"
        " total; the report gives both."
        if len(named) > 1
        else parts[0] + ".",
        caption=f"{n_draws:,} simulated totals of {said['toll']}, all parties, per scenario"
        f" (seed {seed}); the line marks each scenario's best value. The reported counts are"
        " open: these are totals under the stated assumptions, not bounds of the toll.",
        source=source,
    )


def tornado_figure(
    sensitivity: pd.DataFrame, best_total: float, deaths: str = "military deaths"
) -> plt.Figure:
    """The tornado chart: one bar per assumption from the total at its low end to the total at
    its high end, each value printed just outside the end of the bar it describes."""
    fig, ax = plt.subplots(figsize=(7.0, 0.6 + 0.27 * max(len(sensitivity), 1)))
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
    ax.set_yticks(y, [SWING_LABELS[name] for name in sensitivity["assumption"]])
    span = max(float(np.max(np.maximum(lows, highs)) - left.min()), 1.0)
    ax.set_xlim(
        min(left.min(), best_total) - 0.3 * span, np.max(np.maximum(lows, highs)) + 0.3 * span
    )
    ax.xaxis.set_major_formatter(THOUSANDS)
    ax.set_xlabel(f"Total {deaths} with each assumption at its low and its high end")
    fig.tight_layout()
    return fig


def tornado(
    sensitivity: pd.DataFrame, best_total: float, source: str, scope: object = None
) -> Section:
    """How far each assumption, swung from its low to its high end, moves the total (of the
    toll's scope: the figures loaded last unless given)."""
    deaths = scopes.words(scope)["deaths"]
    top = sensitivity.iloc[0]
    parts = [
        f"{SWING_LABELS[r.assumption]}: {formatting.count(r.total_at_low)} at its low end,"
        f" {formatting.count(r.total_at_high)} at its high end"
        for r in sensitivity.itertuples()
    ]
    return chart(
        tornado_figure(sensitivity, best_total, deaths),
        alt=f"Tornado chart of the total {deaths} as each assumption swings. "
        + "; ".join(parts)
        + ".",
        finding=f"The assumption that moves the total most: {SWING_LABELS[top['assumption']]}.",
        caption="Each assumption swung from its low to its high end, the others held at their"
        f" defaults; the line marks the total with every figure at its most likely reading,"
        f" {formatting.count(best_total)} (a calculation, not the simulated best value of the"
        " results table, which can differ from it).",
        source=source,
    )


def _spread(values: np.ndarray, gap: float) -> np.ndarray:
    """Label positions near `values`, at least `gap` apart, so end labels never overlap."""
    order = np.argsort(values)
    placed = values.copy()
    for previous, current in zip(order[:-1], order[1:], strict=True):
        placed[current] = max(placed[current], placed[previous] + gap)
    return placed


def date_locator(
    start: datetime, end: datetime, maxticks: int = 7
) -> matplotlib.dates.AutoDateLocator:
    """At most `maxticks` date ticks; for a span where matplotlib finds no interval giving 5 or
    more (4 days; about 3 to 5 years), 3 or more, or else 2 (with 5 at most, 2 to 3 days or 2 to
    3 years), rather than a warning and a guessed interval."""
    for minticks in (5, 3, 2):
        locator = matplotlib.dates.AutoDateLocator(minticks=minticks, maxticks=maxticks)
        with warnings.catch_warnings():
            warnings.simplefilter("error", UserWarning)
            try:
                locator.get_locator(start, end)
            except UserWarning:
                continue
        return locator
    return locator


def coloured_parties(last: pd.Series, colours: int) -> list[str]:
    """The parties that get a colour of their own: all when they fit the palette, else those of
    the largest latest counts (ties in order of appearance), in order of appearance."""
    if len(last) <= colours:
        return list(last.index)
    largest = set(last.sort_values(ascending=False, kind="stable").index[:colours])
    return [party for party in last.index if party in largest]


def official_counts_figure(
    steps: pd.DataFrame, as_of: pd.Timestamp, bands: Mapping[str, Any], axis: str = ""
) -> tuple[plt.Figure, list[str]]:
    """The step chart of `official_counts` and the parties drawn in grey: each party's count as
    steps with its value at the end (labels spread so that none overlaps another), markers by
    basis, the as-of date as a dotted line labelled above the plotting area, and a band per
    party in `bands`. Past the palette, the largest latest counts keep a colour each. `axis`
    labels the counts (their scope)."""
    bases = list(dict.fromkeys(steps["basis"]))
    order = {code: i for i, code in enumerate(categories("basis"))}
    marker = {b: MARKERS[order.get(b, i) % len(MARKERS)] for i, b in enumerate(bases)}
    fig, ax = plt.subplots(figsize=(7.0, 1.75))
    end = max(steps["reported_on"].max(), as_of)
    parties = list(dict.fromkeys(steps["party"]))
    last = steps.groupby("party")["value"].last().reindex(parties)
    colour_of = dict(zip(coloured_parties(last, len(COLOURS)), COLOURS, strict=False))
    others = [party for party in parties if party not in colour_of]
    top = max(steps["value"].max(), max((b.asof_high for b in bands.values()), default=0)) * 1.12
    top = max(top, 5)  # counts of 0 alone still get a scale
    # End labels at least one line apart: a line of END_LABEL_SIZE points, in data units.
    height = fig.get_figheight() * 72 * ax.get_position().height
    gap = top * 1.3 * END_LABEL_SIZE / height
    label_at = dict(
        zip(colour_of, _spread(last[list(colour_of)].to_numpy(float), gap), strict=True)
    )
    if label_at:
        top = max(top, max(label_at.values()) + gap / 2)  # the highest label stays inside
    for party in parties:
        colour = colour_of.get(party, OTHERS_COLOUR)
        rows = steps[steps["party"] == party]
        x = [*rows["reported_on"], end]
        v = [*rows["value"], rows["value"].iloc[-1]]
        ax.step(x, v, where="post", color=colour, linewidth=1.4 if party in colour_of else 0.8,
                label=party_name(party) if party in colour_of else None)  # fmt: skip
        for basis, points in rows.groupby("basis", sort=False):  # one artist per marker
            ax.plot(points["reported_on"], points["value"], marker[basis], color=colour,
                    markersize=4.5 if party in colour_of else 3, linestyle="none")  # fmt: skip
        if party in label_at:
            ax.annotate(
                formatting.count(v[-1]), (end, label_at[party]), xytext=(4, 0),
                textcoords="offset points", va="center", fontsize=END_LABEL_SIZE, color=colour,
            )  # fmt: skip
        if party in bands:
            band = bands[party]
            ax.fill_between([as_of, end], band.asof_low, band.asof_high, color=colour, alpha=0.15,
                            linewidth=0)  # fmt: skip
    ax.axvline(as_of, color="#555555", linewidth=0.8, linestyle=":")
    # The label sits above the plotting area, over its line, where no step, marker or end label
    # ("2,783") can run into it; on the side of the line with room: right when as_of is early.
    early = as_of - steps["reported_on"].min() < (end - as_of)
    ax.annotate(
        f"as of {formatting.day(as_of)}", (as_of, 1), xycoords=("data", "axes fraction"),
        textcoords="offset points", xytext=(0, 2),
        ha="left" if early else "right", va="bottom", fontsize=7.5, color="#555555",
    )  # fmt: skip
    ax.set_ylabel(axis or scopes.words(None)["axis"])
    ax.set_ylim(0, top)
    ax.yaxis.set_major_formatter(THOUSANDS)
    ax.grid(axis="y")
    span = end - steps["reported_on"].min()
    pad = max(span * 0.08, pd.Timedelta(days=3))
    left, right = steps["reported_on"].min() - pad, end + pad
    ax.set_xlim(left, right)
    locator = date_locator(left.to_pydatetime(), right.to_pydatetime())
    ax.xaxis.set_major_locator(locator)
    # Every tick names its month (or year): "15 Nov", "Dec 2020", "2021"; never a bare "15".
    formats = ["%Y", "%b %Y", "%d %b", "%d %b %H:%M", "%H:%M", "%H:%M:%S"]
    ax.xaxis.set_major_formatter(
        matplotlib.dates.ConciseDateFormatter(
            locator, formats=formats, zero_formats=formats, show_offset=False
        )
    )
    party_handles = ax.get_legend_handles_labels()[0]
    if others:
        label = f"{len(others)} other parties" if len(others) > 1 else party_name(others[0])
        party_handles.append(plt.Line2D([], [], color=OTHERS_COLOUR, linewidth=0.8, label=label))
    basis_handles = [
        plt.Line2D([], [], linestyle="none", marker=marker[b], color="#444444", label=basis_name(b))
        for b in bases
    ]
    # Outside the axes, so that it never covers a step or its value label.
    ax.legend(
        handles=party_handles + basis_handles, loc="center left", bbox_to_anchor=(1.08, 0.5),
        fontsize=7, frameon=False,
    )  # fmt: skip
    fig.tight_layout()
    return fig, others


def official_counts(
    steps: pd.DataFrame,
    as_of: object,
    source: str,
    retrospective: pd.DataFrame | None = None,
    scope: object = None,
) -> Section:
    """Each party's official count as steps (a count holds until revised), the basis of each
    figure by marker, the as-of date marked; with a retrospective, the range the report gave
    on its date drawn as a band from that date on. Labelled with the toll's scope (the figures
    loaded last unless given)."""
    said = scopes.words(scope)
    as_of = pd.Timestamp(as_of)
    steps = steps.sort_values(["party", "reported_on"])
    bands = {} if retrospective is None else {r.party: r for r in retrospective.itertuples()}
    fig, others = official_counts_figure(steps, as_of, bands, said["axis"])
    parts = [
        f"{party_name(r.party)} {formatting.count(r.value)} on {formatting.day(r.reported_on)}"
        f" ({'basis not stated' if r.basis == 'not_stated' else basis_name(r.basis).lower()})"
        for r in steps.itertuples()
    ]
    if bands:
        finding = "How each party's count went on after the report's date, against its range."
        flat = [party_name(p) for p, b in bands.items() if not b.asof_high > b.asof_low]
        if len(flat) == len(bands):  # a range of one value has no band to shade
            said_band = (
                f"the range this report gives on {formatting.day(as_of)} (dotted line) is each"
                " count itself, with nothing to add to it, so no band is drawn"
            )
        else:
            said_band = (
                f"the shaded band is the range this report gives on {formatting.day(as_of)}"
                " (dotted line)"
                + (f"; {', '.join(flat)}: the count alone, no band" if flat else "")
            )
        caption = (
            f"Each party's official count as steps; {said_band}; markers show the basis of each"
            " figure."
        )
    else:
        finding = f"Each party's count of {said['toll']}, as it was reported over time."
        caption = (
            "A count holds until revised; markers show the basis of each figure; the dotted line"
            f" marks {formatting.day(as_of)}."
        )
    grey = ""
    if others:  # named here, since the chart's labels name only the coloured parties
        names = ", ".join(party_name(party) for party in others)
        grey = (
            f" In grey, the {len(others)} parties with smaller counts: {names}."
            if len(others) > 1
            else f" In grey, the party with the smallest count: {names}."
        )
    return chart(
        fig,
        alt=f"Official counts of {said['toll']}, by date of report: {'; '.join(parts)}.{grey}",
        finding=finding,
        caption=caption + grey,
        source=source,
    )
