"""A war the project has never seen, typed as people type them: a 13-column CSV with upper-case
identifiers and no package, built with make. Every number below is worked out by hand from the
rows written here; the rows are a test fixture, not reported figures."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from casualty_report import paths
from casualty_report.ledger.conflict import PackageError, create_conflict
from casualty_report.ledger.schema import load_schema
from conftest import (
    CONTRACT,
    FAST,
    build_or_fail,
    contract_ledger,
    html_text,
    pdf_text,
    run_make,
    squash,
)

# (id, party, metric, value, qualifier, reported_on, who): Ecuador's count rises, Peru's is
# restated on 10 February and falls on 15 February, Colombia publishes only a total of soldiers
# and civilians, and Ecuador's only later figure is such a total.
ROWS = [
    ("ECU-1995-01", "ECU", "military_killed", 10, "at_least", "1995-02-01", "Ecuador's army"),
    ("PER-1995-01", "PER", "military_killed", 20, "exact", "1995-02-01", "Peru's army"),
    ("COL-1995-01", "COL", "military_and_civilian_killed", 5, "exact", "1995-02-05", "Colombia"),
    ("ECU-1995-02", "ECU", "military_killed", 27, "exact", "1995-02-10", "Ecuador's army"),
    ("PER-1995-02", "PER", "military_killed", 20, "exact", "1995-02-10", "Peru's army"),
    ("ECU-1995-03", "ECU", "military_killed", 30, "exact", "1995-02-15", "Ecuador's army"),
    ("PER-1995-03", "PER", "military_killed", 18, "exact", "1995-02-15", "Peru's army"),
    ("ECU_1996_01", "ECU", "military_and_civilian_killed", 60, "exact", "1996-01-01", "Ecuador"),
    ("PER-1996-01", "PER", "military_killed", 25, "exact", "1996-01-01", "Peru's army"),
]
FORBIDDEN = ("Nagorno", "Karabakh", "BBC", "5,208", "20201203")


def ledger_text() -> str:
    return contract_ledger([(*row, f"{row[-1]} said {row[3]} had been killed.") for row in ROWS])


@pytest.fixture(scope="module")
def war_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("war") / "border war.csv"
    path.write_text(ledger_text(), encoding="utf-8")
    return path


def test_check_data_reads_it_without_a_package(war_csv: Path) -> None:
    done = run_make("check-data", f"DATA={war_csv}")
    assert done.returncode == 0, done.stderr
    assert "9 figures, 3 parties (COL, ECU, PER)" in done.stdout
    assert "no datapackage.json beside it: neutral defaults" in done.stdout


@pytest.fixture(scope="module")
def war_reports(war_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("war-reports")
    return {
        day: build_or_fail(out, *FAST, "--data", str(war_csv), "--as-of", day, name=f"war-{day}")
        for day in ("1995-02-10", "1995-02-15")
    }


def texts(built: dict[str, Path]) -> tuple[str, str]:
    return html_text(built[".html"]), squash(pdf_text(built[".pdf"]))


def test_totals_by_as_of_and_a_neutral_title(war_reports) -> None:
    # 10 February: Ecuador 27 + Peru 20 = 47; 15 February: Ecuador 30 + Peru 18 = 48.
    for day, total, date_words in (
        ("1995-02-10", 47, "10 February 1995"),
        ("1995-02-15", 48, "15 February 1995"),
    ):
        with war_reports[day][".results.csv"].open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        (row,) = [
            r
            for r in rows
            if (r["quantity"], r["party"]) == ("military_deaths_confirmed", "ALL")
            and r["scenario"] == "all"
        ]
        assert float(row["best"]) == total, day
        html, pdf = texts(war_reports[day])
        title = f"Military deaths: figures as reported up to {date_words}"
        assert title in html and title in pdf


def test_nothing_of_another_war_and_every_party_named(war_reports) -> None:
    for built in war_reports.values():
        for text in texts(built):
            # The one place other wars are named: the table of the factors the estimate rests
            # on, each with its war's folder and party (the shipped wars are its reference).
            start = text.index("the factors the estimate rests on")
            table = text[start : text.index("How well this has done", start)]
            assert "gaza-2014" in table and "kargil-1999" in table
            rest = text.replace(table, "")
            for word in FORBIDDEN:
                assert word not in rest, word
            for name in ("Ecuador", "Peru", "Colombia"):
                assert name in text, name


def test_a_party_in_another_scope_is_named_with_what_it_published(war_reports) -> None:
    html, _ = texts(war_reports["1995-02-15"])
    assert (
        "Colombia: not counted, because by 15 February 1995 it had published no count of"
        " soldiers killed, only: soldiers and civilians killed. That is no statement that it"
        " lost no soldiers." in html
    )


def test_a_fall_and_a_restatement_are_said_as_such(war_reports) -> None:
    later, earlier = texts(war_reports["1995-02-15"])[0], texts(war_reports["1995-02-10"])[0]
    # Peru: 20 on 10 February, 18 on 15 February: down 2.
    assert "Peru, soldiers killed: fell from 20 to 18 (down 2): a count that went down" in later
    assert "Peru's count fell" in later
    # Peru: 20 on 1 February and 20 again on 10 February: corroboration, no revision.
    assert "Peru, soldiers killed: 20 restated by another report (corroboration" in earlier
    assert "20 → 20" not in earlier and "(+0)" not in earlier


def test_later_figures_of_another_scope_are_not_left_out(war_reports) -> None:
    html, _ = texts(war_reports["1995-02-15"])
    held_up = html[html.index("How the figures held up¶") :]
    # Peru's later count of soldiers: 25 on 1 January 1996, 25 - 18 = 7 above the as-of count.
    assert "Peru" in held_up and "25 on 1 January 1996" in held_up
    assert (
        "Ecuador: no later count of soldiers killed; its latest later total counts soldiers and"
        " civilians together, 60 on 1 January 1996" in held_up
    )


def test_an_estimate_for_each_party_from_the_shipped_wars(war_reports) -> None:
    html, _ = texts(war_reports["1995-02-15"])
    ahead = html[html.index("Where the counts are likely to end¶") :]
    for name in ("Ecuador", "Peru", "All parties"):
        assert f"{name}" in ahead and "is likely to end between" in ahead, name
    assert "not reported figures" in ahead


def test_unknown_missing_is_never_a_zero(war_reports) -> None:
    html, _ = texts(war_reports["1995-02-15"])
    for name in ("Ecuador", "Peru"):
        assert (
            f"{name}: the data hold no figure of its missing or of bodies awaiting identification"
            " by 15 February 1995" in html
        )
    assert "Not used in this report" in html  # the missing and bodies' assumptions


def test_new_conflict_created_filled_and_built(tmp_path: Path) -> None:
    folder = tmp_path / "border-war-1995"
    made = create_conflict(folder, load_schema().contract)
    assert [p.name for p in made] == ["figures.csv", "datapackage.json", "checks.csv", "notes.md"]
    assert (folder / "figures.csv").read_text(encoding="utf-8").strip() == ",".join(CONTRACT)
    with pytest.raises(PackageError, match="exists already"):
        create_conflict(folder, load_schema().contract)
    # Filled in as the package's comment asks, with the rows above, it builds.
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    package.pop("$comment")
    package.update(
        title="Reported figures of a border war (test fixture)",
        description="Rows written by the test.",
        keywords=["test"],
        contributors=[{"title": "The test", "role": "author"}],
        parties=[{"code": "ECU", "label": "Ecuador"}, {"code": "PER", "label": "Peru"}],
        report={"title": "Soldiers killed in a border war", "as_of": "1995-02-15"},
    )
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    with (folder / "figures.csv").open("a", encoding="utf-8") as handle:
        handle.write(ledger_text().split("\n", 1)[1])
    built = build_or_fail(tmp_path / "out", *FAST, "--data", str(folder / "figures.csv"))
    html = html_text(built[".html"])
    assert "Soldiers killed in a border war" in html and "At least 48 soldiers" in html


def test_a_package_still_holding_todo_is_refused_naming_it(tmp_path: Path) -> None:
    folder = tmp_path / "half-done"
    create_conflict(folder, load_schema().contract)
    with (folder / "figures.csv").open("a", encoding="utf-8") as handle:
        handle.write(ledger_text().split("\n", 1)[1])
    done = run_make("check-data", f"DATA={folder / 'figures.csv'}")
    assert done.returncode != 0
    assert f"{folder / 'datapackage.json'}: still holds TODO" in done.stderr


def test_the_cli_never_overwrites_a_conflict() -> None:
    existing = paths.DEFAULT_FIGURES.parent
    before = sorted((p.name, p.stat().st_mtime_ns) for p in existing.iterdir())
    refused = subprocess.run(
        [sys.executable, "-m", "casualty_report", "new-conflict", existing.name],
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 1
    assert refused.stderr.strip().endswith("exists already; nothing was changed")
    assert sorted((p.name, p.stat().st_mtime_ns) for p in existing.iterdir()) == before


@pytest.mark.parametrize(
    "conflict", sorted(p.parent.name for p in paths.DATA_DIR.glob("*/figures.csv"))
)
def test_every_shipped_war_builds_with_make(conflict: str, repo_report_name: str) -> None:
    done = run_make(
        "report", f"CONFLICT={conflict}", f"REPORT={repo_report_name}", "P=n_draws=5000"
    )
    assert done.returncode == 0, done.stderr
    html = html_text(paths.REPORTS_DIR / f"{repo_report_name}.html")
    package = json.loads((paths.DATA_DIR / conflict / "datapackage.json").read_text())
    assert package["report"]["title"] in html
    if conflict != paths.DEFAULT_CONFLICT:  # nothing of the 2020 war in another war's report
        for word in ("BBC", "5,208", "20201203", "103 of them"):
            assert word not in html, word
