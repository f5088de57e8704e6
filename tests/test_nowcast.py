"""The nowcast of where counts end and its backtest: hand-worked on a two-war fixture, leave one
war out, no hindsight, and the 2020 war's estimate against what was later reported."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from casualty_report import paths
from casualty_report.ledger import figures as figures_module
from casualty_report.model import nowcast
from casualty_report.model.analysis import analyse
from casualty_report.model.backtest import backtest, summary
from conftest import FAST, build_or_fail
from ledger_rows import assume, fig, ledger

END = pd.Timestamp("2030-01-01")
# War A: X 100 when the fighting ended, 120 ten days later, 150 at last; Y 50 throughout.
WAR_A = ledger(
    fig("ARM", "military_killed", 100, on="2030-01-01"),
    fig("ARM", "military_killed", 120, on="2030-01-11"),
    fig("ARM", "military_killed", 150, on="2030-04-11"),
    fig("AZE", "military_killed", 50, on="2030-01-01"),
)
# War B: Z 200 when the fighting ended, 300 at last.
WAR_B = ledger(
    fig("GEO", "military_killed", 200, on="2030-01-01"),
    fig("GEO", "military_killed", 300, on="2030-06-01"),
)
A, B = nowcast.War("a", WAR_A, END), nowcast.War("b", WAR_B, END)


def test_the_delay_curve_by_hand() -> None:
    # At the end: 150/100 = 1.5 and 50/50 = 1; ten days later 150/120 = 1.25 and 1.
    assert sorted(np.exp(nowcast.growth(A, 0))) == pytest.approx([1.0, 1.5])
    assert sorted(np.exp(nowcast.growth(A, 10))) == pytest.approx([1.0, 1.25])
    assert np.exp(nowcast.growth(B, 0)) == pytest.approx([1.5])  # 300 / 200


def test_each_factor_is_listed_with_its_war_party_and_counts() -> None:
    # Ten days after the end: war A's ARM 120 -> 150 (x1.25) and AZE 50 -> 50 (x1); war B's
    # GEO 200 -> 300 (x1.5). The members are the pool, in the pool's order.
    members = nowcast.reference_members([A, B], 10)
    got = {(m["war"], m["party"]): (m["count"], m["eventual"], m["factor"]) for m in members}
    assert got == {
        ("a", "ARM"): (120, 150, 1.25),
        ("a", "AZE"): (50, 50, 1.0),
        ("b", "GEO"): (200, 300, 1.5),
    }
    pool = np.exp(nowcast.reference_growth([A, B], 10))
    assert [m["factor"] for m in members] == pytest.approx(list(pool))


def test_an_interval_from_the_reference_by_hand() -> None:
    pool = nowcast.reference_growth([A], 0)  # log 1 and log 1.5
    best, low, high = nowcast.interval(200, pool, 0.8)
    # Best: factors 1 and 1.5 weigh 1 and 1/1.5 = 0.67; half their sum, 0.83, is reached at the
    # factor 1. The 10 % and 90 % quantiles of the two logs interpolate to 0.1 and 0.9 of the
    # way: 200 x 1.5 ** 0.1 = 208.3 and 200 x 1.5 ** 0.9 = 288.1, and the best value is held
    # inside that interval, at its lower end: 208.3.
    assert best == pytest.approx(200 * 1.5**0.1) == pytest.approx(208.28, abs=0.01)
    assert (low, high) == pytest.approx((200 * 1.5**0.1, 200 * 1.5**0.9))


def test_the_best_value_is_the_median_weighted_by_one_over_the_value() -> None:
    # 1, 1.1, 1.2, 3 weigh 1, 0.909, 0.833, 0.333 (sum 3.076, half 1.538): reached at 1.1
    # (1 + 0.909 = 1.909), where the plain median would be 1.15.
    assert nowcast.least_error(np.array([3.0, 1.2, 1.0, 1.1])) == 1.1
    # 2 and 4 weigh 0.5 and 0.25: half the sum, 0.375, is reached at 2.
    assert nowcast.least_error(np.array([4.0, 2.0])) == 2.0
    # Its absolute percentage error, summed over the values, is the least of any candidate.
    values = np.array([1.0, 1.1, 1.2, 3.0])
    errors = {x: np.abs(x - values).dot(1 / values) for x in (1.0, 1.1, 1.15, 1.2, 1.5)}
    assert min(errors, key=errors.get) == 1.1


def test_the_best_value_stays_inside_its_own_80_percent_interval() -> None:
    # One factor of 0.1 (a count later revised to a tenth) among nine of 1: it weighs 10, the
    # nine weigh 9, so the weighted median is 0.1, below the interval. The 10 % quantile of the
    # ten logs lies 0.9 of the way from log 0.1 to log 1: 0.1 ** 0.1 = 0.794, where the best
    # value is held (the report as of 2026-01-01 had said "between 1,570 and 3,800 (best 1,265)").
    pool = np.log(np.array([0.1] + [1.0] * 9))
    assert nowcast.least_error(np.exp(pool)) == pytest.approx(0.1)
    best, low, high = nowcast.interval(1000, pool, 0.8)
    assert best == pytest.approx(1000 * 0.1**0.1) == pytest.approx(794.33, abs=0.01)
    assert low <= best <= high and high == pytest.approx(1000)


def test_missing_soldiers_raise_the_upper_end_and_none_is_no_zero() -> None:
    pool = np.log(np.array([1.0, 1.0]))  # a reference whose counts never grew
    assert nowcast.interval(100, pool, 0.9) == (100.0, 100.0, 100.0)
    assert nowcast.interval(100, pool, 0.9, missing=30) == (100.0, 100.0, 130.0)
    assert all(math.isnan(v) for v in nowcast.interval(100, np.array([]), 0.9))


def test_the_backtest_leaves_each_war_out() -> None:
    table = backtest([A, B], days=(0,), levels=(0.8,))
    nowcasts = table[table["method"] == "nowcast"].set_index("party")
    # War B's GEO is estimated from war A alone (factors 1 and 1.5): best 200 x 1.5 ** 0.1 =
    # 208.3 (the interval's lower end: see above); it ended at 300, an error of 91.7 / 300.
    assert nowcasts.loc["GEO", "best"] == pytest.approx(200 * 1.5**0.1)
    assert nowcasts.loc["GEO", "abs_pct_error"] == pytest.approx((300 - 208.276) / 3, abs=0.001)
    assert not nowcasts.loc["GEO", "covered"]  # 300 is above 200 x 1.5 ** 0.9 = 288.1
    # War A's ARM from war B alone (growth 1.5): 100 x 1.5 = 150, its eventual: error 0.
    assert nowcasts.loc["ARM", "best"] == pytest.approx(150)
    assert nowcasts.loc["ARM", "abs_pct_error"] == pytest.approx(0)
    latest = table[table["method"] == "latest_count"].set_index("party")
    assert latest.loc["GEO", "abs_pct_error"] == pytest.approx(100 * 100 / 300)


def test_the_2020_estimate_covers_what_was_later_reported() -> None:
    full = figures_module.load_figures(paths.DEFAULT_FIGURES)
    reference = nowcast.wars(figures_module.shipped_ledgers(exclude=paths.DEFAULT_FIGURES))
    assert "nagorno-karabakh-2020" not in {w.name for w in reference}
    result = analyse(full, "2020-12-03", assume(), period_end="2020-11-10", reference=reference)
    estimate = result.nowcast.set_index("party")
    # The last official counts of soldiers killed: Armenia 3,755 (27 November 2025), Azerbaijan
    # 2,907 (27-28 September 2021); together 3,755 + 2,907 = 6,662.
    for party, final in (("ARM", 3755), ("AZE", 2907), ("ALL", 6662)):
        assert estimate.loc[party, "low"] <= final <= estimate.loc[party, "high"], party
    assert estimate.attrs["days"] == 23  # 10 November to 3 December 2020


def test_the_chart_bands_end_where_the_intervals_end(monkeypatch) -> None:
    # An editor measured the bands of Figure 4 against its axis: Armenia's 80 % band ran from
    # about 2,420 to 3,950 where the text then said 2,718 to 3,706 (thick lines' caps reach past
    # their ends). Each band is a bar from the interval's low end to its high end, in data units.
    from casualty_report.report import outlook

    full = figures_module.load_figures(paths.DEFAULT_FIGURES)
    reference = nowcast.wars(figures_module.shipped_ledgers(exclude=paths.DEFAULT_FIGURES))
    result = analyse(full, "2020-12-03", assume(), period_end="2020-11-10", reference=reference)
    captured = {}
    monkeypatch.setattr(outlook, "chart", lambda fig, **kw: captured.update(fig=fig))
    outlook.outlook_chart(result, 0.9, "Test source")
    end = captured["fig"].axes[1]
    names = {"Armenia": "ARM", "Azerbaijan": "AZE"}
    party_at = {i: names[label.get_text()] for i, label in enumerate(end.get_xticklabels())}
    assert sorted(party_at.values()) == ["ARM", "AZE"]
    estimate = result.nowcast.set_index("party")
    for bar in end.patches:
        party = party_at[round(bar.get_x() + bar.get_width() / 2)]
        ends = (bar.get_y(), bar.get_y() + bar.get_height())
        assert ends in (
            pytest.approx((estimate.loc[party, "low"], estimate.loc[party, "high"])),
            pytest.approx((estimate.loc[party, "low_80"], estimate.loc[party, "high_80"])),
        ), (party, ends)
    assert len(end.patches) == 4  # two bands a party
    # Armenia's 80 % interval: its count, 2,718, times the other wars' growth factors.
    assert estimate.loc["ARM", "low_80"] == 2718
    outlook.plt.close(captured["fig"])


def test_a_ledger_cut_at_as_of_gives_the_same_results(tmp_path: Path) -> None:
    # Nothing reported after as_of may change a number: the whole ledger and the ledger cut at
    # 3 December 2020 (each with the war's package; the cut one without the eventual counts
    # it names, reported later) give byte-identical results CSVs.
    cut = tmp_path / "cut"
    cut.mkdir()
    package = json.loads((paths.DEFAULT_FIGURES.parent / "datapackage.json").read_text())
    assert package["report"].pop("eventual_figures")
    (cut / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    with paths.DEFAULT_FIGURES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with (cut / "figures.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in rows if r["reported_on"] <= "2020-12-03")
    args = (*FAST, "--as-of", "2020-12-03")
    whole = build_or_fail(tmp_path / "whole", *args, "--data", str(paths.DEFAULT_FIGURES))
    part = build_or_fail(tmp_path / "part", *args, "--data", str(cut / "figures.csv"))
    assert whole[".results.csv"].read_bytes() == part[".results.csv"].read_bytes()


def test_the_backtest_over_every_shipped_war() -> None:
    table = backtest(nowcast.wars(figures_module.shipped_ledgers()))
    assert set(table["conflict"]) >= {"georgia-2008", "nagorno-karabakh-2020", "kargil-1999"}
    assert set(table["method"]) == {"latest_count", "count_plus_missing", "nowcast"}
    record = summary(table)
    # The goals of issue 19 for the intervals' coverage (the error goal is not met: see README).
    assert 0.70 <= record.loc["nowcast", 0.8] <= 0.90
    assert 0.80 <= record.loc["nowcast", 0.9] <= 0.97


def test_a_war_never_seen_gets_an_estimate_from_the_shipped_wars() -> None:
    unseen = ledger(
        fig("ECU", "military_killed", 30, on="1995-02-15"),
        fig("PER", "military_killed", 18, on="1995-02-15"),
    )
    reference = nowcast.wars(figures_module.shipped_ledgers())
    result = analyse(unseen, "1995-02-15", assume(), reference=reference)
    estimate = result.nowcast.set_index("party")
    assert {"ECU", "PER", "ALL"} <= set(estimate.index)
    assert estimate["best"].notna().all()
    # The wars whose factors it rests on are those with a count when their fighting ended: 9 of
    # the 11 (Armenia's first count of 2020 came on 14 November, four days after; Azerbaijan's
    # of 2023 on 27 September, seven days after): the report says "of 9 other wars", not 11.
    assert len(reference) == 11 and estimate.attrs["wars"] == 9
    assert estimate.attrs["wars"] == len({m["war"] for m in estimate.attrs["members"]})


def test_a_count_marked_final_ends_where_it_is() -> None:
    pool = nowcast.reference_growth([A], 0)  # growth 1 and 1.5
    table = nowcast.outlook(
        {"ARM": 100.0, "AZE": 50.0}, {}, 0, [A], 0.9, 1000, 1, final=frozenset({"AZE"})
    ).set_index("party")
    assert tuple(table.loc["AZE", ["best", "low", "high"]]) == (50.0, 50.0, 50.0)
    assert table.loc["ARM", "best"] == pytest.approx(100 * 1.5**0.1)  # factors 1 and 1.5: above
    # The sum: Armenia's 100 grows (by 1 or 1.5), Azerbaijan's 50 stays: 150 to 200.
    assert 150 <= table.loc["ALL", "low"] <= table.loc["ALL", "high"] <= 200
    assert pool.size == 2


# War C: GEO 200 when the fighting ended, its ministry's 250 a hundred days later, and an
# unattributed 300 after that; the package names the 250 as the eventual official count.
WAR_C = ledger(
    fig("GEO", "military_killed", 200, on="2030-01-01"),
    fig("GEO", "military_killed", 250, on="2030-04-11"),
    fig("GEO", "military_killed", 300, on="2031-01-01"),
)
WAR_C.attrs["eventual"] = {"GEO": {"value": 250, "reported_on": "2030-04-11"}}


def test_the_eventual_count_is_the_one_the_package_names() -> None:
    war = nowcast.War("c", WAR_C, END)
    assert np.exp(nowcast.growth(war, 0)) == pytest.approx([1.25])  # 250 / 200, not 300 / 200
    table = backtest([war, B], days=(0,), levels=(0.8,))
    assert set(table.loc[table["conflict"] == "c", "eventual"]) == {250}
    # Without a named count, a war is read at its last count: 300 / 200.
    unnamed = WAR_C.copy()
    unnamed.attrs = {}
    plain = nowcast.War("c", unnamed, END)
    assert np.exp(nowcast.growth(plain, 0)) == pytest.approx([1.5])


@pytest.mark.parametrize(
    ("named", "refusal"),
    [
        ({"AZE": "no-such-figure"}, "report.eventual_figures.AZE: no figure 'no-such-figure'"),
        (
            {"NKR": "aze-military-killed-20230927-afp"},
            "report.eventual_figures.NKR: figure 'aze-military-killed-20230927-afp' is AZE's",
        ),
        (["aze-military-killed-20230927-afp"], "report.eventual_figures: expected an object"),
    ],
)
def test_a_named_eventual_count_that_is_not_in_the_ledger_is_refused(
    tmp_path: Path, named: object, refusal: str
) -> None:
    war = paths.DATA_DIR / "nagorno-karabakh-2023"
    folder = tmp_path / "nagorno-karabakh-2023"
    folder.mkdir()
    (folder / "figures.csv").write_bytes((war / "figures.csv").read_bytes())
    package = json.loads((war / "datapackage.json").read_text(encoding="utf-8"))
    package["report"]["eventual_figures"] = named
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    with pytest.raises(figures_module.PackageError) as caught:
        figures_module.load_figures(folder / "figures.csv", current=False)
    message = str(caught.value)
    assert "datapackage.json" in message and refusal in message
    assert "\n" not in message


def test_one_party_s_sum_is_its_own_estimate() -> None:
    # One counted party: all parties together are that party, estimated the same way (the sum's
    # simulated draws once gave 2,626-10,232 beside the party's own 2,703-6,231 for one count).
    table = nowcast.outlook({"AZE": 2783.0}, {}, 10, [A, B], 0.9, 20_000, 1).set_index("party")
    columns = ["count", "best", "low_80", "high_80", "low", "high"]
    assert table.loc["ALL", columns].tolist() == table.loc["AZE", columns].tolist()
    # War A's factors at 10 days (x1.25, x1) and war B's (x1.5): best 2,783 x 1.25.
    assert table.loc["ALL", "best"] == pytest.approx(2783 * 1.25)


def test_one_counted_party_gets_no_all_parties_line_and_a_later_first_count_is_said() -> None:
    # India 20 by the report's date; China's only count, 4, came months later (as at Galwan).
    from casualty_report.report.narrative import key_findings
    from casualty_report.report.outlook import outlook_section

    clash = ledger(
        fig("IND", "military_killed", 20, on="2030-01-02"),
        fig("CHN", "military_killed", 4, on="2030-08-01"),
    )
    result = analyse(clash, "2030-01-05", assume(), reference=[A, B])
    # The results keep the ALL row the issue asks for; the report's estimate does not repeat
    # India's line as "all parties together", which would read as a sum of both sides.
    assert set(result.nowcast["party"]) == {"IND", "ALL"}
    section = outlook_section(result, 0.9)
    assert [r["party"] for r in section.values["rows"]] == ["IND"]
    assert "All parties" not in section.html
    findings = key_findings(result, [], 0.9).html
    assert "China had published no count of its soldiers killed by 5 January 2030" in findings
    assert "China 4 (1 August 2030), a count it began only after this report's date." in findings
