"""Parameter checks the build makes before any kernel starts (papermill alone would not)."""

from __future__ import annotations

import pytest

from casualty_report import paths
from casualty_report.parameters import (
    ParameterError,
    declared,
    parse_assignments,
    resolve,
    run_values,
)

DECLARED = declared(paths.REPORT_NOTEBOOK)


def test_raw_strings_are_typed_by_the_notebook_declaration() -> None:
    values = resolve(DECLARED, {"n_draws": "5_000", "interval": "0.8", "as_of": "2021-01-18"})
    assert values["n_draws"] == 5000
    assert values["interval"] == 0.8
    assert values["as_of"] == "2021-01-18"  # stays a string: papermill's -p made it an int


@pytest.mark.parametrize(
    ("override", "named"),
    [
        ({"bogus": "1"}, "unknown parameter 'bogus'"),
        ({"as_of": "2020-13-45"}, "as_of='2020-13-45'"),
        ({"as_of": "20201203"}, "as_of='20201203'"),  # Python alone would accept this form
        ({"compare_to": "2021-01-01"}, "must be before as_of"),
        ({"n_draws": "many"}, "n_draws='many'"),
        ({"n_draws": "2.5"}, "n_draws='2.5'"),
    ],
)
def test_bad_parameters_are_refused_with_their_name(override: dict, named: str) -> None:
    with pytest.raises(ParameterError, match=named.replace("(", r"\(")) as err:
        resolve(DECLARED, override)
    assert "\n" not in str(err.value)  # one line


def test_unknown_parameter_lists_the_valid_ones() -> None:
    with pytest.raises(ParameterError) as err:
        resolve(DECLARED, {"seeed": "3"})
    assert all(name in str(err.value) for name in DECLARED)


def test_assignments_keep_values_raw_and_need_an_equals_sign() -> None:
    assert parse_assignments(["report_title=A = B", "seed=7"]) == {
        "report_title": "A = B",
        "seed": "7",
    }
    with pytest.raises(ParameterError, match="name=value"):
        parse_assignments(["seed"])


def test_run_values_pick_the_named_parameters() -> None:
    namespace = {"as_of": "2020-12-03", "seed": 1, "other": object()}
    assert run_values(namespace, ["as_of", "seed"]) == {"as_of": "2020-12-03", "seed": 1}
