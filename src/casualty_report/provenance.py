"""What a reader needs to reproduce a report: package versions, the commit and the build time.

(The data checksum is `figures.sha256`; the parameters are printed from the notebook's run.)
"""

from __future__ import annotations

import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from . import paths

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
