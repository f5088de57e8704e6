"""Report text and charts: escaping, safe links, mathtext off, sentences from the results."""

from __future__ import annotations

import matplotlib
import pandas as pd

from casualty_report import narrative, plots  # noqa: F401  (plots sets the chart style)


def test_links_only_to_web_addresses() -> None:
    assert narrative.link("A & B", "https://example.org/?a=1&b=2") == (
        '<a href="https://example.org/?a=1&amp;b=2">A &amp; B</a>'
    )
    assert narrative.link("<script>", "javascript:alert(1)") == "&lt;script&gt;"


def test_mathtext_is_off_so_dollars_print_as_written() -> None:
    assert matplotlib.rcParams["text.parse_math"] is False


def test_no_uncertainty_note_states_the_single_toll() -> None:
    results = pd.DataFrame(
        [
            {
                "quantity": "military_deaths",
                "party": "ALL",
                "low": 5208.0,
                "best": 5208.0,
                "high": 5208.0,
            }
        ]
    )
    assert "are all 5,208" in narrative.no_uncertainty_note(results)  # 2,425 + 2,783


def test_tables_escape_text_from_the_data() -> None:
    frame = pd.DataFrame({"a": ["<script>alert(1)</script>"], "b": ["AT&T 100% $5_{x}"]})
    html = narrative.html_table(frame, widths=[50, 50])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "AT&amp;T 100% $5_{x}" in html
