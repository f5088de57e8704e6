"""No warning text in a report (issue 21): what a cell writes to stderr goes to the build's
stderr, never into the HTML or PDF; and the cases that raised warnings or errors are mended: a
previous count of 0 ("rose by 2,718, or inf %") and a count of wounded in hospital of 0
(ZeroDivisionError in a cell)."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import nbformat
import pandas as pd

from casualty_report.build.builder import move_stderr
from casualty_report.model.analysis import analyse
from casualty_report.report import narrative, tables
from conftest import FAST, ROOT, html_text, make_env, pdf_text
from ledger_csv import row, write
from ledger_rows import assume, fig, ledger
from test_faults import NAME, make, project_copy

ZERO_THEN_2718 = [
    fig("AZE", "military_killed", 0, on="2020-11-20"),
    fig("AZE", "military_killed", 2718, on="2020-12-03"),
    fig("AZE", "military_wounded_hospitalised", 0, on="2020-12-03"),
    fig("ARM", "military_killed", 2425, on="2020-12-03"),
]
# An IPython startup file for the build's kernel: one warning, from the fifth cell.
WARN_IN_A_CELL = """
import warnings
def warn(*_):
    if get_ipython().execution_count == 5:
        warnings.warn("injected test warning", RuntimeWarning)
get_ipython().events.register("pre_run_cell", warn)
"""


def test_zero_counts_give_words_not_inf_or_an_error() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the test
        result = analyse(ledger(*ZERO_THEN_2718), "2020-12-03", assume(n_draws=2000))
        reconciliation = narrative.reconciliation(result)
        findings = narrative.key_findings(result, reconciliation, 0.9).html
        counts = narrative.counts_section(result, reconciliation).html
        used = tables.figures_in_use(result).html
    assert "rose from 0 to 2,718 in the 13 days to 3 December 2020" in findings
    assert "up from 0 to\n2,718 in the 13 days before" in counts
    assert "inf" not in findings + counts
    aze = result.counts.set_index("party").loc["AZE"]
    assert aze["rise"] == 2718 and pd.isna(aze["rise_pct"])
    assert "open: rose from 0 to 2,718" in narrative.count_statement(aze.to_dict())
    ratio = result.results["quantity"] == "confirmed_killed_per_hospitalised_wounded"
    assert result.results[ratio].empty, "a ratio to a count of 0 was computed"
    assert "no killed per wounded ratio: the count of wounded can be 0" in used


def test_a_positive_count_of_wounded_still_gives_its_ratio() -> None:
    rows = [fig("AZE", "military_killed", 2783), fig("AZE", "military_wounded_hospitalised", 1245)]
    result = analyse(ledger(*rows), "2020-12-03", assume(n_draws=2000))
    ratio = result.results[
        result.results["quantity"] == "confirmed_killed_per_hospitalised_wounded"
    ]
    assert ratio["best"].tolist() == [2783 / 1245]
    assert "no killed per wounded ratio" not in tables.figures_in_use(result).html


def test_stderr_outputs_leave_the_notebook_and_are_said() -> None:
    nb = nbformat.v4.new_notebook()
    warned = nbformat.v4.new_code_cell(execution_count=5)
    warned.outputs = [
        nbformat.v4.new_output(
            "stream", name="stderr", text="/x/y.py:9: RuntimeWarning: boo\n  a\n"
        ),
        nbformat.v4.new_output("stream", name="stdout", text="kept\n"),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# T"), warned]
    said: list[str] = []
    assert move_stderr(nb, said.append) == 1
    assert [o.name for o in nb.cells[1].outputs] == ["stdout"]
    assert said == ["warning: notebook cell [5] wrote: /x/y.py:9: RuntimeWarning: boo | a"]


def test_a_warning_in_a_cell_reaches_stderr_not_the_report(tmp_path: Path) -> None:
    copy = project_copy(tmp_path / "project")
    startup = tmp_path / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-warn.py").write_text(WARN_IN_A_CELL, encoding="utf-8")
    data = write(copy / "zero.csv", [
        row("AZE", "military_killed", 0, "2020-11-20"),
        row("AZE", "military_killed", 2718, "2020-12-03"),
        row("AZE", "military_wounded_hospitalised", 0, "2020-12-03"),
        row("ARM", "military_killed", 2425, "2020-12-03"),
    ])  # fmt: skip
    env = {**make_env(), "IPYTHONDIR": str(tmp_path / "ipython")}
    done = make(copy, "report", f"DATA={data.name}", "AS_OF=2020-12-03", "P=n_draws=1000", env=env)
    assert done.returncode == 0, done.stderr
    said = [line for line in done.stderr.splitlines() if line.startswith("warning: notebook cell")]
    assert len(said) == 1 and "injected test warning" in said[0], done.stderr
    reports = copy / "reports"
    for text in (html_text(reports / f"{NAME}.html"), pdf_text(reports / f"{NAME}.pdf")):
        assert "Warning" not in text and "injected test warning" not in text
        assert "inf %" not in text
        assert "rose from 0 to 2,718" in " ".join(text.split())
    assert "injected test warning" not in (reports / f"{NAME}.ipynb").read_text(encoding="utf-8")


def test_what_the_kernel_writes_as_it_boots_is_said_too(tmp_path: Path) -> None:
    # The kernel imports matplotlib as it boots, before any cell (builder.KERNEL_PRELOAD). Given
    # an MPLCONFIGDIR it cannot use (a path under a regular file), matplotlib says so; the build
    # says it on its stderr as the first cell's warning, as it did when a cell imported it.
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    env = {**os.environ, "MPLCONFIGDIR": str(blocker / "sub"), "TMPDIR": str(tmp_path)}
    command = [sys.executable, "-m", "casualty_report", "build", "--quiet", "--name", "boot"]
    command += ["--out-dir", str(tmp_path / "out"), *FAST]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    said = [line for line in done.stderr.splitlines() if line.startswith("warning: notebook cell")]
    assert len(said) == 1, done.stderr
    assert said[0].startswith("warning: notebook cell [1] wrote: mkdir -p failed for path")
    assert "Matplotlib created a temporary cache directory" in said[0]


def test_date_axes_of_any_span_pick_their_ticks_without_a_warning() -> None:
    # Figure 4's axis of counts (5 ticks at most) over 2 to 3 days had no interval matplotlib
    # could use: "AutoDateLocator was unable to pick an appropriate interval", written by the
    # Galwan (india-china-2020) and Kyrgyz-Tajik 2022 builds. Every span from 6 hours to 8
    # years, in steps of 7 hours, for both axes (at most 5 and at most 7 ticks).
    from datetime import datetime, timedelta

    from casualty_report.report.plots import date_locator

    start = datetime(2020, 6, 15)
    for maxticks in (5, 7):
        for hours in range(6, 24 * 365 * 8, 7):
            end = start + timedelta(hours=hours)
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                date_locator(start, end, maxticks=maxticks).get_locator(start, end)
