"""The report's sections, as objects that render their template when a notebook cell shows them.

Each function gathers the values a section needs from the figures and the results and returns
a `render.Section`; the words and the markup live in `templates/sections/`. No number is typed
into prose: every figure in a sentence comes from the data, the results or a parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import pandas as pd

from . import formatting, vocabulary
from .render import Section
from .uncertainty import BOTH, military_parties, result_row
from .vocabulary import party_name

QUALIFIER_WORDS = {
    "exact": "",
    "at_least": "at least ",
    "more_than": "more than ",
    "about": "about ",
    "up_to": "up to ",
}
# Figures the data keep as context: they are not casualties, so "What changed" leaves them out.
CONTEXT_METRICS = frozenset(
    {
        "peacekeepers_deployed",
        "refugees_returned",
        "areas_to_withdraw_from",
        "political_parties_calling_for_resignation",
    }
)
# The rows of the results a reader asks about, in the order the report shows them, with the
# short name the table gives each (the CSV has every quantity, described in full).
HEADLINE_QUANTITIES = {
    "military_deaths_confirmed": "Soldiers killed, as reported",
    "military_deaths_additional": "What the missing and unidentified could add",
    "military_deaths": "Possible military toll",
    "military_missing": "Soldiers missing in action",
    "unidentified_bodies": "Bodies awaiting identification",
    "civilians_killed": "Civilians killed",
    "military_wounded_hospitalised": "Wounded soldiers in hospital",
}
# Parameters that set up a run rather than assume anything: they go to provenance (the title
# heads the report, the data file and the results path are printed on their own).
RUN_SETTINGS = (
    "as_of",
    "compare_to",
    "period_start",
    "period_end",
    "interval",
    "n_draws",
    "seed",
)
NOT_ASSUMPTIONS = (*RUN_SETTINGS, "report_title", "data_path", "results_path")


def figure_phrase(row: Mapping) -> str:
    """A reported figure as words: 'more than 100', '2,783', '10,000 to 99,999'."""
    if row["qualifier"] == "range":
        return f"{formatting.count(row['value'])} to {formatting.count(row['value_high'])}"
    return QUALIFIER_WORDS[row["qualifier"]] + formatting.count(row["value"])


def sources_line(figures: pd.DataFrame) -> str:
    """One line naming every source of the figures shown, for captions (plain text)."""
    titles = figures.drop_duplicates("source_title")
    names = "; ".join(
        f"“{r.source_title}” ({formatting.day(r.source_published_on)})" for r in titles.itertuples()
    )
    return f"Source: {names}. Calculations: this report."


def title_block(title: str, as_of: str, in_use: pd.DataFrame, built: str) -> Section:
    """The report's title, the date its figures stand at, and the day it was built."""
    latest = in_use["reported_on"].max() if not in_use.empty else None
    return Section("title_block.html.j2", title=title, as_of=as_of, latest=latest, built=built)


def key_findings(
    results: pd.DataFrame, in_use: pd.DataFrame, sensitivity: pd.DataFrame, interval: float
) -> Section:
    """The headline sentences (at most five), every number from the data or the results."""
    parties = military_parties(in_use)
    moving = sensitivity[sensitivity["swing"] > 0]
    others = []
    for metric, what in (
        ("civilians_killed", "civilians were killed"),
        ("military_wounded_hospitalised", "wounded soldiers were in hospital"),
    ):
        for row in in_use[in_use["metric"] == metric].to_dict("records"):
            who = "on both sides" if row["party"] == BOTH else f"({party_name(row['party'])})"
            others.append(
                {
                    "phrase": figure_phrase(row),
                    "what": what,
                    "who": who,
                    "reported_by": row["reported_by"],
                }
            )
    return Section(
        "findings.html.j2",
        parties=[
            {"code": p, "confirmed": result_row(results, "military_deaths_confirmed", p)["best"]}
            for p in parties
        ],
        confirmed=result_row(results, "military_deaths_confirmed", vocabulary.ALL),
        toll=result_row(results, "military_deaths", vocabulary.ALL),
        interval=interval * 100,
        top=None if moving.empty else moving.iloc[0],
        others=others[: 5 - 3],
    )


