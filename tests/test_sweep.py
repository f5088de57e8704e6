"""`make scenarios` and `casualty-report sweep`: queued builds run at once, in forked processes.

The end-to-end tests run in a COPY of the project (see test_faults.project_copy). What must hold:
a swept report has the very numbers and charts of the same report built alone; make still
decides what is out of date; a bad scenario fails alone, in one line naming it; an interrupted
sweep leaves each report as it was or wholly new, and no process, queue or staging behind.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from casualty_report import build, kernel_fork, paths, sweep
from conftest import SUFFIXES, make_env
from test_faults import leftovers, make, project_copy

SCENARIOS = ["casualty-report", "confirmed-only", "worst-case"]
FEW_DRAWS = ["-p", "n_draws=1000"]
PNG = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")


def queue_build(queue: Path, name: str, *args: str) -> None:
    """Queue a build as the Makefile does: `printf '%s\\0' build ARGS > QUEUE/NAME.args`."""
    queue.mkdir(exist_ok=True)
    argv = ["build", "--out-dir", "reports", "--name", name, *args]
    (queue / f"{name}.args").write_bytes(b"".join(a.encode() + b"\0" for a in argv))


def marked_env(marker: str) -> dict[str, str]:
    """make's environment with a marker every process started from it inherits."""
    return {**make_env(), "CASUALTY_REPORT_TEST_MARKER": marker}


def marked_processes(marker: str) -> list[int]:
    """Processes still alive whose environment holds the marker (after a short grace)."""
    needle = f"CASUALTY_REPORT_TEST_MARKER={marker}".encode()
    for _ in range(50):  # a killed kernel may take a moment to be reaped
        alive = []
        for proc in Path("/proc").iterdir():
            try:
                if needle in (proc / "environ").read_bytes().split(b"\0"):
                    alive.append(int(proc.name))
            except (OSError, ValueError):
                continue
        if not alive:
            return []
        time.sleep(0.1)
    return alive


def sweep_queue(
    copy: Path, queue: Path, marker: str, tmp: Path | None = None, **popen: object
) -> subprocess.Popen:
    """Start `casualty-report sweep --jobs 2 QUEUE` in the copy (TMPDIR=tmp, if given)."""
    env = marked_env(marker) | ({"TMPDIR": str(tmp)} if tmp else {})
    return subprocess.Popen(
        [str(copy / ".venv/bin/casualty-report"), "sweep", "--jobs", "2", str(queue)],
        cwd=copy,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        **popen,
    )


# 1. Parsing the queue and the kernel command; the forked child's lifecycle.


def test_read_queue_takes_nul_ended_build_arguments(tmp_path: Path) -> None:
    queue_build(tmp_path, "b-report", "--set", "report_title='A b'", "--data", "")
    queue_build(tmp_path, "a-report")
    (tmp_path / "notes.txt").write_text("not a queued build")
    jobs = sweep.read_queue(tmp_path)
    assert [job.label for job in jobs] == ["a-report", "b-report"]
    assert jobs[1].argv == [
        "build", "--out-dir", "reports", "--name", "b-report",
        "--set", "report_title='A b'", "--data", "", "--quiet",
    ]  # fmt: skip


@pytest.mark.parametrize("raw", [b"build\0--name\0x", b"check-data\0x\0", b"", b"\0"])
def test_read_queue_refuses_anything_else_naming_the_file(tmp_path: Path, raw: bytes) -> None:
    (tmp_path / "bad.args").write_bytes(raw)
    with pytest.raises(build.BuildError, match=r"bad\.args: expected the arguments"):
        sweep.read_queue(tmp_path)


def test_kernel_arguments_only_for_ipykernel_on_this_python() -> None:
    python = kernel_fork.sys.executable
    assert kernel_fork.kernel_arguments(
        [python, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "k.json"]
    ) == ["-f", "k.json"]
    assert kernel_fork.kernel_arguments([python, "-m", "ipykernel_launcher"]) == []
    assert kernel_fork.kernel_arguments(["/other/python", "-m", "ipykernel_launcher"]) is None
    assert kernel_fork.kernel_arguments([python, "-c", "x", "-m", "ipykernel_launcher"]) is None
    assert kernel_fork.kernel_arguments([python, "-m", "other_kernel", "-f", "k.json"]) is None


