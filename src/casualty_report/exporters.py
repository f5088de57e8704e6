"""nbconvert exporters for the report: self-contained HTML, and PDF from that HTML via WeasyPrint.

Registered under the `nbconvert.exporters` entry point (see pyproject.toml), so
`jupyter nbconvert --to casualty-html` / `--to casualty-pdf` work as well as the build.
"""

from __future__ import annotations

from typing import Any

from nbconvert.exporters import HTMLExporter
from traitlets import default

from . import paths


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


def html_to_pdf(html: str) -> bytes:
    """Render report HTML to PDF bytes (A4, page numbers from the stylesheet's @page rules)."""
    import weasyprint  # imported here: only PDF output pays for it

    return weasyprint.HTML(string=html, base_url=str(paths.TEMPLATES_DIR)).write_pdf()


class WeasyPDFExporter(ReportHTMLExporter):
    """The report HTML, printed to PDF by WeasyPrint."""

    export_from_notebook = "Casualty report (PDF)"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _default_file_extension(self) -> str:
        return ".pdf"

    def from_notebook_node(self, nb: Any, resources: dict | None = None, **kw: Any):
        html, resources = super().from_notebook_node(nb, resources=resources, **kw)
        resources["output_extension"] = ".pdf"
        return html_to_pdf(html), resources
