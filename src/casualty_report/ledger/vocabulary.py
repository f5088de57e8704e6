"""Names and definitions of the data's codes (parties, metrics, bases), read from the data package.

The report defines what it counts from `data/datapackage.json`, never from prose typed here:
add a party or a basis to the package and the report names and defines it. Country codes that
the package does not list as categories are named from its ISO 3166-1 code list.
"""

from __future__ import annotations

import csv
import json
import re
from functools import cache

from casualty_report import paths

ALL = "ALL"  # the results' code for the sum over the modelled parties
RESOURCE = "reported_figures"


@cache
def package() -> dict:
    """The data package descriptor (schema, licences, sources)."""
    return json.loads(paths.FIGURES_SCHEMA.read_text(encoding="utf-8"))


def _field(name: str) -> dict:
    for resource in package().get("resources", []):
        if resource.get("name", RESOURCE) == RESOURCE:
            for spec in resource.get("schema", {}).get("fields", []):
                if spec["name"] == name:
                    return spec
    return {}


@cache
def categories(field: str) -> dict[str, dict[str, str]]:
    """A vocabulary field's categories: code -> {label, description} as the package writes them."""
    return {
        c["value"]: {"label": c.get("label", c["value"]), "description": c.get("description", "")}
        for c in _field(field).get("categories", [])
    }


@cache
def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-3 code -> short English name, from the package's code list (if any)."""
    for resource in package().get("resources", []):
        if resource.get("name") == "iso_3166_1_alpha_3":
            path = paths.FIGURES_SCHEMA.parent / resource["path"]
            with path.open(encoding="utf-8", newline="") as handle:
                return {row["code"]: row["name"] for row in csv.DictReader(handle)}
    return {}


@cache
def part_of() -> dict[str, str]:
    """Declared actors whose figures belong to another party's side: {'NKR': 'ARM'} — the
    package's `part_of` on a party category. Their counts are never added to that party's."""
    parties = _field("party").get("categories", [])
    return {c["value"]: c["part_of"] for c in parties if "part_of" in c}


def short(label: str) -> str:
    """A label's name, before any parenthesis or qualifying clause:
    'Soldiers killed (unit: people)' -> 'Soldiers killed', 'Bodies awaiting identification, e.g.
    by DNA tests' -> 'Bodies awaiting identification'."""
    return re.split(r" \(|, |; ", label, maxsplit=1)[0]


def _label(field: str, code: str) -> str | None:
    found = categories(field).get(code)
    return found["label"] if found else None


def party_name(code: str) -> str:
    """'ARM' -> 'Armenia'; a code the package does not name passes through."""
    if code == ALL:
        return "All parties"
    return short(_label("party", code) or country_names().get(code, code))


def metric_name(code: str) -> str:
    """'military_killed' -> 'Soldiers killed'."""
    return short(_label("metric", code) or code.replace("_", " "))


def basis_name(code: str) -> str:
    """'bodies_examined' -> 'Bodies examined'."""
    return short(_label("basis", code or "not_stated") or code.replace("_", " "))


def definitions(field: str, codes: list[str] | None = None) -> list[tuple[str, str]]:
    """(name, definition) of each category of a field, or of the given codes only, in the
    package's order. The definition is the category's description, else what its label adds
    to the name ('' when nothing: 'Soldiers killed (unit: people)' needs no definition)."""
    found = categories(field)
    out = []
    for code, c in found.items():
        if codes is not None and code not in codes:
            continue
        name = short(c["label"])
        extra = c["label"][len(name) :].strip(" ,;")
        if re.fullmatch(r"\(unit: [^)]*\)", extra):
            extra = ""
        out.append((name, c["description"] or extra))
    return out


def is_country(code: str) -> bool:
    """True for an ISO 3166-1 alpha-3 code (the package's code list), False for an actor."""
    return code in country_names()


def licences() -> list[dict]:
    """The licences the data package states for its data and quotes."""
    return list(package().get("licenses", []))
