"""Problems found in a figures file, and the error that carries them: each names file, line, field.

Kept apart from the reading and checking modules so that both can raise the same error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from casualty_report.errors import CheckError

# At most this many problems are printed; the rest are counted (a header with 5,000 unknown
# columns must give a readable screen, not megabytes). ``FiguresError.problems`` keeps them all.
PRINTED_PROBLEMS = 40


class FigureProblem(NamedTuple):
    """One problem in a figures file, located as precisely as it can be."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = "" if self.field is None else f" field '{self.field}':"
        return f"{where}:{field} {self.message}"


class FiguresError(CheckError):
    """The figures file is unusable; ``problems`` lists every reason, one per line in ``str``
    (the first PRINTED_PROBLEMS of them, then a line counting the rest)."""

    def __init__(self, problems: Sequence[FigureProblem]) -> None:
        self.problems = list(problems)
        super().__init__(describe(self.problems))


def describe(problems: Sequence[FigureProblem], limit: int = PRINTED_PROBLEMS) -> str:
    """The problems one a line, at most ``limit`` of them, then how many more there are."""
    lines = [str(problem) for problem in problems[:limit]]
    rest = len(problems) - limit
    if rest > 0:
        file = problems[0].file
        lines.append(
            f"{file}: ... and {rest:,} more problems ({len(problems):,} in all); "
            f"the first {limit} are shown, fix them and check again"
        )
    return "\n".join(lines)
