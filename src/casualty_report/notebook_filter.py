"""Strip a notebook's outputs, as the git `clean` filter `strip-notebook` does.

Installed by the Makefile's set-up (`.gitattributes`: `notebooks/*.ipynb filter=strip-notebook`),
so that running and saving the notebook in JupyterLab leaves nothing for git to see: outputs,
execution counts and run metadata never reach a commit. The output is written as nbformat
writes notebooks (sorted keys, one-space indent, UTF-8), so a clean notebook passes unchanged.
"""

from __future__ import annotations

import json

# Cell metadata that records a run, not the notebook: JupyterLab's timing, collapsed/scrolled
# output views, and papermill's per-cell record.
RUN_METADATA = ("execution", "collapsed", "scrolled", "papermill")


def strip(text: str) -> str:
    """The notebook JSON `text` without outputs, execution counts or run metadata."""
    nb = json.loads(text)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        for key in RUN_METADATA:
            cell.get("metadata", {}).pop(key, None)
    nb.get("metadata", {}).pop("widgets", None)
    nb.get("metadata", {}).pop("papermill", None)
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
