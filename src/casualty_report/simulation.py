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

from casualty_report.model import (
    ALL,
    MIXTURE,
    SCENARIO_QUANTITIES,
    SCENARIOS,
    Key,
    Model,
    derive,
    toll,
)


def draw_inputs(model: Model, n_draws: int, seed: int) -> tuple[dict[Any, Any], np.ndarray]:
    """Draws of every input, by (party, name), and whether the bodies are counted, per draw."""
    rng = np.random.default_rng(seed)
    x: dict[Any, Any] = {}
    for key, i in model.inputs.items():
        x[key] = i.low if i.fixed else rng.triangular(i.low, i.mode, i.high, n_draws)
    counted = rng.random(n_draws) < model.counted_prob
    return x, counted


def _civilians(model: Model, x: dict[Any, Any]) -> Any:
    if (ALL, "civilians_killed") in x:
        return x[(ALL, "civilians_killed")]
    if model.civilian_parties:
        return sum(x[(p, "civilians_killed")] for p in model.civilian_parties)
    return None


def _tolls(model: Model, x: dict[Any, Any], c: float) -> dict[str, Any]:
    def get(p: str, name: str) -> Any:
        return x.get((p, name), 0.0)

    return {
        p: toll(
            get(p, "military_deaths_confirmed"),
            get(p, "military_missing"),
            get(p, "unidentified_bodies"),
            get(p, "missing_dead_share"),
            get(p, "overlap"),
            c,
        )
        for p in model.parties
    }


def iter_draws(model: Model, n_draws: int, seed: int) -> Iterator[tuple[Key, np.ndarray]]:
    """Every quantity's draws, one (Key, array of n_draws) at a time; constants are broadcast.

    Quantities that no scenario changes come with scenario `all` only; with scenarios, the
    scenario-dependent ones come once per scenario and once for the mixture.
    """

    def full(value: Any) -> np.ndarray:
        return np.broadcast_to(np.asarray(value, dtype=np.float64), (n_draws,))

    x, counted = draw_inputs(model, n_draws, seed)
    confirmed = {p: x[(p, "military_deaths_confirmed")] for p in model.parties}
    civ = _civilians(model, x)
    for (party, name), value in x.items():
        if name in ("missing_dead_share", "overlap"):
            continue
        yield Key(name, party), full(value)
    if civ is not None and (ALL, "civilians_killed") not in x:
        yield Key("civilians_killed", ALL), full(civ)
    for p in model.parties:
        if (p, "military_wounded_hospitalised") in x:
            ratio = confirmed[p] / x[(p, "military_wounded_hospitalised")]
            yield Key("confirmed_killed_per_hospitalised_wounded", p), full(ratio)
    if not model.scenarios:
        for (q, p), value in derive(model, confirmed, _tolls(model, x, 0.0), civ):
            yield Key(q, p), full(value)
        return
    by_scenario = {name: _tolls(model, x, SCENARIOS[name][0]) for name in model.scenarios}
    first, second = model.scenarios  # IN_COUNT (c = 1), NOT_IN_COUNT (c = 0)
    mixed = {
        p: np.where(counted, by_scenario[first][p], by_scenario[second][p])
        if model.has_bodies(p)
        else by_scenario[first][p]
        for p in model.parties
    }
    for (q, p), value in derive(model, confirmed, mixed, civ):
        yield Key(q, p), full(value)
    for name, tolls in by_scenario.items():
        for (q, p), value in derive(model, confirmed, tolls, civ):
            if scenario_row(model, q, p):
                yield Key(q, p, name), full(value)


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
    x, counted = draw_inputs(model, n_draws, seed)
    names = model.scenarios or ("",)
    by = {name: _tolls(model, x, SCENARIOS[name][0] if name else 0.0) for name in names}
    if model.scenarios:
        first, second = model.scenarios
        by[MIXTURE] = {
            p: np.where(counted, by[first][p], by[second][p])
            if model.has_bodies(p)
            else by[first][p]
            for p in model.parties
        }
    else:
        by = {MIXTURE: by[""]}
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
