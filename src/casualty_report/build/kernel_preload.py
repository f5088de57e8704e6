"""What the build's kernel runs as it boots, before its first cell (`builder.KERNEL_PRELOAD`):
the notebook's two heavy libraries imported while the build's own process loads WeasyPrint and
the HTML exporter, so that the two overlap instead of taking turns.

What those imports write to stderr (matplotlib when MPLCONFIGDIR cannot be used, pandas when an
optional library is too old, a warning) is written again when the first cell starts, into that
cell's output, which the build moves to its own stderr like any cell's (`builder.move_stderr`):
written at boot, before any cell, it would reach no one.
"""

from __future__ import annotations

import contextlib
import io
import sys


def preload() -> None:
    """Import pandas and matplotlib.pyplot; keep what they write to stderr for the first cell."""
    said = io.StringIO()
    with contextlib.redirect_stderr(said):  # warnings and logging write to sys.stderr as it is
        import matplotlib.pyplot  # noqa: F401
        import pandas  # noqa: F401
    if said.getvalue():
        from IPython import get_ipython

        shell = get_ipython()

        def say(*_: object) -> None:
            shell.events.unregister("pre_run_cell", say)
            sys.stderr.write(said.getvalue())

        shell.events.register("pre_run_cell", say)
