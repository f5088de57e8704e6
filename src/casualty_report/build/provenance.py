"""What a reader needs to reproduce and cite a report: versions, commit, build time, citation.

(The data checksum is that of the bytes `figures.load_figures` read, in its table's
attrs["sha256"]; the parameters are printed from the notebook's run.)
"""

from __future__ import annotations

import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import yaml

from casualty_report import paths

CITATION_FILE = paths.ROOT / "CITATION.cff"

# The packages whose versions can change a number or a page of the report.
KEY_PACKAGES = (
    "casualty-report",
    "pandas",
    "numpy",
    "matplotlib",
    "papermill",
    "nbconvert",
    "ipykernel",
    "weasyprint",
)


def package_versions() -> dict[str, str]:
    """Installed versions of the key packages (and Python)."""
    versions = {"python": platform.python_version()}
    for name in KEY_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def git_commit(root: Path = paths.ROOT) -> str:
    """The project's commit, marked '+ uncommitted changes' when the tree differs from it."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()

    try:
        commit = git("rev-parse", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"
    return f"{commit} + uncommitted changes" if dirty else commit


def build_time() -> str:
    """Now, in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def citation(path: Path = CITATION_FILE) -> dict:
    """Authors (one string), licence and keywords from CITATION.cff, the one place they live."""
    cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    names = [
        author.get("name")
        or " ".join(filter(None, (author.get("given-names"), author.get("family-names"))))
        for author in cff.get("authors", [])
    ]
    return {
        "authors": ", ".join(names),
        "license": cff.get("license", ""),
        "keywords": list(cff.get("keywords", [])),
        "title": cff.get("title", ""),
    }
