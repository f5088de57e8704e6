"""The report's back matter: method and limitations, provenance, and how to cite it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import pandas as pd

from casualty_report import paths
from casualty_report.ledger import vocabulary
from casualty_report.ledger.scope import MILITARY
from casualty_report.report import formatting, scopes
from casualty_report.report.render import Section
from casualty_report.report.tables import RUN_SETTINGS


def method(
    figures: pd.DataFrame,
    bases: Iterable[str],
    n_draws: int,
    interval: float,
    scope: object = None,
) -> Section:
    """Who and what is counted (the figures the report shows) and what each basis means (of
    those and of `bases`, e.g. the charts' points), from the data package; the meaning of best,
    range and interval; what the model leaves out, for the toll's scope (the figures loaded last
    unless given)."""
    counted = figures
    return Section(
        "method.html.j2",
        metrics=vocabulary.definitions("metric", sorted(set(counted["metric"]))),
        bases=vocabulary.definitions("basis", sorted({*counted["basis"], *bases})),
        statuses=vocabulary.definitions("count_status"),
        n_draws=n_draws,
        interval_share=formatting.share(interval),
        military=scopes.choice_of(scope).scope == MILITARY,
    )


def provenance(
    data_file: str,
    data_sha256: str,
    commit: str,
    built: str,
    settings: Mapping[str, object],
    versions: Mapping[str, str],
) -> Section:
    """Data checksum, commit, build time, run settings and package versions on one line."""
    return Section(
        "provenance.html.j2",
        data_file=data_file,
        data_sha256=data_sha256,
        commit=commit,
        built=built,
        settings={k: v for k, v in settings.items() if k in RUN_SETTINGS},
        versions=versions,
    )


def how_to_cite(
    title: str, as_of: str, built: str, data_sha256: str, commit: str, citation: Mapping
) -> Section:
    """The citation of this report: title, as-of date, data checksum and commit; the licences
    and authors the conflict's package states (the project's citation where it has none)."""
    conflict = vocabulary.current()
    return Section(
        "cite.html.j2",
        authors=", ".join(conflict.authors) or citation["authors"],
        package=paths.display(conflict.path) if conflict.path else None,
        year=date.fromisoformat(str(built)[:10]).year,
        title=title,
        as_of=as_of,
        built=built,
        data_sha256=data_sha256,
        commit=commit,
        code_licence=citation["license"],
        data_licences=vocabulary.licences(),
    )
