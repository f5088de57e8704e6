"""The model: which figures it reads, the formula per party, the scenarios and the key scheme.

The toll counts the war's scope (`ledger.scope`): soldiers killed (`military_killed`, the default
of every shipped war) or soldiers and civilians killed (`military_and_civilian_killed`). For each
party P with its own count in that scope (BOTH is a cross-check, never a party):

    T = K + (1 − c)·U + p·max(M − o·U, 0)

K confirmed killed, M missing, U unidentified bodies (each read from its qualifier as a
low / mode / high triple, see `readings`), p the share of the missing who are dead, o the share
of the unidentified bodies who are among the missing, and c = 1 when the bodies are already
inside K. c is not drawn per party: it is a yes/no question that makes two scenarios,
`unidentified_in_count` (c = 1) and `unidentified_not_in_count` (c = 0), each with its own
central value and interval; the mixture `all` takes the first with the assumed probability
`unidentified_counted_prob`. Wounded and civilians are separate quantities, never added to the
military toll. Every quantity is keyed by one `Key(quantity, party, scenario)`.

In the scope of soldiers and civilians, K is that total, M the people missing
(`military_and_civilian_missing`) and U the bodies awaiting identification; a split of a total
into soldiers and civilians is shown beside it and never added, and the civilians' share and the
killed per wounded soldier (which need a count of soldiers) are not computed. The quantities keep
their keys (`military_deaths` …) whatever the scope; the results CSV names them by it
(`quantity_names`: `deaths` …), so that a file never calls a toll of civilians military.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from casualty_report.ledger import vocabulary
from casualty_report.ledger.scope import MILITARY, MILITARY_AND_CIVILIAN, common_actors
from casualty_report.model.assumptions import Assumptions
from casualty_report.model.readings import read_figure

ALL = "ALL"  # the sum over the modelled parties
BOTH = "BOTH"  # a figure for both sides together: a cross-check, never added
MIXTURE = "all"
IN_COUNT = "unidentified_in_count"
NOT_IN_COUNT = "unidentified_not_in_count"
# scenario -> c, the share of the unidentified bodies already inside the confirmed count (what
# each assumes, in words: `report.notes.ASSUMES`)
SCENARIOS: dict[str, float] = {IN_COUNT: 1.0, NOT_IN_COUNT: 0.0}

# quantity -> unit: the vocabulary of the results' `quantity` column, in the table's order (each
# row's note says what it is: `report.notes`).
QUANTITIES: dict[str, str] = {
    "military_deaths_confirmed": "deaths",
    "military_deaths_additional": "deaths",
    "military_deaths": "deaths",
    "military_deaths_reported_combined": "deaths",
    "military_missing": "people",
    "unidentified_bodies": "bodies",
    "military_wounded_hospitalised": "people",
    "civilians_killed": "deaths",
    "share_of_military_deaths_confirmed": "percent",
    "share_of_military_deaths": "percent",
    "confirmed_killed_per_hospitalised_wounded": "ratio",
    "civilians_share_of_deaths_confirmed": "percent",
    "civilians_share_of_deaths": "percent",
    "military_deaths_confirmed_per_day": "deaths per day",
    "military_deaths_per_day": "deaths per day",
    "eventual_official_count": "deaths",
}
# Quantities whose value depends on the scenario (they contain the unidentified bodies' c).
SCENARIO_QUANTITIES = frozenset(
    {
        "military_deaths_additional",
        "military_deaths",
        "share_of_military_deaths",
        "civilians_share_of_deaths",
        "military_deaths_per_day",
    }
)
# Metrics the model reads, and the input name each becomes: for the toll of soldiers killed ...
METRIC_INPUT = {
    "military_killed": "military_deaths_confirmed",
    "military_missing": "military_missing",
    "unidentified_bodies": "unidentified_bodies",
    "military_wounded_hospitalised": "military_wounded_hospitalised",
    "civilians_killed": "civilians_killed",
}
# ... and per scope (the first metric of each is the count the toll starts from).
SCOPE_INPUT = {
    MILITARY: METRIC_INPUT,
    MILITARY_AND_CIVILIAN: {
        "military_and_civilian_killed": "military_deaths_confirmed",
        "military_and_civilian_missing": "military_missing",
        "unidentified_bodies": "unidentified_bodies",
    },
}
# The parts a total of soldiers and civilians may be split into: shown beside it, never added.
SPLIT_METRICS = ("military_killed", "civilians_killed")
# How the results CSV names the toll's quantities in the scope of soldiers and civilians.
WIDER_NAMES = {
    "military_deaths_confirmed": "deaths_confirmed",
    "military_deaths_additional": "deaths_additional",
    "military_deaths": "deaths",
    "military_deaths_reported_combined": "deaths_reported_combined",
    "military_missing": "missing",
    "share_of_military_deaths_confirmed": "share_of_deaths_confirmed",
    "share_of_military_deaths": "share_of_deaths",
    "military_deaths_confirmed_per_day": "deaths_confirmed_per_day",
    "military_deaths_per_day": "deaths_per_day",
}
ADDING_METRICS = ("military_missing", "unidentified_bodies")  # figures that add to a toll
# ... per scope: the metrics whose inputs are those (the missing of the scope, the bodies).
SCOPE_ADDING = {
    scope: tuple(m for m, name in inputs.items() if name in ADDING_METRICS)
    for scope, inputs in SCOPE_INPUT.items()
}
# A party's killed count qualified "at least N" or "more than N" is read as its floor (N, or N+1),
# not stretched by a factor: the qualifier says the count is open, and how far an open count will
# still rise is not in the figures. The report says "at least"; what the missing and the
# unidentified could add is stated as an addition; the retrospective shows how far later counts
# went. (Other figures, e.g. "at least 143" civilians, keep their reading.)
OPEN_QUALIFIERS = ("at_least", "more_than")
# in_killed_count (whether a source places its unidentified bodies inside the count) -> c
PLACED = {"yes": 1.0, "no": 0.0}
_REQUIRED_COLUMNS = (
    "figure_id",
    "party",
    "metric",
    "value",
    "value_high",
    "qualifier",
    "period_start",
    "period_end",
)


class Key(NamedTuple):
    """The one key of every modelled quantity, input and draw: (quantity, party, scenario)."""

    quantity: str
    party: str
    scenario: str = MIXTURE


@dataclass(frozen=True)
class Input:
    """One input of the model for one party: a figure's reading or an assumption's triple."""

    party: str
    name: str
    figure_id: str  # "" for an assumption
    qualifier: str  # "" for an assumption
    low: float
    mode: float
    high: float

    @property
    def fixed(self) -> bool:
        """A reading or assumption with no spread: drawn as its value."""
        return self.low == self.high


class PeriodBasis(NamedTuple):
    """Where the war's period came from: which ends were given as arguments (period_start,
    period_end), the parties whose killed counts' periods gave the rest, and the parties whose
    counts give none (they are divided by the same days); the report says it in words."""

    given: tuple[bool, bool] = (False, False)
    dated: tuple[str, ...] = ()
    undated: tuple[str, ...] = ()


@dataclass(frozen=True)
class Model:
    """The figures in use arranged for the model: inputs by (party, name), and what combines."""

    parties: tuple[str, ...]
    inputs: dict[Key, Input]  # Key(name, party), in a fixed order: the order of the draws
    civilian_parties: tuple[str, ...]  # parties whose civilian figures are summed (no BOTH row)
    counted_prob: float  # probability of the scenario `unidentified_in_count`
    days: float
    period_basis: PeriodBasis  # where the period came from (see war_days)
    period: tuple[pd.Timestamp, pd.Timestamp] | None = None  # first and last day, if known
    scope: str = MILITARY  # the metric the toll counts (see ledger.scope)
    # party -> c where the source of its bodies in use says where they are (in_killed_count):
    # 1 inside the count, 0 beside it; a party not here is left to the scenarios
    placed: Mapping[str, float] = field(default_factory=dict)

    def get(self, party: str, name: str) -> Input | None:
        """The party's input of that name, or None when the data give none."""
        return self.inputs.get(Key(name, party))

    @property
    def scenarios(self) -> tuple[str, ...]:
        """The scenarios, or none when no party has unidentified bodies whose place is open (c
        then changes nothing)."""
        return tuple(SCENARIOS) if any(self.has_bodies(p) for p in self.parties) else ()

    def has_bodies(self, party: str) -> bool:
        """Whether the party reports unidentified bodies whose place its source leaves open (its
        toll then depends on the scenario's c)."""
        return self.get(party, "unidentified_bodies") is not None and party not in self.placed

    def c_of(self, party: str, c: float) -> float:
        """The share of the party's unidentified bodies inside its count: its source's answer
        where it gives one, else the scenario's c."""
        return self.placed.get(party, c)

    def probability(self, scenario: str) -> float:
        """The assumed chance of a scenario."""
        return self.counted_prob if scenario == IN_COUNT else 1.0 - self.counted_prob

    def has_wounded_ratio(self, party: str) -> bool:
        """Whether the party's killed per hospitalised wounded is computed: only when its count
        of wounded in hospital is above 0 at its low end (nothing is divided by 0)."""
        wounded = self.get(party, "military_wounded_hospitalised")
        return wounded is not None and wounded.low > 0


