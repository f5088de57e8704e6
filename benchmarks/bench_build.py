"""Time the full build against the stock toolchain and the design card's floor, side by side.

- full: `casualty-report build` (what `make clean && make report` runs), real data, defaults;
- stock: what a user types with the stock tools on the same notebook: the papermill CLI, then
  `jupyter nbconvert --to html --no-input`, then the weasyprint CLI;
- floor: one process running papermill on a one-cell notebook that imports pandas and
  matplotlib.pyplot, then nbconvert HTML and WeasyPrint PDF.

Each run is a fresh process (imports and kernel start count), the three interleaved so drift on
the machine hits all alike; medians of --runs. Then the scenarios: the builds side by side with
make's own -j (as `make scenarios` runs them) against the same builds one after another. Prints
the full build's per-step breakdown; the last line gives the ratios (goals: full/stock <= 0.75,
scenarios in parallel / one after another <= 0.8).

    python benchmarks/bench_build.py [--runs 5] [--scenario-runs 3]
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from casualty_report import paths

BIN = Path(sys.executable).parent
FLOOR_SCRIPT = """
import sys
import papermill, weasyprint
from nbconvert import HTMLExporter
src, out = sys.argv[1], sys.argv[2]
nb = papermill.execute_notebook(src, out + "/floor.ipynb", progress_bar=False)
html, _ = HTMLExporter(exclude_input=True).from_notebook_node(nb)
weasyprint.HTML(string=html).write_pdf(out + "/floor.pdf")
"""
STEP = re.compile(r"^\s+(\S.*?)\s+(\d+\.\d+) s")


def one_cell_notebook(path: Path, kernel: str) -> None:
    """The floor's notebook: one cell importing what the design card names."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import pandas\nimport matplotlib.pyplot")]
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": kernel, "language": "python"}
    nbformat.write(nb, path)


def timed(*commands: list[str]) -> tuple[float, str]:
    """Wall time of the commands run one after another, and their stderr."""
    start = time.perf_counter()
    errors = ""
    for command in commands:
        done = subprocess.run(
            command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        errors += done.stderr.decode()
    return time.perf_counter() - start, errors


def steps(stderr: str) -> dict[str, float]:
    """The build's progress lines ('  cells   3.21 s  (at ...)') as step -> seconds."""
    return {m.group(1): float(m.group(2)) for m in map(STEP.match, stderr.splitlines()) if m}


def scenario_names() -> list[tuple[str, list[str]]]:
    """The default report and one per params/*.yaml, as (name, extra build arguments)."""
    files = sorted((paths.ROOT / "params").glob("*.yaml"))
    return [("casualty-report", [])] + [(f.stem, ["-f", str(f)]) for f in files]


def bench_scenarios(out: Path, runs: int) -> tuple[float, float]:
    """Medians of building every scenario with `make -j` (one job a core, as `make scenarios`)
    and of the same `casualty-report build` commands one after another."""
    cli = str(BIN / "casualty-report")
    builds = {
        name: [cli, "build", "--quiet", "--out-dir", str(out), "--name", name, *extra]
        for name, extra in scenario_names()
    }
    makefile = out / "Makefile"
    makefile.write_text(
        "all: "
        + " ".join(builds)
        + "\n"
        + "".join(f"{name}:\n\t{shlex.join(argv)}\n" for name, argv in builds.items())
        + ".PHONY: all "
        + " ".join(builds)
        + "\n",
        encoding="utf-8",
    )
    jobs = str(len(os.sched_getaffinity(0)))
    parallel, serial = [], []
    for run in range(runs):
        parallel.append(timed(["make", "-s", "-j", jobs, "-f", str(makefile)])[0])
        serial.append(timed(*builds.values())[0])
        print(f"scenarios run {run + 1}: parallel {parallel[-1]:.2f} s, serial {serial[-1]:.2f} s")
    return statistics.median(parallel), statistics.median(serial)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scenario-runs", type=int, default=3)
    args = parser.parse_args()

    kernel = nbformat.read(paths.REPORT_NOTEBOOK, as_version=4).metadata["kernelspec"]["name"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        floor_nb = tmp_dir / "one_cell.ipynb"
        one_cell_notebook(floor_nb, kernel)
        executed, html = tmp_dir / "stock.ipynb", tmp_dir / "stock.html"
        commands = {
            "full": [[str(BIN / "casualty-report"), "build", "--name", "bench", "--out-dir", tmp]],
            "stock": [
                [
                    str(BIN / "papermill"),
                    "--no-progress-bar",
                    str(paths.REPORT_NOTEBOOK),
                    str(executed),
                ],
                [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
                [str(BIN / "weasyprint"), str(html), str(tmp_dir / "stock.pdf")],
            ],
            "floor": [[sys.executable, "-c", FLOOR_SCRIPT, str(floor_nb), tmp]],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        breakdown: list[dict[str, float]] = []
        for run in range(args.runs):
            for name, command in commands.items():
                seconds, stderr = timed(*command)
                times[name].append(seconds)
                if name == "full":
                    breakdown.append(steps(stderr))
            print(f"run {run + 1}: " + ", ".join(f"{n} {t[-1]:.2f} s" for n, t in times.items()))
        parallel, serial = bench_scenarios(tmp_dir, args.scenario_runs)

    median = {name: statistics.median(values) for name, values in times.items()}
    print("full build, median per step:")
    for step in breakdown[0]:
        print(f"  {step:<16} {statistics.median(b.get(step, 0.0) for b in breakdown):5.2f} s")
    print(f"median full build: {median['full']:.2f} s")
    print(
        f"median stock (papermill CLI, nbconvert --to html --no-input, weasyprint CLI): "
        f"{median['stock']:.2f} s"
    )
    print(
        f"median floor (papermill, one cell importing pandas + pyplot, HTML, PDF): "
        f"{median['floor']:.2f} s"
    )
    print(
        f"scenarios ({len(scenario_names())} reports): parallel {parallel:.2f} s, one after"
        f" another {serial:.2f} s: ratio {parallel / serial:.2f} (goal <= 0.80)"
    )
    print(
        f"full/stock={median['full'] / median['stock']:.2f} (goal <= 0.75)"
        f" scenarios parallel/serial={parallel / serial:.2f} (goal <= 0.80)"
        f" full/floor={median['full'] / median['floor']:.2f}"
    )


if __name__ == "__main__":
    main()
