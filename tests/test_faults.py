"""Fault injection: interrupts, concurrent builds, a full or read-only reports/, hostile values.

Every test runs `make` in a COPY of the project (the working tree's files, with the real .venv
and .tools linked in), never in the real reports/. Each fault must leave the previous report's
four outputs byte-identical, no staging folder, lock or kernel file behind, and run nothing it
was not asked to run.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from casualty_report import paths
from conftest import SUFFIXES, make_env

ROOT = paths.ROOT
NAME = "casualty-report"
FEW_DRAWS = "n_draws=1000"  # the floor: the tests check wiring, not precision


def project_copy(target: Path) -> Path:
    """The working tree's files (tracked and untracked, not ignored) copied, mtimes kept."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for linked in (".venv", ".tools"):
        (target / linked).symlink_to(ROOT / linked)
    (target / "reports").mkdir(exist_ok=True)
    return target


def make(copy: Path, *args: str, env: dict | None = None, timeout: int = 300):
    """Run `make ARGS` in the copy."""
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=copy,
        capture_output=True,
        text=True,
        env=env or make_env(),
        timeout=timeout,
    )


def report_files(copy: Path) -> dict[str, bytes]:
    """The four outputs of the default report, by name."""
    return {f"{NAME}{s}": (copy / "reports" / f"{NAME}{s}").read_bytes() for s in SUFFIXES}


def leftovers(copy: Path) -> list[str]:
    """Staging folders and lock files left in reports/."""
    return [
        p.name for p in (copy / "reports").iterdir() if ".partial-" in p.name or p.suffix == ".lock"
    ]


def injected_seed(executed: Path) -> int:
    """The seed papermill injected into an executed notebook."""
    import json

    cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    (cell,) = [c for c in cells if "injected-parameters" in c["metadata"].get("tags", [])]
    (line,) = [t for t in "".join(cell["source"]).splitlines() if t.startswith("seed = ")]
    return int(line.removeprefix("seed = "))


@pytest.fixture(scope="module")
def built_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy holding a built default report (seed 1, few draws)."""
    copy = project_copy(tmp_path_factory.mktemp("project"))
    done = make(copy, "report", f"P={FEW_DRAWS} seed=1")
    assert done.returncode == 0, done.stderr
    return copy


# 1. Interrupts: Ctrl-C and `timeout` signal the whole process group; `kill` signals make only.
# The build waits at a named step (CASUALTY_REPORT_PAUSE_AT, a test-only hook) and the test
# signals it there; "in a cell" pauses the kernel itself, from an IPython startup file. The
# kernel writes its pid to a file, so the test can tell whether it outlived the build.

POINTS = ["parameters", "imports", "in a cell", "cells", "HTML", "PDF"]
KERNEL_STARTUP = """
import os, pathlib, time
folder = pathlib.Path(os.environ["TEST_KERNEL_DIR"])
(folder / f"kernel-{os.getpid()}.pid").write_text(str(os.getpid()))
if os.environ.get("TEST_PAUSE_IN_CELL"):
    def pause(*_):
        if get_ipython().execution_count >= 4:  # once the figures are loaded
            (folder / "paused").write_text("in a cell")
            while True:
                time.sleep(0.05)
    get_ipython().events.register("pre_run_cell", pause)
