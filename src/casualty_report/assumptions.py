"""The assumptions the uncertainty model needs: their fields, validation, labels and reasons.

No value lives here: the notebook's parameters cell holds the defaults and passes them in, so a
scenario is a parameter set, not an edit to code.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

# Fields that are shares or probabilities, read as a low / best / high triple.
_TRIPLES = ("missing_dead_share", "overlap")


@dataclass(frozen=True)
class Assumptions:
    """How to read qualified figures and what the missing and unidentified may add.

    A figure qualified "more than N" is read as N+1 … N×`more_than_high_factor` (mode N+1),
    "at least N" as N … N×`at_least_high_factor` (mode N), "about N" as
    N×(1−`about_relative_width`) … N×(1+`about_relative_width`) (mode N), "up to N" as
    N×`up_to_low_factor` … N (mode N).
    """

    more_than_high_factor: float
    at_least_high_factor: float
    about_relative_width: float
    up_to_low_factor: float
    missing_dead_share_low: float
    missing_dead_share_best: float
    missing_dead_share_high: float
    unidentified_counted_prob: float
    overlap_low: float
    overlap_best: float
    overlap_high: float
    interval: float
    n_draws: int
    seed: int

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.type == "int":
                if isinstance(value, bool) or not isinstance(value, int):
                    raise ValueError(f"{f.name} must be a whole number, got {value!r}")
            else:
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise ValueError(f"{f.name} must be a number, got {value!r}")
                if not math.isfinite(value):
                    raise ValueError(f"{f.name} must be finite, got {value!r}")
                object.__setattr__(self, f.name, float(value))
        _check(self, "more_than_high_factor", lambda v: v >= 1, ">= 1")
        _check(self, "at_least_high_factor", lambda v: v >= 1, ">= 1")
        _check(self, "about_relative_width", lambda v: 0 <= v <= 1, "in [0, 1]")
        _check(self, "up_to_low_factor", lambda v: 0 < v <= 1, "in (0, 1]")
        _check(self, "unidentified_counted_prob", lambda v: 0 <= v <= 1, "in [0, 1]")
        for name in _TRIPLES:
            for end in ("low", "best", "high"):
                _check(self, f"{name}_{end}", lambda v: 0 <= v <= 1, "in [0, 1]")
            low, best, high = (getattr(self, f"{name}_{end}") for end in ("low", "best", "high"))
            if not low <= best <= high:
                raise ValueError(
                    f"{name}_low <= {name}_best <= {name}_high must hold, "
                    f"got {low!r}, {best!r}, {high!r}"
                )
        _check(self, "interval", lambda v: 0 < v < 1, "in (0, 1)")
        _check(self, "n_draws", lambda v: v >= 1, ">= 1")
        _check(self, "seed", lambda v: v >= 0, ">= 0")

    @classmethod
    def from_namespace(cls, namespace: Mapping[str, Any]) -> Assumptions:
        """Build from a mapping holding the field names (e.g. the notebook's `globals()`)."""
        names = [f.name for f in fields(cls)]
        missing = [name for name in names if name not in namespace]
        if missing:
            raise ValueError(f"Assumptions: missing parameters: {', '.join(missing)}")
        return cls(**{name: namespace[name] for name in names})


def _check(obj: Assumptions, name: str, ok: Callable[[float], bool], rule: str) -> None:
    value = getattr(obj, name)
    if not ok(value):
        raise ValueError(f"{name} must be {rule}, got {value!r}")


# A short name for each field, for chart axes and tables.
LABELS: dict[str, str] = {
    "more_than_high_factor": "'More than N' read up to N × factor",
    "at_least_high_factor": "'At least N' read up to N × factor",
    "about_relative_width": "'About N' read as N ± width",
    "up_to_low_factor": "'Up to N' read down to N × factor",
    "missing_dead_share_low": "Share of missing who are dead (low)",
    "missing_dead_share_best": "Share of missing who are dead (best)",
    "missing_dead_share_high": "Share of missing who are dead (high)",
    "unidentified_counted_prob": "Chance unidentified bodies are already counted",
    "overlap_low": "Share of unidentified bodies among the missing (low)",
    "overlap_best": "Share of unidentified bodies among the missing (best)",
    "overlap_high": "Share of unidentified bodies among the missing (high)",
    "interval": "Central interval reported",
    "n_draws": "Monte Carlo draws",
    "seed": "Random seed",
}

# Why each kind of default is reasonable. Generic on purpose: the values sit in the notebook.
JUSTIFICATIONS: dict[str, str] = {
    "more_than_high_factor": (
        "A source that says 'more than N' rounds down to a salient number; the true figure is "
        "above N but rarely far above it, or the source would have quoted the next round number. "
        "A modest factor above one bounds that without inventing precision."
    ),
    "at_least_high_factor": (
        "'At least N' is a floor that tallies still being compiled keep raising; a factor above "
        "one allows for later additions while keeping the reported floor as the most likely "
        "value."
    ),
    "about_relative_width": (
        "'About N' signals rounding; a symmetric relative width of the order of the rounding "
        "step (a few per cent to tens of per cent) states that precision explicitly."
    ),
    "up_to_low_factor": (
        "'Up to N' is a ceiling; a factor below one sets how far under the ceiling the true figure "
        "may plausibly lie, with the ceiling itself as the most likely reading."
    ),
    "missing_dead_share_low": (
        "Some of the missing in action are later found alive (captured, cut off, deserted); the "
        "low end allows that a sizeable part of them survive."
    ),
    "missing_dead_share_best": (
        "After a short, intense war most soldiers still missing weeks later prove to be dead, so "
        "the central share is high but below one."
    ),
    "missing_dead_share_high": (
        "The upper end takes every missing soldier as dead: a bound that cannot be exceeded."
    ),
    "unidentified_counted_prob": (
        "Sources rarely say whether bodies awaiting identification are already in the count of "
        "the dead; with no statement either way an even chance is the honest central reading, "
        "and the bounds take each answer in turn."
    ),
    "overlap_low": (
        "Bodies awaiting identification may belong to soldiers not listed as missing (killed but "
        "not yet listed anywhere); the low end treats the two groups as separate."
    ),
    "overlap_best": (
        "Unidentified bodies are most plausibly those of soldiers listed as missing, since "
        "identified dead are no longer missing; a central share between the ends reflects that."
    ),
    "overlap_high": (
        "The upper end takes every unidentified body as one of the missing, so they are not "
        "counted twice."
    ),
    "interval": (
        "A central interval wide enough to be honest and narrow enough to be informative, as "
        "is usual in casualty estimation. It is a reading aid, not a probability claim about "
        "the world, since the inputs are judgements."
    ),
    "n_draws": (
        "Enough draws that the reported interval endpoints move by much less than the rounding "
        "used in the report when the seed changes."
    ),
    "seed": "A fixed seed makes every number in the report reproducible bit for bit.",
}
