"""One-at-a-time sensitivity of the total military toll, ranked for a tornado chart.

The baseline is every input at its most likely reading (its mode) in the most likely scenario.
Each assumption, and each qualifier reading present in the modelled figures, swings from its low
to its high end with everything else at the baseline; the unidentified bodies' question swings
from "not yet counted" to "already counted".
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from casualty_report.model.quantities import IN_COUNT, Key, Model, toll
from casualty_report.model.readings import QUALIFIER_PARAMETER

COLUMNS = ["assumption", "total_at_low", "total_at_high", "swing"]


def _total(model: Model, values: Mapping[Key, float], c: float) -> float:
    def get(p: str, name: str) -> float:
        return values.get(Key(name, p), 0.0)

    return float(
        sum(
            toll(
                get(p, "military_deaths_confirmed"),
                get(p, "military_missing"),
                get(p, "unidentified_bodies"),
                get(p, "missing_dead_share"),
                get(p, "overlap"),
                model.c_of(p, c),
            )
            for p in model.parties
        )
    )


def sensitivity(model: Model, likely: str | None) -> pd.DataFrame:
    """Swings of the total military toll (columns COLUMNS), largest first; attrs['baseline']."""
    modes = {key: i.mode for key, i in model.inputs.items()}
    c = 1.0 if likely == IN_COUNT else 0.0
    swings: dict[str, tuple[float, float]] = {}

    def swing(name: str, keys: list[Key]) -> None:
        inputs = [model.inputs[k] for k in keys]
        if keys and any(not i.fixed for i in inputs):
            low = {**modes, **{k: model.inputs[k].low for k in keys}}
            high = {**modes, **{k: model.inputs[k].high for k in keys}}
            swings[name] = (_total(model, low, c), _total(model, high, c))

    swing("missing_dead_share", [k for k in model.inputs if k.quantity == "missing_dead_share"])
    swing("overlap", [k for k in model.inputs if k.quantity == "overlap"])
    if model.scenarios:
        swings["unidentified_counted"] = (_total(model, modes, 0.0), _total(model, modes, 1.0))
    for qualifier, param in QUALIFIER_PARAMETER.items():
        tolled = ("military_deaths_confirmed", "military_missing", "unidentified_bodies")
        keys = [
            k for k, i in model.inputs.items() if i.qualifier == qualifier and k.quantity in tolled
        ]
        swing(param, [k for k in keys if k.party in model.parties])
    table = pd.DataFrame(
        [
            dict(
                assumption=name,
                total_at_low=lo,
                total_at_high=hi,
                swing=abs(hi - lo),
            )
            for name, (lo, hi) in swings.items()
        ],
        columns=COLUMNS,
    )
    table = table.sort_values(["swing", "assumption"], ascending=[False, True], kind="stable")
    table = table.reset_index(drop=True)
    table.attrs["baseline"] = _total(model, modes, c)
    return table