"""
WAIT = 300  # seconds: an upper bound for a build to reach its step, not a measurement


def interrupt_at(copy: Path, point: str, sig: int, tmp: Path, seed: int, group: bool = True):
    """Start a rebuild (a new seed), signal it once it waits at `point`; its result."""
    runtime, ipython = tmp / "runtime", tmp / "ipython"
    (ipython / "profile_default" / "startup").mkdir(parents=True)
    (ipython / "profile_default" / "startup" / "00-test.py").write_text(KERNEL_STARTUP)
    runtime.mkdir()
    paused = tmp / "paused"
    env = {
        **make_env(),
        "TMPDIR": str(tmp),
        "JUPYTER_RUNTIME_DIR": str(runtime),
        "IPYTHONDIR": str(ipython),
        "TEST_KERNEL_DIR": str(tmp),
    }
    if point == "in a cell":
        env["TEST_PAUSE_IN_CELL"] = "1"
    else:
        env["CASUALTY_REPORT_PAUSE_AT"] = f"{point}:{paused}"
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "report", f"P={FEW_DRAWS} seed={seed}"],
        cwd=copy,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + WAIT
    while not paused.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert paused.exists(), f"the build never reached {point!r}"
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    out, err = proc.communicate(timeout=WAIT)
    return proc.returncode, out, err, runtime


def kernels_alive(tmp: Path) -> list[int]:
    """The kernels started under `tmp` (their pid files) that still run, after a grace period
    for a killed one to be reaped."""
    pids = [int(p.read_text()) for p in tmp.glob("kernel-*.pid")]
    deadline = time.monotonic() + 30
    while True:
        alive = []
        for pid in pids:
            try:
                os.kill(pid, 0)
                alive.append(pid)
            except ProcessLookupError:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("point", POINTS)
def test_interrupted_rebuild_keeps_the_previous_report(built_copy, tmp_path, sig, point) -> None:
    before = report_files(built_copy)
    seed = 100 + 10 * POINTS.index(point) + sig  # a request of its own: always a rebuild
    code, out, err, runtime = interrupt_at(built_copy, point, sig, tmp_path, seed)
    assert code != 0, out + err
    assert "report built" not in out
    assert "Deleting file" not in err, "make deleted an output"
    assert "Traceback" not in err, err
    refusals = [line for line in err.splitlines() if line.startswith("report not built")]
    assert len(refusals) == 1, err
    assert report_files(built_copy) == before
    assert leftovers(built_copy) == []
    # No kernel file anywhere: not in the runtime folder, not in the temporary folder.
    assert list(runtime.iterdir()) == []
    kept = {"runtime", "ipython", "paused"}
    assert [p.name for p in tmp_path.iterdir() if p.name not in kept and p.suffix != ".pid"] == []
    assert kernels_alive(tmp_path) == [], "a kernel outlived the build"


SECOND_SIGNAL = """
import os, signal, sys
from casualty_report import cli
from casualty_report.build import guards

def build(_args):  # stopped as a build is, then make's forwarded copy once its handler is gone
    try:
        with guards.signals_raise():
            os.kill(os.getpid(), signal.SIGTERM)
    finally:
        os.kill(os.getpid(), signal.SIGTERM)

