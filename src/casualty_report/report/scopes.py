"""The toll's scope in the report's words: every sentence, table and chart that gives a toll
says what it counts, soldiers killed or people killed, soldiers and civilians.

The scope is the war's (`ledger.scope`): an `Analysis` carries it; a section or chart that is
given no analysis takes the scope of the figures loaded last, as party names do.
"""

from __future__ import annotations

from typing import Any

from casualty_report.ledger import vocabulary
from casualty_report.ledger.schema import common_schema
from casualty_report.ledger.scope import (
    DECLARED,
    EVERY_PARTY,
    MILITARY,
    MILITARY_AND_CIVILIAN,
    MOST_PARTIES,
    NO_COUNT,
    Choice,
    toll_scope,
)
from casualty_report.model.quantities import SPLIT_METRICS
from casualty_report.report import formatting

WORDS: dict[str, dict[str, str]] = {
    MILITARY: {
        "noun": "soldiers",  # "at least 5,208 soldiers had been reported killed"
        "toll": "soldiers killed",  # "each party's count of soldiers killed"
        "daily": "soldiers killed a day",  # "at least 122.2 soldiers killed a day"
        "label": "Soldiers killed",  # a table's row, a chart's axis
        "axis": "Soldiers killed, as reported",  # the short y axis of the counts over time
        "deaths": "military deaths",  # "total military deaths with each assumption ..."
        "count": "count of soldiers killed",  # "it had published no count of soldiers killed"
        # after "it had published no count of soldiers killed, only: …"
        "caveat": "That is no statement that it lost no soldiers.",
        "missing": "Soldiers missing in action",
        "title": "Military deaths",
    },
    MILITARY_AND_CIVILIAN: {
        "noun": "people (soldiers and civilians)",
        "toll": "people killed, soldiers and civilians",
        "daily": "people killed a day, soldiers and civilians",
        "label": "People killed, soldiers and civilians",
        "axis": "Soldiers and civilians killed",
        "deaths": "deaths of soldiers and civilians",
        "count": "total of soldiers and civilians killed",
        "caveat": "Its figures are shown, never added to the toll, which counts soldiers and"
        " civilians together.",
        "missing": "People missing, soldiers and civilians",
        "title": "Deaths of soldiers and civilians",
    },
}
WHY = {
    DECLARED: ", as the war's data package says",
    EVERY_PARTY: ": the narrowest scope in which every party published a count",
    MOST_PARTIES: ": no scope has a count of every party, and in this one the most parties"
    " published one",
}
# Why the scope was chosen, as check-data says it beside the file's name (`scope_line`).
CHECK_WHY = {
    DECLARED: "as the war's package says (report.scope)",
    EVERY_PARTY: "the narrowest scope in which every party published a count (no report.scope"
    " in a package beside the file)",
    MOST_PARTIES: "no scope has a count of every party, and in this one the most parties"
    " published one (no report.scope in a package beside the file)",
    NO_COUNT: "no party published a count of soldiers killed, or of soldiers and civilians killed",
}
# How a split of a total names its parts: "50 soldiers and 13 civilians".
SPLIT_NOUNS = {"military_killed": "soldiers", "civilians_killed": "civilians"}


def choice_of(scope: Any = None) -> Choice:
    """The scope as a Choice: an analysis's, a Choice, a metric, or the figures loaded last."""
    if not isinstance(scope, Choice | str | None):
        scope = scope.scope  # an Analysis carries its Choice as `scope`
    if isinstance(scope, Choice):
        return scope
    if isinstance(scope, str):
        return Choice(scope, DECLARED)
    return vocabulary.scope()


def use_as_of(figures: Any, as_of: Any) -> Choice:
    """Make the report's words (titles, charts, tables) count the toll's scope as of `as_of`:
    the package's, else chosen from the figures reported up to that day; returns it."""
    choice = toll_scope(figures, as_of)
    vocabulary.use(figures.attrs.get("conflict", vocabulary.current()), choice)
    return choice


def scope_line(file: str, choice: Choice) -> str:
    """The scope of a figures file in one line, as check-data prints it: which, and why."""
    metric = next(f for f in common_schema()["fields"] if f["name"] == "metric")
    labels = {c["value"]: c.get("label", c["value"]) for c in metric.get("categories", [])}
    label = labels.get(choice.scope, choice.scope).split(" (")[0].split(", ")[0].lower()
    return f"{file}: the toll counts {choice.scope} ({label}): {CHECK_WHY[choice.how]}"


def words(scope: Any = None) -> dict[str, str]:
    """The words of the toll's scope (see WORDS), with `why`: how the scope was chosen."""
    choice = choice_of(scope)
    return {**WORDS[choice.scope], "why": WHY.get(choice.how, "")}


# The rows of the results a reader asks about, with the short name the table gives each (the
# CSV has every quantity, described in full); the toll's names for a toll of soldiers.
HEADLINE_QUANTITIES = {
    "military_deaths_confirmed": "Soldiers killed: the count as read",
    "military_deaths_additional": "What the missing and unidentified could add",
    "military_deaths": "The count plus what could be added",
    "military_missing": "Soldiers missing in action",
    "unidentified_bodies": "Bodies awaiting identification",
    "civilians_killed": "Civilians killed",
    "military_wounded_hospitalised": "Wounded soldiers in hospital",
}


def headline_quantities(scope: Any = None) -> dict[str, str]:
    """HEADLINE_QUANTITIES, the toll's rows named by its scope."""
    said = words(scope)
    names = dict(HEADLINE_QUANTITIES)
    names["military_deaths_confirmed"] = f"{said['label']}: the count as read"
    names["military_missing"] = said["missing"]
    return names


def splits(analysis: Any) -> dict[str, str]:
    """Each counted party's split of its total of soldiers and civilians in use, given the same
    day, in words: {"ETH": "50 soldiers and 13 civilians"}; none for a toll of soldiers. A split
    is shown beside the total it splits, never added to it."""
    if analysis.metric == MILITARY:
        return {}
    in_use = analysis.in_use
    totals = in_use[(in_use["metric"] == analysis.metric) & in_use["party"].isin(analysis.parties)]
    day = dict(zip(totals["party"], totals["reported_on"], strict=True))
    parts = in_use[in_use["metric"].isin(SPLIT_METRICS) & in_use["party"].isin(list(day))]
    parts = parts[parts["reported_on"].to_numpy() == parts["party"].map(day).to_numpy()]
    found: dict[str, list[str]] = {}
    for r in parts.sort_values("metric", ascending=False).to_dict("records"):  # soldiers first
        said = formatting.figure_words(int(r["value"]), r["value_high"], r["qualifier"])
        found.setdefault(r["party"], []).append(f"{said} {SPLIT_NOUNS[r['metric']]}")
    return {party: " and ".join(parts) for party, parts in found.items()}
