"""Time the backtest over every shipped war against one default build, and the memory of a
report on a ledger of 250 parties.

1. `casualty-report backtest` (a fresh process: imports, loading every shipped ledger, the
   nowcasts of every war, party, day and level) against `casualty-report build` of the default
   report, medians of --runs each. Goal (issue 19): the backtest takes at most one build's time.
2. A generated, seeded ledger of 250 parties (each an exact count of soldiers killed and "more
   than N" missing) built at the notebook's n_draws (200,000): whether it builds, and the peak
   resident memory of the build and its kernel (getrusage of the children, which includes the
   kernel the build waited for).

    python benchmarks/bench_backtest.py [--runs 3]
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
from pathlib import Path

from casualty_report.ledger.schema import country_codes

CLI = str(Path(sys.executable).parent / "casualty-report")
PARTIES = 250
AS_OF = "2026-01-10"


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def many_parties(folder: Path, seed: int = 250) -> Path:
    """A valid ledger of PARTIES parties (every ISO code, and declared actors to make up the
    rest, in a package beside it), each an exact count of soldiers killed and "more than N"
    missing, seeded."""
    rng = random.Random(seed)
    codes = sorted(country_codes())[:PARTIES]
    actors = [f"ACTOR{n}" for n in range(1, PARTIES - len(codes) + 1)]
    package = {"parties": [{"code": a, "label": a, "kind": "actor"} for a in actors]}
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    header = "figure_id party metric value value_high qualifier period_start period_end"
    header += " reported_on reported_by source_title source_url quote"
    path = folder / "figures.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header.split())
        for code in [*codes, *actors]:
            killed, missing = rng.randint(10, 5000), rng.randint(1, 300)
            for metric, value, qualifier in (
                ("military_killed", killed, "exact"),
                ("military_missing", missing, "more_than"),
            ):
                writer.writerow(
                    [f"{code}-{metric}", code, metric, value, "", qualifier, "", "", AS_OF,
                     f"Ministry of {code}", "Generated", f"https://example.net/{code}",
                     f"{value} in all."]
                )  # fmt: skip
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        backtest, build = [], []
        for _ in range(args.runs):
            backtest.append(timed([CLI, "backtest", "--out", str(out / "backtest.csv")]))
            build.append(timed([CLI, "build", "--quiet", "--name", "bench", "--out-dir", tmp]))
        b, f = statistics.median(backtest), statistics.median(build)
        goal = "met" if b <= f else "NOT met"
        print(f"backtest over every shipped war: {b:.2f} s; one default build: {f:.2f} s;")
        print(f"backtest/build {b / f:.2f} (goal <= 1.00: {goal})")
        (out / "many").mkdir()
        ledger = many_parties(out / "many")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        done = subprocess.run(
            [CLI, "build", "--quiet", "--name", "many", "--out-dir", tmp, "--data", str(ledger),
             "-p", f"as_of={AS_OF}"],
            capture_output=True, text=True,
        )  # fmt: skip
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        verdict = "built" if done.returncode == 0 else f"refused: {done.stderr.strip()[-200:]}"
        print(f"{PARTIES}-party ledger at 200,000 draws: {verdict}; peak memory of a child process"
              f" {max(peak, before) / 1024:.0f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()