cli.cmd_build = build
sys.exit(cli.main(["build", "--name", "x", "--out-dir", sys.argv[1]]))
"""


def test_a_second_sigterm_does_not_cut_the_refusal_short(tmp_path) -> None:
    # make forwards the SIGTERM its process group already had: the second one, landing after
    # the build's own handler was restored, killed the process before its one-line refusal.
    done = subprocess.run(
        [str(paths.ROOT / ".venv" / "bin" / "python"), "-c", SECOND_SIGNAL, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 128 + signal.SIGTERM, (done.returncode, done.stderr)
    assert done.stderr.strip().splitlines() == [
        "report not built: interrupted by SIGTERM; the previous report is unchanged"
    ]


def test_weasyprint_that_cannot_load_is_said_in_one_line(tmp_path) -> None:
    # The build loads WeasyPrint while the kernel boots; where its libraries are missing (here a
    # stand-in that fails as a missing Pango does), the build says so in one line when it makes
    # the PDF, after the kernel is shut down, and leaves no staging folder behind.
    fake = tmp_path / "fake" / "weasyprint"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text('raise OSError("cannot load library libpango-1.0-0")\n')
    out = tmp_path / "reports"
    done = subprocess.run(
        [
            str(paths.ROOT / ".venv" / "bin" / "casualty-report"),
            "build",
            "-q",
            "--out-dir",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**make_env(), "PYTHONPATH": str(fake.parent)},
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().splitlines() == [
        "report not built: ImportError: WeasyPrint cannot be loaded:"
        " cannot load library libpango-1.0-0"
    ]
    assert list(out.iterdir()) == []  # not even a staging folder is left


def test_sigterm_to_make_alone_keeps_the_previous_report(built_copy, tmp_path) -> None:
    before = report_files(built_copy)
    code, out, err, _ = interrupt_at(
        built_copy, "imports", signal.SIGTERM, tmp_path, seed=99, group=False
    )
    assert code != 0, out + err
    assert report_files(built_copy) == before
    assert leftovers(built_copy) == []
    assert kernels_alive(tmp_path) == []


# 2. Hostile values: nothing runs, nothing outside reports/, one line.

MARKER = "injected-marker"


def hostile(marker: Path) -> list[str]:
    """Values that would run `touch MARKER` if a shell or make read them as code."""
    return [
        f"`touch {marker}`",
        f"$(touch {marker})",
        f"$(shell touch {marker})",
        f"x'; touch {marker}; '",
        f'x"; touch {marker}; "',
        f"x; touch {marker}",
    ]


@pytest.mark.parametrize("variable", ["REPORT", "DATA", "P", "AS_OF", "PARAMS"])
def test_make_variables_run_nothing(built_copy, tmp_path, variable) -> None:
    before = report_files(built_copy)
    marker = tmp_path / MARKER
    for value in hostile(marker):
        for target in ("report", "check-data") if variable == "DATA" else ("report",):
            done = make(built_copy, target, f"{variable}={value}")
            assert not marker.exists(), f"{variable}={value!r} ran a command ({target})"
            if target == "report":
                assert done.returncode != 0, f"{variable}={value!r} was accepted"
                assert "Traceback" not in done.stderr
    assert report_files(built_copy) == before
    assert leftovers(built_copy) == []


def test_report_name_cannot_leave_reports(built_copy, tmp_path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    for value in [f"/../../../{outside}/x", "../x", "a b", ".hidden", "-x"]:
        done = make(built_copy, "report", f"REPORT={value}", f"P={FEW_DRAWS}")
        assert done.returncode != 0, value
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "REPORT must be a plain name" in done.stderr or "report name" in done.stderr
    assert list(outside.iterdir()) == []
    cli = built_copy / ".venv/bin/casualty-report"
    done = subprocess.run(
        [str(cli), "build", "--name", "../x", "--out-dir", str(outside)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and done.stderr.startswith("report not built: report name")
    assert len(done.stderr.splitlines()) == 1
    assert list(outside.iterdir()) == [] and list(outside.parent.glob("x.*")) == []


def test_data_path_with_space_and_apostrophe(built_copy, tmp_path) -> None:
    folder = tmp_path / "dir with space"
    folder.mkdir()
    data = folder / "o'brien figures.csv"
    shutil.copy2(Path(__file__).parent / "fixtures" / "bbc_ledger.csv", data)
    done = make(built_copy, "check-data", f"DATA={data}")
    assert done.returncode == 0, done.stderr
    # The article's 8 casualty figures, about ARM, AZE and BOTH; the default file has 96 figures
    # about 4 parties, so this summary shows that this file was the one read.
    assert "8 figures, 3 parties" in done.stdout
    missing = folder / "o'brien missing.csv"
    done = make(built_copy, "check-data", f"DATA={missing}")
    assert done.returncode != 0 and str(missing) in done.stderr


# 3. Values refused before any kernel starts, in one line naming the parameter.


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["P=n_draws=1"], "n_draws"),
        (["P=n_draws=1000000000"], "n_draws"),
        (["AS_OF=2020-13-45"], "as_of"),  # a typo: refused before the kernel, as in the notebook
        (["AS_OF=2099-01-01"], "as_of"),
        (["AS_OF=2020-01-01"], "as_of"),  # before every figure: the first was reported 2020-11-10
        (["P=period_start=2020-11-10 period_end=2020-09-27"], "period_end"),
        (["P=report_title='Evil \u202egnp.exe'"], "U+202E"),
        (["P=report_title='bell \x07'"], "U+0007"),
        (["P=report_title='a\u2066b'"], "U+2066"),
    ],
)
def test_bad_values_are_refused_in_one_line(built_copy, args, named) -> None:
    before = report_files(built_copy)
    done = make(built_copy, "report", *args)
    assert done.returncode != 0
    refusals = [line for line in done.stderr.splitlines() if line.startswith("report not built")]
    assert len(refusals) == 1 and named in refusals[0], done.stderr
    assert "Traceback" not in done.stderr
    # Checks of the parameters alone come before any kernel; as_of against the figures is
    # checked by the notebook's analysis, the first cell that reads them.
    kernel_allowed = args == ["AS_OF=2020-01-01"]
    assert kernel_allowed or "kernel start" not in done.stderr, "a kernel started"
    assert "cells" not in done.stderr and "Kernel died" not in done.stderr
    assert report_files(built_copy) == before


# 4. Full and read-only reports/ (a tmpfs mounted over the copy's reports/; CI runs as root).


@pytest.fixture
def mounted_reports(built_copy: Path, tmp_path: Path):
    """The copy's reports/ on a small tmpfs holding the previous report; unmounted after."""
    reports = built_copy / "reports"
    saved = tmp_path / "saved"
    shutil.copytree(reports, saved)
    size = sum(p.stat().st_size for p in saved.iterdir()) + 64 * 1024
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(reports)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
    try:
        for entry in saved.iterdir():
            shutil.copy2(entry, reports / entry.name)
        yield reports
    finally:
        subprocess.run(["umount", str(reports)], check=True)


