"""The errors of the project's own checks, and how a notebook shows them: in one line, no frames.

A bad parameter or an unusable figures file is the user's to fix, and its message says all
there is to say (which parameter, which line and field). IPython would print every frame of the
checking code above it, with the message last. So when the package is imported in an IPython
kernel (JupyterLab, papermill), `show_in_one_line` registers a handler for `CheckError` that
shows `ParameterError: parameter as_of='2020-13-45': not a date in the form YYYY-MM-DD` alone.
The cell still fails (Run All and papermill stop there, and the error's name and message reach
papermill as before), `%tb` still shows the frames, and every other exception keeps its full
traceback. Imports nothing: the command line imports the package on a bare Python too.
"""

from __future__ import annotations

import sys
from typing import Any


class CheckError(ValueError):
    """A parameter or data error found by the project's own checks; the message is the reason."""


class ParameterError(CheckError):
    """A parameter that the notebook does not declare, or whose value cannot be used."""


def one_line(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None):
    """IPython's custom exception handler: the error's name and message as the cell's error
    output, without frames. `%tb` shows them (IPython keeps the traceback in sys.last_*)."""
    try:
        sys.last_type, sys.last_value, sys.last_traceback = etype, value, tb
        sys.last_exc = value
        shell._showtraceback(etype, value, shell.InteractiveTB.get_exception_only(etype, value))
    except Exception:  # never lose the error: an IPython without this API shows it in full
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
    return None


def show_in_one_line(shell: Any = None) -> bool:
    """Register `one_line` for CheckError in the running IPython shell, if there is one and it
    has no other custom handler. Returns whether the handler is now in place."""
    if shell is None:
        ipython = sys.modules.get("IPython")  # never imported here: a plain Python has none
        shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    if shell.custom_exceptions not in ((), (CheckError,)):
        return False  # someone else's handler: leave it
    shell.set_custom_exc((CheckError,), one_line)
    return True
