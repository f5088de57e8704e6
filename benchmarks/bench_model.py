"""Time the Monte Carlo model in plain numpy, and the analysis of a 40-party ledger.

1. Model: 10⁶ draws of the model on the real data as of the default war's `as_of`, with the
   notebook's default assumptions (its parameters cell): every input drawn, each party's toll
   in each scenario and their mixture (`simulation.toll_draws`), and the median and central
   interval of the total in each. Goal: at most 0.25 s (median of the repeats). For context,
   also timed: numpy alone drawing the same triangular variates and taking as many quantiles
   (a floor that moves with the machine's load as the model does), and every quantity's draws
   (`simulation.iter_draws`) with the tolls' quantiles.
2. Analysis: `analysis.analyse` of the real ledger, and of the made-up 40-party ledger
   `tests/fixtures/model/forty_parties.csv` (each party an exact killed count and "more than N"
   missing; every fourth party unidentified bodies too), at the notebook's `n_draws`. The
   40-party total's high must equal the sum of the parties' highs (checked here too, and in
   tests/test_model.py).

    python benchmarks/bench_model.py [--n-draws 1000000] [--repeats 5]

Numbers measured on a shared machine are noisy: quote them only from a quiet run.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from casualty_report import paths
from casualty_report.build import parameters
from casualty_report.ledger import figures
from casualty_report.ledger.conflict import fill_defaults
from casualty_report.model import analysis
from casualty_report.model.assumptions import Assumptions
from casualty_report.model.bounds import bounds
from casualty_report.model.quantities import build
from casualty_report.model.simulation import TOLL_INPUTS, iter_draws, toll_draws

TARGET_SECONDS = 0.25
PARTIES = 40
FORTY = paths.ROOT / "tests" / "fixtures" / "model" / "forty_parties.csv"


def _defaults() -> dict[str, Any]:
    return {n: i["default"] for n, i in parameters.declared(paths.REPORT_NOTEBOOK).items()}


def _median_seconds(job: Callable[[], Any], repeats: int) -> float:
    job()  # warm-up: imports, first-touch allocations
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(n_draws: int = 1_000_000, repeats: int = 5) -> dict[str, Any]:
    """Median seconds of the model's draws, of the real analysis and of the 40-party one."""
    defaults = _defaults()
    assumptions = Assumptions.from_namespace({**defaults, "n_draws": n_draws})
    ledger = figures.load_figures(paths.resolve(defaults["data_path"]))
    as_of = fill_defaults(ledger, defaults["as_of"], "", "")[0]  # the conflict package's date
    model = build(figures.select_as_of(ledger, as_of), assumptions)
    tail = (1 - assumptions.interval) / 2

    def draws() -> None:
        for key, x in toll_draws(model, n_draws, assumptions.seed).items():
            if key.party == "ALL":
                np.quantile(x, [tail, 0.5, 1 - tail])

    uncertain = [i for k, i in model.inputs.items() if k.quantity in TOLL_INPUTS and not i.fixed]
    scenarios = max(1, len(model.scenarios) + 1)

    def floor() -> None:  # numpy alone: the same triangular draws and the total's quantiles
        rng = np.random.default_rng(assumptions.seed)
        for i in uncertain:
            rng.triangular(i.low, i.mode, i.high, n_draws)
        x = rng.random(n_draws)
        for _ in range(scenarios):
            np.quantile(x, [tail, 0.5, 1 - tail])

    def everything() -> None:
        for key, x in iter_draws(model, n_draws, assumptions.seed):
            if key.quantity == "military_deaths":
                np.quantile(x, [tail, 0.5, 1 - tail])

    notebook = Assumptions.from_namespace(defaults)
    many = figures.load_figures(FORTY)
    result = analysis.analyse(many, as_of, notebook)
    deaths = result.results[
        (result.results["quantity"] == "military_deaths") & (result.results["scenario"] == "all")
    ]
    party_highs = deaths.loc[deaths["party"] != "ALL", "high"].sum()
    total_high = deaths.loc[deaths["party"] == "ALL", "high"].iloc[0]
    return {
        "n_draws": n_draws,
        "repeats": repeats,
        "uncertain_inputs": len(uncertain),
        "model_s": _median_seconds(draws, repeats),
        "floor_s": _median_seconds(floor, repeats),
        "every_quantity_s": _median_seconds(everything, repeats),
        "analyse_real_s": _median_seconds(lambda: analysis.analyse(ledger, as_of, notebook), 3),
        "analyse_40_s": _median_seconds(lambda: analysis.analyse(many, as_of, notebook), 3),
        "bounds_40_s": _median_seconds(lambda: bounds(build(many, notebook)), 3),
        "notebook_n_draws": notebook.n_draws,
        "total_high": total_high,
        "sum_of_party_highs": party_highs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-draws", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    r = run(args.n_draws, args.repeats)
    print(
        f"model: {r['n_draws']:,} draws of {r['uncertain_inputs']} uncertain inputs, the tolls "
        f"per scenario and the total's quantiles: {r['model_s'] * 1e3:.1f} ms (median of "
        f"{r['repeats']}); goal <= {TARGET_SECONDS * 1e3:.0f} ms: "
        f"{'met' if r['model_s'] <= TARGET_SECONDS else 'NOT met'}"
    )
    print(
        f"numpy floor (the same triangular draws and quantiles alone): {r['floor_s'] * 1e3:.1f} ms;"
        f" model / floor {r['model_s'] / r['floor_s']:.2f}"
    )
    print(f"every quantity's draws and the tolls' quantiles: {r['every_quantity_s'] * 1e3:.1f} ms")
    print(
        f"analyse, real ledger, {r['notebook_n_draws']:,} draws: "
        f"{r['analyse_real_s'] * 1e3:.1f} ms (median of 3)"
    )
    print(
        f"analyse, {PARTIES}-party ledger, {r['notebook_n_draws']:,} draws: "
        f"{r['analyse_40_s'] * 1e3:.1f} ms; its bounds alone: {r['bounds_40_s'] * 1e3:.2f} ms"
    )
    same = np.isclose(r["total_high"], r["sum_of_party_highs"])
    print(
        f"{PARTIES}-party total high {r['total_high']:,.1f}; sum of the parties' highs "
        f"{r['sum_of_party_highs']:,.1f}: {'equal' if same else 'DIFFERENT'}"
    )


if __name__ == "__main__":
    main()
