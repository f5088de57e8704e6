"""Names and definitions of the data's codes (parties, metrics, bases), read from the data package.

The report defines what it counts from `data/datapackage.json`, never from prose typed here:
add a party or a basis to the package and the report names and defines it.
"""

from __future__ import annotations

import json
import re
from functools import cache

from . import paths

ALL = "ALL"  # the results' code for the sum over the modelled parties


@cache
def package() -> dict:
    """The data package descriptor (schema, licences, sources)."""
    return json.loads(paths.FIGURES_SCHEMA.read_text(encoding="utf-8"))


@cache
def categories(field: str) -> dict[str, str]:
    """Full labels of a vocabulary field: code -> label as the data package writes it."""
    for resource in package().get("resources", []):
        for spec in resource.get("schema", {}).get("fields", []):
            if spec["name"] == field:
                return {c["value"]: c.get("label", c["value"]) for c in spec.get("categories", [])}
    return {}


def short(label: str) -> str:
    """A label's name, before any parenthesis or qualifying clause:
    'Armenia (ISO 3166-1 alpha-3)' -> 'Armenia', 'Bodies awaiting identification, e.g. by DNA
    tests' -> 'Bodies awaiting identification'."""
    return re.split(r" \(|, |; ", label, maxsplit=1)[0]


def party_name(code: str) -> str:
    """'ARM' -> 'Armenia'; codes outside the vocabulary pass through."""
    if code == ALL:
        return "All parties"
    return short(categories("party").get(code, code))


def metric_name(code: str) -> str:
    """'military_killed' -> 'Soldiers killed'."""
    return short(categories("metric").get(code, code.replace("_", " ")))


def basis_name(code: str) -> str:
    """'bodies_examined' -> the basis's label in the data package (or the code in words)."""
    return short(categories("basis").get(code, code.replace("_", " ")))


def definitions(field: str, codes: list[str] | None = None) -> list[tuple[str, str]]:
    """(name, meaning) of each category of a field, or of the given codes only, in order."""
    found = categories(field)
    chosen = [c for c in found if codes is None or c in codes]
    return [(short(found[c]), found[c]) for c in chosen]


def licences() -> list[dict]:
    """The licences the data package states for its data and quotes."""
    return list(package().get("licenses", []))
