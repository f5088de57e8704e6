"""How the figures held up, as the report says it: each party's statement as of the report's
date beside its later counts, and whether the estimate's interval covered its eventual official
count (hindsight, labelled as such; nothing here feeds a number of the report)."""

from __future__ import annotations

from typing import Any

from casualty_report.ledger.scope import MILITARY
from casualty_report.model.retrospective import outside
from casualty_report.report import formatting, scopes
from casualty_report.report.render import Section


def retrospective_section(analysis: Any) -> Section:
    """How each party's statement as of the report's date compares with its later count of the
    same basis, and with its latest count of any basis when that is another one."""
    last = analysis.steps.sort_values("reported_on").groupby("party").tail(1).set_index("party")
    rows = []
    for r in analysis.retrospective.to_dict("records"):
        newest = last.loc[r["party"]] if r["party"] in last.index else None
        other = newest is not None and newest["figure_id"] != r["latest_figure_id"]
        rows.append(
            {
                **r,
                "latest_words": formatting.figure_words(
                    int(r["latest_value"]), None, r["latest_qualifier"]
                ),
                "off": formatting.count(abs(r["off_by"])),
                "above": r["off_by"] > 0,
                "newest": None
                if not other
                else {
                    "words": formatting.figure_words(
                        int(newest["value"]), None, newest["qualifier"]
                    ),
                    "reported_on": newest["reported_on"],
                    "basis": newest["basis"],
                    "off": outside(newest["value"], r["asof_low"], r["asof_high"]),
                },
            }
        )
    wider = [
        {**r, "words": formatting.figure_words(int(r["value"]), None, r["qualifier"])}
        for r in analysis.later_other_scope.to_dict("records")
    ]
    estimate = analysis.nowcast.set_index("party")
    for row in rows:
        final = row["newest"]["words"] if row["newest"] else row["latest_words"]
        value = last.loc[row["party"], "value"] if row["party"] in last.index else None
        official = analysis.eventual.get(row["party"])  # the package's eventual count
        if official is not None:
            value = official["value"]
            final = f"its eventual official count, {formatting.count(value)}"
        else:
            final = f"its last count, {final}"
        if row["party"] in estimate.index and value is not None:
            e = estimate.loc[row["party"]]
            if e["best"] == e["best"]:
                row["estimate"] = {
                    "low": e["low"],
                    "high": e["high"],
                    "low_80": e["low_80"],
                    "high_80": e["high_80"],
                    "final": final,
                    "covered": bool(e["low"] <= value <= e["high"]),
                    "covered_80": bool(e["low_80"] <= value <= e["high_80"]),
                }
    return Section(
        "retrospective.html.j2",
        as_of=analysis.as_of,
        rows=rows,
        wider=wider,
        share=formatting.share(analysis.assumptions.interval),
        # the report's interval, unless it reads as the 80 % one (as printed, rounded)
        other_level=formatting.share(analysis.assumptions.interval) != formatting.share(0.8),
        scope=scopes.words(analysis),
        military=analysis.metric == MILITARY,
    )
