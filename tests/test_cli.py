"""The command-line tool, the git filter that keeps outputs out of commits, and the index."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest
from packaging.specifiers import SpecifierSet

from casualty_report import cli, paths
from casualty_report.build import builder as build
from casualty_report.build.builder import output_paths
from casualty_report.build.parameters import ParameterError, declared
from casualty_report.report import index_page
from conftest import ROOT, SUFFIXES, git, html_text, run_outputs

CLI = Path(sys.executable).parent / "casualty-report"


# 1. One tool, each subcommand with --help, also as `python -m casualty_report`.


@pytest.mark.parametrize("command", [[str(CLI)], [sys.executable, "-m", "casualty_report"]])
def test_help_lists_build_and_check_data(command: list[str]) -> None:
    done = subprocess.run([*command, "--help"], capture_output=True, text=True, check=True)
    assert re.search(r"^\s+build\s", done.stdout, re.MULTILINE), done.stdout
    assert re.search(r"^\s+check-data\s", done.stdout, re.MULTILINE), done.stdout
    for sub in ("build", "check-data", "index", "outputs", "strip-notebook"):
        helped = subprocess.run([*command, sub, "--help"], capture_output=True, text=True)
        assert helped.returncode == 0 and helped.stdout.startswith("usage: casualty-report")


@pytest.mark.parametrize("command", [[str(CLI)], [sys.executable, "-m", "casualty_report"]])
def test_the_tool_exits_with_its_code_and_its_output_written(command: list[str]) -> None:
    # What the tool printed must reach a pipe, whole, with its exit code.
    done = subprocess.run([*command, "outputs", "weekly"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"reports/weekly{suffix}" for suffix in SUFFIXES]
    refused = subprocess.run([*command, "outputs", "../weekly"], capture_output=True, text=True)
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.startswith("outputs failed: report name '../weekly'")
    assert refused.stderr.count("\n") == 1


def test_requires_python_admits_311_to_313() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    allowed = SpecifierSet(project["requires-python"])
    assert all(v in allowed for v in ["3.11.0", "3.12.0", "3.13.0", "3.13.9"])
    assert "3.10.12" not in allowed and "3.14.0" not in allowed
    assert project["scripts"]["casualty-report"] == "casualty_report.cli:run"


# 2. Parameters: papermill's `-p name value`, `name=value`, and one shell-quoted string.


def test_parameters_in_every_form_arrive_raw() -> None:
    pairs = cli._assignments(
        [["seed", "7"], ["as_of=2021-01-18"], ["report_title", "A = B"]],
        "n_draws=5000 report_title='Toll as revised'",
    )
    assert pairs == {
        "seed": "7",
        "as_of": "2021-01-18",
        "n_draws": "5000",
        "report_title": "Toll as revised",  # the quoted string comes last and wins
    }


@pytest.mark.parametrize(
    ("items", "combined", "words"),
    [
        ([["seed", "7", "8"]], "", "NAME VALUE or NAME=VALUE"),
        ([], "report_title='unclosed", "quote values with spaces"),
        ([], "seed", "name=value"),
    ],
)
def test_malformed_parameters_are_refused(items, combined, words) -> None:
    with pytest.raises(ParameterError, match=words) as err:
        cli._assignments(items, combined)
    assert "\n" not in str(err.value)


def test_outputs_lists_the_build_suffixes() -> None:
    done = subprocess.run(
        [str(CLI), "outputs", "worst-case"], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == [f"reports/worst-case{s}" for s in build.OUTPUT_SUFFIXES]
    assert set(build.OUTPUT_SUFFIXES) == set(SUFFIXES)


def test_progress_is_silent_when_quiet() -> None:
    lines: list[str] = []
    build.Progress(quiet=True, write=lines.append).done("cells")
    build.Progress(quiet=False, write=lines.append).done("HTML")
    assert len(lines) == 1 and lines[0].split()[0] == "HTML"


# 3. A build prints its steps with their times, and takes a quoted title.


def test_build_prints_timed_steps_and_takes_a_quoted_title(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(CLI), "build", "--name", "quoted", "--out-dir", str(tmp_path)]
        + ["-p", "n_draws", "1000", "--set", "report_title='Toll as revised' seed=7"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    timed = [line for line in done.stderr.splitlines() if re.search(r"\d+\.\d\d s", line)]
    names = {line.split()[0] for line in timed}
    assert {"parameters", "imports", "kernel", "cells", "HTML", "PDF"} <= names, done.stderr
    assert len(timed) >= 4
    assert "Toll as revised" in html_text(tmp_path / "quoted.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"quoted{s}" for s in SUFFIXES)


# 4. The git filter: a notebook run and saved with outputs leaves `git status` clean.


def test_strip_leaves_the_committed_notebook_unchanged() -> None:
    from casualty_report.build.notebook_filter import strip

    text = subprocess.run(
        ["git", "show", ":notebooks/01_casualty_report.ipynb"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert strip(text) == text


def test_notebook_saved_by_jupyterlab_leaves_git_status_clean(clone: Path) -> None:
    import nbformat

    from casualty_report.build.notebook_filter import pre_save_hook

    notebook = clone / "notebooks/01_casualty_report.ipynb"
    # Run on another Python: the kernel's language_info says so, and the file keeps its own.
    nb = run_outputs(nbformat.read(notebook, as_version=4), python="3.12.1")
    model = {"type": "notebook", "content": nb}
    manager = SimpleNamespace(root_dir=str(clone))  # the hook's arguments, as jupyter_server's
    pre_save_hook(model=model, path="notebooks/01_casualty_report.ipynb", contents_manager=manager)
    nbformat.write(nbformat.from_dict(model["content"]), notebook)  # as its contents manager
    assert git(clone, "status", "--porcelain", "--", "notebooks/") == ""


def test_outputs_written_by_any_tool_never_reach_a_commit(clone: Path) -> None:
    notebook = clone / "notebooks/01_casualty_report.ipynb"
    nb = run_outputs(json.loads(notebook.read_text(encoding="utf-8")))
    notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert git(clone, "diff", "--", "notebooks/") == ""
    git(clone, "add", "notebooks/")
    assert git(clone, "diff", "--cached", "--", "notebooks/") == ""
    assert git(clone, "status", "--porcelain", "--", "notebooks/") == ""  # once git re-read it
    assert '"execution_count": 1' in notebook.read_text(encoding="utf-8")  # file kept them


# 5. The scenario index: one line per report, parameters and headline numbers, escaped.


def fake_report(out: Path, name: str, injected: str, rows: list[str]) -> None:
    """The two files the index reads: executed notebook and results CSV."""
    cell = {"cell_type": "code", "metadata": {"tags": ["injected-parameters"]}, "source": injected}
    nb = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (out / f"{name}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (out / f"{name}.results.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_index_shows_parameters_headline_numbers_and_links(tmp_path: Path) -> None:
    header = "quantity,party,low,best,high,scenario"
    fake_report(
        tmp_path,
        "worst-case",
        'report_title = "<b>Worst</b>"\nseed = 1\nas_of = "2020-12-03"\n',
        [header, "military_deaths,AZE,1,2,3,x", "military_deaths,ALL,5208.0,5461.4,5461.6,worst"],
    )
    defaults = {k: v["default"] for k, v in declared(paths.REPORT_NOTEBOOK).items()}
    reports = {"worst-case": output_paths(tmp_path, "worst-case")}
    out = index_page.write_index(tmp_path / "index.html", reports, defaults)
    html = out.read_text(encoding="utf-8")
    assert '<a href="worst-case.html">worst-case</a>' in html
    assert "&lt;b&gt;Worst&lt;/b&gt;" in html and "<b>Worst" not in html  # autoescaped
    text = html_text(out)
    # A parameter is shown only when it differs from the notebook's default.
    assert ("seed=1" in text) == (defaults["seed"] != 1)
    assert ("as_of=2020-12-03" in text) == (defaults["as_of"] != "2020-12-03")
    # The ALL row's numbers, rounded to whole deaths: 5208.0 -> 5,208; 5461.4 -> 5,461;
    # 5461.6 -> 5,462; and the text column as written.
    assert "5,208 5,461 5,462 worst" in text
