"""Issue 22 end to end: a short border war whose two governments published only totals of
soldiers and civilians killed, revised several times a day, one of them split at the end. It is
typed as a new user would: a 13-column CSV with upper-case identifiers, the same-day figures in
file order (no reported_at), no package. It passes check-data with its same-day series and builds
at several as-of dates. The rows are a test fixture written here, not reported figures; every
number below is worked out by hand from them."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from conftest import FAST, build_or_fail, contract_ledger, html_text, pdf_text, run_make, squash

TOTAL = "military_and_civilian_killed"
ETH, ERI = "Ethiopia Ministry of Health", "Eritrea Ministry of Information"
SPLIT = "63 killed, 50 servicemen and 13 civilians"
# (id, party, metric, value, qualifier, reported_on, reported by, quote), in file order.
ROWS = [
    ("ETH-2025-01", "ETH", TOTAL, 12, "exact", "2025-09-15", ETH, "12 people have been killed"),
    ("ERI-2025-01", "ERI", TOTAL, 20, "at_least", "2025-09-16", ERI, "at least 20 were killed"),
    # 18 September: Ethiopia's ministry revises its count twice; Eritrea gives one figure.
    ("ETH-2025-02", "ETH", TOTAL, 36, "exact", "2025-09-18", ETH, "36 people have been killed"),
    ("ERI-2025-02", "ERI", TOTAL, 31, "exact", "2025-09-18", ERI, "31 people were killed"),
    ("ETH-2025-03", "ETH", TOTAL, 46, "exact", "2025-09-18", ETH, "the toll has risen to 46"),
    ("ETH-2025-04", "ETH", TOTAL, 59, "exact", "2025-09-18", ETH, "the toll has risen to 59"),
    # 21 September: Eritrea's count, then the same day corrected down.
    ("ERI-2025-03", "ERI", TOTAL, 44, "exact", "2025-09-21", ERI, "44 people were killed"),
    ("ERI-2025-04", "ERI", TOTAL, 41, "exact", "2025-09-21", ERI, "the toll was corrected to 41"),
    # 25 September: Ethiopia's last total, split in the same sentence.
    ("ETH-2025-05", "ETH", TOTAL, 63, "exact", "2025-09-25", ETH, SPLIT),
    ("ETH-2025-06", "ETH", "military_killed", 50, "exact", "2025-09-25", ETH, SPLIT),
    ("ETH-2025-07", "ETH", "civilians_killed", 13, "exact", "2025-09-25", ETH, SPLIT),
]
# Each party's figure is the last of its day, and the all-parties total is their sum:
# 18 September: Ethiopia 59 (36 → 46 → 59) + Eritrea 31 = 90;
# 21 September: Ethiopia 59 + Eritrea 41 (44 → 41) = 100;
# 25 September: Ethiopia 63 + Eritrea 41 = 104. Ethiopia's split (50 + 13 = 63) is inside its 63
# and is never added: a total of 104 + 63 = 167, or 41 + 50 = 91 soldiers, would be wrong.
EXPECTED = {
    "2025-09-18": {"ETH": 59, "ERI": 31, "ALL": 90},
    "2025-09-21": {"ETH": 59, "ERI": 41, "ALL": 100},
    "2025-09-25": {"ETH": 63, "ERI": 41, "ALL": 104},
}
DAYS = {"2025-09-18": "18 September 2025", "2025-09-21": "21 September 2025",
        "2025-09-25": "25 September 2025"}  # fmt: skip


def ledger_text(rows: list[tuple]) -> str:
    return contract_ledger(rows)


@pytest.fixture(scope="module")
def war_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("border") / "figures.csv"
    path.write_text(ledger_text(ROWS), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reports(war_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("border-reports")
    return {
        day: build_or_fail(out, *FAST, "--data", str(war_csv), "--as-of", day, name=f"b-{day}")
        for day in EXPECTED
    }


def texts(built: dict[str, Path]) -> tuple[str, str]:
    return html_text(built[".html"]), squash(pdf_text(built[".pdf"]))


def test_check_data_passes_and_names_each_same_day_series(war_csv: Path) -> None:
    done = run_make("check-data", f"DATA={war_csv}")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert f"{war_csv}: ETH {TOTAL} on 2025-09-18 ({ETH}): a same-day series, read in file" in (
        done.stdout
    )
    assert any(line.endswith("read in file order: 36 → 46 → 59") for line in lines)
    assert any(line.endswith("read in file order: 44 → 41") for line in lines)  # it falls
    assert f"{war_csv}: the toll counts {TOTAL} (soldiers and civilians killed)" in done.stdout


def test_each_figure_is_the_last_of_its_day_and_the_total_is_right(reports) -> None:
    for day, expected in EXPECTED.items():
        with reports[day][".results.csv"].open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        confirmed = {
            r["party"]: float(r["best"])
            for r in rows
            if r["quantity"] == "deaths_confirmed" and r["scenario"] == "all"
        }
        assert confirmed == expected, day
        # The file never calls this toll military.
        assert not any(r["quantity"].startswith("military_") for r in rows), day


def test_the_text_says_the_toll_is_of_soldiers_and_civilians(reports) -> None:
    for day, expected in EXPECTED.items():
        for text in texts(reports[day]):
            assert (
                f"At least {expected['ALL']} people (soldiers and civilians) had been reported"
                f" killed by {DAYS[day]}" in text
            ), day
            assert (
                "The toll counts people killed, soldiers and civilians: the narrowest scope in"
                " which every party published a count." in text
            ), day
            assert (
                f"Deaths of soldiers and civilians: figures as reported up to {DAYS[day]}" in text
            )


def test_the_day_s_revisions_are_said_and_the_split_shown_beside_its_total(reports) -> None:
    on_18, on_21, on_25 = (texts(reports[day])[0] for day in EXPECTED)
    assert "Revised that day: 36 → 46 → 59 on 18 September 2025; the last is used." in on_18
    assert "Revised that day: 44 → 41 on 21 September 2025; the last is used." in on_21
    assert "revised that day: 36 → 46 → 59" in on_21  # the figures in use: 59 still Ethiopia's
    assert (
        "Ethiopia: 63 on 25 September 2025 (basis not stated), open: up 4, or 7 %, in the 7 days"
        " before. Split the same day into 50 soldiers and 13 civilians: shown beside the total,"
        " never added to it." in on_25
    )
    # The revisions' sources are listed: the quote of Ethiopia's 46 is under Sources.
    assert "the toll has risen to 46" in on_18[on_18.index("Sources¶") :]
    # A revision within a day is not a disagreement between sources.
    assert "others give" not in on_18


# A sentence that would say, or let a reader think, that a party lost no soldiers.
NO_SOLDIERS = re.compile(
    r"lost no soldiers|no soldiers|\b0 soldiers|no count of soldiers killed|none were killed"
    r"|no figure of its soldiers|soldiers killed: the count as read",
    re.IGNORECASE,
)


def test_no_sentence_implies_a_party_lost_no_soldiers(reports) -> None:
    for day in EXPECTED:
        for text in texts(reports[day]):
            assert not NO_SOLDIERS.search(text), (day, NO_SOLDIERS.search(text))


def test_a_war_whose_package_counts_totals_names_a_party_of_soldiers_only(tmp_path) -> None:
    # The package says the toll counts soldiers and civilians; Eritrea gave only a count of its
    # soldiers (25 on 20 September), so Ethiopia alone is counted: 59.
    folder = tmp_path / "border-war"
    folder.mkdir()
    rows = [*ROWS[:6], ("ERI-2025-09", "ERI", "military_killed", 25, "exact", "2025-09-20", ERI,
                        "25 soldiers were killed")]  # fmt: skip
    rows = [r for r in rows if not (r[1] == "ERI" and r[2] == TOTAL)]
    (folder / "figures.csv").write_text(ledger_text(rows), encoding="utf-8")
    package = {"name": "border-war", "parties": [{"code": "ETH", "label": "Ethiopia"},
               {"code": "ERI", "label": "Eritrea"}], "report": {"scope": TOTAL}}  # fmt: skip
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    built = build_or_fail(tmp_path / "out", *FAST, "--data", str(folder / "figures.csv"))
    html = html_text(built[".html"])
    assert "At least 59 people (soldiers and civilians) had been reported killed" in html
    assert (
        "The toll counts people killed, soldiers and civilians, as the war's data package" in html
    )
    assert (
        "Eritrea: not counted, because by 20 September 2025 it had published no total of"
        " soldiers and civilians killed, only: soldiers killed. Its figures are shown, never"
        " added to the toll, which counts soldiers and civilians together." in html
    )
    assert "not counted: the party has no total of soldiers and civilians killed" in html
    assert not NO_SOLDIERS.search(html), NO_SOLDIERS.search(html)
