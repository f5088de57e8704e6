"""The three CSV files beside a report: `<stem>.results.csv`, `.inputs.csv` and
`.retrospective.csv`. They are read by people, so they are written here, by the report layer:
the model hands over its tables and this module writes them, relative paths from the project
root."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from casualty_report import paths
from casualty_report.ledger.scope import MILITARY
from casualty_report.model.quantities import quantity_names
from casualty_report.report.notes import inputs_with_words, with_notes


def write_results(results: pd.DataFrame, path: str | Path, scope: str = MILITARY) -> Path:
    """Write the results table (with its notes: `notes.with_notes`) as CSV, the toll's
    quantities named by its `scope` (see `quantity_names`)."""
    names = quantity_names(scope)
    if names:
        results = results.assign(quantity=results["quantity"].replace(names))
    return _write(results, path)


def write_inputs(used: pd.DataFrame, path: str | Path) -> Path:
    """Write the figures-used table (`<report name>.inputs.csv`, its treatments in words:
    `notes.inputs_with_words`), dates as YYYY-MM-DD."""
    return _write(used, path, date_format="%Y-%m-%d")


def write_retrospective(table: pd.DataFrame, path: str | Path) -> Path:
    """Write `<report name>.retrospective.csv` (a header only when nothing later exists)."""
    return _write(table, path, date_format="%Y-%m-%d")


def write_outputs(analysis: Any, stem: str | Path) -> dict[str, Path]:
    """Write `<stem>.results.csv`, `<stem>.inputs.csv` and `<stem>.retrospective.csv` of an
    `Analysis`."""
    stem = str(stem)
    return {
        "results": write_results(with_notes(analysis), f"{stem}.results.csv", analysis.metric),
        "inputs": write_inputs(inputs_with_words(analysis.inputs), f"{stem}.inputs.csv"),
        "retrospective": write_retrospective(analysis.retrospective, f"{stem}.retrospective.csv"),
    }


def _write(table: pd.DataFrame, path: str | Path, **options: Any) -> Path:
    path = paths.resolve(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False, **options)
    return path
