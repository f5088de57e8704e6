"""The assumptions the uncertainty model needs: their fields and validation, and the checks of
the staleness parameters (light: the build checks them all before any kernel starts).

Their labels and the reasons for their defaults are words, in `report.reasons`.

No value lives here: the notebook's parameters cell holds the defaults and passes them in, so a
scenario is a parameter set, not an edit to code.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from casualty_report.errors import ParameterError

# Fields that are shares or probabilities, read as a low / best / high triple.
_TRIPLES = ("missing_dead_share", "overlap")
# The largest factor a reading may multiply a figure by: "more than 100" read as up to 10,000
# is already no reading of the words; 1e300 gave a best of NaN and a 300-digit range.
READING_FACTOR_MAX = 100.0
# How stale missing and unidentified figures may be treated (what each means: `inputs`; in the
# report's words: `report.reasons`).
STALE_TREATMENTS = ("exclude", "keep")
# A century of days: any longer gap is no gap between two figures of one war (and a day count
# past int64's range would overflow the comparison with the figures' ages).
STALE_AFTER_DAYS_MAX = 36_525


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
                    raise ParameterError(f"{f.name} must be a whole number, got {value!r}")
            else:
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise ParameterError(f"{f.name} must be a number, got {value!r}")
                if not math.isfinite(value):
                    raise ParameterError(f"{f.name} must be finite, got {value!r}")
                object.__setattr__(self, f.name, float(value))
        for name in ("more_than_high_factor", "at_least_high_factor"):
            _check(
                self,
                name,
                lambda v: 1 <= v <= READING_FACTOR_MAX,
                f"in [1, {READING_FACTOR_MAX:g}]",
            )
        _check(self, "about_relative_width", lambda v: 0 <= v <= 1, "in [0, 1]")
        _check(self, "up_to_low_factor", lambda v: 0 < v <= 1, "in (0, 1]")
        _check(self, "unidentified_counted_prob", lambda v: 0 <= v <= 1, "in [0, 1]")
        for name in _TRIPLES:
            for end in ("low", "best", "high"):
                _check(self, f"{name}_{end}", lambda v: 0 <= v <= 1, "in [0, 1]")
            low, best, high = (getattr(self, f"{name}_{end}") for end in ("low", "best", "high"))
            if not low <= best <= high:
                raise ParameterError(
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
            raise ParameterError(f"Assumptions: missing parameters: {', '.join(missing)}")
        return cls(**{name: namespace[name] for name in names})


def _check(obj: Assumptions, name: str, ok: Callable[[float], bool], rule: str) -> None:
    value = getattr(obj, name)
    if not ok(value):
        raise ParameterError(f"{name} must be {rule}, got {value!r}")


def check_stale_parameters(stale_after_days: int, stale_treatment: str) -> None:
    """Refuse a bad parameter with one line naming it."""
    if isinstance(stale_after_days, bool) or not isinstance(stale_after_days, int):
        raise ParameterError(f"stale_after_days must be a whole number, got {stale_after_days!r}")
    if stale_after_days < 0:
        raise ParameterError(f"stale_after_days must be >= 0, got {stale_after_days!r}")
    if stale_after_days > STALE_AFTER_DAYS_MAX:
        raise ParameterError(
            f"stale_after_days must be at most {STALE_AFTER_DAYS_MAX:,} (a century),"
            f" got {stale_after_days!r}"
        )
    if stale_treatment not in STALE_TREATMENTS:
        choices = ", ".join(repr(t) for t in STALE_TREATMENTS)
        raise ParameterError(f"stale_treatment must be one of {choices}, got {stale_treatment!r}")
