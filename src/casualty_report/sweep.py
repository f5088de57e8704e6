"""Run several queued builds at once, in processes that share one import of the libraries.

`make scenarios` has make decide, report by report, what is out of date (as `make report`
does), but instead of building, make writes each build's command line to a queue folder: one
`<name>.args` file per report holding the arguments of `casualty-report build`, each ended by a
NUL byte. `casualty-report sweep QUEUE` then runs them, `jobs` at a time. Each is the very
`casualty-report build` that `make report` runs (same checks, staging, lock and stamp), so a
failed or interrupted build leaves its previous report as it was.

Why not simply `make -j`: three builds on two cores are bound by CPU, and every build process
and every kernel imported the same libraries again (papermill, nbconvert, WeasyPrint; ipykernel,
pandas, matplotlib), and every build checked the same figures file. Here the builds run in
processes forked from a server that imported all of them once (multiprocessing's forkserver,
preloaded); each build's kernel is a fork of its build (see `kernel_fork`); and each figures
file is checked once, while that server starts (a build whose file has changed since checks it
again). Measured: 17-22 s of CPU for the three reports, against 22.5-30.5 s built one by one.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import multiprocessing.forkserver
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import build, guards, kernel_fork, paths

QUEUE_SUFFIX = ".args"
# What a build imports before its kernel runs; the forkserver imports it once for all builds.
PRELOAD = [
    "casualty_report.cli",
    "casualty_report.build",
    "casualty_report.exporters",
    "jupyter_client.manager",
    "jupyter_core.utils",
    "papermill",
    "weasyprint",
    *kernel_fork.PRELOAD,
]
STOP_WAIT_SECONDS = 30.0  # how long a stopped build may take to clean up before it is killed


@dataclass(frozen=True)
class Job:
    """One queued build: the report's name (its file's stem) and its `build` arguments."""

    label: str
    argv: list[str]


def read_queue(queue: Path) -> list[Job]:
    """The builds queued in folder `queue`, in name order (as `printf '%s\\0' ARGS` wrote them)."""
    jobs = []
    for path in sorted(queue.glob(f"*{QUEUE_SUFFIX}")):
        raw = path.read_bytes()
        argv = raw.decode("utf-8", errors="surrogateescape").split("\0")
        if len(argv) < 2 or argv.pop() != "" or argv[0] != "build":
            raise build.BuildError(
                f"{paths.display(path)}: expected the arguments of `casualty-report build`,"
                " each ended by a NUL byte"
            )
        jobs.append(Job(path.name.removesuffix(QUEUE_SUFFIX), [*argv, "--quiet"]))
    return jobs


def data_files(jobs: list[Job]) -> list[str]:
    """The figures file each build will read, once each (builds whose parameters are wrong are
    left out: their own build refuses them, with the reason)."""
    from .cli import build_request, parser
    from .parameters import ParameterError

    found = []
    for job in jobs:
        try:
            args = parser().parse_args(job.argv)
            overrides, _ = build_request(args)
            params = build.prepare(args.name, overrides, paths.REPORT_NOTEBOOK)
        except (build.BuildError, ParameterError, OSError, SystemExit):
            continue
        if params["data_path"] not in found:
            found.append(params["data_path"])
    return found


def check_once(files: list[str]) -> dict[str, tuple[str, str]]:
    """Check each figures file; the verdicts of those that passed (see build.CHECKED_FILES)."""
    checked = {}
    for data_path in files:
        try:
            checked[data_path] = build.figures_verdict(data_path)
        except build.BuildError:
            pass  # each build that reads it checks it again and says what is wrong
    return checked


def _worker(job: Job, checked: dict[str, tuple[str, str]]) -> None:
    """Run one build in this forked process, then exit without Python's teardown."""
    from .cli import main

    build.CHECKED_FILES.update(checked)
    kernel_fork.WAITING = kernel_fork.WaitingKernel()  # forked now: one thread so far
    code = main(job.argv, label=job.label)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def run(jobs: list[Job], workers: int, checked: dict[str, tuple[str, str]]) -> list[str]:
    """Run the builds, `workers` at a time, until all ended; the labels of those that failed.

    A stop signal stops every running build (each cleans up as a build does) and is raised.
    """
    context = multiprocessing.get_context("forkserver")
    pending = list(jobs)
    running: dict[multiprocessing.process.BaseProcess, Job] = {}
    failed = []
    with guards.signals_raise():
        try:
            while pending or running:
                while pending and len(running) < workers:
                    job = pending.pop(0)
                    process = context.Process(target=_worker, args=(job, checked), name=job.label)
                    process.start()
                    running[process] = job
                multiprocessing.connection.wait([process.sentinel for process in running])
                for process in [p for p in running if p.exitcode is not None]:
                    job = running.pop(process)
                    if process.exitcode != 0:
                        failed.append(job.label)
                    if process.exitcode < 0:  # killed: it could not say why itself
                        name = signal.Signals(-process.exitcode).name
                        print(f"{job.label}: report not built: killed by {name}", file=sys.stderr)
        finally:
            _stop(running)
    return failed


def _stop(running: dict[multiprocessing.process.BaseProcess, Job]) -> None:
    """Stop builds still running (after a stop signal), each given time to clean up."""
    for process in running:
        process.terminate()
    deadline = time.monotonic() + STOP_WAIT_SECONDS
    for process in running:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.exitcode is None:
            process.kill()
            process.join()


def main(queue: Path, jobs: int = 0) -> int:
    """Run the queue; 0 when every build succeeded, else 1 (each failure said in its line)."""
    queued = read_queue(queue)
    if not queued:
        print("sweep: nothing to build, every report is up to date")
        return 0
    workers = min(jobs if jobs > 0 else len(os.sched_getaffinity(0)) + 1, len(queued))
    start = time.perf_counter()
    multiprocessing.get_context("forkserver").set_forkserver_preload(PRELOAD)
    multiprocessing.forkserver.ensure_running()  # it imports while the files are checked
    failed = run(queued, workers, check_once(data_files(queued)))
    took = time.perf_counter() - start
    built = len(queued) - len(failed)
    print(f"sweep: {built} of {len(queued)} reports built in {took:.1f} s, {workers} at a time")
    if failed:
        print(f"sweep failed: not built: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0