def test_waiting_child_exits_when_no_kernel_is_asked_for_and_can_be_killed() -> None:
    unused = kernel_fork.WaitingKernel()
    assert unused.process.poll() is None  # it waits for its orders
    os.close(unused._orders)  # this process will ask nothing of it
    assert unused.process.wait(timeout=10) == 0
    killed = kernel_fork.WaitingKernel()
    killed.process.kill()
    assert killed.process.wait(timeout=10) == -signal.SIGKILL
    os.close(killed._orders)


def test_the_projects_kernel_spec_is_one_a_build_forks() -> None:
    from jupyter_client.kernelspec import KernelSpecManager

    name = json.loads(paths.REPORT_NOTEBOOK.read_text(encoding="utf-8"))["metadata"]
    spec = KernelSpecManager().get_kernel_spec(name["kernelspec"]["name"])
    assert kernel_fork.kernel_arguments(spec.argv) == ["-f", "{connection_file}"]


def test_a_forked_kernel_runs_code_as_a_child_of_its_build(tmp_path: Path) -> None:
    """The provisioner hands the kernel to the waiting child: the kernel's parent is this
    process, it runs code in the folder and environment asked for, and it is stopped."""
    from jupyter_client.manager import KernelManager

    kernel_fork.WAITING = kernel_fork.WaitingKernel()
    km = KernelManager(kernel_name="casualty-report", connection_file=str(tmp_path / "k.json"))
    km.provisioner = kernel_fork.provisioner(km)
    assert kernel_fork.WAITING is None, "the waiting child is handed over once"
    km.start_kernel(cwd=str(tmp_path), env={**os.environ, "SWEEP_TEST": "seen"})
    client = km.client()
    try:
        assert isinstance(km.provisioner.process, kernel_fork.ChildProcess)
        client.start_channels()
        client.wait_for_ready(timeout=60)
        code = "import os; print(os.getppid(), os.getcwd(), os.environ['SWEEP_TEST'])"
        printed = []
        reply = client.execute_interactive(
            code, timeout=60, output_hook=lambda m: printed.append(m["content"].get("text", ""))
        )
        assert reply["content"]["status"] == "ok"
        assert "".join(printed).split() == [str(os.getpid()), str(tmp_path), "seen"]
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=True)
    assert km.provisioner is None or not km.provisioner.has_process


def test_a_file_the_sweep_checked_is_not_checked_again_unless_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    figures = tmp_path / "figures.csv"
    figures.write_bytes(b"the bytes the sweep checked")
    digest = hashlib.sha256(figures.read_bytes()).hexdigest()
    checks = []

    def full_check(data_path: str) -> tuple[str, str]:
        checks.append(data_path)
        return "2020-11-10", hashlib.sha256(Path(data_path).read_bytes()).hexdigest()

    monkeypatch.setattr(build, "figures_verdict", full_check)
    monkeypatch.setattr(build, "CHECKED_FILES", {str(figures): ("2020-11-10", digest)})
    verdict = tmp_path / "verdict"
    build.check_figures(str(figures), "2020-12-03", verdict)
    assert checks == [] and verdict.read_text() == digest
    with pytest.raises(build.BuildError, match="first was reported on 2020-11-10"):
        build.check_figures(str(figures), "2020-11-01", verdict)  # as_of still checked
    figures.write_bytes(b"bytes changed since")
    build.check_figures(str(figures), "2020-12-03", verdict)
    assert checks == [str(figures)]
    assert verdict.read_text() == hashlib.sha256(b"bytes changed since").hexdigest()


