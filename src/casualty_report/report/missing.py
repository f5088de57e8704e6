"""What the missing and the unidentified leave open: a counted party that published neither is
named, so that what they could add is unknown, never a silent zero."""

from __future__ import annotations

from typing import Any

from casualty_report.ledger.vocabulary import party_name
from casualty_report.model.quantities import ALL, SCOPE_ADDING
from casualty_report.model.results import result_row
from casualty_report.report import formatting
from casualty_report.report.narrative import paragraphs
from casualty_report.report.render import Section


def missing_note(analysis: Any) -> Section:
    """Each counted party with no figure of its missing or of bodies awaiting identification in
    the data, said so: unknown, never a silent zero (the figures used are in Table 1)."""
    published = analysis.inputs[
        analysis.inputs["metric"].isin(SCOPE_ADDING[analysis.metric])  # the scope's missing, bodies
        & analysis.inputs["party"].isin(analysis.parties)
    ]
    stale = set(published.loc[published["excluded"], "party"])
    in_use = published[~published["excluded"]]
    used = set(in_use["party"])
    with_missing = set(in_use.loc[in_use["metric"] == SCOPE_ADDING[analysis.metric][0], "party"])
    day = formatting.day(analysis.as_of)
    texts = []
    for party in analysis.parties:
        if party in used and party not in with_missing:  # bodies only: its missing unknown
            texts.append(
                f"{party_name(party)}: the data hold no figure of its missing by {day}, only"
                " of bodies awaiting identification: what its missing could add is not known, so"
                " nothing is added for them. That is not a statement that none are missing."
            )
        if party in used:
            continue
        if party in stale:
            texts.append(
                f"{party_name(party)}'s figures of its missing or of bodies awaiting"
                f" identification in force on {day} were stale (far older than its count, which"
                " most likely holds them since), so nothing is added for them."
            )
        else:
            texts.append(
                f"{party_name(party)}: the data hold no figure of its missing or of bodies"
                f" awaiting identification by {day} (none published, or none found that a"
                " figure could be entered from): what they could add to its count is not known,"
                " so nothing is added for it. That is not a statement that none are missing."
            )
    if analysis.sensitivity[analysis.sensitivity["swing"] > 0].empty:
        toll = result_row(analysis.results, "military_deaths", ALL)
        texts.append(
            "No assumption moves the total, so there is nothing to simulate or rank: the total"
            f" is the reported counts, {formatting.count(toll['best'])} in all."
        )
    return paragraphs(*texts)
