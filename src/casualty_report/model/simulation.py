"""Monte Carlo draws of the model in plain numpy: triangular readings, one yes/no per draw.

Each uncertain input is drawn with `rng.triangular(low, mode, high)` (a fixed one is its value);
the unidentified bodies' question is one Bernoulli draw shared by every party, so the mixture
`all` is exactly a mixture of the two scenarios, which are evaluated on the same input draws.
The generator is `np.random.default_rng(seed)`: the same seed gives the same draws.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from casualty_report.model.quantities import (
    ALL,
    MIXTURE,
    QUANTITIES,
    SCENARIO_QUANTITIES,
    SCENARIOS,
    Key,
    Model,
    derive,
    toll,
)

TOLL_INPUTS = (
    "military_deaths_confirmed",
    "military_missing",
    "unidentified_bodies",
    "missing_dead_share",
    "overlap",
)


def draw_inputs(
    model: Model, n_draws: int, seed: int, *, toll_only: bool = False
) -> tuple[dict[Key, Any], np.ndarray]:
    """Draws of the inputs, by Key(name, party), and whether the bodies are counted, per draw.

    The toll's inputs are drawn first, then the yes/no question, then the others (wounded,
    civilians, the combined cross-check): with `toll_only` the draws stop there and are the same
    as in a full draw with the same seed.
    """
    rng = np.random.default_rng(seed)
    x: dict[Key, Any] = {}

    def draw(key: Key) -> None:
        i = model.inputs[key]
        x[key] = i.low if i.fixed else rng.triangular(i.low, i.mode, i.high, n_draws)

    for key in model.inputs:
        if key.quantity in TOLL_INPUTS:
            draw(key)
    counted = rng.random(n_draws) < model.counted_prob
    if not toll_only:
        for key in model.inputs:
            if key.quantity not in TOLL_INPUTS:
                draw(key)
    return x, counted


def _civilians(model: Model, x: dict[Key, Any]) -> Any:
    if Key("civilians_killed", ALL) in x:
        return x[Key("civilians_killed", ALL)]
    if model.civilian_parties:
        return sum(x[Key("civilians_killed", p)] for p in model.civilian_parties)
    return None


def _tolls(model: Model, x: dict[Key, Any], c: float, parties: list[str]) -> dict[str, Any]:
    """Each party's toll under one value of c (or its source's, where it says: `Model.c_of`)."""

    def get(p: str, name: str) -> Any:
        return x.get(Key(name, p), 0.0)

    return {
        p: toll(
            get(p, "military_deaths_confirmed"),
            get(p, "military_missing"),
            get(p, "unidentified_bodies"),
            get(p, "missing_dead_share"),
            get(p, "overlap"),
            model.c_of(p, c),
        )
        for p in parties
    }


def iter_draws(model: Model, n_draws: int, seed: int) -> Iterator[tuple[Key, np.ndarray]]:
    """Every quantity's draws, one (Key, array of n_draws) at a time; constants are broadcast.

    Quantities that no scenario changes come with scenario `all` only; with scenarios, the
    scenario-dependent ones come once per scenario and once for the mixture.
    """

    def full(value: Any) -> np.ndarray:
        return np.broadcast_to(np.asarray(value, dtype=np.float64), (n_draws,))

    x, counted = draw_inputs(model, n_draws, seed)
    confirmed = {p: x[Key("military_deaths_confirmed", p)] for p in model.parties}
    civ = _civilians(model, x)
    for key, value in x.items():
        if key.quantity in QUANTITIES:  # a reading shown as it is (not p or o)
            yield key, full(value)
    if civ is not None and Key("civilians_killed", ALL) not in x:
        yield Key("civilians_killed", ALL), full(civ)
    for p in model.parties:
        if model.has_wounded_ratio(p):
            ratio = confirmed[p] / x[Key("military_wounded_hospitalised", p)]
            yield Key("confirmed_killed_per_hospitalised_wounded", p), full(ratio)
    for name, tolls in _by_scenario(model, x, counted).items():
        for key, value in derive(model, confirmed, tolls, civ):
            if name == MIXTURE or scenario_row(model, key.quantity, key.party):
                yield key._replace(scenario=name), full(value)


def _by_scenario(model: Model, x: dict[Key, Any], counted: np.ndarray) -> dict[str, Any]:
    """Each party's toll in the mixture and in each scenario (the mixture alone without any).

    A party without unidentified bodies, or whose source places them (`Model.placed`), has one
    toll whatever the scenario: its array is shared.
    """
    plain = [p for p in model.parties if not model.has_bodies(p)]
    bodies = [p for p in model.parties if model.has_bodies(p)]
    shared = _tolls(model, x, 0.0, plain)
    if not model.scenarios:
        return {MIXTURE: shared}
    by = {name: _tolls(model, x, SCENARIOS[name], bodies) for name in model.scenarios}
    first, second = model.scenarios  # IN_COUNT (c = 1), NOT_IN_COUNT (c = 0)
    mixed = {p: np.where(counted, by[first][p], by[second][p]) for p in bodies}
    return {name: {**shared, **tolls} for name, tolls in {MIXTURE: mixed, **by}.items()}


def scenario_row(model: Model, quantity: str, party: str) -> bool:
    """Whether a quantity gets a row per scenario: it depends on c, for this party or in all."""
    if quantity not in SCENARIO_QUANTITIES:
        return False
    if quantity in ("military_deaths", "military_deaths_additional") and party != ALL:
        return model.has_bodies(party)
    return True


def toll_draws(model: Model, n_draws: int, seed: int) -> dict[Key, np.ndarray]:
    """The draws of the model proper: each party's and ALL's military toll, per scenario.

    The same draws as `iter_draws` gives for `military_deaths` (same seed, same order), without
    the derived quantities.
    """
    x, counted = draw_inputs(model, n_draws, seed, toll_only=True)
    by = _by_scenario(model, x, counted)
    out = {}
    for name, tolls in by.items():
        for p, t in tolls.items():
            out[Key("military_deaths", p, name)] = np.broadcast_to(t, (n_draws,))
        out[Key("military_deaths", ALL, name)] = sum(tolls.values())
    return out


def simulate(model: Model, n_draws: int, seed: int) -> dict[Key, np.ndarray]:
    """Every quantity's draws at once, keyed Key(quantity, party, scenario) (read-only arrays).

    For small models and charts; `results` works through `iter_draws` so that a model of many
    parties never holds every array at once.
    """
    return dict(iter_draws(model, n_draws, seed))
