"""check-data: validate a figures file on its own and say what was read.

It prints the ledger's summary, the scope of its toll and why, and one line per same-day series,
each in the report's words (`report.checks`, `report.scopes.scope_line`); or every problem, in
the ledger's, and fails.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from casualty_report import paths
from casualty_report.ledger import figures
from casualty_report.ledger.conflict import PackageError
from casualty_report.ledger.problems import FiguresError
from casualty_report.report.checks import series_lines, summary
from casualty_report.report.scopes import scope_line


def main(argv: Sequence[str] | None = None) -> int:
    """Check a figures file: print its summary, the scope of its toll and one line per same-day
    series, and return 0; or print every problem and return 1."""
    description = (figures.__doc__ or "").splitlines()[0]
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("path", nargs="?", default=str(paths.DEFAULT_FIGURES), help="figures CSV")
    args = parser.parse_args(argv)
    try:
        loaded = figures.load_figures(args.path)
    except (FiguresError, PackageError) as err:
        print(err, file=sys.stderr)
        return 1
    file = paths.display(paths.resolve(args.path))
    print(summary(loaded))
    print(scope_line(file, loaded.attrs["scope"]))
    for line in series_lines(file, figures.same_day_series(loaded)):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