def test_a_missing_queue_folder_is_refused_in_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [kernel_fork.sys.executable, "-m", "casualty_report", "sweep", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.splitlines() == [
        f"sweep failed: {tmp_path / 'none'}: no such folder of queued builds"
    ]


# 2. `make scenarios` end to end.


@pytest.fixture(scope="module")
def swept(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """A project copy with confirmed-only also built alone (as `lone`), then `make scenarios`."""
    copy = project_copy(tmp_path_factory.mktemp("project"))
    cli = str(copy / ".venv/bin/casualty-report")
    lone = subprocess.run(
        [cli, "build", "--quiet", "--out-dir", "reports", "--name", "lone"]
        + ["-f", "params/confirmed-only.yaml"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert lone.returncode == 0, lone.stderr
    done = make(copy, "scenarios", env=marked_env(str(copy)))
    assert done.returncode == 0, done.stderr
    return copy, done


def test_make_scenarios_builds_every_scenario_and_the_index(swept) -> None:
    copy, done = swept
    reports = copy / "reports"
    for name in SCENARIOS:
        for suffix in SUFFIXES:
            assert (reports / f"{name}{suffix}").is_file(), f"{name}{suffix}"
        assert (reports / f"{name}.pdf").read_bytes().startswith(b"%PDF-")
    assert "sweep: 3 of 3 reports built" in done.stdout
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{name}.html"' in index for name in SCENARIOS)
    assert leftovers(copy) == [] and not list(reports.glob(".sweep-*")), "queue or staging left"
    assert marked_processes(str(copy)) == [], "a process outlived the sweep"


def test_a_swept_report_has_the_numbers_and_charts_of_the_same_report_built_alone(swept) -> None:
    copy, _ = swept
    reports = copy / "reports"
    for suffix in (".results.csv", ".inputs.csv", ".retrospective.csv"):
        swept_csv = (reports / f"confirmed-only{suffix}").read_bytes()
        assert swept_csv == (reports / f"lone{suffix}").read_bytes(), suffix
    charts = PNG.findall((reports / "confirmed-only.html").read_text(encoding="utf-8"))
    assert len(charts) >= 2
    assert charts == PNG.findall((reports / "lone.html").read_text(encoding="utf-8"))
    # With every missing share 0 and the bodies counted (params/confirmed-only.yaml), each
    # party's military deaths in scenario `all` are its confirmed count: low = best = high.
    with (reports / "confirmed-only.results.csv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["scenario"] == "all"]
    confirmed = {
        r["party"]: r["best"] for r in rows if r["quantity"] == "military_deaths_confirmed"
    }
    deaths = [r for r in rows if r["quantity"] == "military_deaths"]
    assert {r["party"] for r in deaths} == set(confirmed) == {"ARM", "AZE", "ALL"}
    assert all(r["low"] == r["best"] == r["high"] == confirmed[r["party"]] for r in deaths)


def test_make_scenarios_again_builds_only_what_changed(swept) -> None:
    copy, _ = swept
    done = make(copy, "scenarios")
    assert done.returncode == 0, done.stderr
    assert "sweep: nothing to build, every report is up to date" in done.stdout
    before = {n: (copy / "reports" / f"{n}.pdf").stat().st_mtime_ns for n in SCENARIOS}
    time.sleep(0.01)
    (copy / "params/worst-case.yaml").touch()
    done = make(copy, "scenarios")
    assert done.returncode == 0, done.stderr
    assert "sweep: 1 of 1 reports built" in done.stdout
    after = {n: (copy / "reports" / f"{n}.pdf").stat().st_mtime_ns for n in SCENARIOS}
    assert [n for n in SCENARIOS if after[n] != before[n]] == ["worst-case"]


# 3. Failures and interrupts.


def test_a_bad_scenario_fails_alone_in_one_line_naming_it(swept, tmp_path: Path) -> None:
    copy, _ = swept
    queue = tmp_path / "queue"
    queue_build(queue, "good", *FEW_DRAWS)
    queue_build(queue, "bad", "-p", "n_draws=1")
    proc = sweep_queue(copy, queue, str(tmp_path))
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, out + err
    assert "report built: reports/good.ipynb" in out
    lines = err.splitlines()
    refusals = [line for line in lines if "report not built" in line]
    assert len(refusals) == 1 and refusals[0].startswith("bad: report not built: "), err
    assert "n_draws" in refusals[0] and "Traceback" not in err
    assert lines[-1] == "sweep failed: not built: bad"
    assert not list((copy / "reports").glob("bad.*"))
    assert marked_processes(str(tmp_path)) == []


def kernel_started(tmp: Path, proc: subprocess.Popen, timeout: float = 120) -> None:
    """Wait until a build's kernel has been launched: its connection file is in the build's
    private runtime folder (under TMPDIR); fail if the process ended first."""
    deadline = time.monotonic() + timeout
    while not list(tmp.glob("casualty-report-runtime-*/kernel.json")):
        assert proc.poll() is None, "it ended before any kernel started"
        assert time.monotonic() < deadline, "no kernel started"
        time.sleep(0.05)
    time.sleep(0.5)  # into the cells


def whole_or_unchanged(reports: Path, names: list[str], before: dict, inodes: dict, out: str):
    """Each report is byte for byte as before, or a whole new set that its build said it wrote."""
    for name in names:
        now = {s: (reports / f"{name}{s}").stat().st_ino for s in SUFFIXES}
        if all(now[s] != inodes[name][s] for s in SUFFIXES):
            assert f"reports/{name}.ipynb" in out, f"{name}: a new set nobody reported"
        else:
            assert {s: (reports / f"{name}{s}").read_bytes() for s in SUFFIXES} == before[name]


def report_state(reports: Path, names: list[str]) -> tuple[dict, dict]:
    """The reports' bytes and inode numbers, by name and suffix."""
    files = {n: {s: reports / f"{n}{s}" for s in SUFFIXES} for n in names}
    return (
        {n: {s: p.read_bytes() for s, p in f.items()} for n, f in files.items()},
        {n: {s: p.stat().st_ino for s, p in f.items()} for n, f in files.items()},
    )


@pytest.mark.parametrize("when", ["early", "in-cells"])
@pytest.mark.parametrize("group", [True, False], ids=["SIGINT-to-group", "SIGTERM-to-sweep"])
def test_an_interrupted_sweep_leaves_each_report_whole(swept, tmp_path, group, when) -> None:
    """Early: while the server imports and the figures are checked (no build may start after
    the sweep said it stopped). In the cells: every build is stopped as a build stops."""
    copy, _ = swept
    reports = copy / "reports"
    names = ["casualty-report", "worst-case"]
    before, inodes = report_state(reports, names)
    queue, tmp = tmp_path / "queue", tmp_path / "tmp"
    tmp.mkdir()
    for name in names:
        queue_build(queue, name, *FEW_DRAWS, "-p", f"seed={11 + group + 2 * (when == 'early')}")
    proc = sweep_queue(copy, queue, str(tmp_path), start_new_session=True, tmp=tmp)
    if when == "early":
        time.sleep(0.5)
    else:
        kernel_started(tmp, proc)
    sig = signal.SIGINT if group else signal.SIGTERM
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + sig, out + err
    assert err.splitlines()[-1].startswith(f"sweep failed: interrupted by {sig.name}"), err
    assert "Traceback" not in err
    if when == "early":
        assert "report built" not in out and "report not built" not in err, out + err
    whole_or_unchanged(reports, names, before, inodes, out)
    assert leftovers(copy) == [] and not queue.exists()
    assert marked_processes(str(tmp_path)) == [], "a build, kernel or waiting child outlived it"
    assert list(tmp.iterdir()) == [], "a kernel's runtime folder (its key) was left"


def test_sigterm_to_make_alone_stops_the_sweep(swept, tmp_path) -> None:
    """make passes SIGTERM to its recipe's shell, which the sweep has replaced (exec)."""
    copy, _ = swept
    reports = copy / "reports"
    names = ["confirmed-only", "worst-case"]
    before, inodes = report_state(reports, names)
    for name in names:
        (copy / "params" / f"{name}.yaml").touch()  # out of date: both are queued
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "scenarios"],
        cwd=copy,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**marked_env(str(tmp_path)), "TMPDIR": str(tmp)},
        start_new_session=True,
    )
    kernel_started(tmp, proc)
    proc.send_signal(signal.SIGTERM)  # make alone, as `kill <make's pid>` does
    out, err = proc.communicate(timeout=120)
    assert proc.returncode != 0, out + err
    assert "sweep failed: interrupted by SIGTERM" in err and "Traceback" not in err, err
    whole_or_unchanged(reports, names, before, inodes, out)
    assert leftovers(copy) == [] and not list(reports.glob(".sweep-*")), "queue or staging left"
    assert marked_processes(str(tmp_path)) == [], "a build, kernel or waiting child outlived it"
    assert list(tmp.iterdir()) == [], "a kernel's runtime folder (its key) was left"
