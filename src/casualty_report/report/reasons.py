"""Each assumption's label and the reason for its default: evidence from the ledger, or judgement.

The model's `Assumptions` holds the values; this module says what each means and why its
default is reasonable, in words, for the report's Assumptions table and charts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from casualty_report.ledger.vocabulary import party_name
from casualty_report.model.quantities import OPEN_QUALIFIERS, SCOPE_INPUT, counted_parties
from casualty_report.model.readings import QUALIFIER_PARAMETER
from casualty_report.report import formatting

if TYPE_CHECKING:  # for the annotation only: the report reads an analysis it is given
    from casualty_report.model.analysis import Analysis

# A short name for each field, for chart axes and tables.
LABELS: dict[str, str] = {
    "more_than_high_factor": "'More than N' read up to N × factor",
    "at_least_high_factor": "'At least N' read up to N × factor",
    "about_relative_width": "'About N' read as N ± width",
    "up_to_low_factor": "'Up to N' read down to N × factor",
    "missing_dead_share_low": "Share of missing who are dead (low)",
    "missing_dead_share_best": "Share of missing who are dead (best)",
    "missing_dead_share_high": "Share of missing who are dead (high)",
    "unidentified_counted_prob": "Chance unidentified bodies are already counted",
    "overlap_low": "Share of unidentified bodies among the missing (low)",
    "overlap_best": "Share of unidentified bodies among the missing (best)",
    "overlap_high": "Share of unidentified bodies among the missing (high)",
    "interval": "Central interval reported",
    "n_draws": "Monte Carlo draws",
    "seed": "Random seed",
}

# The name of each swing of the tornado chart (`model.sensitivity`'s assumption column).
SWING_LABELS: dict[str, str] = {
    "missing_dead_share": "Share of missing who are dead",
    "overlap": "Share of unidentified bodies among the missing",
    "unidentified_counted": "Unidentified bodies already counted (no → yes)",
    **{param: LABELS[param] for param in QUALIFIER_PARAMETER.values() if param in LABELS},
    "range_reading": "Ranges read from their low to their high end",
}

# Why each kind of default is reasonable. Generic on purpose: the values sit in the notebook.
JUSTIFICATIONS: dict[str, str] = {
    "more_than_high_factor": (
        "'More than N' rounds down to a salient number: the true figure is above N but rarely "
        "far above it. A party's killed count so worded is open, read as its floor."
    ),
    "at_least_high_factor": (
        "'At least N' is a floor that tallies still being compiled keep raising. A party's "
        "killed count so worded is open: read as its floor and reported as 'at least', since "
        "how far it will rise is not in the figures."
    ),
    "about_relative_width": (
        "'About N' signals rounding; a symmetric width of the order of the rounding step."
    ),
    "up_to_low_factor": (
        "'Up to N' is a ceiling, itself the most likely reading; the factor sets how far below "
        "it the figure may lie."
    ),
    "missing_dead_share_low": (
        "Some of the missing are found alive (captured, cut off); the low end allows that "
        "many survive."
    ),
    "missing_dead_share_best": (
        "After a short, intense war most soldiers still missing weeks later prove to be dead, so "
        "the central share is high but below one."
    ),
    "missing_dead_share_high": (
        "The upper end takes every missing soldier as dead: a bound that cannot be exceeded."
    ),
    "unidentified_counted_prob": (
        "Sources often do not say whether bodies awaiting identification are already in the "
        "count of the dead; an even chance keeps both readings, and the scenarios show each in "
        "turn."
    ),
    "overlap_low": (
        "Unidentified bodies may be soldiers not listed as missing; the low end keeps the two "
        "groups apart."
    ),
    "overlap_best": (
        "Unidentified bodies are most plausibly soldiers listed as missing; a central share "
        "between the ends reflects that."
    ),
    "overlap_high": ("The upper end takes every unidentified body as one of the missing."),
    "interval": (
        "A central interval wide enough to be honest and narrow enough to be informative, as "
        "is usual in casualty estimation. It is a reading aid, not a probability claim about "
        "the world, since the inputs are judgements."
    ),
    "n_draws": (
        "Enough draws that the reported interval endpoints move by much less than the rounding "
        "used in the report when the seed changes."
    ),
    "seed": "A fixed seed makes every number in the report reproducible bit for bit.",
}


# --- Reasons from the ledger ------------------------------------------------------------------

_WORDS = {"at_least": "at least ", "more_than": "more than ", "about": "about ", "up_to": "up to "}


def _phrase(row: Mapping[str, Any], noun: str = "") -> str:
    """A figure as written in words, with its date: 'more than 100 (3 December 2020)'."""
    value = formatting.count(row["value"])
    if row["qualifier"] == "range":
        value += f" to {formatting.count(row['value_high'])}"
    value = f"{_WORDS.get(row['qualifier'], '')}{value}{' ' + noun if noun else ''}"
    return f"{value} ({formatting.day(row['reported_on'])})"


def _by_series(days: Any, scope: str) -> dict[Any, Any]:
    """`counts.daily`'s rows split once by (party, metric), each series in date order; a ledger
    may hold 100,000 rows, so the series are not filtered out of it again for every lookup.
    Under "scope", the metric the toll counts."""
    series = dict(tuple(days.groupby(["party", "metric"], sort=False)))
    series[None] = days.iloc[0:0]  # what a series with no figure looks like
    series["scope"] = scope
    return series


def _series(days: dict[Any, Any], party: str, metric: str) -> Any:
    """The party's figures of a metric from `_by_series` (one a day, by date)."""
    return days.get((party, metric), days[None])


