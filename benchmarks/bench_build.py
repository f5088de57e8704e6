"""Time the full report build against the toolchain floor, side by side, several runs each.

Floor: papermill executes a one-cell notebook, then the same exporters render it to HTML and
PDF, in one fresh Python process, through the build's own functions (renderers imported while
the kernel runs, as the build does). Full: `python -m
casualty_report.build` on the real data and default parameters. Each run is a fresh process, so
imports and kernel start-up count. The last line is the ratio full / floor (goal: <= 1.3).

    python benchmarks/bench_build.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

FLOOR_SCRIPT = """
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from casualty_report import build
src, out = Path(sys.argv[1]), Path(sys.argv[2])
with ThreadPoolExecutor(max_workers=1) as pool:  # as build.build: renderers load meanwhile
    loaded = pool.submit(build.load_renderers)
    nb = build.execute(src, out / "floor.ipynb", {})
    loaded.result()
build.render(nb, out / "floor.html", out / "floor.pdf")
"""


def one_cell_notebook(path: Path, kernel: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print('floor')")]
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": kernel, "language": "python"}
    nbformat.write(nb, path)


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from casualty_report import paths

    kernel = nbformat.read(paths.REPORT_NOTEBOOK, as_version=4).metadata["kernelspec"]["name"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        floor_nb = tmp_dir / "one_cell.ipynb"
        one_cell_notebook(floor_nb, kernel)
        floor_cmd = [sys.executable, "-c", FLOOR_SCRIPT, str(floor_nb), tmp]
        full_cmd = [
            sys.executable,
            "-m",
            "casualty_report.build",
            "--name",
            "bench",
            "--out-dir",
            tmp,
        ]
        floor, full = [], []
        for run in range(args.runs):  # interleaved, so drift on the machine hits both alike
            floor.append(timed(floor_cmd))
            full.append(timed(full_cmd))
            print(f"run {run + 1}: floor {floor[-1]:.2f} s, full build {full[-1]:.2f} s")
    floor_median, full_median = statistics.median(floor), statistics.median(full)
    print(f"median floor (papermill 1 cell + HTML + PDF): {floor_median:.2f} s")
    print(f"median full build: {full_median:.2f} s")
    print(f"ratio full/floor: {full_median / floor_median:.2f} (goal <= 1.30)")


if __name__ == "__main__":
    main()
