"""Build one report: check the parameters, run the notebook, write HTML, PDF and the CSVs.

The standard path, in one thread: papermill's `execute_notebook` runs the notebook (the
notebook's own loader validates the figures, once), nbconvert renders the HTML and WeasyPrint
the PDF. Every output is written in a staging folder and the previous report is replaced only
by a complete new set (see `guards`), so a failed or interrupted build leaves it untouched.
The command line is `casualty-report build` (see `cli`).
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from casualty_report import paths
from casualty_report.build import guards
from casualty_report.build.parameters import ParameterError, declared, edited_defaults, resolve
from casualty_report.ledger.files import unreadable

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
# Names the project itself writes in reports/: a report may not take them.
RESERVED_NAMES = frozenset({"index"})
KERNEL_LOG_LEVEL = "--IPKernelApp.log_level=ERROR"  # the kernel's own chatter is not the user's
# The kernel imports the notebook's two heavy libraries as it boots, before it says it is ready
# (IPython's own exec_lines; see `kernel_preload`), while this process loads WeasyPrint and the
# HTML exporter: the two overlap instead of taking turns. The notebook imports what it needs
# itself, as ever. (It replaces any exec_lines of the user's IPython profile, for the build.)
KERNEL_PRELOAD = (
    "--IPKernelApp.exec_lines="
    "from casualty_report.build.kernel_preload import preload; preload(); del preload"
)
# Tests only: "STEP:FILE" makes the build write its pid to FILE when STEP is done and wait there
# until FILE is removed or a signal ends it, so that whatever the test does lands at a named
# step, never after a guessed delay.
PAUSE_AT = "CASUALTY_REPORT_PAUSE_AT"
# Errors the project's own checks raise in the notebook: their message is the whole reason.
OWN_ERRORS = ("FiguresError", "ParameterError", "PackageError")


class BuildError(RuntimeError):
    """A build that stopped; the message is the one-line reason shown to the user."""


class Progress:
    """Prints each step as it finishes, with its time, to stderr (silent when `quiet`)."""

    def __init__(self, quiet: bool = False, write: Callable[[str], object] | None = None) -> None:
        self.quiet = quiet
        self.write = write or (lambda line: print(line, file=sys.stderr, flush=True))
        self.start = self.last = time.perf_counter()
        self.steps: dict[str, float] = {}

    def warn(self, line: str) -> None:
        """A line the user must see, even with --quiet."""
        self.write(line)

    def done(self, step: str) -> None:
        """Record that `step` finished now; it took the time since the last step."""
        now = time.perf_counter()
        self.steps[step] = now - self.last
        self.last = now
        if not self.quiet:
            self.write(f"  {step:<16} {self.steps[step]:5.2f} s  (at {now - self.start:5.2f} s)")
        _pause_if_asked(step)


def _pause_if_asked(step: str) -> None:
    asked = os.environ.get(PAUSE_AT, "")
    if asked.partition(":")[0] == step:
        flag = Path(asked.partition(":")[2])
        flag.write_text(str(os.getpid()), encoding="ascii")
        while flag.exists():  # until the test removes it, or a signal ends the build
            time.sleep(0.05)


def check_name(name: str) -> None:
    """A report name must be a plain file stem, so that no output lands outside its folder."""
    if not NAME_PATTERN.fullmatch(name):
        raise BuildError(
            f"report name {name!r}: expected letters, digits, '-', '_' or '.' (not first),"
            " at most 200 characters"
        )
    if name.lower() in RESERVED_NAMES:
        raise BuildError(f"report name {name!r}: the project writes reports/{name}.html itself")


def output_paths(out_dir: Path, name: str) -> dict[str, Path]:
    """Where each output of a report called `name` lands."""
    return {suffix: out_dir / f"{name}{suffix}" for suffix in OUTPUT_SUFFIXES}


def prepare(name: str, overrides: list[dict], notebook: Path) -> dict:
    """Every check that needs only the parameters, done before any kernel starts."""
    from casualty_report.model.assumptions import Assumptions, check_stale_parameters

    check_name(name)
    try:
        params = resolve(declared(notebook), *overrides)
    except ParameterError as err:
        raise BuildError(str(err)) from err
    if any("results_path" in override for override in overrides):
        raise BuildError("parameter results_path is set by the build: <name>.results.csv")
    data = paths.resolve(params["data_path"])
    problem = unreadable(data)  # the loader's own words, before any kernel starts
    if problem:
        raise BuildError(f"figures file {data}: {problem}")
    params["data_path"] = str(data)
    try:  # every bound the model checks, checked here before any kernel starts
        Assumptions.from_namespace(params)
        check_stale_parameters(params["stale_after_days"], params["stale_treatment"])
    except ValueError as err:
        raise BuildError(f"invalid parameters: {err}") from err
    return params


def quiet_kernel_manager() -> type:
    """Jupyter's kernel manager, with the kernel's own stderr discarded: a kernel stopped by an
    interrupt prints tracebacks there, which are not the user's (the build says in one line why
    it stopped; a failing cell's error is in the notebook). CASUALTY_REPORT_DEBUG=1 keeps it."""
    from jupyter_client.manager import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
            if not os.environ.get("CASUALTY_REPORT_DEBUG"):
                kw.setdefault("stderr", subprocess.DEVNULL)
            await super()._async_launch_kernel(kernel_cmd, **kw)
            # While the kernel boots in its own process (0.9 s, with KERNEL_PRELOAD), this one
            # loads what it needs once the cells are done: WeasyPrint (0.4 s) and the HTML
            # exporter (0.1 s). One that cannot be loaded is said where it is used: raised
            # here, it would leave the kernel booting.
            with contextlib.suppress(Exception):
                import weasyprint  # noqa: F401

                import casualty_report.build.exporters  # noqa: F401

    return QuietKernelManager