def _killed_at(days: Any, party: str, when: Any) -> Any:
    """The party's killed count in use on a date (the latest reported on or before it), of the
    toll's metric (`days["scope"]`)."""
    rows = _series(days, party, days["scope"])
    rows = rows[rows["reported_on"] <= when]
    return None if rows.empty else rows.iloc[-1]


def _basis(row: Any) -> str:
    value = row.get("basis", "") if hasattr(row, "get") else ""
    return "not_stated" if value is None or value != value or value == "" else str(value)


def _killed_change(days: Any, party: str, start: Any, end: Any) -> tuple[str, list[Any]] | None:
    """How the party's killed count moved between two dates, in words, and the rows cited.

    'rose by 98, from 2,783 (…) to 2,881 (…)' when both counts have the same basis; otherwise
    both figures with their bases and no computed change (they count different things).
    """
    before, after = _killed_at(days, party, start), _killed_at(days, party, end)
    if before is None or after is None or before["figure_id"] == after["figure_id"]:
        return None
    if _basis(before) != _basis(after):
        text = (
            f"went from {_phrase(before)}, basis {_basis(before).replace('_', ' ')}, to"
            f" {_phrase(after)}, basis {_basis(after).replace('_', ' ')}: counts of different"
            " bases, so no rise is computed"
        )
        return text, [before, after]
    change = float(after["value"]) - float(before["value"])
    verb = "rose" if change > 0 else "fell" if change < 0 else "stayed the same"
    amount = f" by {formatting.count(abs(change))}" if change else ""
    return f"{verb}{amount}, from {_phrase(before)} to {_phrase(after)}", [before, after]


def _moved(first: Any, last: Any) -> str:
    return (
        "fell"
        if last["value"] < first["value"]
        else "rose"
        if last["value"] > first["value"]
        else "stayed"
    )


def _earlier_figures(days: dict[Any, Any], in_use: Any, metric: str, which: int) -> Iterator[tuple]:
    """For each figure of `metric` in use that the party had reported before: the earlier figure
    at position `which` (0 the first, -1 the one just before), the figure in use, and how the
    party's killed count moved between their dates (`_killed_change`, None if it did not)."""
    for r in in_use[in_use["metric"] == metric].to_dict("records"):
        earlier = _series(days, r["party"], metric)
        earlier = earlier[earlier["reported_on"] < r["reported_on"]]
        if not earlier.empty:
            then = earlier.iloc[which]
            yield then, r, _killed_change(days, r["party"], then["reported_on"], r["reported_on"])


def _missing_evidence(days: Any, in_use: Any) -> str | None:
    """How each party's missing count (of the toll's scope) had moved up to the report's date,
    beside its killed count over the same days."""
    parts = []
    for first, r, change in _earlier_figures(days, in_use, _missing_metric(days["scope"]), 0):
        name = party_name(r["party"])
        text = f"{name}'s missing {_moved(first, r)} from {_phrase(first)} to {_phrase(r)}"
        if change is not None:
            text += f" while its killed count {change[0]}"
        parts.append(text)
    if not parts:
        return None
    return (
        "; ".join(parts)
        + ". Falling missing counts show the missing resolved, dead or found; the figures do not"
        " say how many of each, so the share stays a judgement they inform."
    )


def _bodies_evidence(days: Any, in_use: Any) -> str | None:
    """How the bodies awaiting identification had moved up to the report's date, beside the
    party's killed count."""
    parts = []
    for before, r, change in _earlier_figures(days, in_use, "unidentified_bodies", -1):
        text = (
            f"{party_name(r['party'])} had {_phrase(before, 'bodies awaiting identification')},"
            f" then {_phrase(r)}"
        )
        if change is not None:
            text += f"; over the same days its killed count {change[0]}"
        parts.append(text)
    if not parts:
        return None
    return (
        "; ".join(parts)
        + ". Identified bodies join the count of the dead, so a count that rises as the"
        " unidentified fall fits bodies not yet inside it; but the rise may also hold missing"
        " soldiers found dead, and the figures do not settle the question."
    )


