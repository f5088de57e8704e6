"""Render the report's sections from Jinja templates, with every value from the data escaped.

A `Section` is a template and its values; it shows itself in a notebook cell (`_repr_html_`)
and inside another template (`__html__`), so the notebook never builds HTML by hand and no HTML
is written in Python. Autoescaping is on: text from the data (titles, quotes, names) reaches the
page as text, never as markup.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from . import formatting, paths
from .vocabulary import metric_name, party_name

SECTIONS_DIR = paths.TEMPLATES_DIR / "sections"
WEB_SCHEMES = ("http://", "https://")


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
        web_url=web_url,
    )
    return env


class Section:
    """A piece of the report: a template and its values, rendered when shown."""

    def __init__(self, template: str, **values: Any) -> None:
        self.template = template
        self.values = values

    def render(self) -> str:
        """The section as HTML (escaped wherever a value came from the data)."""
        return environment().get_template(self.template).render(**self.values)

    def _repr_html_(self) -> str:
        return self.render()

    def __html__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Section({self.template!r})"