def paragraphs(*texts: str) -> Section:
    """Plain paragraphs (escaped), for a sentence the notebook states from the results."""
    return Section("paragraphs.html.j2", paragraphs=list(texts))


def table(
    rows: list[dict],
    columns: Iterable[tuple[str, str, int, bool]],
    caption: str,
    empty: str = "None reported up to this date.",
    note: str = "",
    links: Iterable[tuple[str, str]] = (),
) -> Section:
    """A table: columns as (key, title, width in percent, numeric); rows as dicts by key."""
    return Section(
        "table.html.j2",
        rows=rows,
        columns=[{"key": k, "title": t, "width": w, "numeric": n} for k, t, w, n in columns],
        caption=caption,
        empty=empty,
        note=note,
        links=[{"text": text, "href": href} for text, href in links],
        css_class="",
    )


def results_table(results: pd.DataFrame, csv_name: str) -> Section:
    """The quantities a reader asks about; the full table is the CSV, linked."""
    shown = results[results["quantity"].isin(HEADLINE_QUANTITIES)].copy()
    order = {q: i for i, q in enumerate(HEADLINE_QUANTITIES)}
    shown = shown.sort_values("quantity", key=lambda s: s.map(order), kind="stable")
    rows = []
    for r in shown.to_dict("records"):
        unit = r["unit"]
        low, high = (formatting.by_unit(r[c], unit) for c in ("low", "high"))
        i_low, i_high = (formatting.by_unit(r[c], unit) for c in ("interval_low", "interval_high"))
        rows.append(
            {
                "quantity": HEADLINE_QUANTITIES[r["quantity"]],
                "party": party_name(r["party"]),
                "best": formatting.by_unit(r["best"], unit),
                "interval": i_low if i_low == i_high else f"{i_low}–{i_high}",
                "range": low if low == high else f"{low}–{high}",
            }
        )
    columns = [
        ("quantity", "Quantity", 38, False),
        ("party", "Party", 16, False),
        ("best", "Best", 12, True),
        ("interval", "Interval", 17, True),
        ("range", "Low–high", 17, True),
    ]
    links = [(csv_name, csv_name)] if csv_name else []
    note = "Every quantity, with its unit and note, is in the results file" if links else ""
    return table(
        rows, columns, "Results: the quantities a reader asks about", note=note, links=links
    )


def sources_table(figures: pd.DataFrame) -> Section:
    """Each source once, each quoted sentence once, with the casualty figures it carries."""
    context = figures[figures["metric"].isin(CONTEXT_METRICS)]
    figures = figures[~figures["metric"].isin(CONTEXT_METRICS)]
    sources = []
    for (title, url), rows in figures.groupby(["source_title", "source_url"], sort=False):
        quotes = []
        for quote, carried in rows.groupby("quote", sort=False):
            first = carried.iloc[0]
            quotes.append(
                {
                    "text": quote,
                    "language": first.get("quote_language", "en") or "en",
                    "gloss": first.get("quote_en", "") or "",
                    "figures": [
                        {
                            "party": r["party"],
                            "metric": r["metric"],
                            "phrase": figure_phrase(r),
                            "reported_by": r["reported_by"],
                            "reported_on": r["reported_on"],
                        }
                        for r in carried.to_dict("records")
                    ],
                }
            )
        published = rows["source_published_on"].dropna()
        sources.append(
            {
                "title": title,
                "url": url,
                "published": published.iloc[0] if not published.empty else None,
                "quotes": quotes,
            }
        )
    return Section(
        "sources_table.html.j2",
        sources=sources,
        context=sorted({vocabulary.metric_name(m).lower() for m in context["metric"]}),
    )


