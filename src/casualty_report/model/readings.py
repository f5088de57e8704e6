"""Read a reported figure under its qualifier as a (low, mode, high) triple.

"more than 100" is not 100: the qualifier says which way the true figure may lie and the
assumptions say how far. Every factor comes from the `Assumptions`; none is written here.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pandas as pd

from casualty_report.model.assumptions import Assumptions

# The assumption that governs each qualifier's reading (a range has none: its ends are data).
QUALIFIER_PARAMETER = {
    "more_than": "more_than_high_factor",
    "at_least": "at_least_high_factor",
    "about": "about_relative_width",
    "up_to": "up_to_low_factor",
    "range": "range_reading",
}


class Reading(NamedTuple):
    """A figure as the model reads it: lowest, most likely and highest value."""

    low: float
    mode: float
    high: float


def read_figure(
    value: float, qualifier: str, assumptions: Assumptions, value_high: Any = None
) -> Reading:
    """The (low, mode, high) reading of a reported figure under its qualifier.

    "more than N" starts at N+1 (counts are whole); its high end is max(N+1, N×factor), so a
    factor of 1 collapses the reading to N+1 rather than inverting it.
    """
    n = float(value)
    a = assumptions
    if qualifier == "exact":
        return Reading(n, n, n)
    if qualifier == "more_than":
        return Reading(n + 1, n + 1, max(n + 1, n * a.more_than_high_factor))
    if qualifier == "at_least":
        return Reading(n, n, n * a.at_least_high_factor)
    if qualifier == "about":
        return Reading(n * (1 - a.about_relative_width), n, n * (1 + a.about_relative_width))
    if qualifier == "up_to":
        return Reading(n * a.up_to_low_factor, n, n)
    if qualifier == "range":
        if value_high is None or pd.isna(value_high) or float(value_high) < n:
            raise ValueError(f"range reading needs value_high >= value, got {value_high!r}")
        high = float(value_high)
        return Reading(n, (n + high) / 2, high)
    raise ValueError(f"unknown qualifier {qualifier!r}")
