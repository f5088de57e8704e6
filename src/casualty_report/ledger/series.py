"""Same-day series: one reporter's several figures of one party and metric on one day.

During fighting a ministry may revise its count several times a day (36, then 46, then 59).
Rows with the same party, metric, reported_on and reported_by that give more than one figure
(value, value_high and qualifier) form a **same-day series**. The rule (also in the schema's
description of `reported_at`):

- A series is read in the order of `reported_at` when every row of it gives a time (times with a
  UTC offset are compared in UTC; equal times keep the file's order); otherwise in the file's
  order, the later line being the later figure. Times given on some rows only must then follow
  the file's order, and one series cannot mix times with and without an offset (`problems`).
- The series' last figure is the reporter's figure of that day. Rows of an earlier figure are
  **superseded**, whatever their source_kind: the selection never reads them, and they are the
  day's revisions, never a disagreement. Rows of the last figure are copies of it, which the
  selection ranks by source_kind as any other rows of the day.

Rows of one reporter that give the same figure are not a series. Everything here works on whole
columns; only the rows of a series (few, in any real ledger) are visited one by one.
"""

from __future__ import annotations

import itertools
import re
from typing import NamedTuple

import numpy as np
import pandas as pd

from casualty_report.ledger.problems import FigureProblem

REPORTER_DAY = ["party", "metric", "reported_on", "reported_by"]
# HH:MM on a 24-hour clock, with an optional UTC offset (Z, or +HH:MM / -HH:MM up to 14 hours).
TIME = re.compile(
    r"(?P<h>[01][0-9]|2[0-3]):(?P<m>[0-5][0-9])"
    r"(?P<zone>Z|(?P<sign>[+-])(?P<oh>0[0-9]|1[0-4]):(?P<om>[0-5][0-9]))?"
)
BY_TIME, BY_LINE = "reported_at", "file"


class Figure(NamedTuple):
    """A figure as a row gives it: value, value_high (None but for a range) and qualifier."""

    value: int
    value_high: int | None
    qualifier: str


def figure(value: object, value_high: object, qualifier: str) -> Figure:
    """A row's figure, its numbers as plain ints (value_high None when the cell is empty)."""
    return Figure(int(value), None if pd.isna(value_high) else int(value_high), qualifier)


class Series(NamedTuple):
    """One same-day series: its key, its rows in the order read, and how they were ordered."""

    party: str
    metric: str
    reported_on: pd.Timestamp
    reported_by: str
    lines: list[int]  # the rows, in the order read (the last is the day's figure)
    order: str  # BY_TIME or BY_LINE
    figures: tuple[Figure, ...]  # its figures in the order read, a row each (the report's words)


def minutes(cell: str) -> tuple[float, bool]:
    """A reported_at cell as minutes since midnight (UTC when it has an offset) and whether it
    has an offset; (NaN, False) for an empty or malformed cell."""
    found = TIME.fullmatch(cell or "")
    if not found:
        return float("nan"), False
    value = int(found["h"]) * 60 + int(found["m"])
    if found["sign"]:
        offset = int(found["oh"]) * 60 + int(found["om"])
        value -= offset if found["sign"] == "+" else -offset
    return float(value), found["zone"] is not None


def _claims(figures: pd.DataFrame) -> pd.Series:
    """Each row's figure as one comparable text: value, value_high and qualifier."""
    high = figures["value_high"].astype("string").fillna("")
    return figures["value"].astype("string") + "|" + high + "|" + figures["qualifier"].astype(str)


def _keyed(figures: pd.DataFrame) -> pd.DataFrame:
    """The rows that belong to a same-day series, with their group, claim, time and offset
    columns (_group, _claim, _time, _zoned, _line); empty in the usual case."""
    if figures.empty:
        return figures.iloc[0:0]
    shared = figures.duplicated(REPORTER_DAY, keep=False).to_numpy()
    if not shared.any():  # the usual case: one row per reporter and day
        return figures.iloc[0:0]
    rows = figures[shared]
    claim = _claims(rows)
    group = rows.groupby(REPORTER_DAY, sort=False, dropna=False).ngroup()
    several = claim.groupby(group).transform("nunique") > 1
    rows, claim, group = rows[several], claim[several], group[several]
    times = rows["reported_at"] if "reported_at" in rows.columns else pd.Series("", rows.index)
    parsed = [minutes(str(cell)) for cell in times]
    return rows.assign(
        _group=group,
        _claim=claim,
        _time=[t for t, _ in parsed],
        _zoned=[z for _, z in parsed],
        _line=rows.index,
    )