def changes_section(since: pd.Timestamp | None, changes: pd.DataFrame, as_of: str) -> Section:
    """What moved between an earlier date and `as_of` among the casualty figures."""
    changes = changes[~changes["metric"].isin(CONTEXT_METRICS)]

    def phrase(row: Mapping, when: str) -> str:
        keys = ("value", "value_high", "qualifier")
        return figure_phrase({k: row[f"{k}_{when}"] for k in keys})

    def item(row: Mapping) -> dict:
        change = row["change"]
        return {
            "party": row["party"],
            "metric": row["metric"],
            "before": phrase(row, "before") if row["status"] == "revised" else "",
            "now": phrase(row, "now"),
            "change": "" if pd.isna(change) else formatting.signed(change),
            "reported_on": row["reported_on_now"],
        }

    return Section(
        "changes.html.j2",
        since=since,
        as_of=as_of,
        revised=[item(r) for r in changes.to_dict("records") if r["status"] == "revised"],
        new=[item(r) for r in changes.to_dict("records") if r["status"] == "new"],
    )


def method(in_use: pd.DataFrame, n_draws: int, interval: float) -> Section:
    """Definitions of who and what is counted, from the data package; the model's terms."""
    counted = in_use[~in_use["metric"].isin(CONTEXT_METRICS)]
    bases = sorted(set(counted["basis"])) if "basis" in counted else []
    return Section(
        "method.html.j2",
        parties=vocabulary.definitions("party", sorted(set(counted["party"]))),
        metrics=vocabulary.definitions("metric", sorted(set(counted["metric"]))),
        bases=vocabulary.definitions("basis", bases),
        n_draws=n_draws,
        interval_share=formatting.share(interval),
    )


def assumptions_table(
    values: Mapping[str, object], labels: Mapping[str, str], justifications: Mapping[str, str]
) -> Section:
    """The assumptions of this run (not its settings): value, and why the default is what it is."""
    rows = []
    for name, value in values.items():
        if name in NOT_ASSUMPTIONS or name.endswith(("_best", "_high")):
            continue
        stem = name.removesuffix("_low")
        ends = [f"{stem}_{end}" for end in ("low", "best", "high")]
        if name.endswith("_low") and all(end in values for end in ends):
            # A low / best / high triple reads as one assumption, on one row.
            rows.append(
                {
                    "name": ", ".join(ends),
                    "label": labels.get(name, name).removesuffix(" (low)") + " (low, best, high)",
                    "value": " / ".join(str(values[end]) for end in ends),
                    "why": " ".join(justifications.get(end, "") for end in ends),
                }
            )
        else:
            rows.append(
                {
                    "name": name,
                    "label": labels.get(name, name),
                    "value": str(value),
                    "why": justifications.get(name, ""),
                }
            )
    return Section("assumptions.html.j2", rows=rows)


def provenance(
    data_file: str,
    data_sha256: str,
    commit: str,
    built: str,
    settings: Mapping[str, object],
    versions: Mapping[str, str],
) -> Section:
    """Data checksum, commit, build time, run settings and package versions on one line."""
    return Section(
        "provenance.html.j2",
        data_file=data_file,
        data_sha256=data_sha256,
        commit=commit,
        built=built,
        settings={k: v for k, v in settings.items() if k in RUN_SETTINGS},
        versions=versions,
    )


def how_to_cite(
    title: str, as_of: str, built: str, data_sha256: str, commit: str, citation: Mapping
) -> Section:
    """The citation of this report: title, as-of date, data checksum and commit; the licences."""
    return Section(
        "cite.html.j2",
        authors=citation["authors"],
        year=date.fromisoformat(str(built)[:10]).year,
        title=title,
        as_of=as_of,
        built=built,
        data_sha256=data_sha256,
        commit=commit,
        code_licence=citation["license"],
        data_licences=vocabulary.licences(),
    )


def no_uncertainty_note(results: pd.DataFrame) -> Section:
    """Said instead of the simulation charts when no assumption moves the total."""
    toll = result_row(results, "military_deaths", vocabulary.ALL)
    return paragraphs(
        "With these parameters no assumption moves the total: the low, best and high military"
        f" tolls are all {formatting.count(toll['best'])}, so there is nothing to simulate or rank."
    )
