"""The figures file's schema, read once from the data package (``data/datapackage.json``).

The data package is the contract: the checks in ``validation`` and the defaults in ``figures``
take every column, type, constraint, default, code list and declared actor from here, so that a
change to the package (a new metric, a new actor) needs no change to the code.
"""

from __future__ import annotations

import csv
import functools
import json
import re
from pathlib import Path
from typing import NamedTuple

from casualty_report import paths

RESOURCE = "reported_figures"


class Schema(NamedTuple):
    """What the checks need from the data package, in plain Python values."""

    fields: list[dict]  # the resource's Table Schema fields, in the package's order
    names: list[str]  # their names, the loaded table's column order
    contract: list[str]  # columns every file must have
    defaults: dict[str, str]  # optional column -> the value of an absent column or empty cell
    countries: dict[str, str]  # ISO 3166-1 alpha-3 code -> name, the party field's code list
    actors: list[str]  # parties declared in the package that have no ISO code
    forbidden: str  # regular expression of the characters a text cell may not hold
    count_metrics: list[str]  # the metrics count_status applies to

    def field(self, name: str) -> dict:
        """The schema field called ``name``."""
        return self.fields[self.names.index(name)]


def resource_descriptor(path: Path = paths.FIGURES_SCHEMA, name: str = RESOURCE) -> dict:
    """A resource of the data package (by default ``reported_figures``), as a plain descriptor."""
    package = json.loads(path.read_text(encoding="utf-8"))
    return next(r for r in package["resources"] if r["name"] == name)


@functools.cache
def load_schema(path: Path = paths.FIGURES_SCHEMA) -> Schema:
    """The schema of the figures resource, with the party code list read from its own resource."""
    resource = resource_descriptor(path)
    fields = resource["schema"]["fields"]
    names = [field["name"] for field in fields]
    party = fields[names.index("party")]
    code_list = party["codeList"]
    codes = resource_descriptor(path, code_list["resource"])
    with (path.parent / codes["path"]).open(encoding="utf-8", newline="") as handle:
        countries = {row[code_list["field"]]: row["name"] for row in csv.DictReader(handle)}
    actors = [c["value"] for c in party["categories"] if c.get("kind") == "actor"]
    count_status = fields[names.index("count_status")]
    re.compile(resource["forbiddenCharacters"])  # fail here, not on the first cell, if invalid
    return Schema(
        fields=fields,
        names=names,
        contract=[field["name"] for field in fields if field.get("contract")],
        defaults={field["name"]: field["default"] for field in fields if "default" in field},
        countries=countries,
        actors=actors,
        forbidden=resource["forbiddenCharacters"],
        count_metrics=list(count_status["appliesToMetrics"]),
    )
