"""Whether a path can be read as a figures file at all: a regular file, not compressed.

Light (no pandas), so that the build can refuse a bad DATA in one line before any kernel
starts, with the same words as the loader. The path is never opened unless it is a regular
file: opening a FIFO would wait for a writer, and a device may never end.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# The first bytes of compressed files and archives someone may pass for a CSV file.
COMPRESSED = {
    b"\x1f\x8b": "gzip",
    b"BZh": "bzip2",
    b"\xfd7zXZ\x00": "xz",
    b"\x28\xb5\x2f\xfd": "zstd",
    b"PK\x03\x04": "zip (a spreadsheet saved as .xlsx or .ods is one)",
    b"7z\xbc\xaf\x27\x1c": "7-Zip",
}
KINDS = [
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
]


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    return next((what for test, what in KINDS if test(mode)), "a special file")


def unreadable(path: Path) -> str | None:
    """Why `path` cannot be read as a CSV file (one line, naming the absolute path tried when
    it is not there), or None when it is a regular, uncompressed file."""
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return f"file not found (tried {path.absolute()}): expected a CSV file"
    except OSError as err:
        return f"cannot read the file: {err.strerror}"
    if not stat.S_ISREG(mode):
        return f"not a regular file but {kind_of(mode)}: expected a CSV file"
    try:
        with open(path, "rb") as file:
            start = file.read(8)
    except OSError as err:
        return f"cannot read the file: {err.strerror}"
    for magic, name in COMPRESSED.items():
        if start.startswith(magic):
            return f"the file is compressed ({name}): expected a plain CSV file, decompressed"
    return None
