"""Figures files written as CSV with the 13 contract columns, for tests that build or load them."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

CONTRACT = (
    "figure_id,party,metric,value,value_high,qualifier,period_start,period_end,reported_on,"
    "reported_by,source_title,source_url,quote"
).split(",")


def row(
    party: str, metric: str, value: int, on: str, qualifier: str = "exact", **more: Any
) -> dict[str, Any]:
    """One figure; its id from party, metric and date, its source a test page."""
    figure_id = f"{party}-{metric}-{on}".lower().replace("_", "-")
    return {
        "figure_id": figure_id,
        "party": party,
        "metric": metric,
        "value": value,
        "qualifier": qualifier,
        "reported_on": on,
        "reported_by": "Test ministry",
        "source_title": "Test source",
        "source_url": "https://example.org/test",
        "quote": f"The ministry gave {value:,} on {on}.",
        **more,
    }


def csv_text(rows: list[dict[str, Any]]) -> str:
    """The rows as a figures file: the contract columns, empty cells where a row has none."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CONTRACT, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({name: r.get(name, "") for name in CONTRACT})
    return out.getvalue()


def write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text(csv_text(rows), encoding="utf-8")
    return path
