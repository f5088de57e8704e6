"""Shared fixtures and helpers of the end-to-end tests: builds run once per session or module.

A build takes about ten seconds, so the tests share builds made with few Monte Carlo draws and
read what they need from the outputs: the executed notebook, the results CSV, the HTML, and the
PDF as text (pdftotext).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from casualty_report import paths

ROOT = paths.ROOT
FAST = ("-p", "n_draws=5000")  # few draws: the tests check wiring and text, not precision
SUFFIXES = (".ipynb", ".results.csv", ".inputs.csv", ".retrospective.csv", ".html", ".pdf")
# Armenian and Azerbaijani letters: the PDF must carry them, not drop them for a missing glyph.
TITLE = "Test title Հայաստան Əliyev ş"
SEED = 7
# The results table's columns as issue 4 names them (written out, not imported from the code).
EXPECTED_RESULT_COLUMNS = [
    "quantity",
    "party",
    "scenario",
    "low",
    "best",
    "high",
    "interval_low",
    "interval_high",
    "unit",
    "count_status",
    "note",
]


# The 13 contract columns, as issue 18 names them (written out, not read from the schema).
CONTRACT = [
    "figure_id", "party", "metric", "value", "value_high", "qualifier", "period_start",
    "period_end", "reported_on", "reported_by", "source_title", "source_url", "quote",
]  # fmt: skip


def contract_ledger(rows: list[tuple]) -> str:
    """A ledger of the 13 contract columns as a person types it: one row per
    (figure_id, party, metric, value, qualifier, reported_on, reported_by, quote)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CONTRACT)
    for fid, party, metric, value, qualifier, day, who, quote in rows:
        writer.writerow(
            [fid, party, metric, value, "", qualifier, "", "", day, who, f"Report of {day}",
             f"https://news.example.net/{fid.lower()}", quote]
        )  # fmt: skip
    return out.getvalue()


def copy_ledger(folder: Path, name: str = "figures.csv") -> Path:
    """The default conflict's ledger copied into `folder` as `name`, with its package beside it
    (which declares its actors); the copy's path."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(paths.DEFAULT_FIGURES, folder / name)
    shutil.copy2(paths.DEFAULT_FIGURES.parent / "datapackage.json", folder / "datapackage.json")
    return folder / name


def run_build(out_dir: Path, *args: str, name: str = "report") -> subprocess.CompletedProcess:
    """Run `python -m casualty_report build --name NAME --out-dir OUT_DIR ARGS` from the root."""
    command = [sys.executable, "-m", "casualty_report", "build", "--name", name]
    command += ["--out-dir", str(out_dir), *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def build_or_fail(out_dir: Path, *args: str, name: str = "report") -> dict[str, Path]:
    """Build a report that must succeed; its outputs by suffix."""
    done = run_build(out_dir, *args, name=name)
    assert done.returncode == 0, f"build failed:\n{done.stderr}"
    assert done.stdout.startswith("report built: "), done.stdout
    return outputs(out_dir, name)


def outputs(out_dir: Path, name: str) -> dict[str, Path]:
    return {suffix: out_dir / f"{name}{suffix}" for suffix in SUFFIXES}


def make_env() -> dict[str, str]:
    """The environment for a nested `make`: no variables leaking in from a calling make."""
    drop = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "REPORT", "DATA", "AS_OF", "PARAMS", "P"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def run_make(*args: str) -> subprocess.CompletedProcess:
    """Run `make ARGS` in the project root."""
    return subprocess.run(
        ["make", *args], cwd=ROOT, capture_output=True, text=True, env=make_env(), timeout=300
    )


def pdf_text(path: Path) -> str:
    """The PDF's text as `pdftotext -layout` extracts it."""
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


def squash(text: str) -> str:
    """Runs of whitespace (line breaks of the PDF layout included) as one space."""
    return " ".join(text.split())


class _TextParser(HTMLParser):
    """The text a reader sees: entities decoded, no style or script content."""

    BLOCKS = frozenset("p li td th tr div br h1 h2 h3 h4 figcaption ul ol table figure".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("style", "script"):
            self.hidden += 1
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self.hidden -= 1
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_text(path: Path) -> str:
    """The visible text of an HTML file, whitespace squashed."""
    parser = _TextParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return squash("".join(parser.parts))


def snapshot(directory: Path) -> dict[str, tuple[bytes, int] | None]:
    """Every entry of a directory: files by bytes and mtime, other entries by name only."""
    return {
        entry.name: (entry.read_bytes(), entry.stat().st_mtime_ns) if entry.is_file() else None
        for entry in directory.iterdir()
    }


def copy_report(report: dict[str, Path], out_dir: Path, name: str) -> dict[str, Path]:
    """A copy of a built report under another name, mtimes kept: the 'previous report'."""
    copies = outputs(out_dir, name)
    for suffix, source in report.items():
        shutil.copy2(source, copies[suffix])
    return copies


@pytest.fixture(scope="session")
def built_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The real figures built once with overridden parameters: title, seed and few draws."""
    out_dir = tmp_path_factory.mktemp("built")
    return build_or_fail(
        out_dir, *FAST, "-p", f"report_title={TITLE}", "-p", f"seed={SEED}", name="overridden"
    )


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A clone of the committed project with the git filter installed as `make` installs it."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    if not (clone / ".gitattributes").exists():
        pytest.skip("the filter's .gitattributes is not committed yet")
    (clone / ".venv").symlink_to(ROOT / ".venv")
    subprocess.run(["bash", "scripts/git-filter.sh"], cwd=clone, check=True)
    return clone


def git(clone: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=clone, capture_output=True, text=True, check=True)
    return done.stdout


def run_outputs(nb: dict, python: str | None = None) -> dict:
    """The notebook as JupyterLab holds it after Run All: counts, outputs, timing; with
    `python`, the kernel's language_info as a kernel on that Python version reports it."""
    for count, cell in enumerate(c for c in nb["cells"] if c["cell_type"] == "code"):
        cell["execution_count"] = count + 1
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["run\n"]}]
        cell["metadata"]["execution"] = {"iopub.status.idle": "2026-11-25T12:00:00.000Z"}
    if python is not None:
        nb["metadata"]["language_info"] = {**nb["metadata"]["language_info"], "version": python}
    return nb


@pytest.fixture
def repo_report_name(request: pytest.FixtureRequest) -> Iterator[str]:
    """A report name unique to this test, whose files in the repo's reports/ are removed after."""
    name = f"pytest-{request.node.name}-{os.getpid()}".replace("[", "-").replace("]", "")
    name = "".join(c if c.isalnum() or c in "-_" else "-" for c in name)
    yield name
    for path in [*paths.REPORTS_DIR.glob(f"{name}.*"), *paths.REPORTS_DIR.glob(f".{name}.*")]:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
