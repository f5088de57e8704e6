"""The words of the tables the report writes: the results' notes (what each row counts, what it
assumes, whether its count may still rise) and how each figure in use is treated. The model
hands over numbers and facts (the results, the model's inputs, its period and where that came
from, the nowcast, a code per treatment); the words are put together here, once, for the CSVs
and anyone who reads the tables in memory (`with_notes`, `inputs_with_words`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from casualty_report.ledger.scope import MILITARY
from casualty_report.ledger.vocabulary import party_name
from casualty_report.model import inputs
from casualty_report.model.quantities import (
    ALL,
    IN_COUNT,
    MIXTURE,
    NOT_IN_COUNT,
    SCENARIO_QUANTITIES,
    Model,
)
from casualty_report.model.results import COUNTED

ESTIMATE = "eventual_official_count"
# What each scenario assumes, in plain words (the results' notes say it).
ASSUMES = {
    IN_COUNT: "The unidentified bodies are already inside the confirmed count.",
    NOT_IN_COUNT: "The unidentified bodies are not yet in the confirmed count.",
}
# How the model uses a figure in use (model.inputs' treatment codes), in a few words; {side} is
# the party whose side an actor's figures belong to, {count_status} the count's status.
TREATMENTS = {
    inputs.CONFIRMED: "confirmed count ({count_status})",
    inputs.CROSS_CHECK: "cross-check only, never added to the parties",
    inputs.PART_OF_COUNT: "part of {side}'s count: shown, never added",
    inputs.SPLIT: "a split of the party's total of that day: shown beside it, never added to it",
    inputs.SPLIT_OTHER_DAY: (
        "a part of what the party's total counts, of another day: shown, never added"
    ),
    inputs.PART_OF_SIDE: "not modelled: part of {side}'s side",
    inputs.NO_TOTAL: "not counted: the party has no total of soldiers and civilians killed",
    inputs.NO_COUNT: "not modelled: the party has no killed count",
    inputs.EXCLUDED: "excluded: stale, adds nothing to the toll",
    inputs.KEPT_STALE: "used as reported, though stale: may add to the toll",
    inputs.ADDS: "used: may add to the toll",
    inputs.INSIDE: "inside the count, as a source of this figure says: never added to it",
    inputs.OUTSIDE: "beside the count, as a source of this figure says: added to it in every"
    " scenario",
    inputs.WOUNDED: "shown, never added to the toll",
    inputs.BESIDE: "shown beside the military toll, never added to it",
}


def with_notes(analysis: Any) -> pd.DataFrame:
    """An analysis's results table with its `note` column (last): a note in plain words per
    row, as the results CSV has it."""
    results = analysis.results
    notes = [note(analysis, r) for r in results.to_dict("records")]
    return results.assign(note=pd.Series(notes, index=results.index, dtype=object))


def inputs_with_words(used: pd.DataFrame) -> pd.DataFrame:
    """The figures-used table (an analysis's `inputs`) as its CSV has it: the columns of
    `model.inputs.COLUMNS`, each treatment in words."""
    words = [treatment(r) for r in used.to_dict("records")]
    return used.assign(treatment=pd.Series(words, index=used.index, dtype=object))[inputs.COLUMNS]


def treatment(row: Mapping[str, Any]) -> str:
    """How the model uses the figure of a row of the figures-used table, in a few words."""
    side = party_name(row["side"]) if row["side"] else ""
    return TREATMENTS[row["treatment"]].format(side=side, count_status=row["count_status"])


def note(analysis: Any, row: Mapping[str, Any]) -> str:
    """The note of one row of an analysis's results table."""
    if row["quantity"] == ESTIMATE:
        return estimate_note(analysis.nowcast, row["party"], analysis.assumptions.interval)
    return result_note(
        analysis.model, row["quantity"], row["party"], row["scenario"], row["count_status"]
    )


def result_note(model: Model, q: str, party: str, scenario: str, status: str) -> str:
    """The note of the row of quantity `q`, party and scenario, whose count is `status`."""
    open_count = status == "open"
    if scenario != MIXTURE:
        text = ASSUMES[scenario]
    elif q in SCENARIO_QUANTITIES and model.scenarios:
        text = (
            "Mixes both answers to whether the unidentified bodies are already counted; its best"
            " is the likelier answer's, which a narrow interval of both together can leave out."
        )
    else:
        text = ""
    if q in ("military_deaths", "military_deaths_additional") and party != ALL:
        if not (model.get(party, "military_missing") or model.get(party, "unidentified_bodies")):
            text = "No missing or unidentified figure: nothing is added to the confirmed count."
    if party == ALL and q in COUNTED:
        text = f"Sum over {', '.join(model.parties)}. " + text
    if q.endswith("_per_day"):
        text += " " + period_note(model)
    if q == "military_deaths_reported_combined":
        text = "Reported for both sides together; a cross-check only, never added."
    if q == "civilians_killed" and party == ALL:
        text = (
            "Both sides together, as reported."
            if model.get(ALL, "civilians_killed")
            else "Sum of the parties' figures; parties without one add nothing."
        )
    if q in ("military_wounded_hospitalised", "confirmed_killed_per_hospitalised_wounded"):
        text = "Counts the wounded in hospital when reported, not all wounded."
    if q in COUNTED and open_count:
        text += (
            " The confirmed count is open (it may still rise): the true toll is at least the"
            " low end, and the high end is not a bound on it."
            if q != "military_deaths_confirmed"
            else " Open count: it may still rise, so it is a lower bound."
        )
    if model.scope != MILITARY and (q in COUNTED or q.startswith("share_of")):
        text = "Soldiers and civilians killed together, as the parties counted them. " + text
    if model.scope != MILITARY and q == "military_missing":
        text = "People missing, soldiers and civilians together. " + text
    return " ".join(text.split())


def period_note(model: Model) -> str:
    """The war's period: its days, first and last day, and where they came from."""
    if model.period is None:
        return "No period in the data: pass period_start and period_end."
    start, end = model.period
    basis = model.period_basis
    ids = ", ".join(f"{party}'s killed count" for party in basis.dated)
    source = {
        (True, True): "the period_start and period_end arguments",
        (True, False): f"the period_start argument and the period of {ids}",
        (False, True): f"the period of {ids} and the period_end argument",
        (False, False): f"the period of {ids}",
    }[basis.given]
    days = (end - start).days + 1
    text = f"Over {days} days, {start.date()} to {end.date()} inclusive, from {source}."
    if basis.undated:
        text += (
            f" The counts of {', '.join(basis.undated)} give no period and are divided by the"
            " same days."
        )
    return text


def estimate_note(outlook: pd.DataFrame, party: str, level: float) -> str:
    """The note of the nowcast's row of `party` (`outlook`: the analysis's nowcast table, its
    attrs the reference class): how the estimate was made, and its 80 % interval."""
    r = outlook.set_index("party").loc[party]
    return (
        f"Estimate, not a reported figure: the count in use ({r['count']:.0f}) times the growth"
        f" of {outlook.attrs['pool'].size} counts of {outlook.attrs['wars']} other wars from"
        f" {outlook.attrs['days']} days after their fighting ended to their eventual official"
        f" count; {level:.0%} interval as low-high, 80% interval"
        f" {r['low_80']:.0f}-{r['high_80']:.0f}."
    )
