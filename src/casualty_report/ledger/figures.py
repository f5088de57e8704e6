"""Load and validate the reported figures, and select them as of a date.

The schema in ``data/figures.schema.json``, with the parties of the conflict's own package
(``datapackage.json`` beside the file, see ``conflict``), is the contract: ``validation`` checks
every cell against it and the rules a Table Schema cannot say (ranges, periods, dates,
conflicting rows), a column at a time. Every problem names the file, the CSV line (the header is
line 1; a row whose cells span several lines is numbered by its first line) and the field, and
says what was expected.

The loaded table has one row per figure, indexed by CSV line number (``line``), with every column
of the schema in schema order, whatever the file's order or which optional columns it has: an
absent optional column, or an empty cell in one, takes the field's documented default
(``basis`` not_stated, ``source_kind`` news, ``quote_language`` en, ``reported_on_basis``
stated, ``count_status`` open on killed rows; the others ""). ``value`` is int64, ``value_high``
nullable Int64, date columns datetime64 (NaT when empty), text columns ``str`` exactly as
written, with ``""`` (never NaN) for an empty cell.
"""

from __future__ import annotations

import hashlib
import warnings
from datetime import date
from pathlib import Path

import pandas as pd

from casualty_report import paths
from casualty_report.ledger import series, vocabulary
from casualty_report.ledger.conflict import PackageError, conflict_for
from casualty_report.ledger.problems import FigureProblem, FiguresError
from casualty_report.ledger.reader import read_table
from casualty_report.ledger.schema import Schema, load_schema
from casualty_report.ledger.scope import choose as choose_scope
from casualty_report.ledger.selection import history, select_as_of
from casualty_report.ledger.validation import (
    DIGITS,
    ISO_DATE,
    all_match,
    cell_problems,
    fullmatch,
    header_problems,
    normalised_id,
    row_problems,
)

__all__ = [
    "FigureProblem",
    "FiguresError",
    "history",
    "load_figures",
    "same_day_groups",
    "same_day_series",
    "select_as_of",
    "sha256",
    "shipped_ledgers",
]


def with_defaults(raw: pd.DataFrame, schema: Schema) -> pd.DataFrame:
    """Every schema column in schema order (others dropped), an absent optional column or empty
    cell defaulted."""
    full = raw.reindex(columns=schema.names, fill_value="")
    for name, default in schema.defaults.items():
        if default == "":
            continue
        empty = full[name].to_numpy() == ""
        if name == "count_status":  # open only where it applies; other rows stay empty
            empty &= full["metric"].isin(schema.count_metrics).to_numpy()
        if empty.any():
            full[name] = full[name].mask(empty, default)
    return full


def typed(raw: pd.DataFrame, schema: Schema) -> pd.DataFrame:
    """Text cells to typed columns (text as ``str``); a malformed number or date becomes NA."""
    columns = {}
    for field in schema.fields:
        name = field["name"]
        values = raw[name].to_numpy(dtype=object)
        if field["type"] == "integer":
            pattern = DIGITS
        elif field["type"] == "date":
            pattern = ISO_DATE
        else:
            columns[name] = pd.array(values, dtype="str")
            continue
        filled = values != ""
        good = filled if all_match(values[filled], pattern) else fullmatch(values, pattern)
        cells = pd.Series(values, index=raw.index).where(good)
        if field["type"] == "integer":
            columns[name] = pd.array(pd.to_numeric(cells), dtype="Int64")
        else:
            columns[name] = pd.to_datetime(cells, format="%Y-%m-%d", errors="coerce")
    return pd.DataFrame(columns, index=raw.index)