def toll(k: Any, m: Any, u: Any, p: Any, o: Any, c: float) -> Any:
    """T = K + (1 − c)·U + p·max(M − o·U, 0), on numbers or arrays of draws alike."""
    return k + (1.0 - c) * u + p * np.maximum(m - o * u, 0.0)


def quantity_names(scope: str) -> dict[str, str]:
    """How the results CSV names each quantity whose name the scope changes ({} for soldiers)."""
    return {} if scope == MILITARY else dict(WIDER_NAMES)


def counted_parties(selected: pd.DataFrame, scope: str = MILITARY) -> list[str]:
    """Parties with their own figure of the scope's metric (soldiers killed unless said), each
    counted once.

    A combined BOTH figure is not a party, and an actor that is part of another party's side
    (`part_of` in data/datapackage.json, e.g. the Artsakh Defence Army inside Armenia's count) is
    not one while that party has a count of its own.
    """
    rows = selected[(selected["metric"] == scope) & ~selected["party"].isin(common_actors())]
    found = set(rows["party"])
    part_of = vocabulary.part_of()
    return sorted(p for p in found if part_of.get(p) not in found)


def build(
    selected: pd.DataFrame,
    assumptions: Assumptions,
    period_start: Any = None,
    period_end: Any = None,
    scope: str = MILITARY,
) -> Model:
    """Check the selection, read every figure the model uses and list the model's inputs; the
    toll counts `scope` (a metric of `SCOPE_INPUT`)."""
    missing_cols = [c for c in _REQUIRED_COLUMNS if c not in selected.columns]
    if missing_cols:
        raise ValueError(f"selected figures lack columns: {', '.join(missing_cols)}")
    metric_input = SCOPE_INPUT[scope]
    columns = [*_REQUIRED_COLUMNS, *(["in_killed_count"] if "in_killed_count" in selected else [])]
    used = selected.loc[selected["metric"].isin(list(metric_input)), columns]
    records = used.to_dict("records")
    by: dict[tuple[str, str], dict[str, Any]] = {}
    dupes = []
    for r in records:
        if (r["party"], r["metric"]) in by:
            dupes += [by[(r["party"], r["metric"])]["figure_id"], r["figure_id"]]
        by[(r["party"], r["metric"])] = r
    if dupes:
        raise ValueError(f"expected one row per (party, metric); duplicates: {', '.join(dupes)}")
    parties = tuple(counted_parties(selected, scope))
    if not parties:
        raise ValueError(f"no party has a {scope} figure: nothing to model")
    # The party's own figures that the toll reads beside its count (never civilians alone).
    own = tuple(m for m in metric_input if m not in (scope, "civilians_killed"))
    missing = next(m for m in own if m.endswith("_missing"))
    ignored = [  # an actor inside another party's count (part_of) is expected, not a surprise
        r["figure_id"]
        for r in records
        if r["party"] not in (*parties, BOTH, *vocabulary.part_of()) and r["metric"] in own
    ]
    if ignored:
        warnings.warn(
            f"figures of parties with no {scope} figure are not modelled: " + ", ".join(ignored),
            stacklevel=3,
        )
    inputs: dict[Key, Input] = {}

    def reading(r: Mapping[str, Any], party: str, name: str) -> None:
        try:
            low, mode, high = read_figure(r["value"], r["qualifier"], assumptions, r["value_high"])
        except ValueError as err:
            raise ValueError(f"{r['figure_id']}: {err}") from None
        if name == "military_deaths_confirmed" and r["qualifier"] in OPEN_QUALIFIERS:
            high = low  # an open count's floor: see OPEN_QUALIFIERS
        inputs[Key(name, party)] = Input(
            party, name, r["figure_id"], r["qualifier"], low, mode, high
        )

    def assumption(party: str, name: str) -> None:
        low, mode, high = (getattr(assumptions, f"{name}_{end}") for end in ("low", "best", "high"))
        inputs[Key(name, party)] = Input(party, name, "", "", low, mode, high)

    for party in parties:
        for metric in (scope, *own):
            if (party, metric) in by:
                reading(by[(party, metric)], party, metric_input[metric])
        if (party, missing) in by:
            assumption(party, "missing_dead_share")
            if (party, "unidentified_bodies") in by:
                assumption(party, "overlap")
    civilian_parties: tuple[str, ...] = ()
    if "civilians_killed" not in metric_input:
        pass  # civilians are inside the toll: a split of it, never a quantity beside it
    elif (BOTH, "civilians_killed") in by:
        reading(by[(BOTH, "civilians_killed")], ALL, "civilians_killed")
    else:
        civilian_parties = tuple(
            sorted(r["party"] for r in records if r["metric"] == "civilians_killed")
        )
        for party in civilian_parties:
            reading(by[(party, "civilians_killed")], party, "civilians_killed")
    if (BOTH, scope) in by:
        reading(by[(BOTH, scope)], ALL, "military_deaths_reported_combined")
    killed = [r for r in records if r["metric"] == scope and r["party"] in parties]
    days, basis, period = war_days(killed, period_start, period_end)
    prob = assumptions.unidentified_counted_prob
    bodies = {party: by.get((party, "unidentified_bodies"), {}) for party in parties}
    placed = {
        party: PLACED[said]
        for party, r in bodies.items()
        if (said := r.get("in_killed_count")) in PLACED  # empty: the source does not say
    }
    return Model(parties, inputs, civilian_parties, prob, days, basis, period, scope, placed)


