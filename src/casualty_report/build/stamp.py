"""The stamp: the record of what a report on disk was built from (reports/.<name>.params).

It holds the SHA-256 of every input file (the figures, the conflict package beside them, the
parameter file, the notebook, the common schema and its country codes, and the package's source)
and then the request, one raw value a line.
The build writes it together with the outputs; `make` asks `casualty-report stamp` for the
record of the request at hand and rebuilds when the two differ. Digests, not modification
times: a file replaced by other bytes with an older time (`cp -p`, `tar`, `rsync -a`) still
differs, and a file only touched does not.

The build takes the digests before it reads any input, so an input changed during a build
leaves a stamp that no longer matches it: the next `make` rebuilds.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from casualty_report import paths

NOT_A_FILE = "-"  # the digest of a missing or special file: the build will refuse it
CHUNK = 1 << 20


def file_digest(path: Path) -> str:
    """SHA-256 of a regular file's bytes; NOT_A_FILE for anything else (a FIFO is never read)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError:
        return NOT_A_FILE
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return NOT_A_FILE
        digest = hashlib.sha256()
        while chunk := os.read(fd, CHUNK):
            digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return NOT_A_FILE
    finally:
        os.close(fd)


def package_digest(root: Path = paths.PACKAGE_DIR) -> str:
    """One SHA-256 over the package's source files (their paths and bytes; no bytecode)."""
    digest = hashlib.sha256()
    files = sorted(
        p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.relative_to(root).parts
    )
    for path in files:
        digest.update(f"{path.relative_to(root).as_posix()}\0{file_digest(path)}\n".encode())
    return digest.hexdigest()


def wars_digest(data: Path = paths.DATA_DIR) -> str:
    """One SHA-256 over every shipped war's ledger and package (their paths and bytes)."""
    digest = hashlib.sha256()
    for path in sorted([*data.glob("*/figures.csv"), *data.glob("*/datapackage.json")]):
        digest.update(f"{path.relative_to(data).as_posix()}\0{file_digest(path)}\n".encode())
    return digest.hexdigest()


def stamp_text(request: Iterable[str], data: Path, params: bytes | None) -> str:
    """The stamp of a request: the inputs' digests, then the request's raw values, one a line.

    `data` is the figures file the build reads; `params` the bytes of the parameter file read
    (None without one).
    """
    digests = {
        "data": file_digest(data),
        "conflict": file_digest(data.parent / "datapackage.json"),
        "params": hashlib.sha256(params).hexdigest() if params is not None else NOT_A_FILE,
        "notebook": file_digest(paths.REPORT_NOTEBOOK),
        "schema": file_digest(paths.FIGURES_SCHEMA),
        "codes": file_digest(paths.FIGURES_SCHEMA.parent / "iso-3166-1-alpha-3.csv"),
        "wars": wars_digest(),  # the other wars: the estimate's reference class
        "package": package_digest(),
    }
    lines = [f"sha256 {name} {digest}" for name, digest in digests.items()]
    return "".join(f"{line}\n" for line in [*lines, *request])
