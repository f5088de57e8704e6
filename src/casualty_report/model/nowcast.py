"""Where each count is likely to end: a nowcast of a party's eventual official count.

The method is the plainest of epidemic nowcasting's (baselinenowcast's "uncertainty from past
performance"), applied to official tolls:

1. Each party's *eventual official count* is the figure its war's package names for it
   (`report.eventual_figures`: the latest count of the toll's scope from the party's own
   authorities, chosen by hand and said why in `report.eventual_count`); a war whose package
   names none is read at each party's last count.
2. The *delay curve* of a war's party: at d days after the fighting ended, the count then in
   force, against the eventual count: the growth still to come, g(d) = eventual / count(d).
3. The *reference class* is every party of every other war: their g(d) at the same d. The war
   being estimated is left out, and nothing of it reported after `as_of` is read.
4. The nowcast of a count c at d days: c x their empirical quantiles for an interval (80 % and
   90 %, or the report's `interval`); best c x the factor that minimises the expected absolute
   percentage error over the reference, the median of the factors each weighted by 1 / factor
   (Gneiting 2011, "Making and evaluating point forecasts": under that error the best point is
   the median of the distribution reweighted by 1 / y), kept within the 80 % interval (the
   weights can put it below the interval's lower end). The backtest scores that error.
   Missing soldiers a party reported raise the upper end to at least c + missing (all dead).

Everything is numbers; the report puts them into words. With few wars the reference class is
small, and the interval says only what those wars say: the report states how many it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from casualty_report.ledger.scope import common_actors
from casualty_report.model.counts import daily

DAYS = (0, 7, 14, 30, 60, 90, 180, 365)  # the backtest's days after the fighting ended
LEVELS = (0.8, 0.9)


@dataclass(frozen=True)
class War:
    """A war of the reference class: its ledger and the day its fighting ended."""

    name: str
    figures: pd.DataFrame
    ended: pd.Timestamp
    part_of: dict[str, str] | None = None  # actors inside another party's side
    scope: str = "military_killed"  # the metric its toll counts (ledger.scope)

    @property
    def declared(self) -> dict[str, dict]:
        """The eventual official counts its package names: party -> {value, reported_on}."""
        return self.figures.attrs.get("eventual", {})

    @cached_property
    def days(self) -> pd.DataFrame:
        """Its ledger, one row per party, metric and day (counts.daily): computed once."""
        return daily(self.figures)

    @cached_property
    def curves(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Its scored parties' counts and eventual counts (`scored`): computed once."""
        return scored(self)

    @cached_property
    def growths(self) -> dict[int, np.ndarray]:
        """Its `growth` at each of the backtest's days (DAYS): computed once."""
        return growth_on(self, list(DAYS))


def wars(ledgers: list[pd.DataFrame]) -> list[War]:
    """The reference class: each ledger whose package says when its fighting ended."""
    found = []
    for figures in ledgers:
        conflict = figures.attrs["conflict"]
        ended = conflict.report.get("fighting_ended")
        if ended:
            scope = figures.attrs["scope"].scope if "scope" in figures.attrs else "military_killed"
            found.append(
                War(conflict.name, figures, pd.Timestamp(ended), conflict.part_of(), scope)
            )
    return found


def killed_series(
    rows: pd.DataFrame, part_of: dict[str, str] | None = None, scope: str = "military_killed"
) -> pd.DataFrame:
    """Each party's count of the toll's scope (soldiers killed unless said), from a ledger's
    rows of a day each (counts.daily); an actor inside another party's side (`part_of`) is left
    out when that party has a count."""
    rows = rows[(rows["metric"] == scope) & ~rows["party"].isin(common_actors())]
    sides = set(rows["party"])
    inside = [p for p, side in (part_of or {}).items() if side in sides]
    rows = rows[~rows["party"].isin(inside)]
    return rows.sort_values(["party", "reported_on"], kind="stable")[
        ["party", "reported_on", "value"]
    ]


def in_force(series: pd.DataFrame, whens: list[pd.Timestamp]) -> pd.DataFrame:
    """Each party's value in force on each day of `whens`: a row a day, a column a party (NaN
    before its first value). `series` holds a row per party and day (counts.daily)."""
    wide = series.pivot_table(index="reported_on", columns="party", values="value", aggfunc="last")
    if wide.empty:
        return pd.DataFrame(index=pd.DatetimeIndex(whens), dtype=float)
    return wide.ffill().reindex(pd.DatetimeIndex(whens), method="ffill").astype(float)


