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
file that passes its check is checked once, while that server starts (a build whose file has
changed since checks it again). The README gives what this saved, measured.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import multiprocessing.connection
import multiprocessing.forkserver
import multiprocessing.util
import os
import shutil
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
    """The figures file each build will read, once each. A build whose arguments or parameters
    are wrong is left out, silently: its own build refuses it, in a line that names it."""
    from .cli import build_request, parser

    found = []
    for job in jobs:
        try:
            with contextlib.redirect_stderr(io.StringIO()):  # argparse's usage lines
                args = parser().parse_args(job.argv)
            overrides, _ = build_request(args)
            params = build.prepare(args.name, overrides, paths.REPORT_NOTEBOOK)
        except (Exception, SystemExit):  # the build itself says what is wrong
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
    """Run one build in this (forked) process, then exit without Python's teardown.

    Every way out is one line naming the report (the build's own, or this one's), never a
    traceback: a stop signal before the build took over its signals is said here too.
    """
    from .cli import main

    code = 1
    try:
        with guards.signals_raise():
            build.CHECKED_FILES.update(checked)
            try:
                kernel_fork.WAITING = kernel_fork.WaitingKernel()  # before any thread starts
            except OSError:  # no fork now: the kernel starts as Jupyter starts it
                kernel_fork.WAITING = None
            code = main(job.argv, label=job.label)
    except guards.Interrupted as err:
        print(f"{job.label}: report not built: {err}; the previous report is unchanged",
              file=sys.stderr)  # fmt: skip
        code = 128 + err.signum
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def run(jobs: list[Job], workers: int, checked: dict[str, tuple[str, str]]) -> list[str]:
    """Run the builds, `workers` at a time, until all ended; the labels of those that failed.

    Call it with stop signals raising (`guards.signals_raise`): on `Interrupted`, every build
    started is stopped (each cleans up as a build does) before it propagates.
    """
    context = multiprocessing.get_context("forkserver")
    pending = list(jobs)
    running: dict[multiprocessing.process.BaseProcess, Job] = {}
    failed = []
    try:
        while pending or running:
            while pending and len(running) < workers:
                job = pending.pop(0)
                process = context.Process(target=_worker, args=(job, checked), name=job.label)
                # Held back until the worker is on the list: the forkserver forks it even if
                # this process is interrupted while it waits, and a stop must reach it.
                with guards.signals_held():
                    process.start()
                    running[process] = job
            multiprocessing.connection.wait([process.sentinel for process in running])
            for process in [p for p in running if p.exitcode is not None]:
                job = running.pop(process)
                if process.exitcode != 0:
                    failed.append(job.label)
                if process.exitcode < 0:  # killed: it could not say why itself
                    print(f"{job.label}: report not built: killed by {_signal_name(process)}",
                          file=sys.stderr)  # fmt: skip
    finally:
        _stop(running)
    return failed


def _signal_name(process: multiprocessing.process.BaseProcess) -> str:
    try:
        return signal.Signals(-process.exitcode).name
    except ValueError:
        return f"signal {-process.exitcode}"


def _stop(running: dict[multiprocessing.process.BaseProcess, Job]) -> None:
    """Stop builds still running (after a stop signal), each given time to clean up."""
    for process in running:
        process.terminate()
    deadline = time.monotonic() + STOP_WAIT_SECONDS
    for process, job in running.items():
        process.join(max(0.0, deadline - time.monotonic()))
        if process.exitcode is None:
            process.kill()
            process.join()
            print(
                f"{job.label}: its build did not stop within {STOP_WAIT_SECONDS:.0f} s and was"
                f" killed; its staging folder (.{job.label}.partial-*) may remain beside it",
                file=sys.stderr,
            )


def main(queue: Path, jobs: int = 0) -> int:
    """Run the queue; 0 when every build succeeded, else 1 (each failure said in its line).

    The queue folder is removed when the sweep ends, however it ends.
    """
    if not queue.is_dir():
        raise build.BuildError(f"{paths.display(queue)}: no such folder of queued builds")
    with guards.signals_raise():
        try:
            return _sweep(read_queue(queue), jobs)
        finally:
            shutil.rmtree(queue, ignore_errors=True)


def _sweep(queued: list[Job], jobs: int) -> int:
    if not queued:
        print("sweep: nothing to build, every report is up to date")
        return 0
    workers = min(jobs if jobs > 0 else len(os.sched_getaffinity(0)) + 1, len(queued))
    start = time.perf_counter()
    multiprocessing.get_context("forkserver").set_forkserver_preload(PRELOAD)
    # It imports while the files are checked. Started with SIGINT ignored (it keeps that), so
    # that a Ctrl-C during its imports prints no traceback; this process's own Ctrl-C handling
    # is back a moment later, and each build sets its own.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)
    try:
        failed = run(queued, workers, check_once(data_files(queued)))
    finally:
        # multiprocessing's own folder (the forkserver's socket), which its exit handler would
        # remove; the tool ends without running exit handlers (see cli.run).
        shutil.rmtree(multiprocessing.util.get_temp_dir(), ignore_errors=True)
    took = time.perf_counter() - start
    built = len(queued) - len(failed)
    print(f"sweep: {built} of {len(queued)} reports built in {took:.1f} s, {workers} at a time")
    if failed:
        print(f"sweep failed: not built: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0
