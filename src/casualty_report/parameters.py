"""The report notebook's parameters: read, merge, type-check and validate them before a build.

papermill only warns about an unknown parameter and guesses types from the command line
(`-p as_of 20201203` arrives as an int), so the build checks names and types itself against
the notebook's own `parameters` cell, which stays the one place defaults are written.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

REQUIRED_DATES = ("as_of",)
OPTIONAL_DATES = ("compare_to", "period_start", "period_end")


class ParameterError(ValueError):
    """A parameter that the notebook does not declare, or whose value cannot be used."""


def declared(notebook: Path) -> dict[str, dict[str, Any]]:
    """The notebook's parameters: name -> {type, default, help}, in cell order."""
    import papermill  # its import is slow; only the build needs it

    found = papermill.inspect_notebook(str(notebook))
    return {
        name: {
            "type": info["inferred_type_name"],
            "default": ast.literal_eval(info["default"]),
            "help": info["help"],
        }
        for name, info in found.items()
    }


def read_file(path: Path) -> dict[str, Any]:
    """A named parameter set (YAML mapping), as papermill's `-f` reads it."""
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise ParameterError(f"{path}: cannot read parameters: {err}") from err
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ParameterError(f"{path}: expected a mapping of parameter: value")
    return loaded


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


def check_run(namespace: Mapping[str, Any]) -> None:
    """Check a notebook run's values (e.g. `globals()` after the parameters cell): a typo such as
    `as_of = "2020-13-45"` fails in one line naming the parameter and the expected form."""
    _check_dates(namespace)


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
    _check_dates(values)
    return values
