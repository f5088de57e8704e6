"""Charts for any number of parties: with more parties than the palette has colours, none is
dropped; the largest counts keep a colour each, the rest are drawn in grey and named, and the
alt text says what is drawn (issue 21: a ninth party used to vanish from Figure 1)."""

from __future__ import annotations

import matplotlib.colors
import pytest

from casualty_report.ledger.vocabulary import party_name
from casualty_report.model.analysis import analyse
from casualty_report.report import plots
from ledger_rows import assume, fig, ledger

PARTIES = ["ARM", "AZE", "RUS", "TUR", "GEO", "IRN", "SYR", "ISR", "UKR", "FRA", "DEU", "USA"]


def twelve_parties():
    """Two killed counts for each of 12 parties; a party's count grows with its place."""
    rows = []
    for place, party in enumerate(PARTIES, start=1):
        rows.append(fig(party, "military_killed", 100 * place, on="2020-11-20"))
        rows.append(fig(party, "military_killed", 100 * place + 7, on="2020-12-03"))
    return ledger(*rows)


@pytest.fixture
def drawn(monkeypatch):
    """official_counts of the 12 parties: the figure (still open), alt text and caption."""
    captured = {}

    def keep(fig, alt, finding, caption, source=""):
        captured.update(fig=fig, alt=alt, caption=caption)

    monkeypatch.setattr(plots, "chart", keep)
    result = analyse(twelve_parties(), "2020-12-03", assume(n_draws=2000))
    plots.official_counts(result.steps, "2020-12-03", "Test source")
    yield captured
    plots.plt.close(captured["fig"])


def step_lines(figure) -> dict[str, str]:
    """The step line of each party drawn, by its latest value: value -> colour (hex)."""
    (ax,) = figure.axes
    return {
        int(line.get_ydata()[-1]): matplotlib.colors.to_hex(line.get_color())
        for line in ax.get_lines()
        if line.get_drawstyle() == "steps-post"
    }


def test_every_party_is_drawn_the_largest_in_colour(drawn) -> None:
    lines = step_lines(drawn["fig"])
    latest = {party: 100 * place + 7 for place, party in enumerate(PARTIES, start=1)}
    assert sorted(lines) == sorted(latest.values()), "a party is missing from the chart"
    coloured = [party for party, value in latest.items() if lines[value] != plots.OTHERS_COLOUR]
    assert coloured == PARTIES[-len(plots.COLOURS) :]  # the largest counts
    colours = [lines[latest[party]] for party in coloured]
    assert len(set(colours)) == len(colours), "two coloured parties share a colour"


def test_legend_caption_and_alt_text_name_what_is_drawn(drawn) -> None:
    (ax,) = drawn["fig"].axes
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    grey = PARTIES[: len(PARTIES) - len(plots.COLOURS)]
    assert f"{len(grey)} other parties" in legend
    for party in PARTIES[len(grey) :]:
        assert party_name(party) in legend
    for party in PARTIES:
        assert party_name(party) in drawn["alt"], party
    names = ", ".join(party_name(party) for party in grey)
    assert f"In grey, the {len(grey)} parties with smaller counts: {names}." in drawn["caption"]
    assert drawn["alt"].endswith(f"In grey, the {len(grey)} parties with smaller counts: {names}.")


def test_a_palette_of_parties_or_fewer_is_drawn_as_before() -> None:
    import pandas as pd

    last = pd.Series([5, 1, 3], index=["A", "B", "C"])
    assert plots.coloured_parties(last, 8) == ["A", "B", "C"]
    assert plots.coloured_parties(last, 2) == ["A", "C"]  # the largest, in their order


@pytest.mark.parametrize("first", ["2020-11-29", "1997-01-01"])  # 4 days; 4 years to as_of
def test_counts_of_0_over_any_span_draw_without_a_warning(first: str) -> None:
    import warnings

    rows = [fig("AZE", "military_killed", 0, on=first), fig("AZE", "military_killed", 0)]
    result = analyse(ledger(*rows), "2020-12-03", assume(n_draws=2000))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warned: singular y limits, no date interval
        plots.official_counts(result.steps, "2020-12-03", "Test source")
