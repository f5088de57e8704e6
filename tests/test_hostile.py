"""Issue 21, through `make` and the command line as a careless or hostile user would run them:
files replaced behind make's back, parameter and figures files that are not what they claim,
unbounded parameters, relative paths. Each case ends in either the previous report byte for
byte with a one-line reason, or a correct new report.

As in test_faults, every `make` runs in a COPY of the project, never in the real reports/.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from casualty_report import paths
from casualty_report.build import guards
from casualty_report.build.builder import PAUSE_AT
from casualty_report.report.index_page import headline
from conftest import SUFFIXES, copy_ledger, make_env, outputs
from test_faults import (
    FEW_DRAWS,
    KERNEL_STARTUP,
    NAME,
    WAIT,
    injected_seed,
    kernels_alive,
    leftovers,
    make,
    project_copy,
    report_files,
)

YEAR = 365 * 86400
REQUEST = ["DATA=figures.csv", "PARAMS=scenario.yaml", f"P={FEW_DRAWS}"]


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy with a figures file and a parameter file of its own, report built."""
    copy = project_copy(tmp_path_factory.mktemp("project"))
    copy_ledger(copy, "figures.csv")  # with its package beside it
    (copy / "scenario.yaml").write_text("seed: 1\n", encoding="utf-8")
    done = make(copy, "report", *REQUEST)
    assert done.returncode == 0, done.stderr
    return copy


def built(done: subprocess.CompletedProcess) -> bool:
    """Whether a `make report` ran a build."""
    return "casualty-report build" in done.stdout


def replace_with_older_time(path: Path, data: bytes) -> None:
    """Other bytes, with a time a year before the file's: as `cp -p`, `tar` or `rsync -a`."""
    older = path.stat().st_mtime - YEAR
    path.write_bytes(data)
    os.utime(path, (older, older))


# 1. Rebuild by content: the stamp holds the inputs' digests.


def test_make_rebuilds_by_content_not_by_time(copy: Path) -> None:
    figures, scenario = copy / "figures.csv", copy / "scenario.yaml"
    stamp = copy / "reports" / f".{NAME}.params"

    again = make(copy, "report", *REQUEST)
    assert again.returncode == 0 and not built(again), again.stdout
    assert "up to date" in again.stdout

    # Touched, same bytes: nothing to do.
    for path in (figures, scenario):
        os.utime(path)
    touched = make(copy, "report", *REQUEST)
    assert touched.returncode == 0 and not built(touched), touched.stdout

    # The figures replaced by other bytes (the same figures with CRLF line ends), older in time
    # than the stamp: rebuilt, and the report names the new bytes' checksum.
    crlf = figures.read_bytes().replace(b"\n", b"\r\n")
    replace_with_older_time(figures, crlf)
    assert figures.stat().st_mtime < stamp.stat().st_mtime
    done = make(copy, "report", *REQUEST)
    assert done.returncode == 0 and built(done), done.stderr
    html = (copy / "reports" / f"{NAME}.html").read_text(encoding="utf-8")
    assert hashlib.sha256(crlf).hexdigest() in html

    # The parameter file replaced likewise: rebuilt with its new seed.
    replace_with_older_time(scenario, b"seed: 2\n")
    done = make(copy, "report", *REQUEST)
    assert done.returncode == 0 and built(done), done.stderr
    assert injected_seed(copy / "reports" / f"{NAME}.ipynb") == 2
    again = make(copy, "report", *REQUEST)
    assert again.returncode == 0 and not built(again), again.stdout


