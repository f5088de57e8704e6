"""The scope of a war's toll: which metric its headline counts, soldiers or soldiers and civilians.

A war's package says it (`report.scope` in its datapackage.json): `military_killed` (soldiers
killed) or `military_and_civilian_killed` (soldiers and civilians killed). Without a package, or
a package without a scope, the default is the narrowest scope in which every party published a
count; where no scope has a count of every party, the one in which the most parties published
one (the narrower on a tie). "Every party" is every party of the ledger that published a count in
either scope, leaving out the common actors (BOTH, UNSPECIFIED: no side of their own) and an
actor whose figures belong to another party's side (`part_of`) when that party is in the ledger.

A declared scope is the war's for every report. Without one, a report as of a date chooses it
from the figures reported up to that date (`toll_scope(figures, as_of)`): a later figure never
changes what an earlier report counts; its retrospective and "what changed" count the same
thing as the report. `check-data` says the scope of the whole ledger. A total is never built
from its parts: a party with no figure in the scope is named with what it did publish, and a
split of a total (soldiers, civilians) is shown beside it, never added to it.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from casualty_report.ledger.conflict import NEUTRAL, SCOPES, Conflict
from casualty_report.ledger.schema import common_schema

MILITARY, MILITARY_AND_CIVILIAN = SCOPES
DECLARED = "package"  # the war's package says so
EVERY_PARTY = "every_party"  # the narrowest in which every party published a count
MOST_PARTIES = "most_parties"  # no scope has every party: the one with the most
NO_COUNT = "no_count"  # no party published a count in either scope


class Choice(NamedTuple):
    """The toll's scope (a metric of SCOPES) and how it was chosen (DECLARED … NO_COUNT)."""

    scope: str = MILITARY
    how: str = NO_COUNT

    def other(self) -> str:
        """The other scope: what a party may have published instead."""
        return MILITARY_AND_CIVILIAN if self.scope == MILITARY else MILITARY


def common_actors() -> set[str]:
    """The actors every ledger may use that are no side of their own (BOTH, UNSPECIFIED)."""
    party = next(f for f in common_schema()["fields"] if f["name"] == "party")
    return {c["value"] for c in party.get("categories", []) if c.get("kind") == "actor"}


def choose(figures: Any, conflict: Conflict = NEUTRAL) -> Choice:
    """The scope of the war whose ledger is `figures` (see the module docstring)."""
    declared = conflict.report.get("scope")
    if declared:
        return Choice(declared, DECLARED)
    counts = figures.loc[figures["metric"].isin(SCOPES), ["party", "metric"]].drop_duplicates()
    in_ledger = set(figures["party"])
    sides = {code: side for code, side in conflict.part_of().items() if side in in_ledger}
    counts = counts[~counts["party"].isin(common_actors() | set(sides))]
    published = {s: set(counts.loc[counts["metric"] == s, "party"]) for s in SCOPES}
    counting = set(counts["party"])
    if not counting:
        return Choice(MILITARY, NO_COUNT)
    for scope in SCOPES:  # narrowest first
        if published[scope] >= counting:
            return Choice(scope, EVERY_PARTY)
    most = max(len(parties) for parties in published.values())
    return Choice(next(s for s in SCOPES if len(published[s]) == most), MOST_PARTIES)


def toll_scope(figures: Any, as_of: Any = None) -> Choice:
    """The scope of a loaded ledger (the loader keeps the whole ledger's in attrs["scope"]); for
    a table made otherwise, chosen from its rows and the package in attrs["conflict"], if any.
    With `as_of`, a scope the package does not declare is chosen from the rows reported up to
    that day."""
    conflict = figures.attrs.get("conflict", NEUTRAL)
    found = figures.attrs.get("scope")
    if as_of is not None and not (isinstance(found, Choice) and found.how == DECLARED):
        return choose(figures[figures["reported_on"] <= as_of], conflict)
    return found if isinstance(found, Choice) else choose(figures, conflict)
