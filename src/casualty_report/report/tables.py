"""The report's tables of figures: any table, the figures in use, the sources and assumptions.

Cells hold plain words (no formulas, no figure ids); numbers are right-aligned by the template.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from casualty_report.ledger.figures import same_day_groups
from casualty_report.ledger.series import superseded
from casualty_report.ledger.vocabulary import basis_name, metric_name, party_name
from casualty_report.report import formatting, notes
from casualty_report.report.render import Section

WOUNDED_RATIO = "confirmed_killed_per_hospitalised_wounded"
# Parameters that set up a run rather than assume anything: they go to provenance.
RUN_SETTINGS = ("as_of", "compare_to", "period_start", "period_end", "interval", "n_draws", "seed")


def table(
    rows: list[dict],
    columns: Iterable[tuple[str, str, int, bool]],
    caption: str,
    empty: str = "None reported up to this date.",
    note: str = "",
    links: Iterable[tuple[str, str]] = (),
    css_class: str = "",
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
        css_class=css_class,
    )


def figures_in_use(analysis: Any) -> Section:
    """The figures the model reads: value, basis, date, how each is used, other sources that day."""
    in_use = analysis.in_use.set_index("figure_id")
    results = analysis.results
    ratios = set(results.loc[results["quantity"] == WOUNDED_RATIO, "party"])
    rows = []
    for r in analysis.inputs.to_dict("records"):
        source = in_use.loc[r["figure_id"]]
        also = [name for name in source.get("corroborated_by", "").split("; ") if name]
        differs = formatting.disagreement_words(source.get("disagreement", ()))
        parts = (
            f"{len(also)} more agree" if also else "",
            f"others give {differs}" if differs else "",
        )
        others = "; ".join(part for part in parts if part)
        revised = formatting.series_words(source.get("same_day_series", ()))
        if revised:  # the day's revisions, of which this figure is the last
            others = "; ".join(part for part in (f"revised that day: {revised}", others) if part)
        rows.append(
            {
                "party": party_name(r["party"]),
                "metric": metric_name(r["metric"]),
                "value": formatting.row_words(r),
                "basis": basis_name(r["basis"]),
                "reported": formatting.day(r["reported_on"]) + (f"; {others}" if others else ""),
                "use": notes.treatment(r) + _no_ratio(r, analysis.parties, ratios),
            }
        )
    columns = [
        ("party", "Party", 11, False),
        ("metric", "Figure", 21, False),
        ("value", "As reported", 11, True),
        ("basis", "Basis", 11, False),
        ("reported", "Reported; other sources that day", 23, False),
        ("use", "How the report uses it", 23, False),
    ]
    caption = "The figures in use on the report's date and how each is used"
    return table(rows, columns, caption, css_class="small")


def _no_ratio(r: Mapping[str, Any], parties: Iterable[str], ratios: set[str]) -> str:
    """Why a modelled party's count of wounded in hospital gives no ratio, if it gives none."""
    if r["metric"] != "military_wounded_hospitalised" or r["party"] not in parties:
        return ""
    if r["party"] in ratios:
        return ""
    return "; no killed per wounded ratio: the count of wounded can be 0, and none is divided by 0"


def shown_figures(all_figures: pd.DataFrame, ids: Iterable[str]) -> pd.DataFrame:
    """The rows of the ledger with these figure ids, in file order, with every row of a same-day
    series that one of them belongs to: the report names the day's revisions, so their sources
    are listed too."""
    shown = all_figures["figure_id"].isin(set(ids))
    groups = same_day_groups(all_figures)  # the series' number of each of their rows, by line
    named = groups[groups.index.isin(all_figures.index[shown])]
    return all_figures[shown | all_figures.index.isin(groups.index[groups.isin(set(named))])]


def source_title(title: str, url: str, when: object) -> str:
    """A source's title as the reader should see it: its headline, or, where the ledger holds a
    bracketed note instead ("[headline not shown …]"), the site and the date."""
    text = str(title).strip()
    if text and not (text[0] in "([" and text[-1] in ")]"):
        return text
    site = (urlsplit(str(url)).hostname or "").removeprefix("www.")
    return f"{site}, {formatting.day(when)}" if site else formatting.day(when)