# 2. and 5. Refused before any kernel starts, in one line naming the file or the parameter.

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)
PARAMS_FILES = {  # name: (bytes, words of the refusal)
    "bomb.yaml": (BOMB.encode(), "anchors and aliases"),
    "tag.yaml": (b"report_title: !!python/object/apply:os.system [ls]\n", "YAML tag"),
    "dup.yaml": (b"seed: 1\nseed: 2\n", "'seed' is given twice"),
    "latin1.yaml": (b"report_title: caf\xe9\n", "not UTF-8"),
    "syntax.yaml": (b"seed: [1,\n", "line 2"),
    "large.yaml": (b"#" * 70_000 + b"\n", "over the limit"),
}
CASES = {
    **{f"PARAMS {name}": ([f"PARAMS={name}"], words) for name, (_, words) in PARAMS_FILES.items()},
    "PARAMS a FIFO": (["PARAMS=pipe"], "not a regular file but a FIFO"),
    "PARAMS /dev/zero": (["PARAMS=/dev/zero"], "not a regular file but a character device"),
    "PARAMS a directory": (["PARAMS=params"], "not a regular file but a directory"),
    "DATA a directory": (["DATA=params"], "not a regular file but a directory"),
    "DATA a FIFO": (["DATA=pipe"], "not a regular file but a FIFO"),
    "DATA gzip": (["DATA=figures.csv.gz"], "compressed (gzip)"),
    "DATA missing": (["DATA=nowhere.csv"], "tried "),
    "stale_after_days negative": (["P=stale_after_days=-5"], "stale_after_days must be >= 0"),
    "at_least_high_factor 1e300": (["P=at_least_high_factor=1e300"], "at_least_high_factor"),
    "more_than_high_factor 1e308": (["P=more_than_high_factor=1e308"], "more_than_high_factor"),
    "title of 400 characters": ([f"P=report_title={'x' * 400}"], "report_title"),
}


@pytest.fixture(scope="module")
def hostile_files(copy: Path) -> Path:
    for name, (data, _) in PARAMS_FILES.items():
        (copy / name).write_bytes(data)
    os.mkfifo(copy / "pipe")
    (copy / "figures.csv.gz").write_bytes(gzip.compress(paths.DEFAULT_FIGURES.read_bytes()))
    return copy


@pytest.mark.parametrize("case", CASES)
def test_unusable_input_is_refused_before_a_kernel(hostile_files: Path, case: str) -> None:
    copy = hostile_files
    args, words = CASES[case]
    before = report_files(copy)
    extra = [] if args[0].startswith("P=") else [f"P={FEW_DRAWS}"]
    done = make(copy, "report", *args, *extra, timeout=60)
    assert done.returncode != 0
    ours = [line for line in done.stderr.splitlines() if not line.startswith("make")]
    assert len(ours) == 1 and ours[0].startswith("report not built: "), done.stderr
    assert words in ours[0], ours[0]
    file = args[0].partition("=")[2]
    if not args[0].startswith("P="):
        assert file in ours[0], "the refusal does not name the file"
    assert "kernel start" not in done.stderr and "Traceback" not in done.stderr
    assert report_files(copy) == before
    assert leftovers(copy) == []


# 5. Relative paths are taken from where the user stands, by check-data and build alike.