def scored(war: War) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The parties of `war` whose eventual count is known: their counts (killed_series) and
    their eventual official counts (columns eventual, eventual_on, indexed by party). The
    parties the package names, each with its own counts; else every party's last count."""
    if not war.declared:
        series = killed_series(war.days, war.part_of, war.scope)
        last = series.groupby("party").tail(1).set_index("party")
        return series, last.rename(columns={"value": "eventual", "reported_on": "eventual_on"})
    series = killed_series(war.days, None, war.scope)
    series = series[series["party"].isin(list(war.declared))]
    final = pd.DataFrame.from_dict(war.declared, orient="index")
    final = final.rename(columns={"value": "eventual", "reported_on": "eventual_on"})
    final["eventual_on"] = pd.to_datetime(final["eventual_on"])
    return series, final[["eventual", "eventual_on"]].rename_axis("party")


def growth(war: War, days: int) -> np.ndarray:
    """log(eventual / count) of each scored party of `war` at `days` after the fighting ended,
    for parties that had a count above 0 by then (0 where that count was already the last)."""
    return war.growths[days] if days in war.growths else growth_on(war, [days])[days]


def growth_on(war: War, days: list[int]) -> dict[int, np.ndarray]:
    """`growth` of `war` at each of `days`, its counts read once (read-only: they are kept)."""
    series, final = war.curves
    counts = in_force(series, [war.ended + pd.Timedelta(days=d) for d in days])
    return {d: _growth(final, counts.iloc[i].dropna()) for i, d in enumerate(days)}


def _growth(final: pd.DataFrame, now: pd.Series) -> np.ndarray:
    joined = _counted(final, now)
    grown = np.log(joined["eventual"].to_numpy(float) / joined["now"].to_numpy(float))
    grown.flags.writeable = False
    return grown


def _counted(final: pd.DataFrame, now: pd.Series) -> pd.DataFrame:
    """The scored parties with a count above 0 (`now`): their eventual and now, by party."""
    joined = final.join(now.rename("now"), how="inner")
    return joined[joined["now"] > 0]


def reference_members(reference: list[War], days: int) -> list[dict]:
    """Each member of the reference pool at `days`, in `reference_growth`'s order: its war, its
    party (and the label its war's package gives it), its count then, its eventual official
    count and the factor from one to the other, so that a reader can check every factor."""
    members = []
    for war in reference:
        series, final = war.curves
        when = war.ended + pd.Timedelta(days=max(days, 0))
        joined = _counted(final, in_force(series, [when]).iloc[0].dropna())
        conflict = war.figures.attrs.get("conflict")  # none for a war built in code
        labels = conflict.parties if conflict is not None else {}
        for party, row in joined.iterrows():
            members.append(
                dict(war=war.name, party=party, label=labels.get(party, {}).get("label", ""),
                     count=float(row["now"]), eventual=float(row["eventual"]),
                     factor=float(row["eventual"] / row["now"]))
            )  # fmt: skip
    return members


def reference_growth(reference: list[War], days: int) -> np.ndarray:
    """The reference class's log growth at `days` (negative days read as 0: the curves start
    when the fighting ends), every party of every war pooled."""
    pooled = [growth(war, max(days, 0)) for war in reference]
    return np.concatenate(pooled) if pooled else np.array([])


def interval(count: float, pool: np.ndarray, level: float, missing: float = 0.0) -> tuple:
    """(best, low, high) of the eventual count of a count `count`, from the pooled log growth.

    Without a reference (an empty pool) nothing can be said beyond the count: all three are NaN.
    """
    if pool.size == 0:
        return (np.nan, np.nan, np.nan)
    tail = (1 - level) / 2
    best = count * float(np.exp(within_80(np.log(least_error(np.exp(pool))), pool)))
    low = count * float(np.exp(np.quantile(pool, tail)))
    high = count * float(np.exp(np.quantile(pool, 1 - tail)))
    return best, low, max(high, count + missing)