def war_days(killed: list[dict[str, Any]], start: Any, end: Any) -> tuple[float, PeriodBasis, Any]:
    """Days of the war period (both ends inclusive, NaN when unknown), where it came from, and
    its first and last day (None when unknown)."""
    dated = [r for r in killed if not (pd.isna(r["period_start"]) or pd.isna(r["period_end"]))]
    basis = PeriodBasis(
        (start is not None, end is not None),
        tuple(r["party"] for r in dated),
        tuple(r["party"] for r in killed if r not in dated),
    )
    if start is None and dated:
        start = min(r["period_start"] for r in dated)
    if end is None and dated:
        end = max(r["period_end"] for r in dated)
    if start is None or end is None:
        return float("nan"), basis, None
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if end < start:
        raise ValueError(f"period_end {end.date()} is before period_start {start.date()}")
    return float((end - start).days + 1), basis, (start, end)


def derive(
    model: Model, confirmed: Mapping[str, Any], deaths: Mapping[str, Any], civilians: Any
) -> Iterator[tuple[Key, Any]]:
    """Quantities across parties from each party's confirmed count and toll, in one scenario.

    Yields (Key, value) one at a time, so that draws of many parties never sit in memory all at
    once; the keys carry scenario `all` and the caller names the scenario. Works on numbers and
    on arrays of draws; `bounds` computes the same quantities' extremes by interval arithmetic.
    """
    # numpy values, never Python floats: a total of 0 then divides to NaN, not an exception.
    total_k = np.float64(0.0) + sum(confirmed[p] for p in model.parties)
    total_t = np.float64(0.0) + sum(deaths[p] for p in model.parties)
    yield Key("military_deaths_confirmed", ALL), total_k
    yield Key("military_deaths", ALL), total_t
    yield Key("military_deaths_additional", ALL), total_t - total_k
    with np.errstate(divide="ignore", invalid="ignore"):
        for p in model.parties:
            yield Key("military_deaths_additional", p), deaths[p] - confirmed[p]
            yield Key("military_deaths", p), deaths[p]
            yield Key("share_of_military_deaths_confirmed", p), 100.0 * confirmed[p] / total_k
            yield Key("share_of_military_deaths", p), 100.0 * deaths[p] / total_t
        if civilians is not None:
            yield (
                Key("civilians_share_of_deaths_confirmed", ALL),
                100.0 * civilians / (civilians + total_k),
            )
            yield Key("civilians_share_of_deaths", ALL), 100.0 * civilians / (civilians + total_t)
        yield Key("military_deaths_confirmed_per_day", ALL), total_k / model.days
        yield Key("military_deaths_per_day", ALL), total_t / model.days