def test_relative_data_path_is_read_from_the_current_folder(tmp_path: Path) -> None:
    cli = str(paths.ROOT / ".venv" / "bin" / "casualty-report")
    here = tmp_path / "here"
    here.mkdir()
    copy_ledger(here, "rel.csv")

    checked = subprocess.run(
        [cli, "check-data", "rel.csv"], cwd=here, capture_output=True, text=True
    )
    assert checked.returncode == 0 and "96 figures" in checked.stdout, checked.stderr
    out = tmp_path / "out"
    done = subprocess.run(
        [cli, "build", "--data", "rel.csv", "--out-dir", str(out), "--name", "rel", "--quiet"]
        + ["-p", FEW_DRAWS],
        cwd=here,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    html = outputs(out, "rel")[".html"].read_text(encoding="utf-8")
    assert hashlib.sha256((here / "rel.csv").read_bytes()).hexdigest() in html
    assert set(SUFFIXES) <= {p.name.removeprefix("rel") for p in out.iterdir()}

    # A path that is not there: both name the absolute path they tried, in one line.
    for command in (["check-data", "gone.csv"], ["build", "--data", "gone.csv", "--quiet"]):
        missing = subprocess.run([cli, *command], cwd=here, capture_output=True, text=True)
        assert missing.returncode == 1
        assert len(missing.stderr.splitlines()) == 1, missing.stderr
        assert f"tried {here / 'gone.csv'}" in missing.stderr, missing.stderr


# 6. What a build leaves outside its outputs, and the index beside them (issue 21, hostile pass).


def step_lines_only(stderr: str) -> bool:
    """Whether a build's stderr holds nothing but its step lines: no warning of any kind."""
    return all(line.startswith("  ") for line in stderr.splitlines())


@pytest.mark.parametrize("home", ["under a file", "read-only"])
def test_an_unusable_home_leaves_no_temporary_folder_and_no_warning(copy, tmp_path, home) -> None:
    # `HOME=… make report`: IPython warned "IPython parent '…' is not a writable location, using
    # a temp directory" and so did matplotlib (twice, as a notebook cell's output), and each build
    # left three tmp* folders and a matplotlib-* one in the temporary folder. Now IPython's and
    # matplotlib's folders are made in the build's private folder, removed with it.
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    folder = {"under a file": tmp_path / "a-file" / "home", "read-only": tmp_path / "ro"}[home]
    if home == "read-only":  # root writes there all the same, and so must leave nothing either
        folder.mkdir(mode=0o555)
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**make_env(), "HOME": str(folder), "TMPDIR": str(temp)}
    seed = 31 if home == "read-only" else 32
    done = make(copy, "report", *REQUEST[:2], f"P={FEW_DRAWS} seed={seed}", env=env)
    assert done.returncode == 0 and built(done), done.stderr
    assert step_lines_only(done.stderr), done.stderr
    assert injected_seed(copy / "reports" / f"{NAME}.ipynb") == seed
    assert list(temp.iterdir()) == [] and leftovers(copy) == []


def test_a_usable_home_keeps_the_users_own_ipython_and_matplotlib_folders(
    tmp_path, monkeypatch
) -> None:
    for name in ("IPYTHONDIR", "MPLCONFIGDIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for folder in ("home", "staging", "staging-2"):
        (tmp_path / folder).mkdir()
    with guards.private_runtime_dir(tmp_path / "staging") as runtime:
        assert "IPYTHONDIR" not in os.environ and "MPLCONFIGDIR" not in os.environ
        assert os.environ["JUPYTER_RUNTIME_DIR"] == str(runtime)
    monkeypatch.setenv("HOME", str(tmp_path / "nowhere" / "home"))
    with guards.private_runtime_dir(tmp_path / "staging-2") as runtime:
        assert runtime == tmp_path / "staging-2" / "runtime"
        assert os.environ["IPYTHONDIR"] == str(runtime / "ipython")
        assert os.environ["MPLCONFIGDIR"] == str(runtime / "matplotlib")
    assert "IPYTHONDIR" not in os.environ and "MPLCONFIGDIR" not in os.environ


def wait_for_pid(flag: Path, proc: subprocess.Popen) -> int:
    """The pid a build paused at a step (CASUALTY_REPORT_PAUSE_AT) wrote to `flag`."""
    deadline = time.monotonic() + WAIT
    while not (flag.exists() and flag.read_text()) and proc.poll() is None:
        assert time.monotonic() < deadline, "the build never reached its step"
        time.sleep(0.05)
    assert proc.poll() is None, proc.communicate()
    return int(flag.read_text())


def test_a_killed_build_leaves_nothing_that_outlives_the_next_build(copy, tmp_path) -> None:
    # `kill -9` of a build once its kernel runs: the kernel's connection file, which holds its
    # key, was left in the temporary folder (jupyter_client's tmp*.json) beside an empty
    # casualty-report-runtime-* folder. Both now live in the staging folder, in reports/, which
    # the next build of the report removes, saying so.
    before = report_files(copy)
    temp, paused, ipython = tmp_path / "tmp", tmp_path / "paused", tmp_path / "ipython"
    temp.mkdir()
    (ipython / "profile_default" / "startup").mkdir(parents=True)
    (ipython / "profile_default" / "startup" / "00-test.py").write_text(KERNEL_STARTUP)
    env = {**make_env(), "TMPDIR": str(temp), "IPYTHONDIR": str(ipython)}
    env["TEST_KERNEL_DIR"] = str(tmp_path)  # each kernel writes its pid there
    request = ["report", *REQUEST[:2], f"P={FEW_DRAWS} seed=33"]
    proc = subprocess.Popen(
        ["make", "--no-print-directory", *request],
        cwd=copy,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**env, PAUSE_AT: f"kernel start:{paused}"},
    )
    os.kill(wait_for_pid(paused, proc), signal.SIGKILL)
    proc.communicate(timeout=WAIT)
    assert proc.returncode != 0
    assert report_files(copy) == before
    (left,) = [p for p in (copy / "reports").iterdir() if ".partial-" in p.name]
    (key,) = (left / "runtime").glob("*.json")
    assert '"key"' in key.read_text(encoding="utf-8")
    assert list(temp.iterdir()) == []
    assert list(tmp_path.glob("kernel-*.pid")), "the kernel never started: nothing to check"
    assert kernels_alive(tmp_path) == []  # a kernel stops once its parent is gone

    done = make(copy, *request, env=env)
    assert done.returncode == 0 and built(done), done.stderr
    assert f"removed {left.name}, left by a build of {NAME} that was killed" in done.stderr
    assert injected_seed(copy / "reports" / f"{NAME}.ipynb") == 33
    assert not left.exists() and leftovers(copy) == [] and list(temp.iterdir()) == []
    assert kernels_alive(tmp_path) == []


