"""A parameter file (PARAMS, `-f`), read with bounded work: a regular file of at most
MAX_BYTES, UTF-8, one YAML mapping of plain values.

papermill's own `-f` reads whatever it is given: a FIFO blocks forever, /dev/zero reads until
memory runs out, and `yaml.safe_load` expands aliases (a "billion laughs" file of a few lines
took 3.4 GB), accepts tags and lets the last of two equal keys win silently. Here each of these
is refused in one line that names the file (and the line, where there is one).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from casualty_report.errors import ParameterError
from casualty_report.ledger.files import kind_of

# A parameter file is a few lines (the largest in params/ is under 1 KiB); 64 KiB is room for
# comments and long titles, and bounds the reading and parsing.
MAX_BYTES = 64 * 1024
# A parameter's value is a plain value; a list or mapping nested deeper than this is not one,
# and PyYAML composes recursively (a 30,000-deep "[[[…" would exhaust Python's stack).
MAX_DEPTH = 8


class ParamsFileError(ParameterError):
    """The parameter file cannot be used; the message is one line naming it."""


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, else ParamsFileError.

    Opened without blocking (a FIFO would otherwise wait for a writer) and checked on the open
    file itself, so a file swapped for another kind after a check cannot slip through; at most
    `limit` + 1 bytes are ever read, so a file that grows meanwhile is refused too.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileNotFoundError:
        tried = "" if path.is_absolute() else f" (tried {Path.cwd() / path})"
        raise ParamsFileError(f"parameter file {path}: no such file{tried}") from None
    except OSError as err:
        raise ParamsFileError(f"parameter file {path}: cannot open: {err.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ParamsFileError(
                f"parameter file {path}: not a regular file but {kind_of(info.st_mode)};"
                " expected a YAML file"
            )
        if info.st_size > limit:
            raise ParamsFileError(_too_large(path, f"{info.st_size:,} bytes", limit))
        os.set_blocking(fd, True)
        with os.fdopen(os.dup(fd), "rb") as file:
            data = file.read(limit + 1)
    except OSError as err:
        raise ParamsFileError(f"parameter file {path}: cannot read: {err.strerror}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise ParamsFileError(_too_large(path, f"more than {limit:,} bytes", limit))
    return data


def _too_large(path: Path, size: str, limit: int) -> str:
    return (
        f"parameter file {path}: {size}, over the limit of {limit:,};"
        " expected a few lines of name: value"
    )


def decode(data: bytes, path: Path) -> str:
    """The bytes as UTF-8 text, or ParamsFileError naming the file, line and byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise ParamsFileError(
            f"parameter file {path}, line {line}: not UTF-8 (byte 0x{data[err.start]:02x});"
            " expected the file saved as UTF-8"
        ) from None


def _loader_class() -> type:
    """yaml.SafeLoader without anchors, aliases, tags, duplicate keys or deep nesting."""
    import yaml  # here, not at the top: `casualty-report outputs` runs on a bare Python

    class PlainLoader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise ParamsFileError(
                    f"line {line}: YAML anchors and aliases (& and *) are not accepted;"
                    " write each value out"
                )
            if getattr(event, "tag", None) is not None:
                raise ParamsFileError(
                    f"line {line}: YAML tag {event.tag!r} is not accepted; write a plain value"
                )
            self.depth = getattr(self, "depth", 0) + 1
            try:
                if self.depth > MAX_DEPTH:
                    raise ParamsFileError(
                        f"line {line}: values nested more than {MAX_DEPTH} deep;"
                        " expected name: value"
                    )
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if not isinstance(key, str | int | float | bool):
                    continue  # unhashable keys are the parent class's to refuse
                if key in seen:
                    raise ParamsFileError(
                        f"line {key_node.start_mark.line + 1}: {key!r} is given twice;"
                        " expected each parameter once"
                    )
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    return PlainLoader


def parse(text: str, path: Path) -> dict[str, Any]:
    """The YAML mapping in `text` (the file `path`), or ParamsFileError in one line."""
    import yaml

    loader = _loader_class()(text)
    try:
        loaded = loader.get_single_data()
    except ParamsFileError as err:
        raise ParamsFileError(f"parameter file {path}, {err}") from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f", line {mark.line + 1}" if mark is not None else ""
        what = err.problem or err.context or "not valid YAML"
        if err.context and what.startswith("but "):  # "expected a single document …, but …"
            what = f"{err.context}, {what}"
        raise ParamsFileError(f"parameter file {path}{where}: {what} (not valid YAML)") from None
    except (yaml.YAMLError, RecursionError) as err:
        reason = " ".join(str(err).split()) or type(err).__name__
        raise ParamsFileError(f"parameter file {path}: {reason} (not valid YAML)") from None
    except ValueError as err:  # e.g. an integer of more than 4,300 digits
        reason = " ".join(str(err).split()) or type(err).__name__
        raise ParamsFileError(f"parameter file {path}: a value cannot be read: {reason}") from None
    finally:
        loader.dispose()
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ParamsFileError(f"parameter file {path}: expected a mapping of name: value")
    return loaded


def read(path: Path) -> tuple[dict[str, Any], bytes]:
    """The parameters of a file and the very bytes they were read from."""
    data = read_bytes(path)
    return parse(decode(data, path), path), data
