"""Parameter checks the build makes before any kernel starts (papermill alone would not)."""

from __future__ import annotations

from datetime import date

import pytest

from casualty_report import paths
from casualty_report.build.parameters import (
    ParameterError,
    check_run,
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
        ({"as_of": "2020-12-03", "compare_to": "2021-01-01"}, "must be before as_of"),
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


# The ast reader and the run checks made before any kernel starts.


def test_declared_matches_papermills_own_reading() -> None:
    import ast

    import papermill

    theirs = papermill.inspect_notebook(str(paths.REPORT_NOTEBOOK))
    assert list(DECLARED) == list(theirs)
    for name, info in theirs.items():
        assert DECLARED[name]["type"] == info["inferred_type_name"], name
        assert DECLARED[name]["default"] == ast.literal_eval(info["default"]), name
        assert DECLARED[name]["help"] == info["help"], name


def test_declared_does_not_import_papermill() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from casualty_report import paths; "
        "from casualty_report.build import parameters; "
        "parameters.declared(paths.REPORT_NOTEBOOK); print('papermill' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


DAY = date(2020, 12, 3)


@pytest.mark.parametrize("n_draws", [1_000, 200_000, 10_000_000])
def test_n_draws_within_the_documented_range_pass(n_draws: int) -> None:
    check_run({"as_of": "2020-12-03", "n_draws": n_draws}, today=DAY)


@pytest.mark.parametrize("n_draws", [0, 1, 999, 10_000_001, 1_000_000_000])
def test_n_draws_outside_the_range_are_refused(n_draws: int) -> None:
    with pytest.raises(ParameterError, match=r"n_draws=.*from 1,000 .* to 10,000,000"):
        check_run({"as_of": "2020-12-03", "n_draws": n_draws}, today=DAY)


def test_as_of_may_be_today_but_not_later() -> None:
    check_run({"as_of": "2020-12-03"}, today=DAY)
    with pytest.raises(ParameterError, match="as_of='2020-12-04': in the future"):
        check_run({"as_of": "2020-12-04"}, today=DAY)


def test_period_end_before_period_start_is_refused() -> None:
    check_run({"as_of": "2020-12-03", "period_start": "2020-09-27", "period_end": "2020-09-27"})
    with pytest.raises(ParameterError, match="period_end='2020-09-26'"):
        check_run({"as_of": "2020-12-03", "period_start": "2020-09-27", "period_end": "2020-09-26"})


BIDI = [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]


@pytest.mark.parametrize("code", BIDI, ids=[f"U+{c:04X}" for c in BIDI])
def test_bidi_controls_in_text_are_refused(code: int) -> None:
    title = f"Evil {chr(code)}gnp.exe"  # with U+202E this shows as "Evil exe.png"
    with pytest.raises(ParameterError, match=f"report_title: bidirectional control U\\+{code:04X}"):
        check_run({"as_of": "2020-12-03", "report_title": title}, today=DAY)


@pytest.mark.parametrize("char", ["\x00", "\x07", "\n", "\x7f"])
def test_control_characters_in_text_are_refused(char: str) -> None:
    with pytest.raises(ParameterError, match="report_title: control character"):
        check_run({"as_of": "2020-12-03", "report_title": f"a{char}b"}, today=DAY)


def test_letters_of_other_scripts_and_neighbours_of_the_bidi_range_pass() -> None:
    # U+2029, U+202F and U+206A border the refused ranges U+202A-U+202E and U+2066-U+2069.
    title = "Հայաստան Əliyev ş \u2029 \u202f \u206a"
    check_run({"as_of": "2020-12-03", "report_title": title}, today=DAY)


def test_check_run_reads_only_the_declared_names_of_a_namespace() -> None:
    namespace = {"as_of": "2020-12-03", "_i1": "line\nwith a control", "other": "\x00"}
    check_run(namespace, today=DAY)
    with pytest.raises(ParameterError, match="as_of='2020-13-45'"):
        check_run({**namespace, "as_of": "2020-13-45"}, today=DAY)


def test_defaults_edited_since_the_last_commit_are_named(tmp_path) -> None:
    import subprocess

    from casualty_report.build.parameters import edited_defaults

    notebook = tmp_path / "report.ipynb"
    notebook.write_bytes(paths.REPORT_NOTEBOOK.read_bytes())
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "report.ipynb"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "notebook"], cwd=tmp_path, check=True)
    assert edited_defaults(notebook) == {}
    committed = DECLARED["as_of"]["default"]
    text = notebook.read_text(encoding="utf-8")
    edited = text.replace(f'as_of: str = \\"{committed}\\"', 'as_of: str = \\"2020-11-01\\"')
    assert edited != text
    notebook.write_text(edited, encoding="utf-8")
    assert edited_defaults(notebook) == {"as_of": (committed, "2020-11-01")}


def test_text_parameters_are_bounded_in_length() -> None:
    check_run({"as_of": "2020-12-03", "report_title": "x" * 300}, today=DAY)
    with pytest.raises(ParameterError, match="report_title: 301 characters; expected at most 300"):
        check_run({"as_of": "2020-12-03", "report_title": "x" * 301}, today=DAY)
    with pytest.raises(ParameterError, match="data_path: 5,000 characters"):
        check_run({"as_of": "2020-12-03", "data_path": "x" * 5000}, today=DAY)


@pytest.mark.parametrize(
    ("override", "named"),
    [
        ({"stale_after_days": "-5"}, "stale_after_days must be >= 0"),
        ({"stale_after_days": "100000"}, "stale_after_days must be at most 36,525"),
        ({"at_least_high_factor": "1e300"}, r"at_least_high_factor must be in \[1, 100\]"),
        ({"more_than_high_factor": "1e308"}, r"more_than_high_factor must be in \[1, 100\]"),
        ({"more_than_high_factor": "1e400"}, "more_than_high_factor must be finite"),
    ],
)
def test_every_model_bound_is_checked_before_the_kernel(override: dict, named: str) -> None:
    from casualty_report.build.builder import BuildError, prepare

    with pytest.raises(BuildError, match=named) as err:
        prepare("report", [override], paths.REPORT_NOTEBOOK)
    assert "\n" not in str(err.value)
