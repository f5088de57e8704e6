"""The report's sentences and tables, generated from the figures and the results.

No number is typed into prose: every figure in a sentence comes from the data or the results.
Every text taken from the data is HTML-escaped here (and in `plots.figure_html`, the other
writer of report HTML); the PDF is printed from the same HTML, so it is escaped there too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from html import escape

import pandas as pd

from . import formatting
from .figures import resource_descriptor
from .uncertainty import BOTH, military_parties, result_row

QUALIFIER_WORDS = {
    "exact": "",
    "at_least": "at least ",
    "more_than": "more than ",
    "about": "about ",
    "up_to": "up to ",
}


@cache
def _categories(field: str) -> dict[str, str]:
    """Short labels of a vocabulary field, from the data package ('Armenia (ISO…)' -> 'Armenia')."""
    fields = resource_descriptor()["schema"]["fields"]
    spec = next(f for f in fields if f["name"] == field)
    return {c["value"]: c["label"].split(" (")[0] for c in spec.get("categories", [])}


def party_name(code: str) -> str:
    """'ARM' -> 'Armenia'; codes outside the vocabulary (e.g. 'ALL') pass through."""
    return {"ALL": "All parties", **_categories("party")}.get(code, code)


def metric_name(code: str) -> str:
    return _categories("metric").get(code, code.replace("_", " "))


def figure_phrase(row: Mapping) -> str:
    """A reported figure as words: 'more than 100', '2,783', '10,000 to 99,999'."""
    if row["qualifier"] == "range":
        return f"{formatting.count(row['value'])} to {formatting.count(row['value_high'])}"
    return QUALIFIER_WORDS[row["qualifier"]] + formatting.count(row["value"])


def _range(row: pd.Series) -> str:
    return f"{formatting.count(row['low'])} to {formatting.count(row['high'])}"


def _interval(row: pd.Series) -> str:
    return f"{formatting.count(row['interval_low'])} to {formatting.count(row['interval_high'])}"


def sources_line(figures: pd.DataFrame) -> str:
    """One line naming every source of the figures shown, for captions and chart footers."""
    titles = figures.drop_duplicates("source_title")
    names = "; ".join(
        f"“{r.source_title}” ({formatting.day(r.source_published_on)})" for r in titles.itertuples()
    )
    return f"Source: {names}. Calculations: this report."


def title_block(title: str, as_of: str, in_use: pd.DataFrame, built: str) -> str:
    latest = in_use["reported_on"].max()
    return (
        f"<h1>{escape(title)}</h1>"
        f'<p class="report-meta">Figures as reported up to <strong>{formatting.day(as_of)}</strong>'
        f" (latest report used: {formatting.day(latest)}). Built {escape(built)}.</p>"
    )


def key_findings(
    results: pd.DataFrame, in_use: pd.DataFrame, sensitivity: pd.DataFrame, interval: float
) -> str:
    """The headline sentences, every number from the data or the results."""
    parties = military_parties(in_use)
    sentences = []
    confirmed = [
        f"{escape(party_name(p))} "
        + formatting.count(result_row(results, "military_deaths_confirmed", p)["best"])
        for p in parties
    ]
    total = result_row(results, "military_deaths_confirmed", "ALL")
    sentences.append(
        f"<strong>{formatting.count(total['best'])} soldiers are confirmed to have died</strong>"
        f" ({', '.join(confirmed)})."
    )
    combined = in_use[(in_use["metric"] == "military_killed") & (in_use["party"] == BOTH)]
    for row in combined.to_dict("records"):
        sentences.append(
            f"{escape(row['reported_by'])} reported {figure_phrase(row)} soldiers confirmed dead"
            f" for both sides together; it is a cross-check, not added to the parties' counts."
        )
    toll = result_row(results, "military_deaths", "ALL")
    if toll["high"] > toll["low"]:
        sentences.append(
            "Allowing for the soldiers missing in action and the bodies still to be identified,"
            f" <strong>the military toll lies between {formatting.count(toll['low'])} and"
            f" {formatting.count(toll['high'])}</strong>, with a best"
            f" estimate of {formatting.count(toll['best'])} and a {interval:.0%} simulated"
            f" interval of {_interval(toll)}."
        )
        top = sensitivity.iloc[0]
        sentences.append(
            f"The assumption that matters most is <em>{escape(str(top['label']).lower())}</em>:"
            f" from its low to its high end it moves the total from"
            f" {formatting.count(top['total_at_low'])} to {formatting.count(top['total_at_high'])}."
        )
    for p in parties:
        has_unknowns = in_use[
            (in_use["party"] == p)
            & in_use["metric"].isin(["military_missing", "unidentified_bodies"])
        ]
        if has_unknowns.empty:
            sentences.append(
                f"{escape(party_name(p))}'s count comes with no figure for missing soldiers or"
                " unidentified bodies in the data: it is a lower bound whose uncertainty the"
                " data do not quantify."
            )
    for metric, what in (
        ("civilians_killed", "civilians were killed"),
        ("military_wounded_hospitalised", "wounded soldiers were in hospital"),
    ):
        for row in in_use[in_use["metric"] == metric].to_dict("records"):
            who = (
                "on both sides" if row["party"] == BOTH else f"({escape(party_name(row['party']))})"
            )
            sentences.append(
                f"{figure_phrase(row).capitalize()} {what} {who}, reported by"
                f" {escape(row['reported_by'])}; counted apart from military deaths."
            )
    return '<div class="key-figures">' + "".join(f"<p>{s}</p>" for s in sentences) + "</div>"


def html_table(frame: pd.DataFrame, widths: Iterable[int], numeric: Iterable[str] = ()) -> str:
    """A plain HTML table with column widths in percent; cells are escaped unless `Markup`."""
    numeric = set(numeric)
    cols = "".join(f'<col style="width: {w}%">' for w in widths)

    def cell(tag: str, column: str, value: object) -> str:
        css = ' class="num"' if column in numeric else ""
        text = value if isinstance(value, Markup) else escape(str(value))
        return f"<{tag}{css}>{text}</{tag}>"

    head = "".join(cell("th", c, c) for c in frame.columns)
    body = "".join(
        "<tr>"
        + "".join(cell("td", c, v) for c, v in zip(frame.columns, row, strict=True))
        + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return (
        f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


class Markup(str):
    """A string that is already safe HTML (built here from escaped parts)."""


def link(title: str, url: str) -> Markup:
    """The title, linked to its source when the URL is a web address (never `javascript:`)."""
    if not url.startswith(("http://", "https://")):
        return Markup(escape(title))
    return Markup(f'<a href="{escape(url)}">{escape(title)}</a>')


def figures_table(figures: pd.DataFrame) -> str:
    """Reported figures with qualifier, date, reporter, source and the quote that carries them."""
    if figures.empty:
        return "<p>None reported up to this date.</p>"
    rows = figures.sort_values(["party", "metric"])
    frame = pd.DataFrame(
        {
            "Party": [party_name(p) for p in rows["party"]],
            "Figure": [metric_name(m) for m in rows["metric"]],
            "Value": [figure_phrase(r) for r in rows.to_dict("records")],
            "Reported": [
                f"{formatting.day(d)}, {by}"
                for d, by in zip(rows["reported_on"], rows["reported_by"], strict=True)
            ],
            "Source and quote": [
                Markup(f"{link(r['source_title'], r['source_url'])}: “{escape(r['quote'])}”")
                for r in rows.to_dict("records")
            ],
        }
    )
    return html_table(frame, widths=[12, 18, 13, 19, 38])


def results_table(results: pd.DataFrame, quantities: Mapping[str, tuple[str, str]]) -> str:
    """The results: low / best / high and the simulated interval, formatted by unit."""

    def fmt(column: str) -> list[str]:
        return [
            formatting.by_unit(v, u) for v, u in zip(results[column], results["unit"], strict=True)
        ]

    frame = pd.DataFrame(
        {
            "Quantity": [quantities[q][1] for q in results["quantity"]],
            "Party": [party_name(p) for p in results["party"]],
            "Low": fmt("low"),
            "Best": fmt("best"),
            "High": fmt("high"),
            "Interval": [
                a if a == b else f"{a} – {b}"
                for a, b in zip(fmt("interval_low"), fmt("interval_high"), strict=True)
            ],
            "Note": results["note"],
        }
    )
    return html_table(
        frame, widths=[26, 12, 8, 8, 8, 14, 24], numeric=["Low", "Best", "High", "Interval"]
    )


def assumptions_table(
    values: Mapping[str, object], meanings: Mapping[str, str], justifications: Mapping[str, str]
) -> str:
    """Every parameter of this run: its value, what it means, and why the default is what it is."""
    frame = pd.DataFrame(
        {
            "Parameter": list(values),
            "Value": [repr(v) if isinstance(v, str) else str(v) for v in values.values()],
            "Meaning": [meanings.get(k, "") for k in values],
            "Why": [justifications.get(k, "") for k in values],
        }
    )
    return html_table(frame, widths=[25, 12, 27, 36])


def _phrase(row: object, when: str) -> str:
    """The figure of a what-changed row, before or now, with its qualifier."""
    return figure_phrase(
        {
            "value": getattr(row, f"value_{when}"),
            "value_high": getattr(row, f"value_high_{when}"),
            "qualifier": getattr(row, f"qualifier_{when}"),
        }
    )


def changes_section(since: pd.Timestamp | None, changes: pd.DataFrame, as_of: str) -> str:
    """What moved between an earlier date and `as_of`, or a sentence saying nothing did."""
    if since is None:
        return "<p>No figure was reported on or before the as-of date.</p>"
    period = f"between {formatting.day(since)} and {formatting.day(as_of)}"
    revised = changes[changes["status"] == "revised"]
    new = changes[changes["status"] == "new"]
    parts = []
    if revised.empty:
        parts.append(f"<p>No figure in use was revised {period}.</p>")
    else:
        items = "".join(
            f"<li>{escape(party_name(r.party))}, {escape(metric_name(r.metric))}:"
            f" {_phrase(r, 'before')} → {_phrase(r, 'now')}"
            f" ({'+' if r.change >= 0 else '−'}{formatting.count(abs(r.change))}),"
            f" reported {formatting.day(r.reported_on_now)}</li>"
            for r in revised.itertuples()
        )
        parts.append(f"<p>Figures revised {period}:</p><ul>{items}</ul>")
    if not new.empty:
        items = "".join(
            f"<li>{escape(party_name(r.party))}, {escape(metric_name(r.metric))}:"
            f" {_phrase(r, 'now')}, reported {formatting.day(r.reported_on_now)}</li>"
            for r in new.itertuples()
        )
        parts.append(f"<p>Reported for the first time {period}:</p><ul>{items}</ul>")
    return "".join(parts)


def sources_list(figures: pd.DataFrame) -> str:
    """Each source with title, publication date and link."""
    sources = figures.drop_duplicates(["source_title", "source_url"])
    items = "".join(
        f"<li>{link(r.source_title, r.source_url)}, published"
        f" {formatting.day(r.source_published_on)}</li>"
        for r in sources.itertuples()
    )
    return f"<ul>{items}</ul>"


def provenance_table(entries: Mapping[str, object]) -> str:
    """Key–value pairs of the build's provenance, escaped, in a two-column table."""
    rows = "".join(
        f"<tr><th>{escape(str(k))}</th><td><code>{escape(str(v))}</code></td></tr>"
        for k, v in entries.items()
    )
    return (
        '<table class="provenance"><colgroup><col style="width: 25%"><col style="width: 75%">'
        f"</colgroup><tbody>{rows}</tbody></table>"
    )