def least_error(values: np.ndarray) -> float:
    """The value with the least expected absolute percentage error over `values` (all > 0 but
    for a zero sum): their median, each weighted by 1 / value (the smallest value at which the
    weights reach half their sum)."""
    values = np.sort(np.asarray(values, float))
    weights = 1.0 / np.where(values > 0, values, np.inf)
    cumulative = np.cumsum(weights)
    return float(values[np.searchsorted(cumulative, cumulative[-1] / 2)])


def within_80(best: float, values: np.ndarray) -> float:
    """`best` kept inside the 80 % range of `values` (their 10 % and 90 % quantiles, read as the
    interval reads them: log growth for a party, simulated sums for all parties). The
    weighted median of `least_error` leans towards small values, and a pool with a few far
    below the rest (a count later revised to a third of itself) can put it below the range's
    lower end: a best value outside its own 80 % interval would read as a contradiction."""
    low, high = np.quantile(values, [0.1, 0.9])
    return float(min(max(best, low), high))


def total_draws(
    counts: dict[str, float], pool: np.ndarray, n: int, seed: int, final: frozenset = frozenset()
) -> np.ndarray:
    """Simulated sums over parties: each party's count times a growth drawn from the pool (a
    count marked final as it is)."""
    rng = np.random.default_rng(seed)
    total = np.zeros(n)
    for party, count in counts.items():
        total += count if party in final else count * np.exp(rng.choice(pool, size=n))
    return total


def days_after(as_of: pd.Timestamp, ended: pd.Timestamp | None) -> int:
    """Days from the end of the fighting to `as_of` (0 when the end is unknown)."""
    return 0 if ended is None or pd.isna(ended) else int((as_of - ended).days)


def outlook(
    counts: dict[str, float],
    missing: dict[str, float],
    days: int,
    reference: list[War],
    level: float,
    n_draws: int,
    seed: int,
    final: frozenset = frozenset(),
) -> pd.DataFrame:
    """The nowcast of each party's eventual official count and of their sum (party ALL).

    Columns: party, count, best, low_80, high_80, low, high (at `level`). Without a reference
    class the estimates are NaN (nothing to learn from). A count its source marks `final` ends
    where it is: its estimate is the count itself.
    """
    pool = reference_growth(reference, days)
    rows = []
    for party, count in counts.items():
        if party in final and pool.size:
            rows.append(dict(party=party, count=count, best=count, low_80=count,
                             high_80=count, low=count, high=count))  # fmt: skip
            continue
        best, low_80, high_80 = interval(count, pool, 0.8, missing.get(party, 0.0))
        _, low, high = interval(count, pool, level, missing.get(party, 0.0))
        rows.append(dict(party=party, count=count, best=best, low_80=low_80, high_80=high_80,
                         low=low, high=high))  # fmt: skip
    total = sum(counts.values())
    if len(rows) == 1:  # one party: its sum is its own count, estimated the same way
        rows.append({**rows[0], "party": "ALL"})
    elif pool.size and counts:
        draws = total_draws(counts, pool, n_draws, seed, final)
        tail = (1 - level) / 2
        ends = np.quantile(draws, [0.1, 0.9, tail, 1 - tail])
        best = within_80(least_error(draws), draws)
        rows.append(dict(party="ALL", count=total, best=best, low_80=ends[0], high_80=ends[1],
                         low=ends[2], high=ends[3]))  # fmt: skip
    else:
        rows.append(dict(party="ALL", count=total, best=np.nan, low_80=np.nan, high_80=np.nan,
                         low=np.nan, high=np.nan))  # fmt: skip
    table = pd.DataFrame(rows)
    members = reference_members(reference, days) if pool.size else []
    wars = len({m["war"] for m in members})  # those with a count then: not every war in the class
    table.attrs.update(days=days, pool=np.sort(np.exp(pool)), wars=wars, members=members)
    return table


def result_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The nowcast as rows of the results table: quantity eventual_official_count, per party and
    ALL; low and high are the ends of the report's interval (the report's note on each row says
    how it was made, and gives the 80 % interval: `report.notes`)."""
    rows = [
        dict(quantity="eventual_official_count", party=r["party"], scenario="all",
             low=r["low"], best=r["best"], high=r["high"], interval_low=r["low"],
             interval_high=r["high"], unit="deaths", count_status="estimate")
        for r in table.to_dict("records")
    ]  # fmt: skip
    return pd.DataFrame(rows)
