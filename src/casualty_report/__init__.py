"""Casualty report: the figures as reported, with their uncertainty stated (see README.md).

Imported in an IPython kernel, the package shows the errors of its own checks in one line
(see `errors.show_in_one_line`).
"""

from casualty_report import errors as _errors

_errors.show_in_one_line()