def _ordered(keyed: pd.DataFrame) -> pd.DataFrame:
    """The rows of every series in the order read (see the module docstring), with _order."""
    timed = keyed["_time"].notna().groupby(keyed["_group"]).transform("all")
    key = keyed["_time"].where(timed, np.nan)
    ordered = keyed.assign(_order=np.where(timed, BY_TIME, BY_LINE), _key=key)
    # Untimed series: the key is NaN for every row, so the line decides.
    return ordered.sort_values(["_group", "_key", "_line"], kind="stable", na_position="first")


def superseded(figures: pd.DataFrame) -> pd.Index:
    """The lines of rows that a later figure of their same-day series supersedes."""
    keyed = _keyed(figures)
    if keyed.empty:
        return keyed.index
    ordered = _ordered(keyed)
    last = ordered.groupby("_group", sort=False)["_claim"].transform("last")
    return ordered.index[(ordered["_claim"] != last).to_numpy()]


def groups(figures: pd.DataFrame) -> pd.Series:
    """The rows of every same-day series: the series' number by line (empty when none)."""
    keyed = _keyed(figures)
    return keyed["_group"] if not keyed.empty else pd.Series([], dtype="int64")


def series(figures: pd.DataFrame) -> list[Series]:
    """Every same-day series of `figures`, in the order of its first line. One pass over the
    rows of the series, so that a ledger of many thousands of them is read in about a second."""
    keyed = _keyed(figures)
    if keyed.empty:
        return []
    ordered = _ordered(keyed)
    columns = ["_group", "party", "metric", "reported_on", "reported_by", "_order", "_line"]
    given = ["value", "value_high", "qualifier"]
    found = []
    rows = zip(*(ordered[c].tolist() for c in [*columns, *given]), strict=True)
    for _, members in itertools.groupby(rows, key=lambda r: r[0]):
        members = list(members)
        _, party, metric, day, by, order, *_ = members[0]
        lines = [int(m[6]) for m in members]
        said = tuple(figure(m[7], m[8], m[9]) for m in members)
        found.append(Series(party, metric, day, by, lines, order, said))
    return sorted(found, key=lambda s: min(s.lines))


def problems(file: str, typed: pd.DataFrame) -> list[FigureProblem]:
    """The same-day series whose order cannot be read: times with and without a UTC offset in
    one series, or times given on some rows only that do not follow the file's order."""
    keyed = _keyed(typed)
    if keyed.empty or not keyed["_time"].notna().any():
        return []
    found = []
    for _, rows in keyed.sort_values("_line").groupby("_group", sort=False):
        timed = rows[rows["_time"].notna()]
        if timed.empty:
            continue
        where = (
            f"{rows['party'].iloc[0]} {rows['metric'].iloc[0]} on"
            f" {rows['reported_on'].iloc[0]:%Y-%m-%d} ({rows['reported_by'].iloc[0]}), lines"
            f" {', '.join(str(line) for line in rows.index)}"
        )
        if timed["_zoned"].nunique() > 1:
            first = timed.index[0]
            odd = timed.index[timed["_zoned"] != timed.at[first, "_zoned"]][0]
            message = (
                "expected the times of a same-day series all with a UTC offset or all without,"
                f" so that they can be ordered ({where}): got {timed.at[odd, 'reported_at']!r},"
                f" beside {timed.at[first, 'reported_at']!r} on line {first}"
            )
            found.append(FigureProblem(file, int(odd), "reported_at", message))
        elif len(timed) < len(rows):
            earlier = timed["_time"].cummax().shift(1)
            back = timed.index[(timed["_time"] < earlier).to_numpy()]
            if len(back):
                line = back[0]
                before = timed.loc[:line].iloc[:-1]
                top = before.index[before["_time"].to_numpy().argmax()]
                message = (
                    "expected the times of a same-day series in which some lines give no time"
                    f" to follow the file's order, which then orders it ({where}): got"
                    f" {timed.at[line, 'reported_at']!r}, earlier than"
                    f" {timed.at[top, 'reported_at']!r} on line {top}; give every line of the"
                    " series a time, or put its lines in the order of their times"
                )
                found.append(FigureProblem(file, int(line), "reported_at", message))
    return found
