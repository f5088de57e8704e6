"""End-to-end tests of the build (casualty-report build and the Makefile around it).

A build writes four files at once or none: a failure (unknown parameter, bad date, bad data)
exits 1 with the reason on stderr and leaves the previous report byte for byte as it was.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest

from casualty_report import paths
from conftest import (
    EXPECTED_RESULT_COLUMNS,
    FAST,
    ROOT,
    SEED,
    SUFFIXES,
    TITLE,
    copy_ledger,
    copy_report,
    html_text,
    outputs,
    pdf_text,
    run_build,
    run_make,
    snapshot,
    squash,
)

NOTEBOOK = paths.REPORT_NOTEBOOK
PROGRESS = re.compile(r"^  \S.* \d+\.\d\d s  \(at ")  # a step's timing line, e.g. "  cells ..."


def parameters_cell(notebook: Path) -> str:
    """Source of the cell tagged `parameters`."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    (cell,) = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    return "".join(cell["source"])


def declared_parameters(notebook: Path = NOTEBOOK) -> dict[str, tuple[str, str, str]]:
    """name -> (type, default as written, trailing comment), read from the cell with ast."""
    source = parameters_cell(notebook)
    comments = {
        token.start[0]: token.string.lstrip("#").strip()
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    }
    declared = {}
    for node in ast.parse(source).body:
        assert isinstance(node, ast.AnnAssign), f"not `name: type = value`: {ast.unparse(node)}"
        declared[node.target.id] = (
            ast.unparse(node.annotation),
            ast.get_source_segment(source, node.value),
            comments.get(node.lineno, ""),
        )
    return declared


def injected_parameters(executed: Path) -> dict[str, object]:
    """The values papermill injected into the executed notebook."""
    cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    (cell,) = [c for c in cells if "injected-parameters" in c["metadata"].get("tags", [])]
    tree = ast.parse("".join(cell["source"]))
    return {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
    }


def assert_refused(done: subprocess.CompletedProcess, *words: str) -> str:
    """Exit 1, nothing on stdout, one line on stderr starting 'report not built: ' with words."""
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{done.stderr}"
    assert lines[0].startswith("report not built: ")
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def previous(tmp_path: Path, built_report: dict[str, Path]) -> tuple[Path, str, dict]:
    """An out-dir holding a previous report named 'previous', and its snapshot."""
    copy_report(built_report, tmp_path, "previous")
    return tmp_path, "previous", snapshot(tmp_path)


# 1. Overridden parameters reach every output.


def test_build_writes_four_files_with_the_overrides(built_report: dict[str, Path]) -> None:
    out_dir = built_report[".html"].parent
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(
        f"overridden{suffix}" for suffix in SUFFIXES
    ), "only the four outputs, no temporary directory left behind"
    assert built_report[".pdf"].read_bytes().startswith(b"%PDF-")

    injected = injected_parameters(built_report[".ipynb"])
    assert injected["report_title"] == TITLE
    assert injected["seed"] == SEED
    assert injected["n_draws"] == 5000

    assert TITLE in html_text(built_report[".html"])
    assert TITLE in squash(pdf_text(built_report[".pdf"]))

    with built_report[".results.csv"].open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == EXPECTED_RESULT_COLUMNS


# 2. Notebooks are committed clean.


