"""Time the Monte Carlo model against numpy's floor: drawing the same number of random values.

Model: `uncertainty.simulate` on the real data as of the notebook's `as_of`, with the notebook's
default assumptions (its parameters cell) and `n_draws` draws, plus the median and central
interval of every military toll (each party and ALL). Floor: `rng.random(k)` for the same count
of variates k (uncertain inputs × draws). The jobs alternate; medians over the repeats. Targets:
model ≤ 0.5 s and model / floor ≤ 3. For context, also timed: numpy's own samplers drawing the
same variates (`rng.triangular`, and `rng.random` for the Bernoulli one), and `analyse` (every
quantity, its bounds, intervals and the sensitivity).

    python benchmarks/bench_model.py [--n-draws 1000000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

import numpy as np

from casualty_report import figures, parameters, paths, uncertainty
from casualty_report.assumptions import Assumptions

TARGET_SECONDS = 0.5
TARGET_RATIO = 3.0


def _setup(n_draws: int) -> tuple[Any, Assumptions]:
    """The real selection and the notebook's default assumptions, with n_draws replaced."""
    defaults = {
        name: info["default"] for name, info in parameters.declared(paths.REPORT_NOTEBOOK).items()
    }
    defaults["n_draws"] = n_draws
    selected = figures.select_as_of(
        figures.load_figures(paths.resolve(defaults["data_path"])), defaults["as_of"]
    )
    return selected, Assumptions.from_namespace(defaults)


def _model(selected: Any, assumptions: Assumptions) -> None:
    draws = uncertainty.simulate(selected, assumptions)
    for key, x in draws.items():
        if key.endswith(".military_deaths"):
            uncertainty.draw_quantiles(x, assumptions.interval)


def run(n_draws: int = 1_000_000, repeats: int = 5) -> dict[str, Any]:
    """Median seconds of the model and of the raw draws, their ratio and the variate count."""
    selected, assumptions = _setup(n_draws)
    variates = uncertainty.n_variates(selected, assumptions)
    rng = np.random.default_rng(assumptions.seed)

    random = uncertainty.model_inputs(selected, assumptions).query("distribution != 'fixed'")

    def floor() -> None:
        rng.random(variates)

    def native() -> None:
        for i in random.itertuples():
            if i.distribution == "bernoulli":
                rng.random(n_draws)
            else:
                rng.triangular(i.low, i.best, i.high, n_draws)

    def model() -> None:
        _model(selected, assumptions)

    def analyse() -> None:
        uncertainty.analyse(selected, assumptions)

    jobs = {"model": model, "floor": floor, "native": native, "analyse": analyse}
    timings: dict[str, list[float]] = {name: [] for name in jobs}
    for job in jobs.values():  # warm-up: imports, first-touch allocations
        job()
    for _ in range(repeats):
        for name, job in jobs.items():
            start = time.perf_counter()
            job()
            timings[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(t) for name, t in timings.items()}
    ratio = medians["model"] / medians["floor"]
    return {
        "n_draws": n_draws,
        "repeats": repeats,
        "variates": variates,
        "model_s": medians["model"],
        "floor_s": medians["floor"],
        "ratio": ratio,
        "native_s": medians["native"],
        "analyse_s": medians["analyse"],
        "within_targets": medians["model"] <= TARGET_SECONDS and ratio <= TARGET_RATIO,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-draws", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    r = run(args.n_draws, args.repeats)
    print(f"draws {r['n_draws']:,}, variates {r['variates']:,}, median of {r['repeats']} runs")
    print(f"model (simulate + quantiles of the tolls): {r['model_s'] * 1e3:8.1f} ms")
    print(f"floor (rng.random, same variate count):    {r['floor_s'] * 1e3:8.1f} ms")
    print(f"numpy's own samplers, same variates:       {r['native_s'] * 1e3:8.1f} ms")
    print(f"analyse (every quantity and the sensitivity): {r['analyse_s'] * 1e3:5.1f} ms")
    print(
        f"ratio model / floor: {r['ratio']:.2f} (target <= {TARGET_RATIO:g}); "
        f"model {'within' if r['within_targets'] else 'OUTSIDE'} targets "
        f"(<= {TARGET_SECONDS:g} s and <= {TARGET_RATIO:g}x)"
    )


if __name__ == "__main__":
    main()
