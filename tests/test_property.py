"""What passes the loader builds (issue 21), as a property: for generated small ledgers (CSV
files of the 13 contract columns) and parameters, a ledger the loader accepts either runs
through the notebook's code without an exception, or is refused by the project's own checks in
one line.

The notebook's own code cells run in this process (no kernel, no HTML or PDF), with the
parameters the build would inject, so the test follows the notebook as it changes. A refusal is
the build's check of the parameters (BuildError), or a ValueError raised by the project's own
code with a one-line message; any other exception (ZeroDivisionError, KeyError, a library's
ValueError) and any RuntimeWarning (division by zero, overflow) is a failure.

`make test` runs a fixed set of examples (derandomized, EXAMPLES of them); `make fuzz` sets
CASUALTY_REPORT_FUZZ to a number of examples and draws new ones on each run (Hypothesis prints
the seed of a failure, to replay it with `--hypothesis-seed`).
"""

from __future__ import annotations

import json
import os
import re
import string
import traceback
import warnings
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from casualty_report import paths
from casualty_report.build.builder import BuildError, prepare
from casualty_report.ledger.figures import FiguresError, load_figures
from ledger_csv import csv_text, row

EXAMPLES = 30
FUZZ = int(os.environ.get("CASUALTY_REPORT_FUZZ", "0") or 0)
SETTINGS = settings(
    max_examples=FUZZ or EXAMPLES,
    derandomize=not FUZZ,  # `make test`: the same examples every run
    deadline=None,
    database=None,  # nothing written to .hypothesis/
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Countries more often than the actors (BOTH, NKR inside ARM, UNSPECIFIED) that have no toll.
PARTIES = ["ARM", "AZE", "ARM", "AZE", "RUS", "TUR", "BOTH", "NKR", "UNSPECIFIED"]
METRICS = [
    "military_killed",
    "military_killed",  # twice: most ledgers are mostly counts of the killed
    "military_missing",
    "unidentified_bodies",
    "military_wounded_hospitalised",
    "civilians_killed",
    "military_and_civilian_killed",
]
QUALIFIERS = ["exact", "at_least", "more_than", "about", "up_to", "range"]
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2025, 12, 31)
TEXT = st.text(alphabet=string.ascii_letters + string.digits + " ,.'\"&<>$_%-Əş", min_size=1,
               max_size=24).filter(str.strip)  # fmt: skip
DAYS = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)
# 0 (a divisor somewhere) and small values most of the time; now and then a large one.
VALUES = st.one_of(st.just(0), st.integers(0, 20), st.integers(0, 5000), st.integers(0, 10**7))


@st.composite
def figure(draw: st.DrawFn, index: int, days: list[date], metric: str = "") -> dict[str, Any]:
    """One row: a party, a metric, a qualified value, a day (often one another row has)."""
    qualifier = draw(st.sampled_from(QUALIFIERS))
    value = draw(VALUES)
    row = {
        "figure_id": f"f{index}",
        "party": draw(st.sampled_from(PARTIES)),
        "metric": metric or draw(st.sampled_from(METRICS)),
        "value": value,
        "value_high": value + draw(st.integers(0, 1000)) if qualifier == "range" else "",
        "qualifier": qualifier,
        "reported_on": draw(st.sampled_from(days)).isoformat(),
        # Often a source of its own: two sources' different figures of a day are both kept.
        "reported_by": draw(st.sampled_from([f"Source {index}"] * 2 + ["Ministry", "Agency"])),
        "source_title": draw(TEXT),
        "source_url": f"https://example.org/{draw(st.integers(0, 3))}",
        "quote": draw(TEXT),
    }
    if draw(st.booleans()):
        start = draw(DAYS)
        row["period_start"] = start.isoformat()
        row["period_end"] = (start + timedelta(days=draw(st.integers(0, 400)))).isoformat()
    return row


