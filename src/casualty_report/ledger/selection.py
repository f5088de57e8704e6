"""Select the figures in force as of a date: one per party and metric, by a stated rule.

The rule (also in the data package and the README): for each (party, metric), the figures reported
on the latest ``reported_on`` not after ``as_of``; of those, the rows of a figure that a later
figure of the same reporter superseded that day (a same-day series, see ``series``) are set
aside, whatever their kind of source; among the rest, the row whose ``source_kind`` ranks first
(official, wire, state_media, news, aggregator: the closest to the originator of the figure, whom
later copies can only repeat or garble), then the later line in the file. Same-day figures of the
same value from other sources corroborate it; other values are a disagreement, listed for the
report to show; the superseded figures are the day's revisions, listed as its series. Bases are
never chained silently: each selected row carries the previous figure of its (party, metric) and
whether the basis changed. Counts may go down; nothing here assumes growth.
military_and_civilian_killed is its own metric, never military_killed.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from casualty_report.ledger import series
from casualty_report.ledger.schema import load_schema

# source_kind, closest to the originator first (the order of the schema's categories).
SOURCE_RANK = {"official": 0, "wire": 1, "state_media": 2, "news": 3, "aggregator": 4}
KEY = ["party", "metric"]
DAY = ["party", "metric", "reported_on"]


def preferred_days(figures: pd.DataFrame) -> pd.DataFrame:
    """The preferred row of each (party, metric, day), in (party, metric, day) order.

    Preferred: not superseded by a later figure of its same-day series, then the best-ranked
    source_kind, then the later line. The order is worked out on the key columns alone and only
    the chosen rows are taken, so a long ledger is not copied whole.
    """
    revised = series.superseded(figures)
    if len(revised):
        figures = figures.drop(index=revised)
    # A blank kind ranks as the loader fills it (the schema's default), so a table made in code
    # ranks as its loaded copy would (and as counts.daily ranks it); a kind outside the list
    # ranks last. As plain objects: a categorical column's ranks would sort by the kinds' names.
    default = load_schema().defaults["source_kind"]
    kind = figures.get("source_kind", pd.Series(default, index=figures.index)).astype(object)
    kind = kind.where(kind.notna() & (kind != ""), default)
    keys = figures[DAY].assign(
        _rank=kind.map(SOURCE_RANK).fillna(len(SOURCE_RANK)),
        _line=figures.index,
    )
    ordered = keys.sort_values(
        [*DAY, "_rank", "_line"], ascending=[True, True, True, True, False], kind="stable"
    )
    return figures.loc[ordered.drop_duplicates(DAY, keep="first").index]


def select_as_of(figures: pd.DataFrame, as_of: str | date | pd.Timestamp) -> pd.DataFrame:
    """For each (party, metric), the figure in force on ``as_of``, chosen by the module's rule.

    Returns the chosen rows (index ``line``, in file order) with every column of ``figures`` and:
    ``corroborated_by`` (str) the reported_by of the other rows that day giving the same value and
    value_high, joined with "; " ("" if none), whose ``in_killed_count`` also holds for the chosen
    row where it says none and they all say the same; ``disagreement`` (tuple) the other figures
    that day, in file order, each a `series.Figure` and its reporter (() if none), never one its
    reporter superseded that day; ``same_day_series`` (tuple) the chosen figure's same-day
    series in the order read, a `series.Figure` a row (() if none: the report puts both into
    words); ``previous_figure_id`` (str, "" if
    none), ``previous_value`` (Int64, NA if none), ``previous_reported_on`` (datetime, NaT if
    none) and ``previous_basis`` (str, "" if none): the figure the same rule selects on the latest
    earlier day of this (party, metric); ``basis_changed`` (bool) True when there is a previous
    figure and its basis differs from this one's. A previous figure may be higher: counts may fall.
    """
    known = figures[figures["reported_on"] <= pd.Timestamp(as_of)]
    daily = preferred_days(known)
    previous = daily.groupby(KEY, sort=False)[["figure_id", "value", "reported_on", "basis"]].shift(
        1
    )
    last_day = ~daily.duplicated(KEY, keep="last")
    chosen = daily[last_day]
    before = previous[last_day]

    result = chosen.assign(
        corroborated_by="",
        disagreement=pd.Series([()] * len(chosen), index=chosen.index, dtype=object),
        same_day_series=pd.Series([()] * len(chosen), index=chosen.index, dtype=object),
        previous_figure_id=before["figure_id"].fillna("").astype("str"),
        previous_value=pd.array(before["value"], dtype="Int64"),
        previous_reported_on=pd.to_datetime(before["reported_on"]),
        previous_basis=before["basis"].fillna("").astype("str"),
    )
    result["basis_changed"] = (result["previous_figure_id"] != "") & (
        result["previous_basis"] != result["basis"]
    )
    _same_day_sources(result, known)
    return result.sort_index()


def _same_day_sources(result: pd.DataFrame, known: pd.DataFrame) -> None:
    """Fill ``corroborated_by`` and ``disagreement`` from the other rows of each chosen day."""
    chosen_days = result[DAY].assign(_chosen=result.index)
    # Only the rows of a chosen day can corroborate or disagree: the rest are left out first.
    on_chosen_day = pd.MultiIndex.from_frame(known[DAY]).isin(pd.MultiIndex.from_frame(result[DAY]))
    known = known[on_chosen_day]
    revised = series.superseded(known)  # a reporter's earlier figures of the day: its series
    for found in series.series(known):
        for line in set(found.lines) & set(result.index):
            result.at[line, "same_day_series"] = found.figures
    known = known.drop(index=revised)
    others = known.assign(_line=known.index).merge(chosen_days, on=DAY)
    others = others[others["_line"] != others["_chosen"]].sort_values("_line")
    for chosen, rows in others.groupby("_chosen", sort=False):
        value, high = result.at[chosen, "value"], result.at[chosen, "value_high"]
        same = (rows["value"] == value) & (rows["value_high"].fillna(-1) == _or(high, -1))
        agreeing = dict.fromkeys(rows.loc[same, "reported_by"])  # in file order, once each
        result.at[chosen, "corroborated_by"] = "; ".join(agreeing)
        if "in_killed_count" in rows and not result.at[chosen, "in_killed_count"]:
            # Where the chosen copy does not say where its bodies are and another copy of the
            # same figure does ("... and 103 of them are yet to be identified"), its answer
            # holds, unless the copies that say give different answers.
            said = set(rows.loc[same, "in_killed_count"]) - {""}
            if len(said) == 1:
                result.at[chosen, "in_killed_count"] = said.pop()
        result.at[chosen, "disagreement"] = tuple(
            (series.figure(r.value, r.value_high, r.qualifier), r.reported_by)
            for r in rows[~same].itertuples()
        )


def _or(value: object, default: int) -> object:
    """``value``, or ``default`` when it is missing."""
    return default if pd.isna(value) else value


def history(
    figures: pd.DataFrame,
    party: str | None = None,
    metric: str | None = None,
    as_of: str | date | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """The figures of a party and/or metric, reported up to `as_of`, in the order reported."""
    keep = pd.Series(True, index=figures.index)
    if as_of is not None:
        keep &= figures["reported_on"] <= pd.Timestamp(as_of)
    if party is not None:
        keep &= figures["party"] == party
    if metric is not None:
        keep &= figures["metric"] == metric
    return figures[keep].sort_index().sort_values("reported_on", kind="stable")