def test_full_reports_folder_keeps_the_previous_report(built_copy, mounted_reports) -> None:
    before = report_files(built_copy)
    done = make(built_copy, "report", f"P={FEW_DRAWS} seed=3")
    assert done.returncode != 0
    refusals = [line for line in done.stderr.splitlines() if line.startswith("report not built")]
    assert len(refusals) == 1 and "No space left on device" in refusals[0], done.stderr
    assert "Traceback" not in done.stderr
    assert report_files(built_copy) == before
    assert leftovers(built_copy) == []


def test_read_only_reports_folder_is_refused(built_copy, mounted_reports) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(mounted_reports)], check=True)
    before = report_files(built_copy)
    done = make(built_copy, "report", f"P={FEW_DRAWS} seed=4")
    assert done.returncode != 0
    assert "Read-only file system" in done.stderr and "Traceback" not in done.stderr
    assert report_files(built_copy) == before


# 5. Two builds of one report at once (last: it replaces the report).


def test_concurrent_builds_leave_make_truthful(built_copy) -> None:
    env = make_env()
    runs = [
        subprocess.Popen(
            ["make", "--no-print-directory", "report", f"P={FEW_DRAWS} seed={seed}"],
            cwd=built_copy,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for seed in (11, 12)
    ]
    for run in runs:
        out, err = run.communicate(timeout=600)
        assert run.returncode == 0, err
    executed = built_copy / "reports" / f"{NAME}.ipynb"
    assert injected_seed(executed) in (11, 12)
    again = make(built_copy, "report", f"P={FEW_DRAWS} seed=12")
    assert again.returncode == 0, again.stderr
    assert injected_seed(executed) == 12, "make called seed 11's report up to date"
    stamp = (built_copy / "reports" / f".{NAME}.params").read_text(encoding="utf-8")
    assert stamp.splitlines()[-1] == f"{FEW_DRAWS} seed=12"
    assert leftovers(built_copy) == []