@st.composite
def ledgers(draw: st.DrawFn) -> list[dict[str, Any]]:
    """One to eight figures over a few days."""
    days = draw(st.lists(DAYS, min_size=1, max_size=4, unique=True))
    size = draw(st.integers(1, 8))
    # Most ledgers start with a count of the killed (sampled_from: integers lean to their ends).
    killed = draw(st.sampled_from([True, True, True, True, False]))
    return [
        draw(figure(index, days, "military_killed" if killed and index == 0 else ""))
        for index in range(size)
    ]


def triple(draw: st.DrawFn, name: str, overrides: dict[str, Any]) -> None:
    low, best, high = sorted(draw(st.floats(0, 1)) for _ in range(3))
    overrides.update({f"{name}_low": low, f"{name}_best": best, f"{name}_high": high})


@st.composite
def parameters(draw: st.DrawFn, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Parameters for a ledger: mostly within their bounds, now and then outside them."""
    days = sorted({r["reported_on"] for r in rows})
    when = draw(st.sampled_from(["last", "last", "a figure's", "any"]))  # the day of as_of
    as_of = {
        "last": days[-1],
        "a figure's": draw(st.sampled_from(days)),
        "any": draw(DAYS).isoformat(),
    }[when]
    overrides: dict[str, Any] = {
        "as_of": as_of,
        "n_draws": 1000,
        "seed": draw(st.integers(0, 2**32)),
        "interval": draw(st.floats(0.5, 0.99)),
        "more_than_high_factor": draw(st.floats(1, 100)),
        "at_least_high_factor": draw(st.floats(1, 100)),
        "about_relative_width": draw(st.floats(0, 1)),
        "up_to_low_factor": draw(st.floats(0.01, 1)),
        "unidentified_counted_prob": draw(st.floats(0, 1)),
        "stale_after_days": draw(st.integers(0, 400)),
        "stale_treatment": draw(st.sampled_from(["exclude", "keep"])),
    }
    triple(draw, "missing_dead_share", overrides)
    triple(draw, "overlap", overrides)
    if draw(st.booleans()):  # mostly before as_of, as it must be
        before = date.fromisoformat(as_of) - timedelta(days=draw(st.integers(-3, 400)))
        overrides["compare_to"] = before.isoformat()
    if draw(st.booleans()):
        start = draw(DAYS)
        overrides["period_start"] = start.isoformat()
        length = draw(st.integers(0, 800)) - draw(st.sampled_from([0] * 9 + [5]))  # < 0: refused
        overrides["period_end"] = (start + timedelta(days=length)).isoformat()
    if draw(st.sampled_from(range(10))) == 9:  # one value out of bounds: refused before a kernel
        name, value = draw(
            st.sampled_from(
                [
                    ("at_least_high_factor", 1e300),
                    ("more_than_high_factor", 1e308),
                    ("stale_after_days", -5),
                    ("interval", 1.0),
                    ("up_to_low_factor", 0.0),
                    ("n_draws", 1),
                ]
            )
        )
        overrides[name] = value
    return {name: str(value) for name, value in overrides.items()}


def notebook_cells() -> list[str]:
    """The report notebook's code cells, in order."""
    nb = json.loads(paths.REPORT_NOTEBOOK.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


CELLS = notebook_cells()


def run_notebook(params: dict[str, Any]) -> None:
    """The notebook's code cells in this process, with the parameters injected after the first
    (as papermill does); `display` shows nothing, a cell's last value is dropped."""
    namespace: dict[str, Any] = {"display": lambda *objects: None, "__name__": "__main__"}
    exec(compile(CELLS[0], "<parameters>", "exec"), namespace)
    namespace.update(params)
    try:
        for number, source in enumerate(CELLS[1:], start=2):
            exec(compile(source, f"<cell {number}>", "exec"), namespace)
    finally:
        plt.close("all")


def kind(message: str) -> str:
    """A refusal's kind, for the statistics: its words without numbers or quoted values."""
    return re.sub(r"'[^']*'|[\d.,:+-]+", "#", message)[:60]


def own_refusal(err: BaseException) -> bool:
    """A ValueError the project's own code raised, in one line (else: a crash)."""
    if not isinstance(err, ValueError) or isinstance(err, FiguresError):
        return False
    frames = traceback.extract_tb(err.__traceback__)
    raised_in = Path(frames[-1].filename) if frames else None
    message = str(err)
    return (
        raised_in is not None
        and raised_in.is_relative_to(paths.PACKAGE_DIR)
        and bool(message.strip())
        and "\n" not in message
    )


def outcome(path: Path, overrides: dict[str, Any]) -> str:
    """Build-check the parameters and run the notebook on an accepted ledger: what happened, in
    a few words; an exception (or a RuntimeWarning) that is not a one-line refusal propagates."""
    try:
        params = prepare("property", [overrides, {"data_path": str(path)}], paths.REPORT_NOTEBOOK)
    except BuildError as err:
        assert "\n" not in str(err), str(err)  # refused before a kernel, in one line
        return f"parameters refused: {kind(str(err))}"
    params["results_path"] = ""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # inf or NaN from a division, a degenerate chart: a failure
        warnings.filterwarnings("ignore", message="figures of parties with no [a-z_]+ figure")
        try:
            run_notebook(params)
        except Exception as err:
            if not own_refusal(err):
                raise
            return f"refused by the model: {kind(str(err))}"
    return "ran through every cell"


@SETTINGS
@given(data=st.data())
def test_what_the_loader_accepts_runs_or_is_refused_in_one_line(tmp_path_factory, data) -> None:
    rows = data.draw(ledgers(), label="ledger")
    path = tmp_path_factory.mktemp("ledger") / "figures.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    try:
        load_figures(path)
    except FiguresError as err:
        event(f"ledger refused: {kind(err.problems[0].message)}")
        return  # not accepted: the property says nothing about it
    event(outcome(path, data.draw(parameters(rows), label="parameters")))


def figure_row(index: int, party: str, metric: str, value: int, on: str) -> dict[str, Any]:
    """A row of the contract columns, its id by its place (as the generated ledgers')."""
    return {**row(party, metric, value, on), "figure_id": f"f{index}"}


# The cases issue 21 found, always run: (rows, parameters, what must happen).
KILLED_0_THEN_2718 = [
    figure_row(0, "AZE", "military_killed", 0, "2020-11-20"),
    figure_row(1, "AZE", "military_killed", 2718, "2020-12-03"),
]
KNOWN = {
    "previous count 0": (KILLED_0_THEN_2718, {}, "ran through every cell"),
    "wounded in hospital 0": (
        [
            *KILLED_0_THEN_2718,
            figure_row(2, "AZE", "military_wounded_hospitalised", 0, "2020-12-03"),
        ],
        {},
        "ran through every cell",
    ),
    "every count 0": (
        [
            figure_row(0, "AZE", "military_killed", 0, "2020-12-03"),
            figure_row(1, "ARM", "military_killed", 0, "2020-12-03"),
            figure_row(2, "BOTH", "civilians_killed", 0, "2020-12-03"),
        ],
        {},
        "ran through every cell",
    ),
    "at_least_high_factor 1e300": (
        KILLED_0_THEN_2718,
        {"at_least_high_factor": "1e300"},
        "parameters refused",
    ),
    "more_than_high_factor 1e308": (
        KILLED_0_THEN_2718,
        {"more_than_high_factor": "1e308"},
        "parameters refused",
    ),
    "stale_after_days -5": (KILLED_0_THEN_2718, {"stale_after_days": "-5"}, "parameters refused"),
}


@pytest.mark.parametrize("case", KNOWN)
def test_the_cases_issue_21_found(tmp_path: Path, case: str) -> None:
    rows, overrides, expected = KNOWN[case]
    path = tmp_path / "figures.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    load_figures(path)  # accepted
    happened = outcome(path, {"as_of": "2020-12-03", "n_draws": "1000", **overrides})
    assert happened.startswith(expected), happened
