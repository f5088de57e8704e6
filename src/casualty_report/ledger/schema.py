"""The figures file's schema: the columns and vocabularies common to every war, read once from
``data/figures.schema.json``, with the parties a conflict's own package declares.

The schema is the contract: the checks in ``validation`` and the defaults in ``figures`` take
every column, type, constraint, default, code list and declared actor from here, so that a
change to the schema (a new metric) or to a conflict's package (a new actor) needs no change to
the code.
"""

from __future__ import annotations

import csv
import functools
import json
import re
from pathlib import Path
from typing import NamedTuple

from casualty_report import paths
from casualty_report.ledger.conflict import NEUTRAL, Conflict


class Schema(NamedTuple):
    """What the checks need from the schema, in plain Python values."""

    fields: list[dict]  # the Table Schema fields, in the schema's order
    names: list[str]  # their names, the loaded table's column order
    contract: list[str]  # columns every file must have
    defaults: dict[str, str]  # optional column -> the value of an absent column or empty cell
    countries: dict[str, str]  # ISO 3166-1 alpha-3 code -> name, the party field's code list
    actors: list[str]  # parties with no ISO code: the schema's own and the conflict's
    forbidden: str  # regular expression of the characters a text cell may not hold
    count_metrics: list[str]  # the metrics count_status applies to
    applies: dict[str, list[str]]  # a field that applies to some metrics only -> those metrics
    package: str  # the conflict package the actors come from, as shown ("" for none)

    def field(self, name: str) -> dict:
        """The schema field called ``name``."""
        return self.fields[self.names.index(name)]


@functools.cache
def common_schema(path: Path = paths.FIGURES_SCHEMA) -> dict:
    """The common schema descriptor (fields, dialect, forbidden characters)."""
    return json.loads(path.read_text(encoding="utf-8"))


@functools.cache
def country_codes(path: Path = paths.FIGURES_SCHEMA) -> dict[str, str]:
    """ISO 3166-1 alpha-3 code -> name, from the code list the party field names."""
    party = next(f for f in common_schema(path)["fields"] if f["name"] == "party")
    code_list = party["codeList"]
    with (path.parent / code_list["path"]).open(encoding="utf-8", newline="") as handle:
        return {row[code_list["field"]]: row["name"] for row in csv.DictReader(handle)}


@functools.cache
def load_schema(conflict: Conflict = NEUTRAL, path: Path = paths.FIGURES_SCHEMA) -> Schema:
    """The schema of a figures file, with the actors its conflict's package declares."""
    descriptor = common_schema(path)
    fields = descriptor["fields"]
    names = [field["name"] for field in fields]
    party = fields[names.index("party")]
    actors = [c["value"] for c in party.get("categories", []) if c.get("kind") == "actor"]
    count_status = fields[names.index("count_status")]
    re.compile(descriptor["forbiddenCharacters"])  # fail here, not on the first cell
    return Schema(
        fields=fields,
        names=names,
        contract=[field["name"] for field in fields if field.get("contract")],
        defaults={field["name"]: field["default"] for field in fields if "default" in field},
        countries=country_codes(path),
        actors=[*actors, *(a for a in conflict.actors if a not in actors)],
        forbidden=descriptor["forbiddenCharacters"],
        count_metrics=list(count_status["appliesToMetrics"]),
        applies={f["name"]: list(f["appliesToMetrics"]) for f in fields if "appliesToMetrics" in f},
        package="" if conflict.path is None else paths.display(conflict.path),
    )
