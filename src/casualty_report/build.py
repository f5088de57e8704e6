"""Build the report: check parameters and data, execute the notebook, write HTML, PDF and CSV.

Everything runs in one process (papermill, nbconvert and WeasyPrint imported once) but the
kernel and the figures' check. The kernel starts at once, from a worker thread, while a child
process validates the figures; a bad file stops the kernel and the build. Every output is
written in a staging folder and the previous report is replaced only by a complete new set (see
`guards`), so a failed or interrupted build leaves it untouched. The command line is
`casualty-report build` (see `cli`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

from . import guards, paths
from .parameters import ParameterError, declared, edited_defaults, resolve

# The build imports in two threads at once (the notebook thread: jupyter_client, papermill; the
# main thread: nbconvert, WeasyPrint), and they share modules (nbclient, jupyter_client,
# traitlets). Two threads importing one package can deadlock on its module locks (seen: an
# interrupted build hung for an hour), so imports take turns; the kernel still boots meanwhile.
IMPORTS = threading.Lock()

# One place for what a build writes, reports/<name><suffix>; the Makefile asks for this list
# (`casualty-report outputs`), so the two cannot disagree.
OUTPUT_SUFFIXES = (
    ".ipynb",
    ".results.csv",
    ".inputs.csv",
    ".retrospective.csv",
    ".html",
    ".pdf",
)
# A report name is a file stem: no folder, no leading dot or dash, nothing a shell would read.
NAME_PATTERN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,199}")  # 200: file names hold 255
KERNEL_LOG_LEVEL = "--IPKernelApp.log_level=ERROR"  # the kernel's own chatter is not the user's


class BuildError(RuntimeError):
    """A build that stopped; the message is the one-line reason shown to the user."""


class Progress:
    """Prints each step as it finishes, with its time, to stderr (silent when `quiet`)."""

    def __init__(self, quiet: bool = False, write: Callable[[str], object] | None = None) -> None:
        import sys

        self.quiet = quiet
        self.write = write or (lambda line: print(line, file=sys.stderr, flush=True))
        self.start = self.last = time.perf_counter()
        self.steps: dict[str, float] = {}

    def warn(self, line: str) -> None:
        """A line the user must see, even with --quiet."""
        self.write(line)

    def done(self, step: str, since: float | None = None) -> None:
        """Record that `step` finished now; it took the time since `since` or the last step."""
        now = time.perf_counter()
        took = now - (self.last if since is None else since)
        self.steps[step] = took
        self.last = now
        if not self.quiet:
            self.write(f"  {step:<16} {took:5.2f} s  (at {now - self.start:5.2f} s)")


def check_name(name: str) -> None:
    """A report name must be a plain file stem, so that no output lands outside its folder."""
    if not NAME_PATTERN.fullmatch(name):
        raise BuildError(
            f"report name {name!r}: expected letters, digits, '-', '_' or '.' (not first),"
            " at most 200 characters"
        )


def output_paths(out_dir: Path, name: str) -> dict[str, Path]:
    """Where each output of a report called `name` lands."""
    return {suffix: out_dir / f"{name}{suffix}" for suffix in OUTPUT_SUFFIXES}


def check_assumptions(params: dict) -> None:
    """Validate the assumptions (cheap: no pandas) before anything else starts."""
    from .assumptions import Assumptions

    try:
        Assumptions.from_namespace(params)
    except ValueError as err:
        raise BuildError(f"invalid parameters: {err}") from err


# Figures files that passed the check earlier in this process's sweep: path -> (first reporting
# date, SHA-256 of the bytes checked). `casualty-report sweep` checks each file once, before its
# builds start, and hands them this (see sweep.py); a file whose bytes changed since is checked
# again.
CHECKED_FILES: dict[str, tuple[str, str]] = {}


def figures_verdict(data_path: str) -> tuple[str, str]:
    """Validate the figures file with the notebook's loader, in a child process: the first
    reporting date and the SHA-256 of the bytes checked, or BuildError with every problem."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "casualty_report.figures", "--for-build", data_path]
    env = {k: v for k, v in os.environ.items() if k != paths.CHECKED_BY_BUILD}  # it is the check
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", env=env)
    if done.returncode != 0:
        reason = done.stderr.strip() or f"the check stopped with exit code {done.returncode}"
        raise BuildError(f"invalid figures file:\n{reason}")
    first, digest = done.stdout.split()
    return first, digest


def _already_checked(data_path: str) -> tuple[str, str] | None:
    """The sweep's verdict on this file, if its bytes are still the ones checked."""
    known = CHECKED_FILES.get(data_path)
    if known is None:
        return None
    try:
        current = hashlib.sha256(Path(data_path).read_bytes()).hexdigest()
    except OSError:  # gone or unreadable now: the full check says why
        return None
    return known if current == known[1] else None