def assumption_reasons(analysis: Analysis, **extra: Any) -> list[dict[str, Any]]:
    """Each assumption of `analysis` with its value, meaning, reason and kind ('evidence' or
    'judgement').

    Evidence is computed from the analysis's ledger, from figures reported on or before its
    `as_of` only (a report as of a date never leans on later facts): its figures in use and its
    rows of a day each (`analysis.days`), as the selection chose them. Where the ledger holds
    none, the reason is the judgement in JUSTIFICATIONS. `extra` adds parameters the model takes
    beside the assumptions (e.g. stale_after_days), with the judgement in EXTRA_REASONS.
    """
    as_of, assumptions, in_use = analysis.as_of, analysis.assumptions, analysis.in_use
    scope = analysis.metric  # chosen from the rows up to as_of when the package declares none
    known = analysis.days[analysis.days["reported_on"] <= as_of]  # nothing reported after as_of
    days = _by_series(known, scope)  # a figure a day per party and metric, as selected
    evidence = {
        "missing_dead_share": _missing_evidence(days, in_use),
        "unidentified_counted_prob": _bodies_evidence(days, in_use),
    }
    unused = _unused(in_use, as_of, scope)
    out = []
    for f in fields(assumptions):
        found = next((text for key, text in evidence.items() if f.name.startswith(key)), None)
        reason = JUSTIFICATIONS[f.name] if found is None else f"{found} {JUSTIFICATIONS[f.name]}"
        idle = next((text for key, text in unused.items() if f.name.startswith(key)), None)
        out.append(
            dict(
                name=f.name,
                value=getattr(assumptions, f.name),
                meaning=LABELS[f.name],
                reason=reason,
                kind="unused" if idle else ("judgement" if found is None else "evidence"),
                unused=idle or "",  # why no figure in use calls on it
                evidence=found or "",  # shared by a low / best / high triple
                judgement=JUSTIFICATIONS[f.name],
            )
        )
    for name, value in extra.items():
        out.append(
            dict(
                name=name,
                value=value,
                meaning=EXTRA_LABELS[name],
                reason=EXTRA_REASONS[name],
                kind="judgement",
            )
        )
    return out


def _missing_metric(scope: str) -> str:
    """The metric of the missing that the toll of `scope` reads."""
    return next(m for m, name in SCOPE_INPUT[scope].items() if name == "military_missing")


def _unused(in_use: Any, as_of: Any, scope: str) -> dict[str, str]:
    """The assumptions no figure in use calls on (no counted party's missing, or bodies awaiting
    identification), each with why: they do not change this report."""
    counted = in_use[in_use["party"].isin(counted_parties(in_use, scope))]
    metrics = set(counted["metric"])
    day = formatting.day(as_of)
    missing = _missing_metric(scope) in metrics
    bodies = "unidentified_bodies" in metrics
    found: dict[str, str] = {}
    if not missing:
        found["missing_dead_share"] = f"No counted party's missing were in the figures on {day}."
    if not bodies:
        found["unidentified_counted_prob"] = (
            f"No counted party's bodies awaiting identification were in the figures on {day}."
        )
    if not (missing and bodies):
        found["overlap"] = f"Missing and unidentified were not both in the figures on {day}."
    # A qualifier's reading is used only by a figure the model reads with it: an open count of
    # the toll ("at least", "more than") is read as its floor, never stretched by the factor.
    read = in_use[in_use["metric"].isin(list(SCOPE_INPUT[scope]))]
    read = read[~((read["metric"] == scope) & read["qualifier"].isin(OPEN_QUALIFIERS))]
    for qualifier, parameter in QUALIFIER_PARAMETER.items():
        if qualifier not in set(read["qualifier"]):
            words = formatting.QUALIFIER_WORDS.get(qualifier, "{} to M").format("N")
            found[parameter] = f"No figure the model read on {day} was qualified “{words}”."
    return found


EXTRA_LABELS = {
    "stale_after_days": "Days older than the killed count that make a figure stale",
    "stale_treatment": "What stale missing and unidentified figures add",
}
EXTRA_REASONS = {
    "stale_after_days": (
        "A missing or unidentified figure far older than the killed count beside it describes "
        "an earlier state, which the newer count has since absorbed."
    ),
    "stale_treatment": (
        "Excluding them avoids counting twice deaths a newer killed count most likely holds; "
        "'keep' shows what they would add."
    ),
}
