"""What keeps a build safe to interrupt or to run twice at once: signals, a lock, staging.

A build writes under a staging folder and replaces the previous outputs only as a whole set;
these context managers make sure that SIGINT or SIGTERM still runs every `finally` (staging, and
the kernel's connection file in it, removed), that two builds of one report take turns, and that
the final moves are not cut in half by a signal.
"""

from __future__ import annotations

import fcntl
import glob
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupted(BaseException):  # like KeyboardInterrupt: no `except Exception` eats it
    """The build received a stop signal; `signum` says which (exit status 128 + signum)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"interrupted by {signal.Signals(signum).name}")


_RECEIVED: list[int] = []  # the stop signals of this process's build, shared by nested blocks


@contextmanager
def signals_raise() -> Iterator[None]:
    """Turn SIGINT, SIGTERM and SIGHUP into `Interrupted`, so that `finally` blocks run.

    Only the first signal raises: a second one (make forwards SIGTERM to the build that the
    process group already received) must not cut the cleanup short. Nested, it installs the
    handler again (nbclient replaces it while the notebook runs) and shares what was received.
    """
    outermost = not any(signal.getsignal(sig) is _raise_first for sig in STOP_SIGNALS)
    if outermost:
        _RECEIVED.clear()
    previous = {sig: signal.signal(sig, _raise_first) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _raise_first(signum: int, _frame: object) -> None:
    _RECEIVED.append(signum)
    if len(_RECEIVED) == 1:
        raise Interrupted(signum)


@contextmanager
def signals_deferred() -> Iterator[list[int]]:
    """Hold stop signals until the block is done; yields the list of those that arrived.

    Used while outputs are moved into place: a signal then cannot leave half the old report
    and half the new. (Blocking with a signal mask would not do: any thread may take a signal.)
    """
    arrived: list[int] = []
    previous = {sig: signal.signal(sig, lambda n, _f: arrived.append(n)) for sig in STOP_SIGNALS}
    try:
        yield arrived
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def report_lock(out_dir: Path, name: str) -> Iterator[None]:
    """Hold an exclusive lock on report `name` in `out_dir`; a second build waits its turn.

    The lock file is removed on release; a waiter that then holds a lock on the removed file
    notices (its inode is no longer the path's) and locks the new file instead.
    """
    path = out_dir / f".{name}.lock"
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another build of {name} to finish", file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            current = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            current = False
        if current:
            break
        os.close(fd)
    try:
        yield
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass
        os.close(fd)


@contextmanager
def staging_dir(out_dir: Path, name: str, say: Callable[[str], object]) -> Iterator[Path]:
    """A fresh hidden folder beside the outputs (same file system: atomic moves), removed after.

    Called with the report's lock held: any other staging folder of the report is then left by
    a build that was killed outright (SIGKILL, power loss), and is removed, saying so.
    """
    for left in out_dir.glob(f".{glob.escape(name)}.partial-*"):
        shutil.rmtree(left, ignore_errors=True)
        say(f"removed {left.name}, left by a build of {name} that was killed")
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.partial-", dir=out_dir))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def private_runtime_dir(staging: Path) -> Iterator[Path]:
    """A private folder in the staging folder for what the build writes outside its outputs:
    the kernel's connection file (which holds its key: jupyter_client puts it in the temporary
    folder), its runtime files and, where HOME cannot hold them, IPython's and matplotlib's
    folders (each would warn and make a temporary folder of its own). It goes with the staging
    folder: at the build's end, or after a SIGKILL at the next build of the report."""
    runtime = staging / "runtime"
    runtime.mkdir()
    home = Path.home()
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    cache = Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache")
    settings = {"JUPYTER_RUNTIME_DIR": runtime}
    if "IPYTHONDIR" not in os.environ and not _usable(home / ".ipython", home):
        settings["IPYTHONDIR"] = runtime / "ipython"
    if "MPLCONFIGDIR" not in os.environ and not all(
        _usable(base / "matplotlib", home) for base in (config, cache)
    ):
        settings["MPLCONFIGDIR"] = runtime / "matplotlib"
    before = {name: os.environ.get(name) for name in settings}
    os.environ.update({name: str(path) for name, path in settings.items()})
    tempdir, tempfile.tempdir = tempfile.tempdir, str(runtime)
    try:
        yield runtime
    finally:
        tempfile.tempdir = tempdir
        for name, value in before.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value


def _usable(folder: Path, home: Path) -> bool:
    """Whether `folder` is, or can be made as, a folder this user writes: the folder or its
    nearest existing parent (not above HOME, which must exist) is writable."""
    while not folder.exists() and folder != home and folder != folder.parent:
        folder = folder.parent
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


def replace_all(pairs: list[tuple[Path, Path]]) -> None:
    """Move each staged file over its final path, as a whole set, with stop signals held back.

    Every target is checked first (a folder in a file's place would stop the moves half-way);
    if a move still fails, the files already moved are put back as they were.
    """
    blocked = [final for _, final in pairs if final.is_dir() and not final.is_symlink()]
    if blocked:
        raise IsADirectoryError(21, "Is a directory", str(blocked[0]))
    with signals_deferred():
        saved: list[tuple[Path, Path | None]] = []
        backup = Path(tempfile.mkdtemp(prefix=".previous-", dir=pairs[0][0].parent))
        try:
            for staged, final in pairs:
                kept = None
                if final.exists():
                    kept = backup / f"{len(saved)}"
                    os.link(final, kept)
                saved.append((final, kept))
                os.replace(staged, final)
        except OSError:
            for final, kept in reversed(saved):
                if kept is None:
                    final.unlink(missing_ok=True)
                else:
                    os.replace(kept, final)
            raise
        finally:
            shutil.rmtree(backup, ignore_errors=True)
