"""The report notebook's parameters: read, merge, type-check and validate them before a build.

papermill only warns about an unknown parameter and guesses types from the command line
(`-p as_of 20201203` arrives as an int), so the build checks names and types itself against
the notebook's own `parameters` cell, which stays the one place defaults are written.
"""

from __future__ import annotations

import ast
import io
import json
import re
import tokenize
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from casualty_report.errors import ParameterError  # defined beside the other check errors

REQUIRED_DATES: tuple[str, ...] = ()
OPTIONAL_DATES = ("as_of", "compare_to", "period_start", "period_end")  # empty: a default
# Monte Carlo draws: at 1,000 draws each tail of a 90 % interval rests on 50 draws, enough for
# its ends to mean something (n_draws=1 gave a zero-width interval); 10,000,000 draws peak at
# about 1.4 GB in the kernel (measured: about 130 bytes a draw plus 0.15 GB of imports), under
# the 2 GB a laptop can spare (100,000,000 draws took 12.9 GB).
N_DRAWS_MIN = 1_000
N_DRAWS_MAX = 10_000_000
# Characters that reorder the text around them when shown (left-to-right/right-to-left
# embeddings, overrides and isolates): "Evil gnp.exe" with U+202E shows as "Evil exe.png".
BIDI_CONTROLS = frozenset(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
# The longest text parameter, in characters: a path (PATH_MAX is 4,096 bytes on Linux); a title
# is a heading, and each of its characters is laid out on the PDF's pages.
TEXT_MAX = 4096
TEXT_MAX_BY_NAME = {"report_title": 300}


def parameters_source(notebook: Path) -> str:
    """Source of the notebook's cell tagged `parameters`, read from its JSON (no nbformat)."""
    return _parameters_cell(json.loads(Path(notebook).read_text(encoding="utf-8")), notebook)


def _parameters_cell(nb: dict, notebook: Path) -> str:
    for cell in nb["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = cell["source"]
            return source if isinstance(source, str) else "".join(source)
    raise ParameterError(f"{notebook}: no cell tagged 'parameters'")


def edited_defaults(notebook: Path) -> dict[str, tuple[Any, Any]]:
    """Defaults edited since the last commit (e.g. in JupyterLab): name -> (committed, now).

    Empty when the notebook is not in a git checkout or nothing changed.
    """
    import subprocess

    notebook = Path(notebook).resolve()
    try:
        committed = subprocess.run(
            ["git", "show", f"HEAD:./{notebook.name}"],
            cwd=notebook.parent,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if committed.returncode != 0:
        return {}
    before = _declared_in(_parameters_cell(json.loads(committed.stdout), notebook))
    now = declared(notebook)
    return {
        name: (before.get(name, {}).get("default"), info["default"])
        for name, info in now.items()
        if before.get(name, {}).get("default") != info["default"]
    }


def declared(notebook: Path) -> dict[str, dict[str, Any]]:
    """The notebook's parameters: name -> {type, default, help}, in cell order.

    Read with `ast` from the notebook's JSON, as `papermill --help-notebook` reads them, but
    without importing papermill (0.7 s): the kernel calls this to print parameter help.
    """
    return _declared_in(parameters_source(notebook))


def _declared_in(source: str) -> dict[str, dict[str, Any]]:
    """name -> {type, default, help} of each `name: type = value  # help` line in `source`."""
    comments = {
        token.start[0]: token.string[1:].strip()
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    }
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise ParameterError(f"parameters cell, line {err.lineno}: {err.msg}") from None
    found: dict[str, dict[str, Any]] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, type_name = node.target.id, ast.unparse(node.annotation)
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name, type_name = node.targets[0].id, "None"
        else:
            continue
        try:
            default = ast.literal_eval(node.value)
        except ValueError:
            raise ParameterError(
                f"parameters cell, line {node.lineno}: {name} must be a plain value"
                " (derive values in the next cell)"
            ) from None
        found[name] = {
            "type": type_name,
            "default": default,
            "help": comments.get(node.end_lineno, ""),
        }
    return found


def run_values(namespace: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """The values a notebook run used for each named parameter, for the report to print."""
    return {name: namespace[name] for name in names}


def parse_assignments(items: list[str]) -> dict[str, str]:
    """`name=value` strings from the command line, values kept raw."""
    parsed = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"expected name=value, got {item!r}")
        parsed[name.strip()] = value
    return parsed


def _coerce(name: str, value: Any, type_name: str) -> Any:
    """Convert a raw or YAML value to the declared type, or say why it cannot be."""
    try:
        if type_name == "str":
            return value.isoformat() if isinstance(value, date) else str(value)
        if type_name == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in {"true", "1", "yes"}:
                return True
            if text in {"false", "0", "no"}:
                return False
            raise ValueError("expected true or false")
        if type_name == "int":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError("expected a whole number")
            return int(str(value).strip()) if isinstance(value, str) else int(value)
        if type_name == "float":
            if isinstance(value, bool):
                raise ValueError("expected a number")
            return float(value)
    except (TypeError, ValueError) as err:
        raise ParameterError(
            f"parameter {name}={value!r}: not a valid {type_name} ({err})"
        ) from err
    return value  # an unannotated parameter: passed through as given


def _check_dates(values: Mapping[str, Any]) -> None:
    """Dates in the form YYYY-MM-DD (Python alone would also take 20201203), compare_to first."""
    for name in REQUIRED_DATES + OPTIONAL_DATES:
        if name not in values:
            continue
        text = values[name]
        if text == "" and name in OPTIONAL_DATES:
            continue
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError
            date.fromisoformat(text)
        except (TypeError, ValueError):
            raise ParameterError(
                f"parameter {name}={text!r}: not a date in the form YYYY-MM-DD"
            ) from None
    if values.get("compare_to") and values.get("as_of") and values["compare_to"] >= values["as_of"]:
        raise ParameterError(
            f"parameter compare_to={values['compare_to']!r}: must be before"
            f" as_of={values['as_of']!r}"
        )
    start, end = values.get("period_start"), values.get("period_end")
    if start and end and end < start:
        raise ParameterError(
            f"parameter period_end={end!r}: must not be before period_start={start!r}"
        )


def _check_text(name: str, text: str) -> None:
    """Refuse characters that hide or reorder what a reader sees: controls and bidi overrides."""
    for position, char in enumerate(text, start=1):
        if char in BIDI_CONTROLS:
            what = f"bidirectional control U+{ord(char):04X}, which reorders the text around it"
        elif unicodedata.category(char) == "Cc":
            what = f"control character U+{ord(char):04X}"
        else:
            continue
        raise ParameterError(
            f"parameter {name}: {what} at character {position}; expected printable text"
        )


def check_run(
    values: Mapping[str, Any],
    today: date | None = None,
    names: Iterable[str] | None = None,
) -> None:
    """Check the values of one run before any kernel starts; ParameterError names the first bad one.

    `values` maps parameter names to values and may hold more (e.g. a notebook's `globals()`);
    `names` are the parameters to check (default: those the report notebook declares). Checks:
    dates in the form YYYY-MM-DD, `as_of` not after `today` (UTC), compare_to before as_of,
    period_end not before period_start, `n_draws` within [N_DRAWS_MIN, N_DRAWS_MAX], and text
    of at most TEXT_MAX characters (a title TEXT_MAX_BY_NAME's), with no control or
    bidirectional characters.
    """
    from casualty_report import paths

    names = set(declared(paths.REPORT_NOTEBOOK) if names is None else names)
    values = {name: value for name, value in values.items() if name in names}
    _check_dates(values)
    today = today or datetime.now(UTC).date()
    as_of = values.get("as_of")
    if isinstance(as_of, str) and as_of > today.isoformat():
        raise ParameterError(
            f"parameter as_of={as_of!r}: in the future; expected a date on or before {today}"
        )
    n_draws = values.get("n_draws")
    if isinstance(n_draws, int) and not N_DRAWS_MIN <= n_draws <= N_DRAWS_MAX:
        raise ParameterError(
            f"parameter n_draws={n_draws}: expected a whole number from {N_DRAWS_MIN:,}"
            f" (a meaningful 90 % interval) to {N_DRAWS_MAX:,} (memory under 2 GB)"
        )
    for name, value in values.items():
        if isinstance(value, str):
            limit = TEXT_MAX_BY_NAME.get(name, TEXT_MAX)
            if len(value) > limit:
                raise ParameterError(
                    f"parameter {name}: {len(value):,} characters; expected at most {limit:,}"
                )
            _check_text(name, value)


def resolve(
    declared_params: Mapping[str, Mapping[str, Any]],
    *overrides: Mapping[str, Any],
) -> dict[str, Any]:
    """Defaults overlaid with each override in turn, names checked, values typed and validated."""
    values = {name: info["default"] for name, info in declared_params.items()}
    for override in overrides:
        for name, value in override.items():
            if name not in declared_params:
                valid = ", ".join(declared_params)
                raise ParameterError(f"unknown parameter {name!r}; valid parameters: {valid}")
            values[name] = _coerce(name, value, declared_params[name]["type"])
    check_run(values, names=declared_params)
    return values
