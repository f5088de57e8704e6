"""The index of `make scenarios`: one line per built report, its parameters and headline numbers.

`make scenarios` builds the default report and one per `params/*.yaml`, then calls
`casualty-report index`, which reads what each build wrote (the executed notebook's injected
parameters and the results CSV, whatever its columns) and renders `templates/scenarios` with
autoescaping.
"""

from __future__ import annotations

import ast
import csv
import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from casualty_report import paths
from casualty_report.report import METADATA_KEY

# The headline rows of a results table: the quantity summed over every party (named `deaths`
# in a war whose toll counts soldiers and civilians together).
HEADLINE_QUANTITY = "military_deaths"
HEADLINE_QUANTITIES = (HEADLINE_QUANTITY, "deaths")
HEADLINE_PARTY = "ALL"
NOT_SHOWN = ("data_path", "results_path")  # paths of the machine that built it


def injected(executed: Path) -> dict[str, Any]:
    """The parameters papermill injected into an executed notebook."""
    cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            tree = ast.parse("".join(cell["source"]))
            return {
                node.targets[0].id: ast.literal_eval(node.value)
                for node in tree.body
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
            }
    return {}


def described(executed: Path) -> dict[str, Any]:
    """What the report says of itself (its title block's output metadata), or {}."""
    for cell in json.loads(executed.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            found = output.get("metadata", {}).get(METADATA_KEY)
            if found:
                return found
    return {}


def headline(results: Path) -> dict[str, str]:
    """Every column of the results row for the headline quantity and party, read generically."""
    with results.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row.get("quantity") in HEADLINE_QUANTITIES and row.get("party") == HEADLINE_PARTY:
                return {
                    column: _number(value)
                    for column, value in row.items()
                    if column not in ("quantity", "party", "note")
                }
    return {}


def _number(text: str) -> str:
    """A numeric cell rounded to a whole number for reading; other text as it is."""
    try:
        return f"{float(text):,.0f}"
    except ValueError:
        return text


def index_rows(reports: dict[str, dict[str, Path]], defaults: dict[str, Any]) -> list[dict]:
    """One row per report: link, parameters differing from the defaults, headline values.

    `reports` maps each report's name to its files by suffix (".ipynb", ".html", ...).
    """
    rows = []
    for name, files in reports.items():
        used = injected(files[".ipynb"])
        rows.append(
            {
                "name": name,
                "title": described(files[".ipynb"]).get("title", ""),
                "href": files[".html"].name,
                "pdf": files[".pdf"].name,
                "parameters": {
                    key: value
                    for key, value in used.items()
                    if key not in NOT_SHOWN and value != defaults.get(key)
                },
                "headline": headline(files[".results.csv"]),
            }
        )
    return rows


def write_index(out: Path, reports: dict[str, dict[str, Path]], defaults: dict) -> Path:
    """Render the index of `reports` (see `index_rows`) to `out`."""
    rows = index_rows(reports, defaults)
    columns = list(dict.fromkeys(column for row in rows for column in row["headline"]))
    env = Environment(
        loader=FileSystemLoader(paths.TEMPLATES_DIR / "scenarios"),
        autoescape=select_autoescape(default=True),
    )
    html = env.get_template("index.html.j2").render(
        title="Casualty reports",
        headline_rule=f"{' or '.join(HEADLINE_QUANTITIES)}, {HEADLINE_PARTY}",
        columns=columns,
        rows=rows,
    )
    staged = out.with_name(f".{out.name}.partial")
    staged.write_text(html, encoding="utf-8")
    staged.replace(out)
    return out