def check_figures(data_path: str, as_of: str, verdict: Path) -> None:
    """Validate the figures file; refuse an as_of before every figure.

    In a sweep, a file whose bytes passed the sweep's own check is not checked again (see
    CHECKED_FILES). Otherwise the check runs in a child process (`python -m
    casualty_report.figures`), on the other core while the kernel boots. In this process it
    held the interpreter lock for a second at a time on a long ledger (the CSV reader, the
    regular expressions), so the thread talking to the kernel stalled: on 100,000 rows the
    kernel's start took 3-4 s instead of 1 s, measured. Once it passed, `verdict` gets the
    SHA-256 of the bytes checked, and the kernel's loader does not check those bytes again
    (see `figures.checked_by_build`).
    """
    first, digest = _already_checked(data_path) or figures_verdict(data_path)
    if first > as_of:
        raise BuildError(
            f"parameter as_of={as_of!r}: before every figure in {paths.display(Path(data_path))}"
            f" (the first was reported on {first}); expected {first} or later"
        )
    written = verdict.with_name(verdict.name + ".part")
    written.write_text(digest, encoding="ascii")
    written.replace(verdict)  # whole or absent: the kernel never reads half of it


def load_renderers(run: NotebookRun) -> None:
    """Import nbconvert's exporter and WeasyPrint and warm the exporter (about two seconds),
    while the kernel works on the other core. The warm-up loads modules too, so it waits until
    the notebook thread has done its imports and holds the import lock (see IMPORTS)."""
    with IMPORTS:
        import weasyprint  # noqa: F401

        from . import exporters
    run.imported.wait()
    if run.finished.is_set():  # the notebook failed or ended already: no time to overlap
        return
    with IMPORTS:
        exporters.warm_up()


class NotebookRun:
    """Papermill running the notebook in a worker thread, on a kernel this object can stop."""

    def __init__(
        self, notebook: Path, executed: Path, params: dict, progress: Progress, runtime: Path
    ) -> None:
        self.args = (notebook, executed, params)
        self.connection_file = runtime / "kernel.json"  # holds the kernel's key: kept private
        self.verdict = runtime / "figures-checked"  # written by check_figures once it passed
        self.progress = progress
        self.km = None
        self.nb = None
        self.kernel_ready: float | None = None
        self.cancelled = False
        self.error: BaseException | None = None
        self.finished = threading.Event()
        self.imported = threading.Event()  # set once this thread's imports are done
        # A daemon thread: an interrupted build exits without waiting for it.
        self.thread = threading.Thread(target=self._run, name="notebook", daemon=True)

    def start(self) -> NotebookRun:
        self.thread.start()
        return self

    def _run(self) -> None:
        try:
            with IMPORTS:
                from jupyter_client.manager import AsyncKernelManager
                from jupyter_core.utils import run_sync

                from . import kernel_fork

            notebook, executed, params = self.args
            started = time.perf_counter()
            # The kernel first (its process boots on the other core), then papermill's import.
            self.km = AsyncKernelManager(
                kernel_name=_kernel_name(notebook), connection_file=str(self.connection_file)
            )
            self.km.provisioner = kernel_fork.provisioner(self.km)  # None: Jupyter's own
            if self.cancelled:
                return
            run_sync(self.km.start_kernel)(
                cwd=str(paths.NOTEBOOKS_DIR),
                extra_arguments=[KERNEL_LOG_LEVEL],
                env={**os.environ, paths.CHECKED_BY_BUILD: str(self.verdict)},
            )
            with IMPORTS:
                import papermill
            self.imported.set()

            if self.cancelled:
                return
            self.nb = papermill.execute_notebook(
                str(notebook),
                str(executed),
                parameters=params,
                cwd=str(paths.NOTEBOOKS_DIR),
                progress_bar=False,
                request_save_on_cell_execute=False,
                km=self.km,
                on_notebook_start=lambda **_: self._kernel_started(started),
            )
        except BaseException as err:  # handed to the main thread by wait()
            self.error = err
        finally:
            self._kill()
            self.imported.set()  # also when it failed first: nobody waits for it in vain
            self.finished.set()

    def _kernel_started(self, started: float) -> None:
        self.kernel_ready = time.perf_counter()
        self.progress.done("kernel start", started)
        if self.cancelled:
            raise BuildError("build stopped")

    def wait(self) -> object:
        """The executed notebook, once every cell ran; a failing cell becomes a BuildError."""
        while not self.finished.wait(0.1):  # a short wait: signals reach the main thread
            pass
        if self.error is not None:
            from papermill.exceptions import PapermillExecutionError

            err = self.error
            if isinstance(err, PapermillExecutionError):
                reason = " | ".join(str(err.evalue).strip().splitlines())
                raise BuildError(
                    f"notebook cell [{err.exec_count}] raised {err.ename}: {reason}"
                ) from err
            raise err
        return self.nb

    def stop(self, join: float = 0) -> None:
        """Kill the kernel now if it runs (outputs are complete, or no longer wanted).

        With `join`, also wait up to that many seconds for the worker thread to end, so that no
        kernel starts after the build gave up.
        """
        self.cancelled = True
        # papermill would log "Kernel died while waiting for execute reply" for the kernel
        # killed on purpose; the user gets the one line saying why the build stopped.
        logging.getLogger("papermill").disabled = True
        self._kill()
        if join and threading.current_thread() is not self.thread:
            self.thread.join(join)
            self._kill()

    def _kill(self) -> None:
        provisioner = getattr(self.km, "provisioner", None)
        process = getattr(provisioner, "process", None)
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()


