"""nbconvert exporters for the report: self-contained HTML, and PDF from that HTML via WeasyPrint.

Registered under the `nbconvert.exporters` entry point (see pyproject.toml), so
`jupyter nbconvert --to casualty-html` / `--to casualty-pdf` work as well as the build.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from nbconvert.exporters import HTMLExporter
from nbconvert.filters.strings import _convert_header_id
from traitlets import default

from casualty_report import paths
from casualty_report.build import provenance
from casualty_report.report import METADATA_KEY

FALLBACK_TITLE = "Casualty report"
SECTION_HEADING = re.compile(r"^## +(.+?) *#* *$", re.MULTILINE)


def contents(nb: Any) -> list[dict[str, str]]:
    """Every second-level heading of the notebook's markdown cells, with the id nbconvert gives
    it (nbconvert's own rule, so that the links of the table of contents land)."""
    found = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for match in SECTION_HEADING.finditer(cell.source):
                text = match[1].strip()
                found.append({"text": text, "id": _convert_header_id(text)})
    return found


def described(nb: Any) -> dict[str, Any]:
    """What the report says of itself: the metadata of the cell output that carries it (the
    title block's, see report.render.METADATA_KEY), or {} for another notebook."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            found = output.get("metadata", {}).get(METADATA_KEY)
            if found:
                return dict(found)
    return {}


def report_metadata(nb: Any) -> dict[str, Any]:
    """Title, author, description, keywords and contents of the report, as the run states them
    (the conflict's package); the project's citation fills what a run does not say."""
    about = described(nb)
    title = str(about.get("title") or nb.metadata.get("title") or FALLBACK_TITLE)
    citation = provenance.citation()
    return {
        "title": title,
        "author": ", ".join(about.get("authors") or []) or citation["authors"],
        "description": about.get("description") or title,
        "keywords": ", ".join(about.get("keywords") or citation.get("keywords", [])),
        "contents": contents(nb),
    }


class ReportHTMLExporter(HTMLExporter):
    """HTML with code hidden, no network requests, and the report's print stylesheet."""

    export_from_notebook = "Casualty report (HTML)"

    @default("template_name")
    def _default_template_name(self) -> str:
        return "report"

    @default("extra_template_basedirs")
    def _default_extra_template_basedirs(self) -> list[str]:
        return [str(paths.TEMPLATES_DIR)]

    @default("exclude_input")
    def _default_exclude_input(self) -> bool:
        return True

    @default("exclude_input_prompt")
    def _default_exclude_input_prompt(self) -> bool:
        return True

    @default("exclude_output_prompt")
    def _default_exclude_output_prompt(self) -> bool:
        return True

    def from_notebook_node(self, nb: Any, resources: dict | None = None, **kw: Any):
        """The report page, titled with the report's title and with its table of contents."""
        nb = copy.deepcopy(nb)
        report = report_metadata(nb)
        nb.metadata["title"] = report["title"]  # the title element of the lab template
        resources = {**(resources or {}), "report": report}
        return super().from_notebook_node(nb, resources=resources, **kw)


def html_to_pdf(html: str) -> bytes:
    """Render report HTML to a tagged PDF (A4; title, author, subject and language from the
    HTML's head), so that screen readers can read it. No base URL: a relative link (the CSVs
    beside the report) stays relative, resolved by the viewer from the PDF's own folder."""
    try:
        import weasyprint  # imported here: only PDF output pays for it
    except OSError as err:  # its libraries (Pango) missing: not a file that cannot be written
        raise ImportError(f"WeasyPrint cannot be loaded: {err}") from err

    document = weasyprint.HTML(string=html)
    return document.write_pdf(pdf_tags=True)


class WeasyPDFExporter(ReportHTMLExporter):
    """The report HTML, printed to PDF by WeasyPrint."""

    export_from_notebook = "Casualty report (PDF)"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _default_file_extension(self) -> str:
        return ".pdf"

    def from_notebook_node(self, nb: Any, resources: dict | None = None, **kw: Any):
        """The report HTML printed to PDF."""
        html, resources = super().from_notebook_node(nb, resources=resources, **kw)
        resources["output_extension"] = ".pdf"
        return html_to_pdf(html), resources
