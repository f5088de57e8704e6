"""Strip a notebook's outputs: as a git `clean` filter, and as JupyterLab's pre-save hook.

Two guards, because git alone cannot keep `git status` quiet: it calls a file whose size changed
"modified" without running the filter. So `make lab` saves notebooks through `pre_save_hook`
(outputs stay in the browser, never on disk), and the git filter `strip-notebook` (installed
by the Makefile's set-up, see `.gitattributes`) keeps outputs out of commits made after a run in
any other tool. The output is written as nbformat writes notebooks (sorted keys, one-space
indent, UTF-8), so a clean notebook passes through byte for byte.

The hook strips only the project's report notebooks: those git tracks in `notebooks/`, the
folder `.gitattributes` filters. A scratch notebook (in `scratch/`, or a new `Untitled*.ipynb`,
both ignored by git) keeps its outputs.

`language_info` is kept: it is what the kernel says of its language, which JupyterLab writes
into the notebook when the kernel starts, so the committed notebook carries it (or every open
would mark the notebook modified before any edit). Its version is the kernel's Python, so the
hook saves the one already in the file: a save from a kernel on another Python changes nothing.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path, PurePosixPath
from typing import Any

# Cell metadata that records a run, not the notebook: JupyterLab's timing, collapsed/scrolled
# output views, and papermill's per-cell record.
RUN_METADATA = ("execution", "collapsed", "scrolled", "papermill")
# The project's report notebooks live in this folder of the repository (.gitattributes:
# notebooks/*.ipynb).
REPORT_FOLDER = PurePosixPath("notebooks")


def strip_notebook(nb: dict[str, Any]) -> dict[str, Any]:
    """Remove outputs, execution counts and run metadata from a notebook dict, in place."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        for key in RUN_METADATA:
            cell.get("metadata", {}).pop(key, None)
    metadata = nb.get("metadata", {})
    metadata.pop("widgets", None)
    metadata.pop("papermill", None)
    return nb


def strip(text: str) -> str:
    """The notebook JSON `text` without outputs, execution counts or run metadata."""
    nb = strip_notebook(json.loads(text))
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def is_report_notebook(file: Path) -> bool:
    """Whether git tracks `file` as one of the project's report notebooks (notebooks/*.ipynb in
    its repository). A new or scratch notebook is not; outside a git checkout none is."""
    try:
        done = subprocess.run(
            ["git", "ls-files", "--full-name", "--", file.name],
            cwd=file.parent,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    tracked = PurePosixPath(done.stdout.strip())
    return done.returncode == 0 and tracked.parent == REPORT_FOLDER and tracked.suffix == ".ipynb"


def pre_save_hook(model: dict[str, Any], path: str, contents_manager: Any, **_: Any) -> None:
    """Jupyter server's `FileContentsManager.pre_save_hook`: a report notebook is saved without
    outputs and with the `language_info` it has on disk; any other notebook as it is."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    file = Path(contents_manager.root_dir, path.strip("/"))
    if not is_report_notebook(file):
        return
    strip_notebook(model["content"])
    try:
        on_disk = json.loads(file.read_text(encoding="utf-8"))["metadata"]["language_info"]
    except (OSError, ValueError, KeyError, TypeError):
        return
    model["content"].setdefault("metadata", {})["language_info"] = on_disk