def _kernel_name(notebook: Path) -> str:
    import json

    return json.loads(notebook.read_text(encoding="utf-8"))["metadata"]["kernelspec"]["name"]


def render(nb: object, html_path: Path, pdf_path: Path, progress: Progress) -> None:
    """Write the report as HTML and, from the same HTML, as PDF."""
    from .exporters import ReportHTMLExporter, html_to_pdf

    html, _ = ReportHTMLExporter().from_notebook_node(nb)
    html_path.write_text(html, encoding="utf-8")
    progress.done("HTML")
    pdf_path.write_bytes(html_to_pdf(html))
    progress.done("PDF")


def prepare(name: str, overrides: list[dict], notebook: Path) -> dict:
    """Every check that needs only the parameters, done before any kernel starts."""
    check_name(name)
    try:
        params = resolve(declared(notebook), *overrides)
    except ParameterError as err:
        raise BuildError(str(err)) from err
    if any("results_path" in override for override in overrides):
        raise BuildError("parameter results_path is set by the build: <name>.results.csv")
    params["data_path"] = str(paths.resolve(params["data_path"]))
    check_assumptions(params)
    return params


def build(
    name: str,
    out_dir: Path,
    overrides: list[dict],
    notebook: Path = paths.REPORT_NOTEBOOK,
    stamp: tuple[Path, str] | None = None,
    progress: Progress | None = None,
) -> dict[str, Path]:
    """Build one report; returns the final paths of its outputs.

    `stamp`, if given, is a file and its text, written with the outputs (the Makefile's record
    of the parameters the outputs on disk were built with).
    """
    progress = progress or Progress(quiet=True)
    params = prepare(name, overrides, notebook)
    edited = edited_defaults(notebook)
    if edited:  # e.g. as_of changed in JupyterLab: never build from it silently
        changes = ", ".join(f"{k}: {old!r} -> {new!r}" for k, (old, new) in edited.items())
        progress.warn(
            f"warning: {paths.display(notebook)} has uncommitted default(s) ({changes});"
            " building with them. To build other values, pass them to make (AS_OF=, P=)"
            " and restore the notebook: git checkout -- notebooks/"
        )
    progress.done("parameters")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with (
            guards.signals_raise(),
            guards.report_lock(out_dir, name),
            guards.private_runtime_dir() as runtime,
            guards.staging_dir(out_dir, name) as staging,
        ):
            staged, final = output_paths(staging, name), output_paths(out_dir, name)
            pairs = [(staged[suffix], final[suffix]) for suffix in OUTPUT_SUFFIXES]
            if stamp is not None:  # first, so that it is older than every output
                (staging / "stamp").write_text(stamp[1], encoding="utf-8")
                pairs.insert(0, (staging / "stamp", stamp[0]))
            params["results_path"] = str(staged[".results.csv"])
            run = NotebookRun(notebook, staged[".ipynb"], params, progress, runtime).start()
            try:
                check_figures(params["data_path"], params["as_of"], run.verdict)
                progress.done("validate figures", progress.start)
                load_renderers(run)
                nb = run.wait()
                progress.done("cells", run.kernel_ready)
            finally:
                run.stop(join=5)
            render(nb, staged[".html"], staged[".pdf"], progress)
            missing = [s for s in OUTPUT_SUFFIXES if not staged[s].is_file()]
            if missing:  # a whole set or nothing: never half a report
                raise BuildError(f"the notebook did not write {', '.join(missing)}")
            guards.replace_all(pairs)
    except OSError as err:
        where = f" {err.filename}" if err.filename else ""
        raise BuildError(f"cannot write{where}: {err.strerror or err}") from err
    return final


if __name__ == "__main__":  # the older `python -m casualty_report.build ARGS`
    import sys

    from .cli import main

    sys.exit(main(["build", *sys.argv[1:]]))
