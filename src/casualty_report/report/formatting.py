"""How numbers, dates and names read in the report: thousands separators, sensible rounding,
figures as a ledger gives them ("more than 100", a same-day series, the figures that disagree),
scenario names; and the backtest's summary as the command line prints it."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from casualty_report.model.quantities import MIXTURE, SCENARIOS

QUALIFIER_WORDS = {
    "exact": "{}",
    "at_least": "at least {}",
    "more_than": "more than {}",
    "about": "about {}",
    "up_to": "up to {}",
}
ARROW = " → "


def figure_words(value: int, value_high: object, qualifier: str) -> str:
    """A figure as words with thousands separators: 'more than 2,700', '10,000 to 99,999'."""
    if qualifier == "range" and not pd.isna(value_high):
        return f"{value:,} to {int(value_high):,}"
    return QUALIFIER_WORDS.get(qualifier, "{}").format(f"{value:,}")


def row_words(row: Any) -> str:
    """A ledger row's figure as words (see `figure_words`)."""
    return figure_words(int(row["value"]), row.get("value_high"), row["qualifier"])


def series_words(figures: Iterable[tuple]) -> str:
    """A same-day series' figures (ledger.series.Figure) in the order read, a figure repeated
    on the next row said once: '36 → 46 → 59' ('' for none)."""
    said = [figure_words(*figure) for figure in figures]
    return ARROW.join(w for i, w in enumerate(said) if i == 0 or w != said[i - 1])


def disagreement_words(others: Iterable[tuple]) -> str:
    """The other figures of a day, each with its reporter, each once: '2,700 (Source X)'."""
    said = (f"{figure_words(*figure)} ({by})" for figure, by in others)
    return "; ".join(dict.fromkeys(said))


def count(value: float) -> str:
    """A count of people, rounded to a whole number: 5208 -> '5,208'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{round(value):,}"


def percent(value: float, digits: int = 1) -> str:
    """A percentage already in percent: 53.437 -> '53.4%'."""
    if value is None or math.isnan(value):
        return "–"
    return f"{value:,.{digits}f}%"


def ratio(value: float, digits: int = 2) -> str:
    """A ratio or rate: 2.2353 -> '2.24'."""
    if value is None or math.isnan(value):
        return "–"
    return f"{value:,.{digits}f}"


def by_unit(value: float, unit: str) -> str:
    """Format a value of the results table according to its unit."""
    if unit == "percent":
        return percent(value)
    if unit in ("ratio", "deaths per day"):
        return ratio(value, 2 if unit == "ratio" else 1)
    return count(value)


def day(value: object) -> str:
    """A date as '3 December 2020' (the reader's form), from anything pandas reads as a date."""
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%B %Y}"


def share(value: float) -> str:
    """A share between 0 and 1 as a whole percentage: 0.9 -> '90%'."""
    return f"{value:.0%}"


def scenario_name(scenario: str) -> str:
    """A scenario in a few words, from the model's own yes/no answer."""
    if scenario == MIXTURE:
        return "Either answer, by its assumed chance"
    counted = SCENARIOS[scenario] == 1.0
    return "Bodies already counted" if counted else "Bodies not yet counted"


def track_record_lines(record: pd.DataFrame) -> list[str]:
    """The backtest's summary (model.backtest.summary), a line per method: how often its 80 %
    and 90 % intervals covered the eventual count, and its median error by days after."""
    lines = []
    for method, row in record.iterrows():
        days = ", ".join(f"+{d:g}: {row[d]:.1f}%" for d in record.columns if d not in (0.8, 0.9))
        lines.append(
            f"  {method:<18} covered 80%: {row[0.8]:.0%}, 90%: {row[0.9]:.0%}; median error {days}"
        )
    return lines