def execute(notebook: Path, executed: Path, params: dict, progress: Progress) -> object:
    """Run the notebook with papermill; a failing cell becomes a one-line BuildError."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    progress.done("imports")
    try:
        return papermill.execute_notebook(
            str(notebook),
            str(executed),
            parameters=params,
            cwd=str(paths.NOTEBOOKS_DIR),
            progress_bar=False,
            request_save_on_cell_execute=False,
            extra_arguments=[KERNEL_LOG_LEVEL, KERNEL_PRELOAD],
            kernel_manager_class=quiet_kernel_manager(),
            # Stopped at once, not asked to: at the end of the cells (nothing of ours runs at
            # a kernel's exit), and when a stop signal reaches nbclient's handler mid-cell (a
            # graceful shutdown of a busy kernel, asked twice by make and the terminal, hung).
            shutdown_kernel="immediate",
            on_notebook_start=lambda **_: progress.done("kernel start"),
        )
    except PapermillExecutionError as err:
        reason = str(err.evalue).strip()
        if err.ename == "FiguresError":
            raise BuildError(f"invalid figures file:\n{reason}") from err
        if err.ename in OWN_ERRORS:
            raise BuildError(reason) from err
        reason = " | ".join(reason.splitlines())
        raise BuildError(f"notebook cell [{err.exec_count}] raised {err.ename}: {reason}") from err


def move_stderr(nb, say: Callable[[str], object]) -> int:
    """Take what the cells wrote to stderr (Python warnings, a library's chatter) out of the
    notebook, so that no report shows it, and say it on the build's stderr, a line per output
    naming its cell. Returns how many outputs were moved."""
    moved = 0
    for cell in nb.cells:
        if "outputs" not in cell:  # a markdown cell
            continue
        kept = []
        for output in cell.outputs:
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                lines = [line.strip() for line in output.get("text", "").splitlines()]
                text = " | ".join(line for line in lines if line)
                say(f"warning: notebook cell [{cell.get('execution_count')}] wrote: {text}")
                moved += 1
            else:
                kept.append(output)
        cell.outputs = kept
    return moved


def record_final_paths(nb, executed: Path, final: dict[str, Path]) -> None:
    """The executed notebook names where its files end up, not the staging folder."""
    import nbformat

    nb.metadata.papermill["output_path"] = str(final[".ipynb"])
    nb.metadata.papermill["parameters"]["results_path"] = str(final[".results.csv"])
    nbformat.write(nb, str(executed))


def render(nb: object, html_path: Path, pdf_path: Path, progress: Progress) -> None:
    """Write the report as HTML and, from the same HTML, as PDF."""
    from casualty_report.build.exporters import ReportHTMLExporter, html_to_pdf

    html, _ = ReportHTMLExporter().from_notebook_node(nb)
    html_path.write_text(html, encoding="utf-8")
    progress.done("HTML")
    pdf_path.write_bytes(html_to_pdf(html))
    progress.done("PDF")


def build_report(
    name: str,
    out_dir: Path,
    overrides: list[dict],
    notebook: Path = paths.REPORT_NOTEBOOK,
    stamp: tuple[Path, str] | None = None,
    progress: Progress | None = None,
) -> dict[str, Path]:
    """Build one report; returns the final paths of its outputs.

    `stamp`, if given, is a file and its text, written with the outputs (the Makefile's record
    of the request the outputs on disk were built with).
    """
    progress = progress or Progress(quiet=True)
    with guards.signals_raise():
        return _build(name, out_dir, overrides, notebook, stamp, progress)


def _build(name, out_dir, overrides, notebook, stamp, progress) -> dict[str, Path]:
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
            guards.report_lock(out_dir, name),
            guards.staging_dir(out_dir, name, progress.warn) as staging,
            guards.private_runtime_dir(staging),
        ):
            staged, final = output_paths(staging, name), output_paths(out_dir, name)
            pairs = [(staged[suffix], final[suffix]) for suffix in OUTPUT_SUFFIXES]
            if stamp is not None:  # first, so that it is older than every output
                (staging / "stamp").write_text(stamp[1], encoding="utf-8")
                pairs.insert(0, (staging / "stamp", stamp[0]))
            params["results_path"] = str(staged[".results.csv"])
            with guards.signals_raise():  # ours again once nbclient removes its own handlers
                nb = execute(notebook, staged[".ipynb"], params, progress)
            progress.done("cells")
            move_stderr(nb, progress.warn)  # warnings go to the build's stderr, never a report
            record_final_paths(nb, staged[".ipynb"], final)
            render(nb, staged[".html"], staged[".pdf"], progress)
            missing = [s for s in OUTPUT_SUFFIXES if not staged[s].is_file()]
            if missing:  # a whole set or nothing: never half a report
                raise BuildError(f"the notebook did not write {', '.join(missing)}")
            guards.replace_all(pairs)
    except OSError as err:
        where = f" {err.filename}" if err.filename else ""
        raise BuildError(f"cannot write{where}: {err.strerror or err}") from err
    return final
