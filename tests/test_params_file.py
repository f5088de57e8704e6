"""A parameter file is read with bounded work, and every refusal is one line naming the file:
not a regular file, too large, not UTF-8, YAML anchors, aliases, tags, duplicate keys, syntax."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from casualty_report.build.params_file import MAX_BYTES, read
from casualty_report.errors import ParameterError

# A "billion laughs": nine levels of nine aliases, 9**9 strings once expanded.
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)
# (file text, words the refusal must hold), each a file that must be refused.
REFUSED = {
    "alias bomb": (ALIAS_BOMB, ["line 1", "anchors and aliases"]),
    "alias of a scalar": ("seed: &s 7\nn_draws: *s\n", ["line 1", "anchors and aliases"]),
    "python tag": ("report_title: !!python/object/apply:os.system [ls]\n", ["line 1", "tag"]),
    "standard tag": ("seed: 1\nn_draws: !!int 5000\n", ["line 2", "tag"]),
    "local tag": ("seed: !mine 7\n", ["line 1", "tag '!mine'"]),
    "duplicate key": ("seed: 1\nn_draws: 2000\nseed: 2\n", ["line 3", "'seed' is given twice"]),
    "unclosed list": ("seed: [1,\n", ["line 2", "not valid YAML"]),
    "bad indent": ("seed: 1\n  n_draws: 2\n", ["line 2", "not valid YAML"]),
    "unclosed quote": ('report_title: "x\n', ["line 2", "not valid YAML"]),
    "two documents": ("seed: 1\n---\nseed: 2\n", ["line 2", "single document"]),
    "deep nesting": ("[" * 20_000, ["line 1", "nested more than"]),
    "huge integer": ("seed: " + "9" * 5000 + "\n", ["4300 digits"]),
    "a list": ("- 1\n- 2\n", ["expected a mapping"]),
}


def refusal(path: Path) -> str:
    with pytest.raises(ParameterError) as err:
        read(path)
    message = str(err.value)
    assert "\n" not in message, message  # one line
    assert str(path) in message, message  # naming the file
    return message


@pytest.mark.parametrize("case", REFUSED)
def test_unsafe_or_malformed_yaml_is_refused_in_one_line(tmp_path: Path, case: str) -> None:
    text, words = REFUSED[case]
    path = tmp_path / "params.yaml"
    path.write_text(text, encoding="utf-8")
    start = time.monotonic()
    message = refusal(path)
    assert time.monotonic() - start < 2, "the refusal took the time of the work it refuses"
    assert all(word in message for word in words), message


def test_a_plain_mapping_with_comments_is_read_with_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "params.yaml"
    text = "# a scenario\nseed: 7\nreport_title: 'Toll: revised'\ninterval: 0.8\n"
    path.write_text(text, encoding="utf-8")
    values, data = read(path)
    assert values == {"seed": 7, "report_title": "Toll: revised", "interval": 0.8}
    assert data == text.encode()
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing set\n", encoding="utf-8")
    assert read(empty)[0] == {}


def test_the_projects_own_parameter_files_are_read() -> None:
    from casualty_report import paths

    for path in sorted((paths.ROOT / "params").glob("*.yaml")):
        assert read(path)[0], path


def test_non_utf8_file_is_refused_naming_file_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"seed: 7\nreport_title: caf\xe9\n")
    message = refusal(path)
    assert "line 2" in message and "not UTF-8" in message and "0xe9" in message


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "large.yaml"
    path.write_text("# " + "x" * MAX_BYTES + "\nseed: 7\n", encoding="utf-8")
    assert "over the limit of 65,536" in refusal(path)


def test_a_fifo_is_refused_at_once_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "params.yaml"
    os.mkfifo(fifo)
    result: list[str] = []
    reader = threading.Thread(target=lambda: result.append(refusal(fifo)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert not reader.is_alive(), "reading a FIFO blocked"
    assert "not a regular file but a FIFO" in result[0]


@pytest.mark.parametrize(("path", "kind"), [("/dev/zero", "character device"), ("/", "directory")])
def test_special_files_are_refused_as_such(path: str, kind: str) -> None:
    assert f"not a regular file but a {kind}" in refusal(Path(path))


def test_missing_file_names_the_path_tried(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    message = refusal(Path("nowhere.yaml"))
    assert f"tried {tmp_path / 'nowhere.yaml'}" in message
