"""Time `check-data` and the report on a generated 100,000-row ledger against the project's.

Writes a valid ledger of ROWS rows (seeded, in a temporary folder), runs
`python -m casualty_report.cli.check_data PATH` on it and on data/reported_figures.csv RUNS
times each,
and prints the medians, their ratio (goal: at most 3) and the peak memory of each check
(resource.getrusage of the child processes). Then builds the whole report (`casualty-report
build`) on each file REPORT_RUNS times, interleaved, and prints the medians, their ratio (goal:
at most 2) and the peak memory of the largest process of each build (the build or its kernel).

    .venv/bin/python benchmarks/bench_ledger.py [--rows 100000] [--runs 5] [--report-runs 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from casualty_report import paths

GOAL = 3.0
REPORT_GOAL = 2.0
# Runs a command and prints the peak resident memory (KiB) of its largest process, its own or a
# descendant's (a kernel is waited for by its build, so it counts).
PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True,"
    " stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
    " print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)
PARTIES = ["ARM", "AZE", "NKR", "BOTH", "TUR", "RUS"]
METRICS = [
    "military_killed",
    "military_and_civilian_killed",
    "military_missing",
    "unidentified_bodies",
    "civilians_killed",
    "military_wounded",
]
KILLED = {"military_killed", "military_and_civilian_killed"}
BASES = ["not_stated", "bodies_examined", "death_certificates", "list_of_dead", "identified"]
KINDS = ["official", "wire", "state_media", "news", "aggregator"]
QUALIFIERS = ["exact", "at_least", "more_than", "about", "up_to"]
WORDS = {"exact": "", "at_least": "at least ", "more_than": "more than ", "about": "about "}
FIRST_DAY = date(2020, 11, 10)


def write_ledger(path: Path, rows: int, seed: int = 20201203) -> None:
    """A valid ledger of ``rows`` figures, every column filled, reproducible from ``seed``."""
    header = paths.DEFAULT_FIGURES.open(encoding="utf-8").readline().strip().split(",")
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        for number in range(rows):
            metric = rng.choice(METRICS)
            value = rng.randrange(0, 10_000)
            qualifier = rng.choice(QUALIFIERS)
            written = f"{WORDS.get(qualifier, 'up to ')}{value:,}"
            day = FIRST_DAY + timedelta(days=rng.randrange(0, 1800))
            writer.writerow(
                {
                    "figure_id": f"generated-{number:06d}",
                    "party": rng.choice(PARTIES),
                    "metric": metric,
                    "value": value,
                    "value_high": "",
                    "qualifier": qualifier,
                    "value_as_written": written,
                    "period_start": "2020-09-27",
                    "period_end": "2020-11-10",
                    "reported_on": day.isoformat(),
                    "reported_on_basis": "publication",
                    "reported_by": f"Generated source {number}",
                    "source_title": f"Generated report number {number}, for the benchmark",
                    "source_url": f"https://example.org/reports/{number}",
                    "source_published_on": day.isoformat(),
                    "quote": f"The ministry said that {written} people were counted, it reported.",
                    "note": "Generated for the benchmark; not a real report.",
                    "basis": rng.choice(BASES),
                    "count_status": rng.choice(["open", "final"]) if metric in KILLED else "",
                    "source_kind": rng.choice(KINDS),
                    "quote_language": "en",
                    "quote_en": "",
                }
            )


def check_data(path: Path) -> tuple[float, float]:
    """Wall and CPU seconds of `python -m casualty_report.cli.check_data PATH`, which must succeed.

    CPU time (user + system, of the child) is printed beside wall time: on a shared machine it
    moves less with the other processes' load."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "casualty_report.cli.check_data", str(path)],
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"check-data failed on {path}:\n{done.stderr[:2000]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu


def peak_mib() -> float:
    """Peak resident memory of the largest child process waited for so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def build_report(data: Path, out: Path) -> tuple[float, float]:
    """Wall seconds and peak MiB of `casualty-report build` on ``data``, defaults otherwise."""
    cli = str(Path(sys.executable).parent / "casualty-report")
    command = [cli, "build", "--quiet", "--out-dir", str(out), "--name", "bench", "--data"]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PEAK, *command, str(data)],
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"the report failed on {data}:\n{done.stderr[-2000:]}")
    return seconds, int(done.stdout) / 1024


def bench_reports(ledger: Path, out: Path, runs: int) -> None:
    """Median build time and peak memory, project ledger against generated, interleaved."""
    small, big = [], []
    for _ in range(runs):
        small.append(build_report(paths.DEFAULT_FIGURES, out))
        big.append(build_report(ledger, out))
    wall = [statistics.median(run[0] for run in runs) for runs in (small, big)]
    peak = [max(run[1] for run in runs) for runs in (small, big)]
    print(
        f"report, {paths.display(paths.DEFAULT_FIGURES)}: median {wall[0]:.2f} s of {runs};"
        f" peak {peak[0]:.0f} MiB"
    )
    print(f"report, generated ledger: median {wall[1]:.2f} s of {runs}; peak {peak[1]:.0f} MiB")
    ratio = wall[1] / wall[0]
    verdict = "met" if ratio <= REPORT_GOAL else "NOT met"
    print(f"report, generated / project's ledger: {ratio:.2f} (goal <= {REPORT_GOAL:g}: {verdict})")


def main() -> None:
    """Generate the ledger; time both checks, then both reports; print medians, ratios, memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--report-runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ledger = Path(folder) / "generated_figures.csv"
        # The default war's package beside it: it declares the actors the rows use (not the
        # eventual counts it names: those rows are not among the generated ones).
        package = json.loads((paths.DEFAULT_FIGURES.parent / "datapackage.json").read_text())
        package["report"].pop("eventual_figures", None)
        (Path(folder) / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
        write_ledger(ledger, args.rows)
        size = ledger.stat().st_size / 2**20
        check_data(paths.DEFAULT_FIGURES)  # warm the file cache and bytecode once
        small = [check_data(paths.DEFAULT_FIGURES) for _ in range(args.runs)]
        small_peak = peak_mib()  # the children so far ran on the small file only
        big = [check_data(ledger) for _ in range(args.runs)]
        big_peak = peak_mib()
        wall = [statistics.median(run[0] for run in runs) for runs in (small, big)]
        cpu = [statistics.median(run[1] for run in runs) for runs in (small, big)]
        print(
            f"check-data, {paths.display(paths.DEFAULT_FIGURES)}: median {wall[0]:.2f} s wall, "
            f"{cpu[0]:.2f} s CPU, of {args.runs}; peak {small_peak:.0f} MiB"
        )
        print(
            f"check-data, generated {args.rows:,} rows ({size:.1f} MiB): median {wall[1]:.2f} s "
            f"wall, {cpu[1]:.2f} s CPU, of {args.runs}; peak {big_peak:.0f} MiB"
        )
        ratio = wall[1] / wall[0]
        verdict = "met" if ratio <= GOAL else "NOT met"
        print(
            f"ledger {args.rows:,} rows / the project's: wall ratio {ratio:.2f} (goal <= {GOAL:g}:"
            f" {verdict}), CPU ratio {cpu[1] / cpu[0]:.2f}",
            flush=True,
        )
        if args.report_runs:
            bench_reports(ledger, Path(folder), args.report_runs)


if __name__ == "__main__":
    main()
