"""A conflict's own package: what the war is, who its parties are, and its report's defaults.

Each conflict is a folder, `data/<conflict>/`, holding its ledger (`figures.csv`) and beside it a
`datapackage.json`: title, description, keywords, licences, contributors, the parties and
declared actors with their names (and `part_of`, for an actor whose figures belong to another
party's side), and under `report` the report's defaults (title, as_of, the dates the fighting
started and ended, the scope its toll counts and what the eventual count means). The columns and
vocabularies common to every war live once, in `data/figures.schema.json`.

A figures file with no package beside it is read with neutral defaults: parties are ISO codes
(or the common actors), and the report is titled from the data alone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from casualty_report import paths

PACKAGE_FILE = "datapackage.json"
# What a conflict's report may take from its package, and the kind of each value.
REPORT_KEYS = {
    "title": str,
    "as_of": date,
    "fighting_started": date,
    "fighting_ended": date,
    "scope": str,
    "eventual_count": str,
    "eventual_figures": dict,  # party code -> the figure_id of its eventual official count
}
# The scopes a war's toll may count (report.scope), narrowest first: the metric each counts.
SCOPES = ("military_killed", "military_and_civilian_killed")
PARTY_KEYS = {"code", "label", "kind", "part_of", "description"}
ACTOR_CODE = re.compile(r"[A-Z][A-Z0-9_]{1,15}")
NEUTRAL_NAME = "figures"


class PackageError(ValueError):
    """A conflict package that cannot be used; the message names its file."""


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one object a package read
class Conflict:
    """One conflict's package, as plain values (neutral when there is no package)."""

    path: Path | None = None  # the package file, None for a figures file without one
    name: str = NEUTRAL_NAME
    title: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    licenses: tuple[dict, ...] = ()
    parties: dict[str, dict[str, str]] = field(default_factory=dict)  # code -> label, kind ...
    report: dict[str, Any] = field(default_factory=dict)  # REPORT_KEYS, as given

    def __deepcopy__(self, memo: dict) -> Conflict:
        """Itself: a package read is one value, shared (pandas deep-copies a table's attrs on
        every operation, and copying the package each time cost most of a build's analysis)."""
        return self

    @property
    def actors(self) -> list[str]:
        """Codes the package declares as actors (no ISO code)."""
        return [code for code, p in self.parties.items() if p.get("kind") == "actor"]

    def part_of(self) -> dict[str, str]:
        """Declared actors whose figures belong to another party's side: {'NKR': 'ARM'}."""
        return {code: p["part_of"] for code, p in self.parties.items() if p.get("part_of")}


NEUTRAL = Conflict()


def package_beside(figures: Path) -> Path | None:
    """The package file in the figures file's folder, if there is one."""
    candidate = Path(figures).parent / PACKAGE_FILE
    return candidate if candidate.is_file() else None


def conflict_for(figures: str | Path) -> Conflict:
    """The conflict a figures file belongs to: its package beside it, else NEUTRAL."""
    found = package_beside(paths.resolve(figures))
    return NEUTRAL if found is None else read_package(found)


def read_package(path: Path) -> Conflict:
    """Read and check a conflict package; every refusal names the file and the key."""
    shown = paths.display(path)
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise PackageError(f"{shown}: not a readable JSON package: {err}") from err
    if not isinstance(package, dict):
        raise PackageError(f"{shown}: expected a JSON object")
    if "TODO" in json.dumps(package):
        raise PackageError(f"{shown}: still holds TODO: fill in what it asks for (see $comment)")
    return Conflict(
        path=path,
        name=_text(package, "name", shown) or path.parent.name,
        title=_text(package, "title", shown),
        description=_text(package, "description", shown),
        keywords=tuple(_list_of_text(package, "keywords", shown)),
        authors=tuple(_authors(package, shown)),
        licenses=tuple(package.get("licenses") or ()),
        parties=_parties(package, shown),
        report=_report(package, shown),
    )


def _text(package: dict, key: str, shown: str) -> str:
    value = package.get(key, "")
    if not isinstance(value, str):
        raise PackageError(f"{shown}: '{key}' must be text, got {value!r}")
    return value


def _list_of_text(package: dict, key: str, shown: str) -> list[str]:
    value = package.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PackageError(f"{shown}: '{key}' must be a list of texts")
    return value


def _authors(package: dict, shown: str) -> list[str]:
    people = package.get("contributors", [])
    if not isinstance(people, list) or not all(isinstance(p, dict) for p in people):
        raise PackageError(f"{shown}: 'contributors' must be a list of objects with a 'title'")
    return [str(p.get("title", "")) for p in people if p.get("role", "author") == "author"]


def _parties(package: dict, shown: str) -> dict[str, dict[str, str]]:
    parties = package.get("parties", [])
    if not isinstance(parties, list):
        raise PackageError(f"{shown}: 'parties' must be a list")
    found: dict[str, dict[str, str]] = {}
    for position, party in enumerate(parties, start=1):
        where = f"{shown}: parties, entry {position}"
        if not isinstance(party, dict) or not isinstance(party.get("code"), str):
            raise PackageError(f"{where}: expected an object with a 'code'")
        unknown = set(party) - PARTY_KEYS
        if unknown:
            raise PackageError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        code = party["code"]
        if not ACTOR_CODE.fullmatch(code):
            raise PackageError(
                f"{where}: code {code!r}: expected 2 to 16 upper-case letters, digits or '_',"
                " starting with a letter"
            )
        if code in found:
            raise PackageError(f"{where}: code {code} is declared twice")
        found[code] = {k: str(v) for k, v in party.items() if k != "code" and v is not None}
    for code, party in found.items():
        side = party.get("part_of")
        if side is not None and side not in found:
            raise PackageError(f"{shown}: party {code}: part_of {side!r} is not a declared party")
    return found


