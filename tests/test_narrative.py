"""Report sections and charts: templates escape the data, sections render themselves, no HTML in
Python, each quote once, labels at the ends they describe, mathtext off."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import matplotlib
import pandas as pd
import pytest

from casualty_report import paths
from casualty_report.model.analysis import analyse
from casualty_report.model.reconcile import reconcile
from casualty_report.report import backmatter, missing, narrative, plots, render, tables
from conftest import squash
from ledger_rows import assume, fig, ledger

SCRIPT = "<script>alert(1)</script>"
TEX_LIKE = "AT&T 100% $5_{x}"
LETTERS = "Əliyev ş Հայաստան"
# An HTML start or end tag as it would be written in Python source: `<p>`, `</td>`, `<a href=`
# (of an HTML element, so that a placeholder in prose such as `<stem>.results.csv` is not one).
ELEMENTS = (
    "a abbr b blockquote body br caption cite code col colgroup dd div dl dt em figcaption figure"
    " h1 h2 h3 h4 h5 h6 head hr html i img li link main meta nav ol p pre q script section small"
    " span strong style sub sup table tbody td th thead title tr ul"
).split()
HTML_TAG = re.compile(rf"</?(?:{'|'.join(ELEMENTS)})(\s+[a-zA-Z-]+=|\s*/?>)", re.IGNORECASE)


def figure_row(**values: object) -> dict:
    """A row of the figures file with plain defaults; `values` override them."""
    row = {
        "figure_id": "aze-military-killed-20201203",
        "party": "AZE",
        "metric": "military_killed",
        "value": 2783,
        "value_high": None,
        "qualifier": "exact",
        "reported_on": pd.Timestamp("2020-12-03"),
        "reported_by": "Azerbaijan Ministry of Defence",
        "source_title": "Nagorno-Karabakh conflict killed 5,000 soldiers",
        "source_url": "https://www.bbc.com/news/world-europe-55174211",
        "source_published_on": pd.Timestamp("2020-12-03"),
        "quote": "As well as the 2,783 soldiers killed, more than 100 soldiers were missing.",
        "basis": "not_stated",
    }
    return {**row, **values}


def test_no_html_tags_in_python_source_under_src() -> None:
    found = [
        f"{path.relative_to(paths.ROOT)}:{number}: {line.strip()}"
        for path in sorted(paths.PACKAGE_DIR.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if HTML_TAG.search(line)
    ]
    assert found == [], "HTML belongs in templates/:\n" + "\n".join(found)


def test_the_tag_pattern_finds_tags() -> None:
    # The check above must be able to fail: these are the forms the old code wrote.
    for line in ('f"<h1>{title}</h1>"', "'<a href=\"x\">'", '"</td>"', "'<br/>'"):
        assert HTML_TAG.search(line), line
    for line in ("a < b and c > d", "x <= y", "List[int]", "'<report name>.results.csv'", "<stem>"):
        assert not HTML_TAG.search(line), line


def test_notebook_shows_sections_without_display_html() -> None:
    nb = json.loads(paths.REPORT_NOTEBOOK.read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "HTML(" not in code
    assert "IPython.display" not in code


def test_parameter_comments_fit_the_editor() -> None:
    # JupyterLab's editor shows about 100 characters at its default width; each parameter keeps
    # its `# comment` on its own line (papermill --help-notebook reads it from there).
    nb = json.loads(paths.REPORT_NOTEBOOK.read_text(encoding="utf-8"))
    (cell,) = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    for line in "".join(cell["source"]).splitlines():
        assert len(line) <= 100, line
        assert ": " in line and "  # " in line, f"parameter without a type or comment: {line}"


def test_section_renders_itself_and_escapes_the_data() -> None:
    section = narrative.paragraphs(f"{SCRIPT} {TEX_LIKE} {LETTERS}")
    html = section._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; AT&amp;T 100% $5_{x} " + LETTERS in html
    assert section.__html__() == html  # nests in another template as the same markup


def test_tables_escape_text_and_align_numbers_right() -> None:
    html = tables.table(
        [{"a": SCRIPT, "b": "5,208"}],
        [("a", "Text", 50, False), ("b", "Count", 50, True)],
        caption=TEX_LIKE,
    ).render()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "AT&amp;T 100% $5_{x}" in html
    assert '<td class="num">5,208</td>' in html
    # JupyterLab right-aligns every cell; the section's own style puts text back on the left.
    # (0,2,3) outranks JupyterLab's `:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td` (0,2,1).
    assert "div.cr table.cr-table th, div.cr table.cr-table td { text-align: left;" in html


def test_links_only_to_web_addresses() -> None:
    assert render.web_url("https://example.org/?a=1&b=2") == "https://example.org/?a=1&b=2"
    assert render.web_url("javascript:alert(1)") is None
    figures = pd.DataFrame([figure_row(source_url="javascript:alert(1)", source_title=SCRIPT)])
    html = tables.sources_table(figures).render()
    assert "javascript:" not in html
    assert "&lt;script&gt;" in html


def test_sources_table_shows_each_source_and_each_quote_once() -> None:
    # Three figures carried by one sentence of one article, one by another sentence.
    shared = "More than 100 soldiers were missing and 103 bodies awaited identification."
    figures = pd.DataFrame(
        [
            figure_row(metric="military_missing", value=100, qualifier="more_than", quote=shared),
            figure_row(metric="unidentified_bodies", value=103, quote=shared),
            figure_row(),
        ]
    )
    html = tables.sources_table(figures).render()
    assert html.count("Nagorno-Karabakh conflict killed 5,000 soldiers") == 1
    assert html.count(shared) == 1
    assert html.count("As well as the 2,783 soldiers killed") == 1
    assert "more than 100" in html and "2,783" in html


def test_missing_note_says_what_each_party_published_never_a_silent_zero() -> None:
    figures = ledger(
        fig("ARM", "military_killed", 2425, on="2020-11-18"),
        fig("AZE", "military_killed", 2783),
        fig("AZE", "military_missing", 100, "more_than"),
    )
    text = squash(missing.missing_note(analyse(figures, "2020-12-03", assume())).render())
    assert (
        "Armenia: the data hold no figure of its missing or of bodies awaiting identification by"
        " 3 December 2020 (none published, or none found that a figure could be entered from):"
        " what they could add to its count is not known" in text
    )
    assert "not a statement that none are missing" in text
    assert "Azerbaijan: the data hold no figure" not in text  # its missing are in use


def test_missing_note_states_the_single_toll_when_nothing_moves_it() -> None:
    figures = ledger(
        fig("ARM", "military_killed", 2425, on="2020-11-18"), fig("AZE", "military_killed", 2783)
    )
    text = squash(missing.missing_note(analyse(figures, "2020-12-03", assume())).render())
    assert "5,208 in all" in text  # 2,425 + 2,783


def test_assumptions_table_holds_assumptions_only() -> None:
    def reason(name: str, value: object, kind: str = "judgement") -> dict:
        return {
            "name": name,
            "value": value,
            "meaning": name,
            "reason": f"Why {name}.",
            "kind": kind,
        }

    reasons = [
        reason("seed", 7),
        reason("n_draws", 1000),
        reason("interval", 0.9),
        {**reason("missing_dead_share_low", 0.0), "meaning": "Share of missing who are dead (low)"},
        reason("missing_dead_share_best", 0.75, "evidence"),
        reason("missing_dead_share_high", 1.0),
        reason("unidentified_counted_prob", 0.5),
    ]
    html = tables.assumptions_table(reasons).render()
    for setting in ("seed", "n_draws", "interval"):
        assert f"Why {setting}." not in html, setting
    assert "Share of missing who are dead (low, best, high)" in html
    assert "0 / 0.75 / 1" in html
    # Each reason keeps its kind: a judgement, then evidence, then a judgement again.
    assert "Judgement:</span> Why missing_dead_share_low." in html
    assert "Evidence:</span> Why missing_dead_share_best." in html
    assert "Judgement:</span> Why missing_dead_share_high." in html
    assert html.count("<tr>") == 1 + 2  # the header, the triple on one row, the probability


def test_a_triple_prints_its_shared_evidence_once() -> None:
    # The ledger's evidence is the same text on all three ends of a triple (assumption_reasons
    # gives it as "evidence"); the row prints it once, then each end's own judgement.
    ends = [
        {
            "name": f"missing_dead_share_{end}",
            "value": value,
            "meaning": "Share of missing who are dead (low)",
            "kind": "evidence",
            "evidence": "The missing fell from 100 to 28.",
            "judgement": f"Judged {end}.",
            "reason": f"The missing fell from 100 to 28. Judged {end}.",
        }
        for end, value in (("low", 0.0), ("best", 0.75), ("high", 1.0))
    ]
    html = tables.assumptions_table(ends).render()
    assert html.count("The missing fell from 100 to 28.") == 1
    assert "Evidence:</span> The missing fell from 100 to 28. <span" in html
    assert "Judgement:</span> Judged low. Judged best. Judged high." in html


def test_how_to_cite_names_title_date_checksum_and_commit() -> None:
    html = backmatter.how_to_cite(
        f"Toll {SCRIPT}",
        "2020-12-03",
        "2026-11-25T12:00:00+00:00",
        "ab" * 32,
        "c0ffee",
        {"authors": "The casualty-report contributors", "license": "MIT"},
    ).render()
    assert "Toll &lt;script&gt;" in html
    assert "3 December 2020" in html and "25 November 2026" in html
    assert "ab" * 32 in html and "c0ffee" in html
    assert "MIT" in html


def test_mathtext_is_off_so_dollars_print_as_written() -> None:
    assert matplotlib.rcParams["text.parse_math"] is False


def test_tornado_labels_sit_at_the_ends_they_describe() -> None:
    # An assumption whose high end lowers the total: 5,348 at its low end, 5,245 at its high end.
    sensitivity = pd.DataFrame(
        [{"assumption": "unidentified_counted", "total_at_low": 5348.0, "total_at_high": 5245.0}]
    )
    fig = plots.tornado_figure(sensitivity, best_total=5297.0)
    (ax,) = fig.axes
    placed = {t.get_text().strip(): (t.get_position()[0], t.get_ha()) for t in ax.texts}
    assert placed["5,348"] == (5348.0, "left")  # the bar's right end, label outside it
    assert placed["5,245"] == (5245.0, "right")  # the bar's left end
    (bar,) = ax.patches
    assert (bar.get_x(), bar.get_x() + bar.get_width()) == pytest.approx((5245.0, 5348.0))
    matplotlib.pyplot.close(fig)


def test_license_and_citation_exist() -> None:
    assert (paths.ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    cff = (paths.ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert "cff-version:" in cff and "license: MIT" in cff


def test_templates_autoescape() -> None:
    env = render.environment()
    assert env.autoescape is True
    assert Path(env.loader.searchpath[0]) == render.SECTIONS_DIR


def test_a_template_error_fails_when_the_section_is_made() -> None:
    # IPython would print a failing _repr_html_ as a traceback and carry on; rendering when the
    # section is made makes the notebook cell, and so the build, fail instead.
    with pytest.raises(Exception, match="undefined"):
        render.Section("table.html.j2", rows=[{"a": 1}])


def test_a_source_sum_is_set_beside_the_counts_in_use() -> None:
    # BBC News summed Armenia's 2,425 (18 November) and Azerbaijan's 2,783 into "over 5,000";
    # Armenia's count in use on 3 December is "at least 2,718" (2 December, AP). Azerbaijan's
    # count in use is another source's row with the same value: it does not differ.
    bbc = "https://www.bbc.com/news/world-europe-55174211"
    rows = [
        figure_row(figure_id="arm-bbc", party="ARM", value=2425, source_url=bbc,
                   reported_on=pd.Timestamp("2020-11-18")),
        figure_row(figure_id="aze-bbc", source_url=bbc),
        figure_row(figure_id="both-bbc", party="BOTH", value=5000, qualifier="more_than",
                   basis="secondary_sum", source_url=bbc, reported_by="BBC News",
                   value_as_written="over 5,000"),
        figure_row(figure_id="arm-ap", party="ARM", value=2718, qualifier="at_least",
                   reported_on=pd.Timestamp("2020-12-02"), source_url="https://apnews.com/x"),
        figure_row(figure_id="aze-trend", source_url="https://trend.az/x"),
    ]  # fmt: skip
    all_figures = pd.DataFrame(rows)
    in_use = all_figures[all_figures["figure_id"].isin(["both-bbc", "arm-ap", "aze-trend"])]
    analysis = SimpleNamespace(in_use=in_use, reconciliation=reconcile(in_use, all_figures))
    (found,) = narrative.reconciliation(analysis)
    assert found["source"] == "BBC News" and found["headline"] == "over 5,000"
    assert [p["value"] for p in found["then"]] == [2425, 2783]
    assert found["then_total"] == 5208  # 2,425 + 2,783
    assert found["now_total"] == 5501  # 2,718 + 2,783
    assert found["now_at_least"] is True  # Armenia's 2,718 is "at least"
    assert found["differs"] == ["ARM"]
    html = render.Section(
        "counts.html.j2", as_of="2020-12-03", counts=[], reconciliation=[found], stale=[]
    ).html
    assert "BBC News's “over 5,000” (3 December 2020) summed 2,425 + 2,783 = 5,208" in html
    assert "at least 2,718 + 2,783 = 5,501" in html


def test_results_note_is_a_whole_sentence_with_or_without_links() -> None:
    from casualty_report.build import parameters
    from casualty_report.ledger import figures
    from casualty_report.model import analysis
    from casualty_report.model.assumptions import Assumptions

    defaults = {k: v["default"] for k, v in parameters.declared(paths.REPORT_NOTEBOOK).items()}
    assumptions = Assumptions.from_namespace({**defaults, "n_draws": 2000})
    bbc = figures.load_figures(Path(__file__).parent / "fixtures" / "bbc_ledger.csv")
    result = analysis.analyse(bbc, "2020-12-03", assumptions)
    # Run in JupyterLab, the notebook writes no CSV (results_path is empty): no dangling "is in".
    alone = narrative.results_table(result.results, result.parties, []).render()
    assert "is in the results CSV that a build writes beside the report." in alone
    linked = narrative.results_table(result.results, result.parties, [("r.csv", "r.csv")])
    assert re.search(r'is in\s+<a href="r.csv">r.csv</a>\.', linked.render())


def test_a_parameter_name_wraps_after_an_underscore_and_stays_escaped() -> None:
    assert str(render.name_breaks("unidentified_counted_prob")) == (
        "unidentified_<wbr>counted_<wbr>prob"
    )
    assert str(render.name_breaks("<b>_x")) == "&lt;b&gt;_<wbr>x"  # data is text, never markup


# Issue 23: what JupyterLab shows. Every party named in the findings, an empty section shows
# nothing, the findings are a box there too, and no chart label runs into another.


def analysed(as_of: str):
    from casualty_report.build import parameters
    from casualty_report.ledger import figures
    from casualty_report.model import analysis
    from casualty_report.model.assumptions import Assumptions

    defaults = {k: v["default"] for k, v in parameters.declared(paths.REPORT_NOTEBOOK).items()}
    assumptions = Assumptions.from_namespace({**defaults, "n_draws": 2000})
    ledger = figures.load_figures(paths.DEFAULT_FIGURES)
    return ledger, analysis.analyse(ledger, as_of, assumptions)


def findings_text(result) -> str:
    html = narrative.key_findings(result, narrative.reconciliation(result), 0.9).html
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_findings_say_which_party_had_not_published_a_count_yet() -> None:
    # On 20 November 2020 only Armenia had counted its dead; Azerbaijan's first count came on
    # 3 December 2020 (the BBC's 2,783).
    _, early = analysed("2020-11-20")
    assert early.parties == ("ARM",)
    text = findings_text(early)
    assert "Armenia 2,425 (18 November 2020)." in text
    # Said without the later date: an as-of report never leans on what came after it.
    assert (
        "Azerbaijan had published no count of its soldiers killed by 20 November 2020, so none"
        " of its dead are in this total."
    ) in text
    assert "3 December 2020" not in text
    _, default = analysed("2020-12-03")
    assert default.not_yet_counted.empty
    assert "had published no count" not in findings_text(default)


def test_a_section_with_nothing_to_say_shows_nothing() -> None:
    from casualty_report.model import changes

    ledger, _ = analysed("2020-12-03")
    since, changed = changes.what_changed(ledger, "2020-12-03", None)
    assert narrative.changes_section(since, changed, "2020-12-03") is None  # no output at all
    since, changed = changes.what_changed(ledger, "2021-01-18", "2020-12-03")
    shown = narrative.changes_section(since, changed, "2021-01-18")
    assert shown is not None and "Revised between 3 December 2020 and 18 January 2021" in shown.html


def test_key_findings_carry_their_box_into_jupyterlab() -> None:
    _, result = analysed("2020-12-03")
    html = narrative.key_findings(result, narrative.reconciliation(result), 0.9).html
    assert '<p class="box-title">Key findings</p>' in html
    # Its own rules (report.css is not loaded in JupyterLab): a rule on the left, a background.
    style = html[html.index("<style>") : html.index("</style>")]
    assert "div.cr.key-figures {" in style and "border-left" in style and "background" in style


def test_count_labels_and_the_as_of_label_never_overlap() -> None:
    # 3 December 2020: Armenia at least 2,718 (2 December), Azerbaijan 2,783 (3 December).
    steps = pd.DataFrame(
        [
            ("ARM", "2020-11-14", 2317, "bodies_examined"),
            ("ARM", "2020-11-18", 2425, "bodies_examined"),
            ("ARM", "2020-12-02", 2718, "bodies_examined"),
            ("AZE", "2020-12-03", 2783, "not_stated"),
        ],
        columns=["party", "reported_on", "value", "basis"],
    ).assign(reported_on=lambda d: pd.to_datetime(d["reported_on"]))
    fig, _ = plots.official_counts_figure(steps, pd.Timestamp("2020-12-03"), {})
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    (ax,) = fig.axes
    boxes = {t.get_text(): t.get_window_extent(renderer) for t in ax.texts}
    assert set(boxes) == {"2,718", "2,783", "as of 3 December 2020"}
    names = sorted(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not boxes[a].overlaps(boxes[b]), (a, b)
    assert boxes["as of 3 December 2020"].y0 >= ax.get_window_extent(renderer).y1  # above it
    for label in ("2,718", "2,783"):  # inside the axes' height, so drawn
        assert ax.get_window_extent(renderer).y0 < boxes[label].y0
        assert boxes[label].y1 <= ax.get_window_extent(renderer).y1 + 1
    matplotlib.pyplot.close(fig)


def test_a_long_unbroken_word_gets_break_opportunities_and_keeps_its_text() -> None:
    # One unbroken 130,000-character word in a quote stalled the PDF for minutes (its layout
    # grows with the square of a run's length); every 20 characters may now break.
    word = "x" * 130_000
    figures = pd.DataFrame([figure_row(quote=f"Said: {word} & <b>bold</b>.")])
    html = tables.sources_table(figures).render()
    quoted = re.search(r"<q[^>]*>(.*?)</q>", html, re.S).group(1)
    runs = re.split(r"<wbr>", quoted)
    assert max(len(w) for run in runs for w in run.split()) <= 40  # no unbroken run of more
    assert "".join(runs) == f"Said: {word} &amp; &lt;b&gt;bold&lt;/b&gt;."  # text as written
    assert render.breakable("An ordinary sentence, as sources write it.") == (
        "An ordinary sentence, as sources write it."
    )


def test_a_count_given_as_about_is_no_floor_in_the_findings() -> None:
    # "about 10" is read 9 to 11 (best 10); with Azerbaijan's exact 20 the sum is about 30, not
    # "at least 29"; with exact and at-least counts alone the floor stays: at least 10 + 20.
    about = ledger(
        fig("ARM", "military_killed", 10, "about", status="open"),
        fig("AZE", "military_killed", 20, status="open"),
    )
    text = findings_text(analyse(about, "2020-12-03", assume()))
    assert "About 30 soldiers had been reported killed" in text and "At least 29" not in text
    floor = ledger(
        fig("ARM", "military_killed", 10, "at_least", status="open"),
        fig("AZE", "military_killed", 20, status="open"),
    )
    assert "At least 30 soldiers had been" in findings_text(analyse(floor, "2020-12-03", assume()))
    # "up to 100" is no floor (read 50 to 100), nor is about with a floor: the stated sum, said.
    for mixed in (
        ledger(fig("ARM", "military_killed", 100, "up_to"), fig("AZE", "military_killed", 20)),
        ledger(
            fig("ARM", "military_killed", 10, "about"),
            fig("AZE", "military_killed", 100, "more_than"),
        ),  # fmt: skip
    ):
        text = findings_text(analyse(mixed, "2020-12-03", assume()))
        stated = 120 if "up to" in text else 110
        assert f"{stated} soldiers (each figure as stated) had been reported killed" in text
        assert "About" not in text.split("Key findings")[1][:20]


def test_a_chart_of_later_figures_counts_its_later_reports_apart() -> None:
    # Two sources up to 3 December 2020 (one of them also carries a later figure) and one whose
    # only figure came after: charts of the figures to date rest on 2 reports; the chart that
    # also draws the later figures on 2 up to that day and 1 later.
    figures = pd.DataFrame(
        {
            "source_title": ["A", "A", "B", "C"],
            "source_url": ["https://a", "https://a", "https://b", "https://c"],
            "reported_on": pd.to_datetime(["2020-12-01", "2021-01-05", "2020-12-03", "2021-02-01"]),
        }
    )
    then, with_later = narrative.sources_lines(figures, "2020-12-03")
    assert then == "Source: 2 reports, listed under Sources; calculations: this report."
    assert with_later == (
        "Source: 2 reports up to 3 December 2020 and 1 later, listed under Sources;"
        " calculations: this report."
    )
    alone, same = narrative.sources_lines(figures[figures["source_title"] == "B"], "2020-12-03")
    assert alone == same == "Source: 1 report, listed under Sources; calculations: this report."


def test_the_other_sources_of_a_figure_are_those_of_its_party_metric_and_day() -> None:
    # Shown: A's 2,783 of 3 December. Listed: B's 2,783 that day (agrees) and C's 2,784 (another
    # value: "others give", which a reader must be able to trace too); not D's 2,783 of
    # 4 December (another day), nor A's own row.
    rows = pd.DataFrame(
        {
            "figure_id": ["a", "b", "c", "d"],
            "party": ["AZE"] * 4,
            "metric": ["military_killed"] * 4,
            "reported_on": pd.to_datetime(["2020-12-03"] * 3 + ["2020-12-04"]),
            "value": [2783, 2783, 2784, 2783],
            "value_high": [None] * 4,
            "reported_by": ["A", "B", "C", "D"],
        }
    )
    others = tables.same_day_figures(rows, rows[rows["figure_id"] == "a"])
    assert others["figure_id"].tolist() == ["b", "c"]


def test_a_basis_has_the_same_marker_in_every_chart() -> None:
    # An editor found "Not stated" a square in one chart and a triangle in the next: markers
    # went by order of appearance. Two charts, one without bodies examined: the markers of the
    # bases they share are the same.
    def markers(rows: list[tuple]) -> dict[str, str]:
        steps = pd.DataFrame(rows, columns=["party", "reported_on", "value", "basis"])
        steps["reported_on"] = pd.to_datetime(steps["reported_on"])
        fig, _ = plots.official_counts_figure(steps, pd.Timestamp("2021-12-31"), {})
        (ax,) = fig.axes
        legend = ax.get_legend() or fig.legends[0]
        found = {
            t.get_text(): h.get_marker()
            for t, h in zip(legend.get_texts(), legend.legend_handles, strict=True)
        }
        matplotlib.pyplot.close(fig)
        return found

    first = markers(
        [("ARM", "2020-11-18", 2425, "bodies_examined"), ("AZE", "2020-12-03", 2783, "not_stated")]
    )
    second = markers(
        [
            ("AZE", "2020-12-03", 2783, "not_stated"),
            ("ARM", "2021-08-26", 3702, "death_certificates"),
        ]
    )
    assert first["Not stated"] == second["Not stated"]
    assert len({first["Bodies examined"], second["Death certificates"], first["Not stated"]}) == 3


def test_wording_of_a_one_day_rise_a_restatement_and_a_range_of_one_count() -> None:
    from casualty_report.model import changes

    figures = ledger(
        fig("ARM", "military_killed", 100, on="2030-01-01"),
        fig("ARM", "military_killed", 110, on="2030-01-02"),
        fig("AZE", "military_killed", 50, on="2030-01-01"),
        fig("AZE", "military_killed", 50, on="2030-01-02"),
        fig("ARM", "military_killed", 120, on="2030-02-01"),
    )
    result = analyse(figures, "2030-01-02", assume())
    # 100 to 110 from 1 to 2 January: a rise of 10, or 10 %, in one day ("1 days" before).
    text = squash(narrative.key_findings(result, [], 0.9).html)
    assert "Armenia's count rose by 10, or 10 %, in the day to 2 January 2030" in text
    # Azerbaijan's 50 again on 2 January is a restatement, and the heading says so.
    since, changed = changes.what_changed(figures, "2030-01-02", "2030-01-01")
    shown = squash(narrative.changes_section(since, changed, "2030-01-02").html)
    assert "Revised or reported again between 1 January 2030 and 2 January 2030:" in shown
    since, changed = changes.what_changed(figures[figures["party"] == "AZE"], "2030-01-02",
                                          "2030-01-01")  # fmt: skip
    shown = squash(narrative.changes_section(since, changed, "2030-01-02").html)
    assert "Reported again, unchanged, between 1 January 2030 and 2 January 2030:" in shown
    # No missing, no bodies: each range is the count itself, and the chart has no band to shade.
    chart = plots.official_counts(result.steps, "2030-01-02", "Source", result.retrospective)
    assert "is each count itself, with nothing to add to it, so no band is drawn" in squash(
        chart.html
    )
    matplotlib.pyplot.close("all")


def test_a_party_with_bodies_but_no_missing_is_said_to_have_no_missing_figure() -> None:
    # Armenia's 250 bodies awaiting identification are in use, but no figure of its missing: the
    # note says so rather than nothing (the 2020 report as of 3 December had been silent).
    figures = ledger(
        fig("ARM", "military_killed", 2718),
        fig("ARM", "unidentified_bodies", 250, on="2020-11-18"),
        fig("AZE", "military_killed", 2783),
        fig("AZE", "military_missing", 100, "more_than"),
    )
    text = squash(missing.missing_note(analyse(figures, "2020-12-03", assume())).render())
    assert (
        "Armenia: the data hold no figure of its missing by 3 December 2020, only of bodies"
        " awaiting identification: what its missing could add is not known" in text
    )
    assert "Azerbaijan: the data hold" not in text


def test_with_nothing_to_add_the_results_table_shows_no_zero_additions() -> None:
    # Two counts and no missing or bodies: "what could be added 0" would read as "none are
    # missing"; the table leaves those rows out and says why.
    result = analyse(
        ledger(fig("IND", "military_killed", 20), fig("CHN", "military_killed", 4)),
        "2020-12-03",
        assume(),
    )
    shown = squash(narrative.results_table(result.results, result.parties, []).html)
    assert "What the missing and unidentified could add" not in shown
    assert "Nothing is added to any count: the figures in use hold no missing and no" in shown