def load_figures(
    path: str | Path = paths.DEFAULT_FIGURES, *, today: date | None = None, current: bool = True
) -> pd.DataFrame:
    """The figures in ``path``, validated against the package schema; raises FiguresError.

    Every problem is collected before raising, so one run lists all that needs fixing.
    Relative paths are taken from the project root. The file is only read.
    """
    path = paths.resolve(path)
    file = paths.display(path)
    conflict = conflict_for(path)  # its package beside it, if any (PackageError names it)
    schema = load_schema(conflict)

    # Load inputs.
    table = read_table(path, file)

    # Validate: the header, each column against its field, then the rules across cells and rows.
    labels = table.labels
    problems = header_problems(file, labels, schema)
    if table.rows.empty and not table.problems:
        message = "no figures: expected one figure a line after the header"
        problems.append(FigureProblem(file, None, None, message))
    problems += table.problems
    figures = None
    if len(set(labels)) == len(labels) and any(label.strip() for label in labels):
        raw = table.rows.set_axis(labels, axis="columns")
        problems += cell_problems(file, raw, schema)
        if set(schema.contract) <= set(labels):
            full = with_defaults(raw, schema)
            figures = typed(full, schema)
            located = {(problem.line, problem.field) for problem in problems}
            today = date.today() if today is None else today
            for problem in row_problems(file, full, figures, schema, today):
                if (problem.line, problem.field) not in located:
                    problems.append(problem)
    if problems:
        order = {name: position for position, name in enumerate(schema.names)}
        raise FiguresError(
            sorted(problems, key=lambda p: (p.line or 0, order.get(p.field or "", -1)))
        )

    # Process data.
    figures = _finished(figures, table.sha256)
    figures.attrs["conflict"] = conflict
    figures.attrs["scope"] = choose_scope(figures, conflict)  # the war's, from the whole ledger
    figures.attrs["eventual"] = eventual_figures(figures, conflict, figures.attrs["scope"].scope)
    # The report names parties as this conflict's package does, and counts its toll's scope.
    if current:
        vocabulary.use(conflict, figures.attrs["scope"])
    return figures


def eventual_figures(figures: pd.DataFrame, conflict, scope: str) -> dict[str, dict]:
    """The figures the package names as its parties' eventual official counts (report.
    eventual_figures): party -> {value, metric, reported_on (YYYY-MM-DD), figure_id}. Each must be a
    figure of that party and of the toll's scope; a refusal names the package and the party.
    Empty when the package names none."""
    declared = conflict.report.get("eventual_figures") or {}
    if not declared:  # most ledgers a user starts: no id of every row to normalise for nothing
        return {}
    ids = figures["figure_id"].map(normalised_id)
    found = {}
    for party, figure in declared.items():
        rows = figures[ids == normalised_id(figure)]
        where = f"{paths.display(conflict.path)}: report.eventual_figures.{party}"
        if rows.empty:
            raise PackageError(f"{where}: no figure {figure!r} in figures.csv")
        row = rows.iloc[0]
        if row["party"] != party or row["metric"] != scope:
            raise PackageError(
                f"{where}: figure {figure!r} is {row['party']}'s {row['metric']}, expected"
                f" {party}'s {scope} (the toll's scope)"
            )
        found[party] = dict(  # plain values: pandas deep-copies attrs on every operation
            value=int(row["value"]),
            metric=row["metric"],
            reported_on=f"{row['reported_on']:%Y-%m-%d}",
            figure_id=row["figure_id"],
        )
    return found


def _finished(figures: pd.DataFrame, digest: str) -> pd.DataFrame:
    """The loaded table as returned: value as int64; attrs["sha256"] the bytes it was read from."""
    figures = figures.astype({"value": "int64"})
    figures.attrs["sha256"] = digest
    return figures


def shipped_ledgers(exclude: str | Path | None = None) -> list[pd.DataFrame]:
    """Every shipped war's ledger (data/*/figures.csv) but the war of `exclude` (that file, and
    any shipped war its package names: a copy of a war never joins its own reference class),
    each with its conflict in attrs["conflict"]; the vocabulary keeps naming the current war."""
    skip = None if exclude is None else paths.resolve(exclude).resolve()
    own = None if exclude is None else conflict_for(exclude)
    name = own.name if own is not None and own.path is not None else None
    found = [p for p in sorted(paths.DATA_DIR.glob("*/figures.csv")) if p.resolve() != skip]
    ledgers = []
    for path in found:  # a war still being entered (a TODO, a bad row) is left out, saying so
        try:
            ledgers.append(load_figures(path, current=False))
        except (FiguresError, PackageError) as err:
            first = str(err).splitlines()[0]
            warnings.warn(
                f"{paths.display(path)} left out of the other wars: {first}", stacklevel=2
            )
    return [f for f in ledgers if f.attrs["conflict"].name != name]


def sha256(path: str | Path = paths.DEFAULT_FIGURES) -> str:
    """Hex SHA-256 of the file's bytes, to record in a report which data it was built from."""
    return hashlib.sha256(paths.resolve(path).read_bytes()).hexdigest()


def same_day_series(figures: pd.DataFrame) -> list[series.Series]:
    """Every same-day series of the ledger (one reporter's several figures of a party and metric
    on one day), each in the order read; see `series`."""
    return series.series(figures)


def same_day_groups(figures: pd.DataFrame) -> pd.Series:
    """The rows of the ledger's same-day series: each series' number, by line."""
    return series.groups(figures)