def _report(package: dict, shown: str) -> dict[str, str]:
    report = package.get("report", {})
    if not isinstance(report, dict):
        raise PackageError(f"{shown}: 'report' must be an object")
    unknown = set(report) - set(REPORT_KEYS)
    if unknown:
        raise PackageError(f"{shown}: report: unknown key(s) {', '.join(sorted(unknown))}")
    for key, value in report.items():
        if REPORT_KEYS[key] is dict:
            _eventual_figures(value, shown)
        elif not isinstance(value, str):
            raise PackageError(f"{shown}: report.{key} must be text, got {value!r}")
        if key == "scope" and value not in SCOPES:
            raise PackageError(
                f"{shown}: report.scope: expected military_killed (the toll counts soldiers"
                " killed) or military_and_civilian_killed (soldiers and civilians killed),"
                f" got {value!r}"
            )
        if REPORT_KEYS[key] is date:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise PackageError(
                    f"{shown}: report.{key}: expected a date YYYY-MM-DD, got {value!r}"
                ) from None
    return dict(report)


def _eventual_figures(value: Any, shown: str) -> None:
    where = f"{shown}: report.eventual_figures"
    if not isinstance(value, dict):
        raise PackageError(f"{where}: expected an object of party code: figure_id")
    for code, figure in value.items():
        if not ACTOR_CODE.fullmatch(code) or not isinstance(figure, str) or not figure:
            raise PackageError(
                f"{where}: {code!r}: expected a party code and the figure_id of its eventual"
                f" official count, got {figure!r}"
            )


def fill_defaults(figures: Any, as_of: str, period_start: str, period_end: str) -> tuple:
    """as_of, period_start and period_end, each empty one from the figures' package (as_of,
    fighting_started, fighting_ended); an as_of still empty is the latest reporting date. The
    package's end of the fighting is never taken past as_of (that would tell the future): a
    report during the fighting runs its period to as_of."""
    report = figures.attrs.get("conflict", NEUTRAL).report
    latest = figures["reported_on"].max()
    as_of = as_of or report.get("as_of") or f"{latest:%Y-%m-%d}"
    started = report.get("fighting_started", "")
    ended = report.get("fighting_ended", "")
    if ended and ended > as_of:
        ended = as_of if started and started <= as_of else ""
    return as_of, period_start or (started if started <= as_of else ""), period_end or ended


CHECKS_HEADER = "figure_id,checked_by,checked_on,verdict,field,correct_value,note\n"
NOTES_TEMPLATE = """# {name}: notes on the ledger

- The war: its name, the days the fighting started and ended, and the sentence that dates them.
- The parties, and any actor code declared in datapackage.json (with part_of where its figures
  belong to another party's side).
- Leads you could not verify: a number whose sentence you did not see in its source is not a
  row; list it here with where you looked.
"""


def create_conflict(folder: Path, contract: list[str]) -> list[Path]:
    """Start a conflict's folder: an empty ledger (the contract columns), a package to fill in,
    an empty check log and notes. Refuses a folder that exists: nothing is overwritten."""
    name = folder.name
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", name):
        raise PackageError(
            f"conflict name {name!r}: expected lower-case letters, digits and '-', e.g."
            " border-war-2030"
        )
    if folder.exists():
        raise PackageError(f"{paths.display(folder)} exists already; nothing was changed")
    package = {
        "$comment": (
            "Fill in every field marked TODO, then remove this comment. parties: each party's"
            " code (an ISO 3166-1 alpha-3 code, or an upper-case actor code of your own with"
            " kind 'actor'), its label, and part_of for an actor whose figures belong to another"
            " party's side. report: the report's title, the date it stands at (as_of), the"
            " days the fighting started and ended, and the scope its toll counts"
            " (military_killed or military_and_civilian_killed; without one, the narrowest in"
            " which every party published a count). Once a party's authorities have given their"
            " last word, report.eventual_figures names that row (party code: figure_id) and"
            " report.eventual_count says why. The columns and their rules are in"
            " ../figures.schema.json."
        ),
        "name": name,
        "title": "TODO: Reported casualty figures of the … war, as revised over time",
        "description": "TODO: which war, which sources, and what one row is.",
        "keywords": ["TODO"],
        "contributors": [{"title": "TODO: who compiled the ledger", "role": "author"}],
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0 (the compilation)",
            }
        ],
        "parties": [{"code": "TODO", "label": "TODO: the party's name"}],
        "report": {"title": "TODO: Military deaths in the … war"},
        "resources": [
            {"name": "figures", "path": "figures.csv", "schema": "../figures.schema.json"},
            {"name": "checks", "path": "checks.csv"},
            {"name": "notes", "path": "notes.md"},
        ],
    }
    folder.mkdir(parents=True)
    files = {
        "figures.csv": ",".join(contract) + "\n",
        PACKAGE_FILE: json.dumps(package, indent=2, ensure_ascii=False) + "\n",
        "checks.csv": CHECKS_HEADER,
        "notes.md": NOTES_TEMPLATE.format(name=name),
    }
    for file, text in files.items():
        (folder / file).write_text(text, encoding="utf-8")
    return [folder / file for file in files]