def deaths_by_party_alt(results: pd.DataFrame, parties: list[str]) -> str:
    """Alt text of the deaths-by-party chart: the numbers a sighted reader sees."""
    parts = []
    for p in parties:
        confirmed = result_row(results, "military_deaths_confirmed", p)
        toll = result_row(results, "military_deaths", p)
        parts.append(
            f"{party_name(p)}: {formatting.count(confirmed['best'])} confirmed, best estimate"
            f" {formatting.count(toll['best'])}, range {_range(toll)}"
        )
    return "Bar chart of military deaths by party. " + "; ".join(parts) + "."


def simulation_alt(total: pd.Series, interval: float, n_draws: int) -> str:
    return (
        f"Histogram of {n_draws:,} simulated totals of military deaths. Best estimate"
        f" {formatting.count(total['best'])}; {interval:.0%} interval {_interval(total)};"
        f" bounds {_range(total)}."
    )


def no_uncertainty_note(results: pd.DataFrame) -> str:
    """Said instead of the simulation charts when no assumption moves the total."""
    toll = result_row(results, "military_deaths", "ALL")
    return (
        "<p>With these parameters no assumption moves the total: the low, best and high"
        f" military tolls are all {formatting.count(toll['best'])}, so there is nothing to"
        " simulate or rank.</p>"
    )


def tornado_alt(sensitivity: pd.DataFrame) -> str:
    parts = [
        f"{r.label}: {formatting.count(r.total_at_low)} to {formatting.count(r.total_at_high)}"
        for r in sensitivity.itertuples()
    ]
    return (
        "Tornado chart of the total military deaths as each assumption swings. "
        + "; ".join(parts)
        + "."
    )


def timeline_alt(history: pd.DataFrame) -> str:
    parts = [
        f"{party_name(r.party)} {formatting.count(r.value)} on {formatting.day(r.reported_on)}"
        for r in history.sort_values(["party", "reported_on"]).itertuples()
    ]
    return "Reported soldiers killed by date of report: " + "; ".join(parts) + "."