def committed_notebooks() -> dict[str, str]:
    """Each notebook as git holds it in the index (what a commit takes), else as on disk.

    The working copy may hold outputs after a run in JupyterLab: the `strip-notebook` filter
    keeps them out of git, so git's copy is the one that must be clean.
    """
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--", "notebooks/*.ipynb"], cwd=ROOT, capture_output=True
    )
    if listed.returncode != 0:  # not a git checkout: the files are what is shipped
        return {p.name: p.read_text(encoding="utf-8") for p in paths.NOTEBOOKS_DIR.glob("*.ipynb")}
    names = [n for n in listed.stdout.decode().split("\0") if n]
    return {
        name: subprocess.run(
            ["git", "show", f":{name}"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        for name in names
    }


def test_committed_notebooks_have_no_outputs() -> None:
    notebooks = committed_notebooks()
    assert notebooks
    for name, text in notebooks.items():
        cells = json.loads(text)["cells"]
        for number, cell in enumerate(cells):
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [], f"{name} cell {number} has outputs"
                assert cell["execution_count"] is None, f"{name} cell {number} was run"


# 3. The parameters document themselves.


def test_papermill_help_lists_every_parameter_with_type_default_and_help() -> None:
    declared = declared_parameters()
    assert {"as_of", "n_draws", "seed", "report_title"} <= set(declared)
    papermill = Path(sys.executable).parent / "papermill"
    done = subprocess.run(
        [str(papermill), "--help-notebook", str(NOTEBOOK)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    blocks: dict[str, list[str]] = {}
    current = None
    for line in done.stdout.splitlines():
        start = re.match(r"  (\w+): ", line)
        if start:
            current = start.group(1)
            blocks[current] = [line]
        elif current is not None and line.startswith("    "):
            blocks[current].append(line)
        else:
            current = None
    assert list(blocks) == list(declared), done.stdout
    for name, (type_name, default, help_text) in declared.items():
        assert help_text, f"parameter {name} has no trailing comment"
        expected = f"{name}: {type_name} (default {default}) {help_text}"
        assert squash(" ".join(blocks[name])) == squash(expected)


# 4. and 5. Bad parameters are refused before anything is written.


def test_unknown_parameter_is_refused_and_previous_report_kept(previous) -> None:
    out_dir, name, before = previous
    line = assert_refused(run_build(out_dir, *FAST, "-p", "bogus=1", name=name), "'bogus'")
    for valid in declared_parameters():
        assert valid in line.split("'bogus'", 1)[1], f"valid parameter {valid} not listed"
    assert snapshot(out_dir) == before


def test_impossible_date_is_refused_and_previous_report_kept(previous) -> None:
    out_dir, name, before = previous
    done = run_build(out_dir, *FAST, "-p", "as_of=2020-13-45", name=name)
    assert_refused(done, "as_of", "2020-13-45", "YYYY-MM-DD")
    assert snapshot(out_dir) == before


def test_unknown_key_in_params_file_is_refused(previous, tmp_path_factory) -> None:
    out_dir, name, before = previous
    params = tmp_path_factory.mktemp("params") / "scenario.yaml"
    params.write_text("n_draws: 5000\nmissing_dead_share: 0.5\n", encoding="utf-8")
    done = run_build(out_dir, "--params-file", str(params), name=name)
    assert_refused(done, "'missing_dead_share'", "missing_dead_share_best", "as_of")
    assert snapshot(out_dir) == before


# 6. Bad data is refused with file, line and field, through the build and through make.

REAL_LINES = paths.DEFAULT_FIGURES.read_text(encoding="utf-8").splitlines(keepends=True)


def line_of(figure_id: str) -> int:
    """CSV line of a figure in the real file (header is line 1; no real cell spans lines)."""
    (number,) = [n for n, text in enumerate(REAL_LINES, 1) if text.startswith(figure_id + ",")]
    return number


AZE_KILLED, ARM_KILLED = "aze-military-killed-20201203", "arm-military-killed-20201118"
# case: (figure_id, text in its line, replacement, field named or None, words of the message)
BAD_DATA = {
    "unquoted thousands separator": (
        AZE_KILLED,
        ",military_killed,2783,",
        ",military_killed,2,783,",
        None,
        ["more cells than columns", "unquoted"],
    ),
    "quoted thousands separator": (
        AZE_KILLED,
        ",military_killed,2783,",
        ',military_killed,"2,783",',
        "value",
        ["no thousands separators", "'2,783'"],
    ),
    "negative value": (
        AZE_KILLED,
        ",military_killed,2783,",
        ",military_killed,-2783,",
        "value",
        ["at least 0", "'-2783'"],
    ),
    "reported after publication": (
        ARM_KILLED,
        ",2020-11-18,external,",
        ",2020-12-04,external,",
        "reported_on",
        ["source_published_on", "2020-12-04"],
    ),
}
MAKE_CASES = ["unquoted thousands separator", "negative value", "reported after publication"]


def bad_copy(directory: Path, case: str) -> tuple[Path, int, str | None, list[str]]:
    """A copy of the real figures with one change; its path, the line, field and words."""
    figure_id, old, new, field, words = BAD_DATA[case]
    number = line_of(figure_id)
    lines = list(REAL_LINES)
    assert lines[number - 1].count(old) == 1
    lines[number - 1] = lines[number - 1].replace(old, new)
    path = copy_ledger(directory, "figures-copy.csv")
    path.write_text("".join(lines), encoding="utf-8")
    return path, number, field, words


def assert_names_problem(stderr: str, path: Path, line: int, field: str | None, words) -> None:
    """Some line of stderr is `PATH:LINE: [field 'F':] ...` with the words."""
    prefix = f"{path}:{line}: " + ("" if field is None else f"field '{field}': ")
    found = [text for text in stderr.splitlines() if text.startswith(prefix)]
    assert found, f"no problem starting {prefix!r} in:\n{stderr}"
    assert any(all(word in text for word in words) for text in found), stderr


@pytest.mark.parametrize("case", BAD_DATA)
def test_bad_data_is_refused_with_line_and_field(previous, tmp_path_factory, case) -> None:
    out_dir, name, before = previous
    data, line, field, words = bad_copy(tmp_path_factory.mktemp("data"), case)
    data_before = (data.read_bytes(), data.stat().st_mtime_ns)

    done = run_build(out_dir, *FAST, "--data", str(data), name=name)

    assert done.returncode == 1 and done.stdout == ""
    messages = [line for line in done.stderr.splitlines() if not PROGRESS.match(line)]
    assert messages[0].startswith("report not built: "), done.stderr
    assert_names_problem(done.stderr, data, line, field, words)
    assert (data.read_bytes(), data.stat().st_mtime_ns) == data_before
    assert snapshot(out_dir) == before


@pytest.mark.parametrize("case", MAKE_CASES)
def test_make_check_data_refuses_bad_data(tmp_path: Path, case: str) -> None:
    data, line, field, words = bad_copy(tmp_path, case)
    data_before = data.read_bytes()
    done = run_make("check-data", f"DATA={data}")
    assert done.returncode != 0
    assert_names_problem(done.stderr, data, line, field, words)
    assert data.read_bytes() == data_before


def test_make_check_data_accepts_the_real_figures() -> None:
    done = run_make("check-data")
    assert done.returncode == 0, done.stderr
    # The ledger had 94 figures; 8 that are not casualty counts moved to context.csv (among them
    # the only RUS and UNSPECIFIED rows), 11 verified rows were added and 2 whose sentence the
    # second check could not see were taken out, then Armenia's 250 unidentified bodies of
    # 18 November 2020 were entered from a sentence the ledger already quoted:
    # 94 - 8 + 11 - 2 + 1 = 96 figures about ARM, AZE, BOTH and NKR, whose names come from the
    # conflict's package.
    assert "96 figures, 4 parties (ARM, AZE, BOTH, NKR)" in done.stdout
    assert "parties named by data/nagorno-karabakh-2020/datapackage.json" in done.stdout


@pytest.mark.parametrize("case", MAKE_CASES)
def test_make_report_refuses_bad_data_and_keeps_previous_report(
    tmp_path: Path, built_report: dict[str, Path], repo_report_name: str, case: str
) -> None:
    data, line, field, words = bad_copy(tmp_path, case)
    data_before = data.read_bytes()
    copy_report(built_report, paths.REPORTS_DIR, repo_report_name)
    mine = {
        p.name: (p.read_bytes(), p.stat().st_mtime_ns)
        for p in outputs(paths.REPORTS_DIR, repo_report_name).values()
    }

    done = run_make("report", f"REPORT={repo_report_name}", f"DATA={data}", "P=n_draws=5000")

    assert done.returncode != 0
    assert "casualty-report build" in done.stdout, "make should have tried to build"
    assert "report not built: " in done.stderr
    assert_names_problem(done.stderr, data, line, field, words)
    assert data.read_bytes() == data_before
    after = {
        p.name: (p.read_bytes(), p.stat().st_mtime_ns)
        for p in outputs(paths.REPORTS_DIR, repo_report_name).values()
    }
    assert after == mine
    partial = list(paths.REPORTS_DIR.glob(f".{repo_report_name}.partial-*"))
    assert partial == [], "a temporary directory was left behind"


# 7. make rebuilds only when an input or a parameter changed.


def newest_input(data: Path) -> int:
    """The latest mtime among the files a report depends on (see the Makefile's output rule)."""
    files = [NOTEBOOK, data, ROOT / "Makefile", ROOT / ".venv/.synced"]
    files += [ROOT / ".tools/.system-deps"]
    files += [p for p in (ROOT / "src").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return max(p.stat().st_mtime_ns for p in files if p.exists())


def oldest_output(name: str) -> int:
    return min(p.stat().st_mtime_ns for p in outputs(paths.REPORTS_DIR, name).values())


def test_make_report_rebuilds_only_when_something_changed(
    tmp_path: Path, repo_report_name: str
) -> None:
    data = copy_ledger(tmp_path)
    report = [f"REPORT={repo_report_name}", f"DATA={data}"]
    html = paths.REPORTS_DIR / f"{repo_report_name}.html"
    executed = paths.REPORTS_DIR / f"{repo_report_name}.ipynb"

    first = run_make("report", *report, "P=n_draws=5000")
    assert first.returncode == 0, first.stderr
    assert "casualty-report build" in first.stdout and "report built: " in first.stdout
    assert injected_parameters(executed)["n_draws"] == 5000

    # The same command again builds nothing. A rebuild is accepted only when a source file
    # was edited meanwhile (the package is edited while the tests run), and then once more.
    for _ in range(3):
        built_at, inputs_then = html.stat().st_mtime_ns, newest_input(data)
        again = run_make("report", *report, "P=n_draws=5000")
        assert again.returncode == 0, again.stderr
        if "casualty-report build" not in again.stdout + again.stderr:
            break
        edited = max(inputs_then, newest_input(data)) > oldest_output(repo_report_name)
        assert edited, f"rebuilt although nothing changed:\n{again.stdout}"
    else:
        pytest.fail("sources kept changing: could not observe an up-to-date `make report`")
    assert "up to date" in again.stdout
    assert html.stat().st_mtime_ns == built_at

    other = run_make("report", *report, "P=n_draws=4000")
    assert other.returncode == 0, other.stderr
    assert "casualty-report build" in other.stdout
    assert injected_parameters(executed)["n_draws"] == 4000
    rebuilt_at = html.stat().st_mtime_ns
    assert rebuilt_at > built_at

    # By content, not by time: a touched file is the same input; other bytes are another.
    subprocess.run(["touch", str(data)], check=True)
    touched = run_make("report", *report, "P=n_draws=4000")
    assert touched.returncode == 0, touched.stderr
    assert "casualty-report build" not in touched.stdout
    assert html.stat().st_mtime_ns == rebuilt_at
    data.write_bytes(data.read_bytes().replace(b"\n", b"\r\n"))
    changed = run_make("report", *report, "P=n_draws=4000")
    assert changed.returncode == 0, changed.stderr
    assert "casualty-report build" in changed.stdout
    assert html.stat().st_mtime_ns > rebuilt_at
    assert injected_parameters(executed)["n_draws"] == 4000
