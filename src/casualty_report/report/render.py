"""Render the report's sections from Jinja templates, with every value from the data escaped.

A `Section` is a template and its values; it shows itself in a notebook cell (`_repr_html_`)
and inside another template (`__html__`), so the notebook never builds HTML by hand and no HTML
is written in Python. Autoescaping is on: text from the data (titles, quotes, names) reaches the
page as text, never as markup.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import jinja2
import markupsafe

from casualty_report import paths
from casualty_report.ledger.vocabulary import basis_name, metric_name, party_name
from casualty_report.report import METADATA_KEY, formatting

SECTIONS_DIR = paths.TEMPLATES_DIR / "sections"
WEB_SCHEMES = ("http://", "https://")


def name_breaks(name: object) -> markupsafe.Markup:
    """A snake_case name, escaped, that may wrap after an underscore (not mid-word): a long
    parameter name in a narrow column then breaks where a reader expects."""
    return markupsafe.Markup("_<wbr>").join(markupsafe.escape(str(name)).split("_"))


LONG_RUN = re.compile(r"\S{40,}")  # a run with no break opportunity that long is laid out slowly


def breakable(text: object, every: int = 20) -> markupsafe.Markup:
    """Text, escaped, with a line-break opportunity (<wbr>) every `every` characters inside runs
    of 40 or more without a space: WeasyPrint's layout of one unbroken 30,000-character word in
    a table cell took 70 s, growing with the square of its length. The text itself is unchanged
    (no character is added): copied from the page it reads as the source wrote it."""
    out, last = [], 0
    source = str(text)
    for run in LONG_RUN.finditer(source):
        out.append(markupsafe.escape(source[last : run.start()]))
        word = run.group()
        pieces = [markupsafe.escape(word[i : i + every]) for i in range(0, len(word), every)]
        out.append(markupsafe.Markup("<wbr>").join(pieces))
        last = run.end()
    out.append(markupsafe.escape(source[last:]))
    return markupsafe.Markup("").join(out)


def web_url(url: object) -> str | None:
    """The URL when it is a web address, else None: a `javascript:` link is never written."""
    text = str(url or "")
    return text if text.startswith(WEB_SCHEMES) else None


@cache
def environment() -> jinja2.Environment:
    """The one Jinja environment of the report: autoescaping on, undefined names an error."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(SECTIONS_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        count=formatting.count,
        day=formatting.day,
        percent=formatting.percent,
        by_unit=formatting.by_unit,
        party=party_name,
        metric=metric_name,
        basis=basis_name,
        web_url=web_url,
        name_breaks=name_breaks,
        breakable=breakable,
        factor=lambda value: f"×{formatting.ratio(value)}",
    )
    return env


class Section:
    """A piece of the report: a template rendered with its values, shown by a notebook cell.

    It renders when made, so a template error fails the cell (and the build) instead of being
    swallowed by the notebook's display machinery.
    """

    def __init__(self, template: str, metadata: dict | None = None, **values: Any) -> None:
        self.template = template
        self.values = values
        self.metadata = metadata  # kept with the cell's output, for the exporters to read
        self.html = environment().get_template(template).render(**values)

    def render(self) -> str:
        """The section as HTML (escaped wherever a value came from the data)."""
        return self.html

    def _repr_html_(self) -> str:
        return self.html

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        """The HTML, with this section's metadata (if any) under the key `casualty_report`."""
        return {"text/html": self.html}, ({METADATA_KEY: self.metadata} if self.metadata else {})

    def __html__(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"Section({self.template!r})"