def same_day_figures(all_figures: pd.DataFrame, shown: pd.DataFrame) -> pd.DataFrame:
    """The rows of the other sources that gave a figure of a shown figure's party, metric and
    day: the same value ("N more agree", `corroborated_by`) or another ("others give"), never
    a figure its own reporter revised that day, so that each can be traced to its source."""
    rows = all_figures.drop(index=superseded(all_figures))

    def keys(frame: pd.DataFrame) -> pd.MultiIndex:
        return pd.MultiIndex.from_frame(frame[["party", "metric", "reported_on"]])

    same = keys(rows).isin(keys(shown))
    return rows[same & ~rows["figure_id"].isin(set(shown["figure_id"]))]


def _source(title: str, url: str, rows: pd.DataFrame) -> dict[str, Any]:
    """A source of `rows` as the table names it: its title (`source_title`), its address and its
    publication date, None where there is none or where the title already ends with it."""
    published = rows["source_published_on"].dropna()
    when = published.iloc[0] if not published.empty else rows["reported_on"].min()
    shown = source_title(title, url, when)
    dated = not published.empty and not shown.endswith(formatting.day(published.iloc[0]))
    return {"title": shown, "url": url, "published": published.iloc[0] if dated else None}


def sources_table(figures: pd.DataFrame, others: pd.DataFrame | None = None) -> Section:
    """Each source once, each quoted sentence once, with the casualty figures it carries; then,
    in a line each, the other sources of the same party, metric and day (`others`,
    `same_day_figures`)."""
    also = []
    if others is not None:
        for (title, url), rows in others.groupby(["source_title", "source_url"], sort=False):
            also.append(
                {
                    **_source(title, url, rows),
                    "figures": [
                        (r["party"], r["metric"], formatting.row_words(r), r["reported_on"])
                        for r in rows.to_dict("records")
                    ],
                }
            )
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
                            "phrase": formatting.row_words(r),
                            "basis": r.get("basis", "not_stated"),
                            "by_when": (r["reported_by"], r["reported_on"]),
                        }
                        for r in carried.to_dict("records")
                    ],
                }
            )
        sources.append({**_source(title, url, rows), "quotes": quotes})
    return Section(
        "sources_table.html.j2",
        sources=sources,
        also=also,
    )


def _triple_reasons(ends: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The reasons of a low / best / high triple: the ledger's evidence, which is the same for
    all three ends, once; then each end's own judgement."""
    unused = [("unused", ends[0]["unused"])] if ends[0].get("unused") else []
    shared = ends[0].get("evidence")
    if not shared:
        return unused + [
            ("evidence" if e["kind"] == "evidence" else "judgement", e["reason"]) for e in ends
        ]
    return unused + [("evidence", shared)] + [("judgement", e["judgement"]) for e in ends]


def assumptions_table(reasons: list[dict[str, Any]]) -> Section:
    """The assumptions (not the run settings), each with its value and the reason for it:
    evidence from the ledger, or a judgement, labelled as such."""
    by_name = {r["name"]: r for r in reasons if r["name"] not in RUN_SETTINGS}
    rows = []
    for name, r in by_name.items():
        if name.endswith(("_best", "_high")) and name.rsplit("_", 1)[0] + "_low" in by_name:
            continue
        stem = name.removesuffix("_low")
        ends = [by_name.get(f"{stem}_{end}") for end in ("low", "best", "high")]
        if name.endswith("_low") and all(ends):
            # A low / best / high triple reads as one assumption, on one row.
            rows.append(
                {
                    "name": ", ".join(e["name"] for e in ends),
                    "label": r["meaning"].removesuffix(" (low)") + " (low, best, high)",
                    "value": " / ".join(f"{e['value']:g}" for e in ends),
                    "reasons": _triple_reasons(ends),
                }
            )
        else:
            rows.append(
                {
                    "name": name,
                    "label": r["meaning"],
                    "value": str(r["value"]),
                    "reasons": ([("unused", r["unused"])] if r.get("unused") else [])
                    + [("evidence" if r["kind"] == "evidence" else "judgement", r["reason"])],
                }
            )
    return Section("assumptions.html.j2", rows=rows)
