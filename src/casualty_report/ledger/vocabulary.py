"""Names and definitions of the data's codes (parties, metrics, bases), from the schema and the
conflict's package.

The report defines what it counts from `data/figures.schema.json` and the conflict's
`datapackage.json`, never from prose typed here: add a party to the package or a basis to the
schema and the report names and defines it. Country codes that the package does not name are
named from the schema's ISO 3166-1 code list.
"""

from __future__ import annotations

import re
from functools import cache

from casualty_report.ledger.conflict import NEUTRAL, Conflict
from casualty_report.ledger.schema import common_schema, country_codes
from casualty_report.ledger.scope import Choice

ALL = "ALL"  # the results' code for the sum over the modelled parties


_CURRENT: list[Conflict] = [NEUTRAL]  # the conflict whose figures were loaded last
_SCOPE: list[Choice] = [Choice()]  # the scope of its toll


def use(conflict: Conflict, scope: Choice | None = None) -> None:
    """Name parties as `conflict`'s package does, and count the toll in `scope` (the loader
    calls this for the file it read)."""
    _CURRENT[0] = conflict
    _SCOPE[0] = scope or Choice()


def current() -> Conflict:
    """The conflict whose figures were loaded last (NEUTRAL before any, or without a package)."""
    return _CURRENT[0]


def scope() -> Choice:
    """The scope of the toll of the figures loaded last (soldiers killed before any)."""
    return _SCOPE[0]


def _field(name: str) -> dict:
    for spec in common_schema().get("fields", []):
        if spec["name"] == name:
            return spec
    return {}


@cache
def categories(field: str) -> dict[str, dict[str, str]]:
    """A vocabulary field's categories in the common schema: code -> {label, description}."""
    return {
        c["value"]: {"label": c.get("label", c["value"]), "description": c.get("description", "")}
        for c in _field(field).get("categories", [])
    }


def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-3 code -> short English name, from the schema's code list."""
    return country_codes()


def part_of() -> dict[str, str]:
    """Declared actors whose figures belong to another party's side: {'NKR': 'ARM'} — the
    conflict package's `part_of`. Their counts are never added to that party's."""
    return current().part_of()


def short(label: str) -> str:
    """A label's name, before any parenthesis or qualifying clause:
    'Soldiers killed (unit: people)' -> 'Soldiers killed', 'Bodies awaiting identification, e.g.
    by DNA tests' -> 'Bodies awaiting identification'."""
    return re.split(r" \(|, |; ", label, maxsplit=1)[0]


def _label(field: str, code: str) -> str | None:
    found = categories(field).get(code)
    return found["label"] if found else None


def party_name(code: str) -> str:
    """'GEO' -> 'Georgia': the conflict package's label, the schema's, the ISO name, the code."""
    if code == ALL:
        return "All parties"
    label = current().parties.get(code, {}).get("label") or _label("party", code)
    return short(label or country_names().get(code, code))


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


def licences() -> list[dict]:
    """The licences the conflict's package states for its data and quotes."""
    return list(current().licenses)
