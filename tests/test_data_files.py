"""A figures file that is not a regular, plain file is refused as what it is, by the loader and
by the build before any kernel: a directory, a FIFO (never opened: it would wait), a compressed
file; a missing file names the absolute path tried."""

from __future__ import annotations

import bz2
import gzip
import os
from pathlib import Path

import pytest

from casualty_report import paths
from casualty_report.build.builder import BuildError, prepare
from casualty_report.ledger.figures import FiguresError, load_figures
from casualty_report.ledger.files import unreadable

PLAIN = paths.DEFAULT_FIGURES.read_bytes()


def special(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"figures-{kind}.csv"
    if kind == "directory":
        path.mkdir()
    elif kind == "FIFO":
        os.mkfifo(path)
    elif kind == "gzip":
        path.write_bytes(gzip.compress(PLAIN))
    elif kind == "bzip2":
        path.write_bytes(bz2.compress(PLAIN))
    return path


CASES = {
    "directory": "not a regular file but a directory",
    "FIFO": "not a regular file but a FIFO",
    "gzip": "the file is compressed (gzip)",
    "bzip2": "the file is compressed (bzip2)",
}


@pytest.mark.parametrize("kind", CASES)
def test_the_loader_and_the_build_say_what_the_file_is(tmp_path: Path, kind: str) -> None:
    path = special(tmp_path, kind)
    assert CASES[kind] in unreadable(path)
    with pytest.raises(FiguresError) as err:
        load_figures(path)
    assert str(err.value) == f"{path}: {unreadable(path)}"
    with pytest.raises(BuildError) as err:
        prepare("report", [{"data_path": str(path)}], paths.REPORT_NOTEBOOK)
    assert str(err.value) == f"figures file {path}: {unreadable(path)}"


def test_a_missing_file_names_the_path_tried(tmp_path: Path) -> None:
    assert f"file not found (tried {tmp_path / 'gone.csv'})" in unreadable(tmp_path / "gone.csv")


def test_a_plain_csv_file_is_readable() -> None:
    assert unreadable(paths.DEFAULT_FIGURES) is None
