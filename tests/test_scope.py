"""The toll's scope per war (issue 22): which metric the headline counts, soldiers killed or
soldiers and civilians killed, from the war's package or, without one, the narrowest scope in
which every party published a count; and the model, the parties, the inputs and the
retrospective all counting that one scope. Rows are written here (a test fixture, not reported
figures); every expected value is worked out by hand from them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from casualty_report.ledger.conflict import PackageError, read_package
from casualty_report.ledger.scope import (
    DECLARED,
    EVERY_PARTY,
    MILITARY,
    MILITARY_AND_CIVILIAN,
    MOST_PARTIES,
    NO_COUNT,
    Choice,
    choose,
)
from casualty_report.model.analysis import analyse
from casualty_report.model.quantities import counted_parties
from casualty_report.report import narrative
from casualty_report.report.missing import missing_note
from casualty_report.report.notes import inputs_with_words
from casualty_report.report.outputs import write_outputs
from ledger_rows import assume, fig, ledger, row

WIDE = MILITARY_AND_CIVILIAN


def published(*pairs: tuple[str, str]) -> pd.DataFrame:
    """A ledger in which each (party, metric) of `pairs` has one figure."""
    return ledger(*(fig(party, metric, 10) for party, metric in pairs))


@pytest.mark.parametrize(
    "pairs, expected",
    [
        # Every party counts soldiers: the narrowest scope.
        ((("ARM", MILITARY), ("AZE", MILITARY), ("AZE", WIDE)), Choice(MILITARY, EVERY_PARTY)),
        # Both give totals of soldiers and civilians, one also its soldiers: soldiers and civilians.
        ((("ETH", WIDE), ("ERI", WIDE), ("ETH", MILITARY)), Choice(WIDE, EVERY_PARTY)),
        # No scope has every party: the one with the most (2 against 1) ...
        ((("ECU", MILITARY), ("PER", MILITARY), ("COL", WIDE)), Choice(MILITARY, MOST_PARTIES)),
        ((("ECU", WIDE), ("PER", WIDE), ("COL", MILITARY)), Choice(WIDE, MOST_PARTIES)),
        # ... and on a tie the narrower.
        ((("ECU", MILITARY), ("COL", WIDE)), Choice(MILITARY, MOST_PARTIES)),
        # BOTH and UNSPECIFIED are no side: their totals choose nothing.
        ((("ARM", MILITARY), ("BOTH", WIDE), ("UNSPECIFIED", WIDE)), Choice(MILITARY, EVERY_PARTY)),
        # A party that published no count in either scope is left out of "every party".
        ((("ETH", WIDE), ("ERI", "military_missing")), Choice(WIDE, EVERY_PARTY)),
        ((("ETH", "civilians_killed"),), Choice(MILITARY, NO_COUNT)),
    ],
)
def test_the_default_is_the_narrowest_scope_of_every_party(pairs, expected) -> None:
    assert choose(published(*pairs)) == expected


def package(folder: Path, report: dict, parties: list[dict] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "datapackage.json"
    body = {"name": "test-war", "parties": parties or [], "report": report}
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def test_a_package_says_the_scope_and_refuses_any_other(tmp_path: Path) -> None:
    conflict = read_package(package(tmp_path / "a", {"scope": WIDE}))
    # The package wins over the default (every party counts soldiers here).
    assert choose(published(("ARM", MILITARY)), conflict) == Choice(WIDE, DECLARED)
    # An actor part of another party's side is no party of its own while that party is there.
    side = read_package(
        package(
            tmp_path / "c",
            {},
            [{"code": "ARM"}, {"code": "NKR", "kind": "actor", "part_of": "ARM"}],
        )
    )
    assert choose(published(("ARM", MILITARY), ("NKR", WIDE)), side) == Choice(
        MILITARY, EVERY_PARTY
    )
    with pytest.raises(PackageError, match=r"report\.scope: expected military_killed .* got 'x'"):
        read_package(package(tmp_path / "b", {"scope": "x"}))


# A war counted in soldiers and civilians: Ethiopia's total of 25 March 2025 is split the same day
# into 50 soldiers and 13 civilians; Eritrea's total is 40. Ethiopia also gives 7 people missing.
SPLIT_WAR = ledger(
    fig("ETH", WIDE, 36, on="2025-03-18"),
    fig("ERI", WIDE, 40, on="2025-03-20"),
    fig("ETH", WIDE, 63, on="2025-03-25"),
    fig("ETH", MILITARY, 50, on="2025-03-25"),
    fig("ETH", "civilians_killed", 13, on="2025-03-25"),
    fig("ETH", "military_and_civilian_missing", 7, on="2025-03-25"),
    fig("ERI", WIDE, 44, on="2025-04-30"),
)


def test_a_war_of_totals_counts_the_totals_and_never_adds_the_split(tmp_path: Path) -> None:
    result = analyse(SPLIT_WAR, "2025-03-31", assume(n_draws=2000))
    assert result.scope == Choice(WIDE, EVERY_PARTY) and result.parties == ("ERI", "ETH")
    # The toll: ETH 63 + ERI 40 = 103 confirmed; the 50 and 13 inside 63 are never added.
    assert row(result.results, "military_deaths_confirmed", "ALL")["best"] == 103
    # ETH's 7 missing add 0.5 × 7 to 1 × 7 (the tests' share of the missing who are dead, from
    # 0.5 to 1): 106.5 to 110 in all.
    total = row(result.results, "military_deaths", "ALL")
    assert (total["low"], total["high"]) == (106.5, 110)
    # The people missing are Ethiopia's missing: never said to be unpublished; Eritrea's are.
    note = " ".join(missing_note(result).render().split())
    assert "Ethiopia: the data hold no figure of its missing" not in note
    assert "Eritrea: the data hold no figure of its missing" in note
    # No civilians' share or killed per wounded soldier: they need a count of soldiers alone.
    quantities = set(result.results["quantity"])
    assert not quantities & {"civilians_killed", "civilians_share_of_deaths"}
    # The split is listed beside the total of the same day, never added.
    used = inputs_with_words(result.inputs).set_index("metric")
    assert (
        used.loc[MILITARY, "treatment"]
        == used.loc["civilians_killed", "treatment"]
        == ("a split of the party's total of that day: shown beside it, never added to it")
    )
    # The results CSV names the toll's quantities by the scope: no "military_" toll of civilians.
    written = pd.read_csv(write_outputs(result, tmp_path / "war")["results"])
    assert "deaths_confirmed" in set(written["quantity"])
    assert not written["quantity"].str.startswith("military_").any()
    # How it held up: Eritrea's later total (44) against its as-of 40, of the same scope.
    (later,) = result.retrospective.to_dict("records")
    assert (later["party"], later["latest_value"], later["asof_best"]) == ("ERI", 44, 40)


def test_parties_of_different_scopes_are_counted_or_named(tmp_path: Path) -> None:
    # Colombia gives a count of soldiers, Ecuador and Peru totals of soldiers and civilians:
    # the toll counts the totals (2 parties against 1), and Colombia is named with its count.
    war = ledger(
        fig("ECU", WIDE, 30, on="1995-02-10"),
        fig("PER", WIDE, 20, on="1995-02-10"),
        fig("COL", MILITARY, 5, on="1995-02-10"),
    )
    result = analyse(war, "1995-02-10", assume(n_draws=2000))
    assert result.metric == WIDE and counted_parties(result.in_use, WIDE) == ["ECU", "PER"]
    roles = result.party_roles.set_index("party")
    assert roles.loc["COL", "role"] == "other_scope" and roles.loc["COL", "metrics"] == [MILITARY]
    assert row(result.results, "military_deaths_confirmed", "ALL")["best"] == 50  # 30 + 20
    used = inputs_with_words(result.inputs).set_index("party")
    assert used.loc["COL", "treatment"] == (
        "not counted: the party has no total of soldiers and civilians killed"
    )


def test_without_a_package_a_report_chooses_its_scope_from_what_was_reported_by_then() -> None:
    # Up to 10 December both parties published only soldiers and civilians killed together; on
    # 20 December both published soldiers killed. A report as of 10 December counts soldiers and
    # civilians (every party published that), and the ledger cut at that day gives the same.
    rows = [
        fig("ARM", "military_and_civilian_killed", 300, on="2020-12-01"),
        fig("AZE", "military_and_civilian_killed", 200, on="2020-12-01"),
        fig("ARM", "military_killed", 250, on="2020-12-20"),
        fig("AZE", "military_killed", 180, on="2020-12-20"),
    ]
    whole, cut = ledger(*rows), ledger(*rows[:2])
    early = analyse(whole, "2020-12-10", assume())
    assert early.scope.scope == "military_and_civilian_killed"
    assert row(early.results, "military_deaths_confirmed", "ALL")["best"] == 300 + 200
    same = analyse(cut, "2020-12-10", assume())
    pd.testing.assert_frame_equal(early.results, same.results)
    assert analyse(whole, "2020-12-20", assume()).scope.scope == "military_killed"


def test_a_war_of_totals_says_its_rate_a_day_in_its_own_words() -> None:
    # ETH 63 + ERI 40 = 103 over the 10 days from 1 to 10 March: 10.3 a day, of people (the
    # phrase had read "people killed, soldiers and civilians a day").
    result = analyse(
        SPLIT_WAR, "2025-03-31", assume(n_draws=2000), period_start="2025-03-01",
        period_end="2025-03-10",
    )  # fmt: skip
    text = " ".join(narrative.counts_section(result, []).html.split())
    assert "come to at least 10.3 people killed a day, soldiers and civilians." in text
