"""The report's story: title, key findings, open counts, scenarios, results and how they held up.

Each function gathers the values a section needs from the analysis and returns a
`render.Section`; the words and the markup live in `templates/sections/`. No number is typed
into prose: every figure in a sentence comes from the data, the results or a parameter. While
a count is open, no sentence gives a low–high range as the bounds of a toll: counts are "at
least", and what the missing and unidentified could add is stated as an addition.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from casualty_report.ledger.scope import MILITARY
from casualty_report.ledger.vocabulary import basis_name, party_name
from casualty_report.model.quantities import ALL, MIXTURE, SCENARIOS
from casualty_report.model.results import result_row
from casualty_report.report import formatting, scopes
from casualty_report.report.outlook import key_finding
from casualty_report.report.render import Section
from casualty_report.report.tables import table

SCENARIO_QUANTITIES = ("military_deaths_additional", "military_deaths")
MAX_PARTIES_SHOWN = 4  # beyond this many parties, the short results table shows the totals only


def default_title(conflict: Any, as_of: str, scope: Any = None) -> str:
    """The conflict package's report title, or a neutral one that names the toll's scope and
    the date."""
    given = conflict.report.get("title") if conflict is not None else None
    title = scopes.words(scope)["title"]
    return given or f"{title}: figures as reported up to {formatting.day(as_of)}"


def title_block(
    title: str, as_of: str, in_use: pd.DataFrame, built: str, conflict: Any = None
) -> Section:
    """The report's title, the date its figures stand at, and the day it was built; its output
    also carries the report's title, date, keywords and authors for the HTML and PDF metadata
    (from the conflict's package)."""
    latest = in_use["reported_on"].max() if not in_use.empty else None
    about = {
        "title": title,
        "description": f"{title}: figures as reported up to {formatting.day(as_of)}",
        "keywords": list(getattr(conflict, "keywords", ())) or ["casualty figures"],
        "authors": list(getattr(conflict, "authors", ())),
    }
    return Section(
        "title_block.html.j2", metadata=about, title=title, as_of=as_of, latest=latest, built=built
    )


def _counts(counts: pd.DataFrame, in_use: pd.DataFrame | None = None) -> list[dict[str, Any]]:
    """Each modelled party's count in use: words, date, status, its rise, if any, and the
    figures it was revised through that day ("36 → 46 → 59"; "" for none), from `in_use`."""
    revised = {}
    if in_use is not None and "same_day_series" in in_use.columns:
        revised = dict(zip(in_use["figure_id"], in_use["same_day_series"], strict=True))
    rows = []
    for r in counts.to_dict("records"):
        rise = None if pd.isna(r["rise"]) or r["rise"] == 0 else r["rise"]
        rows.append(
            {
                "party": r["party"],
                "words": formatting.figure_words(int(r["value"]), None, r["qualifier"]),
                "qualifier": r["qualifier"],
                "value": int(r["value"]),
                "reported_on": r["reported_on"],
                "status": r["count_status"],
                "basis": r["basis"],
                "rise": rise,
                "rise_words": None if rise is None else formatting.count(abs(rise)),
                # None after a previous count of 0: the rise is then "from 0 to N", no percentage
                "rise_pct": None if rise is None or pd.isna(r["rise_pct"]) else _pct(r),
                "value_words": formatting.count(int(r["value"])),
                "days": None if rise is None else int(r["days"]),
                "statement": count_statement(r),
                "series": formatting.series_words(revised.get(r["figure_id"], ())),
            }
        )
    return rows


def _pct(r: dict) -> str:
    return f"{abs(r['rise_pct']):.0f} %"


def _scenario_rows(results: pd.DataFrame, quantity: str) -> list[dict[str, Any]]:
    """The all-parties rows of a quantity per scenario (or the one mixture row without any)."""
    rows = results[(results["quantity"] == quantity) & (results["party"] == ALL)]
    if (rows["scenario"] != MIXTURE).any():
        rows = rows[rows["scenario"] != MIXTURE]
    return [
        {
            **r,
            "name": formatting.scenario_name(r["scenario"]),
            "counted": r["scenario"] in _counted(),
        }
        for r in rows.to_dict("records")
    ]


def _counted() -> set[str]:
    return {name for name, c in SCENARIOS.items() if c == 1.0}


def key_findings(analysis: Any, reconciliation: list[dict[str, Any]], interval: float) -> Section:
    """The headline sentences (at most five), every number from the data or the results."""
    results = analysis.results
    confirmed = result_row(results, "military_deaths_confirmed", ALL)
    additions = [r for r in _scenario_rows(results, "military_deaths_additional") if r["high"] > 0]
    civilians = analysis.inputs[analysis.inputs["metric"] == "civilians_killed"]
    if analysis.metric != MILITARY:  # civilians are inside the toll: a split, never beside it
        civilians = civilians.iloc[0:0]
    later = analysis.retrospective.to_dict("records")
    return Section(
        "findings.html.j2",
        as_of=analysis.as_of,
        people=scopes.words(analysis)["noun"],
        confirmed=confirmed,
        counts=_counts(analysis.counts, analysis.in_use),
        not_yet=[
            {
                **u,
                "latest_words": formatting.figure_words(
                    int(u["latest_value"]), None, u["latest_qualifier"]
                ),
            }
            for u in analysis.not_yet_counted.to_dict("records")
        ],
        additions=additions,
        open_bodies=open_bodies(analysis),
        interval=formatting.share(interval),
        reconciliation=reconciliation[:1],
        later=later,
        civilians=[{**r, "words": formatting.row_words(r)} for r in civilians.to_dict("records")],
        outlook=key_finding(analysis),
    )


def open_bodies(analysis: Any) -> list[str]:
    """Whose unidentified bodies the scenarios are about ("Azerbaijan's"): the counted parties
    whose bodies the model leaves open (`Model.has_bodies`: no source of the figure places them)."""
    model = analysis.model
    return [f"{party_name(p)}'s" for p in model.parties if model.has_bodies(p)]


def counts_section(analysis: Any, reconciliation: list[dict[str, Any]]) -> Section:
    """The toll's scope and why; each party's count as open or final with its rise, its revisions
    that day and its split, if any; every party in the data counted or named with why not; and
    a source's sum reconciled."""
    stale = analysis.inputs[analysis.inputs["stale"]].to_dict("records")
    roles = analysis.party_roles.to_dict("records")
    period = analysis.period
    return Section(
        "counts.html.j2",
        scope=scopes.words(analysis),
        splits=scopes.splits(analysis),
        period=period,
        days=None if period is None else (period[1] - period[0]).days + 1,
        per_day=None
        if period is None
        else result_row(analysis.results, "military_deaths_confirmed_per_day", ALL),
        as_of=analysis.as_of,
        counts=_counts(analysis.counts, analysis.in_use),
        counted=[r["party"] for r in roles if r["role"] == "counted"],
        others=[r for r in roles if r["role"] != "counted"],
        reconciliation=reconciliation,
        stale=[{**r, "words": formatting.row_words(r)} for r in stale],
    )


def count_statement(r: dict) -> str:
    """The count's status in plain words, every number from the row."""
    if r["count_status"] == "final":
        return "final: marked as the final count in the ledger"
    if pd.isna(r["previous_value"]):
        return "open: a first report, not yet revised"
    if not r["same_basis"]:
        then, now = (basis_name(r[key]).lower() for key in ("previous_basis", "basis"))
        previous = f"the previous figure ({formatting.day(r['previous_reported_on'])})"
        if r["basis"] == "not_stated":  # unknown, not known to differ
            return (
                f"open: {previous} counted {then}; this one does not say how it was counted,"
                " so no rise is given"
            )
        if r["previous_basis"] == "not_stated":
            return (
                f"open: {previous} did not say how it was counted (this one: {now}), so no"
                " rise is given"
            )
        return f"open: {previous} counted something else ({then}, now {now}), so no rise is given"
    rise = r["rise"]
    verb = "rose" if rise > 0 else "fell" if rise < 0 else "stayed"
    span = "day" if r["days"] == 1 else f"{int(r['days'])} days"
    if rise == 0:
        return f"open: unchanged in the {span} to {formatting.day(r['reported_on'])}"
    if pd.isna(r["rise_pct"]):  # from a previous count of 0: no percentage of it
        return (
            f"open: rose from 0 to {formatting.count(r['value'])} in the {span} to"
            f" {formatting.day(r['reported_on'])}"
        )
    return (
        f"open: {verb} by {formatting.count(abs(rise))}, or {_pct(r)}, in the"
        f" {span} to {formatting.day(r['reported_on'])}"
    )


def reconciliation(analysis: Any) -> list[dict[str, Any]]:
    """Each source's own sum set beside the counts in use, where a party's count differs in
    value: what the source summed (`then`), what is in use (`now`), their totals and the
    parties that differ. From `analysis.reconciliation` (one row per sum and party)."""
    found = []
    combined = analysis.in_use.set_index("figure_id")
    for figure_id, rows in analysis.reconciliation.groupby("combined_figure_id", sort=False):
        if rows["source_value"].isna().any():
            continue  # the source did not give every party's count: it summed something else
        then = [_part(r, "source") for r in rows.to_dict("records")]
        now = [_part(r, "in_use") for r in rows.to_dict("records")]
        differs = [
            a["party"]
            for a, b in zip(then, now, strict=True)
            if (a["value"], a["qualifier"]) != (b["value"], b["qualifier"])
        ]
        if not differs:
            continue
        total = combined.loc[figure_id]
        found.append(
            {
                "source": total["reported_by"],
                "headline": total.get("value_as_written")
                or formatting.figure_words(
                    int(total["value"]), total.get("value_high"), total["qualifier"]
                ),
                "reported_on": total["reported_on"],
                "then": then,
                "then_total": sum(p["value"] for p in then),
                "now": now,
                "now_total": sum(p["value"] for p in now),
                "now_at_least": any(p["qualifier"] in ("at_least", "more_than") for p in now),
                "differs": differs,
            }
        )
    return found


def _part(row: dict[str, Any], side: str) -> dict[str, Any]:
    """One party's count on one side of a reconciliation ('source' or 'in_use')."""
    value, qualifier = int(row[f"{side}_value"]), row[f"{side}_qualifier"]
    return {
        "figure_id": row[f"{side}_figure_id"],
        "party": row["party"],
        "value": value,
        "qualifier": qualifier,
        "words": formatting.figure_words(value, None, qualifier),
        "reported_on": row[f"{side}_reported_on"],
    }


def results_table(
    results: pd.DataFrame,
    parties: Iterable[str],
    links: Iterable[tuple[str, str]],
    scope: Any = None,
) -> Section:
    """The quantities a reader asks about (at most about twelve rows), the toll's named by its
    scope (the figures loaded last unless given); the CSV files, linked."""
    parties, links = list(parties), list(links)
    names = scopes.headline_quantities(scope)
    shown_parties = {ALL, *(parties if len(parties) <= MAX_PARTIES_SHOWN else [])}
    shown = results[
        results["quantity"].isin(list(names)) & results["party"].isin(shown_parties | {"BOTH"})
    ]
    # Per scenario for the quantities that depend on it (the totals only); the mixture elsewhere.
    scenario_rows = shown["quantity"].isin(SCENARIO_QUANTITIES) & (shown["party"] == ALL)
    has_scenarios = (shown["scenario"] != MIXTURE).any()
    keep = shown["scenario"] == MIXTURE
    if has_scenarios:
        keep = (scenario_rows & (shown["scenario"] != MIXTURE)) | (
            ~shown["quantity"].isin(SCENARIO_QUANTITIES) & keep
        )
    shown = shown[keep]
    added = results.loc[results["quantity"] == "military_deaths_additional", "high"]
    nothing_added = added.empty or not (added > 0).any()
    if nothing_added:  # no missing or bodies in use: "0 more" would read as "none are missing"
        shown = shown[~shown["quantity"].isin(["military_deaths_additional", "military_deaths"])]
    order = {q: i for i, q in enumerate(names)}
    party_order = {p: i for i, p in enumerate([*parties, ALL])}
    shown = shown.assign(
        _q=shown["quantity"].map(order), _p=shown["party"].map(party_order).fillna(99)
    ).sort_values(["_q", "_p"], kind="stable")
    rows = []
    for r in shown.to_dict("records"):
        unit = r["unit"]
        is_open = r.get("count_status") == "open"
        low, high = (formatting.by_unit(r[c], unit) for c in ("low", "high"))
        i_low, i_high = (formatting.by_unit(r[c], unit) for c in ("interval_low", "interval_high"))
        adds = r["quantity"] == "military_deaths_additional"
        rows.append(
            {
                "quantity": names[r["quantity"]],
                "party": party_name(r["party"]),
                "scenario": ""
                if r["scenario"] == MIXTURE
                else formatting.scenario_name(r["scenario"]),
                "best": formatting.by_unit(r["best"], unit),
                "interval": i_low if i_low == i_high else f"{i_low}–{i_high}",
                "range": f"at least {low}"
                if is_open and not adds
                else (low if low == high else f"{low}–{high}"),
            }
        )
    columns = [
        ("quantity", "Quantity", 30, False),
        ("party", "Party", 13, False),
        ("scenario", "Scenario", 17, False),
        ("best", "Best", 10, True),
        ("interval", "Interval", 14, True),
        ("range", "Range", 16, True),
    ]
    return table(
        rows,
        columns,
        "Results: the quantities a reader asks about",
        note=(
            "Nothing is added to any count: the figures in use hold no missing and no bodies"
            " awaiting identification (not known, which is not none). "
            if nothing_added
            else ""
        )
        + "Every quantity, with its unit, status and a note in plain words, is in"
        + ("" if links else " the results CSV that a build writes beside the report."),
        links=links,
    )


def sources_lines(figures: pd.DataFrame, as_of: str) -> tuple[str, str]:
    """The source lines of the charts, each saying how many reports it rests on, listed under
    Sources: of a chart of the figures reported up to `as_of`, and of one that also shows the
    later ones (the retrospective's)."""

    def reports(rows: pd.DataFrame) -> int:
        return len(rows.drop_duplicates(["source_title", "source_url"]))

    def noun(n: int) -> str:
        return "report" if n == 1 else "reports"

    end = "listed under Sources; calculations: this report."
    before = reports(figures[figures["reported_on"] <= pd.Timestamp(as_of)])
    later = reports(figures) - before  # sources whose every figure came after as_of
    then = f"Source: {before} {noun(before)}, {end}"
    if not later:
        return then, then
    dated = f"up to {formatting.day(as_of)}"
    return then, f"Source: {before} {noun(before)} {dated} and {later} later, {end}"


def changes_section(
    since: pd.Timestamp | None, changes: pd.DataFrame, as_of: str
) -> Section | None:
    """The casualty figures revised between an earlier date and `as_of`; None when none was,
    so that a notebook cell shows nothing (an empty section would still show an output area)."""
    revised = changes[changes["status"] == "revised"]
    items = [
        {
            "party": r["party"],
            "metric": r["metric"],
            "before": formatting.row_words(
                {k: r[f"{k}_before"] for k in ("value", "value_high", "qualifier")}
            ),
            "now": formatting.row_words(
                {k: r[f"{k}_now"] for k in ("value", "value_high", "qualifier")}
            ),
            "kind": r["kind"],
            "change": None if pd.isna(r["change"]) else formatting.count(abs(r["change"])),
            "basis_before": r["basis_before"],
            "basis_now": r["basis_now"],
            "reported_on": r["reported_on_now"],
        }
        for r in revised.to_dict("records")
    ]
    if since is not None and not items:
        return None
    return Section("changes.html.j2", since=since, as_of=as_of, revised=items)


def paragraphs(*texts: str) -> Section:
    """Plain paragraphs (escaped), for a sentence the notebook states from the results."""
    return Section("paragraphs.html.j2", paragraphs=list(texts))
