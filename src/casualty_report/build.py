"""Build the report: check parameters and data, execute the notebook, write HTML, PDF and CSV.

Everything runs in one process (papermill, nbconvert and WeasyPrint imported once), and every
output is written under a temporary name and moved into place only when all of them succeeded,
so a failed build leaves the previous report untouched.

    python -m casualty_report.build --name casualty-report [--data F] [--params-file Y] [-p k=v]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import paths
from .parameters import ParameterError, declared, parse_assignments, read_file, resolve

OUTPUT_SUFFIXES = (".ipynb", ".results.csv", ".html", ".pdf")


class BuildError(RuntimeError):
    """A build that stopped; the message is the one-line reason shown to the user."""


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


def check_figures(data_path: str) -> None:
    """Validate the figures file with the same loader the notebook uses."""
    from .figures import FiguresError, load_figures

    try:
        load_figures(data_path)
    except FiguresError as err:
        raise BuildError(f"invalid figures file:\n{err}") from err


def load_renderers() -> None:
    """Import nbconvert's exporter and WeasyPrint (about a second), to overlap kernel work."""
    import weasyprint  # noqa: F401

    from . import exporters  # noqa: F401


def execute(notebook: Path, executed: Path, params: dict) -> object:
    """Run the notebook with papermill; a failing cell becomes a one-line BuildError."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        return papermill.execute_notebook(
            str(notebook),
            str(executed),
            parameters=params,
            cwd=str(paths.NOTEBOOKS_DIR),
            progress_bar=False,
            request_save_on_cell_execute=False,
            # Outputs are complete once the last cell ran; a graceful shutdown sometimes waits
            # 2.5 s for ipykernel to exit ("Kernel is taking too long to finish").
            shutdown_kernel="immediate",
            # The kernel's own log (e.g. ipykernel's warning that it listens on TCP, here on
            # localhost) is not the user's business; errors in cells still reach the notebook.
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    except PapermillExecutionError as err:
        reason = str(err.evalue).strip().splitlines()
        raise BuildError(
            f"notebook cell [{err.exec_count}] raised {err.ename}: {' | '.join(reason)}"
        ) from err


def render(nb: object, html_path: Path, pdf_path: Path) -> None:
    """Write the report as HTML and, from the same HTML, as PDF."""
    from .exporters import ReportHTMLExporter, html_to_pdf

    html, _ = ReportHTMLExporter().from_notebook_node(nb)
    html_path.write_text(html, encoding="utf-8")
    pdf_path.write_bytes(html_to_pdf(html))


def build(
    name: str,
    out_dir: Path,
    overrides: list[dict],
    notebook: Path = paths.REPORT_NOTEBOOK,
) -> dict[str, Path]:
    """Build one report; returns the final paths of its outputs."""
    try:
        params = resolve(declared(notebook), *overrides)
    except ParameterError as err:
        raise BuildError(str(err)) from err
    if any("results_path" in override for override in overrides):
        raise BuildError(
            "parameter results_path is set by the build: the results are written to"
            f" {out_dir / name}.results.csv"
        )
    params["data_path"] = str(paths.resolve(params["data_path"]))
    check_assumptions(params)
    check_figures(params["data_path"])  # before any kernel starts: bad data fails fast

    out_dir.mkdir(parents=True, exist_ok=True)
    final = output_paths(out_dir, name)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.partial-", dir=out_dir))
    # nbconvert's exporter and WeasyPrint load while the kernel, in its own process, runs.
    with ThreadPoolExecutor(max_workers=1) as pool:
        renderers_loaded = pool.submit(load_renderers)
        try:
            staged = output_paths(staging, name)
            params["results_path"] = str(staged[".results.csv"])
            nb = execute(notebook, staged[".ipynb"], params)
            renderers_loaded.result()
            render(nb, staged[".html"], staged[".pdf"])
            for suffix in OUTPUT_SUFFIXES:
                os.replace(staged[suffix], final[suffix])
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return final


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", default="casualty-report", help="report name (file stem)")
    parser.add_argument("--out-dir", type=Path, default=paths.REPORTS_DIR)
    parser.add_argument("--data", help="figures CSV (default: the notebook's data_path)")
    parser.add_argument("--params-file", type=Path, help="YAML file of parameters (papermill -f)")
    parser.add_argument(
        "-p",
        dest="assignments",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="one parameter, value taken raw and typed by the notebook's declaration",
    )
    args = parser.parse_args(argv)
    try:
        overrides = []
        if args.params_file:
            overrides.append(read_file(args.params_file))
        if args.data:
            overrides.append({"data_path": str(Path(args.data).resolve())})
        overrides.append(parse_assignments(args.assignments))
        final = build(args.name, args.out_dir, overrides)
    except (BuildError, ParameterError) as err:
        print(f"report not built: {err}", file=sys.stderr)
        return 1
    print("report built: " + ", ".join(os.path.relpath(p) for p in final.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
