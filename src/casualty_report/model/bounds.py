"""Low and high of every quantity by interval arithmetic: no corners are enumerated.

Within a scenario a party's toll T = K + (1 − c)·U + p·max(M − o·U, 0) is monotone in each input
taken alone: it rises with K, M and p and falls with o; in U it rises when c = 0 (its slope
1 − p·o is never negative, since p and o are shares) and falls when c = 1. So its lowest value is
the formula at the low end of the rising inputs and the high end of the falling ones, and its
highest value the reverse: two evaluations per party, whatever the number of parties. Parties'
inputs are independent, so the bounds of a sum are the sums of the bounds; a share
x / (x + rest) rises with x and falls with the rest, so its bounds take each at the opposite
end. The mixture `all` spans the scenarios it mixes.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from casualty_report.model.quantities import ALL, QUANTITIES, SCENARIOS, Key, Model, toll


class Interval(NamedTuple):
    """A closed interval [low, high]."""

    low: float
    high: float

    def __add__(self, other: object) -> Interval:  # type: ignore[override]
        if not isinstance(other, Interval):
            return NotImplemented
        return Interval(self.low + other.low, self.high + other.high)

    def scale(self, factor: float) -> Interval:
        """The interval times a positive number (or NaN, for a rate without a period)."""
        return Interval(self.low * factor, self.high * factor)

    def union(self, other: Interval) -> Interval:
        """The smallest interval holding both (the mixture of two scenarios)."""
        return Interval(min(self.low, other.low), max(self.high, other.high))


ZERO = Interval(0.0, 0.0)


def total(intervals: list[Interval]) -> Interval:
    """Bounds of a sum of independent terms: the sum of the lows and the sum of the highs."""
    out = ZERO
    for i in intervals:
        out = out + i
    return out


def share(part: Interval, rest: Interval) -> Interval:
    """Bounds of 100·x / (x + rest): x at its low with the rest at its high, and the reverse."""
    with np.errstate(divide="ignore", invalid="ignore"):
        low = 100.0 * np.float64(part.low) / (part.low + rest.high)
        high = 100.0 * np.float64(part.high) / (part.high + rest.low)
    return Interval(float(low), float(high))


def ratio(num: Interval, den: Interval) -> Interval:
    """Bounds of x / y for positive x and y."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return Interval(
            float(np.float64(num.low) / den.high), float(np.float64(num.high) / den.low)
        )


def of(model: Model, party: str, name: str) -> Interval:
    """An input's reading as an interval; an absent input counts as 0."""
    i = model.get(party, name)
    return ZERO if i is None else Interval(i.low, i.high)


def party_toll(model: Model, party: str, c: float, *, confirmed: bool = True) -> Interval:
    """Bounds of a party's toll (or, with confirmed=False, of what is added to its count)."""
    k = of(model, party, "military_deaths_confirmed") if confirmed else ZERO
    m, u = of(model, party, "military_missing"), of(model, party, "unidentified_bodies")
    p, o = of(model, party, "missing_dead_share"), of(model, party, "overlap")
    c = model.c_of(party, c)  # its source's answer, where it gives one
    u_low, u_high = (u.high, u.low) if c == 1.0 else (u.low, u.high)
    return Interval(
        float(toll(k.low, m.low, u_low, p.low, o.high, c)),
        float(toll(k.high, m.high, u_high, p.high, o.low, c)),
    )


def civilians(model: Model) -> Interval | None:
    """Civilians killed: the both-sides figure, else the sum of the parties' figures."""
    if model.get(ALL, "civilians_killed"):
        return of(model, ALL, "civilians_killed")
    if model.civilian_parties:
        return total([of(model, p, "civilians_killed") for p in model.civilian_parties])
    return None


def _scenario(model: Model, c: float) -> dict[Key, Interval]:
    """Bounds of every scenario-dependent quantity under one value of c."""
    t = {p: party_toll(model, p, c) for p in model.parties}
    added = {p: party_toll(model, p, c, confirmed=False) for p in model.parties}
    total_t = total(list(t.values()))
    out = {
        Key("military_deaths", ALL): total_t,
        Key("military_deaths_additional", ALL): total(list(added.values())),
        Key("military_deaths_per_day", ALL): total_t.scale(1.0 / model.days),
    }
    for p in model.parties:
        out[Key("military_deaths", p)] = t[p]
        out[Key("military_deaths_additional", p)] = added[p]
        rest = total([t[q] for q in model.parties if q != p])
        out[Key("share_of_military_deaths", p)] = share(t[p], rest)
    civ = civilians(model)
    if civ is not None:
        out[Key("civilians_share_of_deaths", ALL)] = share(civ, total_t)
    return out


def _fixed(model: Model) -> dict[Key, Interval]:
    """Bounds of the quantities that no scenario changes."""
    k = {p: of(model, p, "military_deaths_confirmed") for p in model.parties}
    total_k = total(list(k.values()))
    out = {
        Key("military_deaths_confirmed", ALL): total_k,
        Key("military_deaths_confirmed_per_day", ALL): total_k.scale(1.0 / model.days),
    }
    for p in model.parties:
        out[Key("military_deaths_confirmed", p)] = k[p]
        rest = total([k[q] for q in model.parties if q != p])
        out[Key("share_of_military_deaths_confirmed", p)] = share(k[p], rest)
        if model.has_wounded_ratio(p):
            out[Key("confirmed_killed_per_hospitalised_wounded", p)] = ratio(
                k[p], of(model, p, "military_wounded_hospitalised")
            )
    for key, i in model.inputs.items():
        if key.quantity in QUANTITIES:  # a reading shown as it is
            out[key] = Interval(i.low, i.high)
    civ = civilians(model)
    if civ is not None:
        out[Key("civilians_killed", ALL)] = civ
        out[Key("civilians_share_of_deaths_confirmed", ALL)] = share(civ, total_k)
    return out


def bounds(model: Model) -> dict[Key, Interval]:
    """(low, high) of every quantity in every scenario and in the mixture `all`.

    The mixture spans the scenarios that have a chance above zero; with no unidentified bodies
    there are no scenarios and c changes nothing.
    """
    out = _fixed(model)
    if not model.scenarios:
        return {**out, **_scenario(model, 0.0)}
    for name in model.scenarios:
        for mix, b in _scenario(model, SCENARIOS[name]).items():
            out[mix._replace(scenario=name)] = b
            if model.probability(name) > 0:
                out[mix] = out[mix].union(b) if mix in out else b
    return out
