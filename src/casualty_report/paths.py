"""Every project path, built from the project root in one place."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parents[1]

DATA_DIR = ROOT / "data"
DEFAULT_CONFLICT = "nagorno-karabakh-2020"  # what a plain `make report` builds
DEFAULT_FIGURES = DATA_DIR / DEFAULT_CONFLICT / "figures.csv"
FIGURES_SCHEMA = DATA_DIR / "figures.schema.json"  # the columns common to every conflict

NOTEBOOKS_DIR = ROOT / "notebooks"
REPORT_NOTEBOOK = NOTEBOOKS_DIR / "01_casualty_report.ipynb"
REPORTS_DIR = ROOT / "reports"

TEMPLATES_DIR = PACKAGE_DIR / "report" / "templates"
STYLE_SHEET = PACKAGE_DIR / "report" / "report.mplstyle"


def resolve(path: str | Path) -> Path:
    """A user-given path: absolute as given, relative ones from the project root."""
    path = Path(path).expanduser()
    return path if path.is_absolute() else ROOT / path


def display(path: Path) -> str:
    """A path as shown to a reader: relative to the project root when inside it."""
    path = Path(path)
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