def test_the_index_waits_for_a_build_replacing_a_report_it_lists(copy, tmp_path) -> None:
    # `casualty-report index` (the end of make scenarios) read each report's files while a build
    # could be replacing them, and could describe the report it replaced. It now holds each
    # listed report's lock, as a build does, until the index is in place.
    executed = copy / "reports" / f"{NAME}.ipynb"
    old_seed, paused = injected_seed(executed), tmp_path / "paused"
    build = subprocess.Popen(
        ["make", "--no-print-directory", "report", *REQUEST[:2], f"P={FEW_DRAWS} seed=34"],
        cwd=copy,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**make_env(), PAUSE_AT: f"PDF:{paused}"},  # every output staged, none moved yet
    )
    try:
        wait_for_pid(paused, build)
        assert injected_seed(executed) == old_seed != 34
        cli = str(copy / ".venv" / "bin" / "casualty-report")
        index = subprocess.Popen(
            [cli, "index", "--out", "reports/index.html", NAME],
            cwd=copy,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert index.stderr.readline() == f"waiting for another build of {NAME} to finish\n"
    finally:
        paused.unlink(missing_ok=True)  # the build goes on: it replaces the report, then unlocks
    _, err = build.communicate(timeout=WAIT)
    assert build.returncode == 0, err
    out, err = index.communicate(timeout=WAIT)
    assert index.returncode == 0 and out.startswith("index written: reports/index.html"), err
    page = (copy / "reports" / "index.html").read_text(encoding="utf-8")
    assert "seed=34" in page and f"seed={old_seed}<" not in page
    numbers = headline(copy / "reports" / f"{NAME}.results.csv")
    assert numbers and all(f">{value}<" in page for value in numbers.values())


def test_make_scenarios_removes_the_old_index_before_any_build(copy) -> None:
    # Were a build of make scenarios to fail, the index of the run before would stay beside the
    # reports that the others replaced: it goes first, and is written again once all are built.
    shown = make(copy, "-n", "scenarios").stdout.splitlines()
    assert shown[0] == "rm -f reports/index.html"
    assert "casualty-report index --out reports/index.html" in shown[-1], shown[-1]
