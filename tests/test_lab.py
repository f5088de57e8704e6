"""JupyterLab as people use it (issue 23): a check's error in one line in a kernel, a notebook
that opens and saves clean through a running Jupyter server, scratch notebooks left alone, and
`make lab` opening the report notebook itself.

The server tests run JupyterLab's own server from `.venv-lab` (`make test` sets it up) with the
pre-save hook `make lab` gives it, on a clone of the committed project.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from casualty_report import errors, paths
from conftest import ROOT, git, make_env, run_outputs
from test_faults import project_copy

JUPYTER = ROOT / ".venv-lab" / "bin" / "jupyter"
HOOK = "casualty_report.build.notebook_filter.pre_save_hook"
REPORT = "notebooks/01_casualty_report.ipynb"
needs_lab = pytest.mark.skipif(
    not JUPYTER.exists(),
    reason="JupyterLab's environment .venv-lab is missing (make test sets it up)",
)


# 1. The project's check errors in one line in a kernel; any other error in full.


def run_cells(*sources: str) -> list[dict[str, Any]]:
    """Run each source as a cell in the project's kernel, errors allowed; the error outputs."""
    import nbclient
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nbclient.NotebookClient(nb, kernel_name="casualty-report", allow_errors=True).execute()
    return [next((o for o in cell.outputs if o.output_type == "error"), None) for cell in nb.cells]


def lines(error: dict[str, Any]) -> list[str]:
    return "".join(error["traceback"]).splitlines()


def test_check_errors_show_in_one_line_and_other_errors_in_full() -> None:
    import_only, figures, model, other = run_cells(
        "import casualty_report.ledger.figures as figures",
        "figures.load_figures('/nonexistent/figures.csv')",
        "from casualty_report.model.inputs import check_stale_parameters\n"
        "check_stale_parameters(30, 'drop')",
        "def divide():\n    return 1 / 0\n\ndivide()",
    )
    assert import_only is None
    assert figures["ename"] == "FiguresError" and len(lines(figures)) == 1
    assert "file not found" in lines(figures)[0]
    assert model["ename"] == "ParameterError" and len(lines(model)) == 1
    assert "stale_treatment" in lines(model)[0]
    assert other["ename"] == "ZeroDivisionError"
    assert len(lines(other)) > 3 and any("divide()" in line for line in lines(other))


class Shell:
    """Enough of an IPython shell to register a custom exception handler on."""

    def __init__(self, custom: tuple = ()) -> None:
        self.custom_exceptions = custom

    def set_custom_exc(self, exc_tuple: tuple, handler: Any) -> None:
        self.custom_exceptions, self.handler = exc_tuple, handler


def test_show_in_one_line_registers_once_and_leaves_another_handler_alone() -> None:
    shell = Shell()
    assert errors.show_in_one_line(shell) and shell.custom_exceptions == (errors.CheckError,)
    assert errors.show_in_one_line(shell)  # again: the same handler
    theirs = Shell((KeyError,))
    assert not errors.show_in_one_line(theirs) and theirs.custom_exceptions == (KeyError,)


# 2. and 3. Through a running server: the committed notebook saves byte for byte; a run saves
# without outputs; a scratch notebook keeps them; git stays clean.


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A Jupyter server's REST API, with its token."""

    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url, token

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"{}")

    def open(self, path: str) -> dict:
        """What JupyterLab loads when it opens a notebook."""
        return self.call("GET", f"/api/contents/{path}?type=notebook&content=1")

    def save(self, path: str, nb: dict) -> None:
        """What JupyterLab sends when it saves one."""
        self.call(
            "PUT", f"/api/contents/{path}", {"type": "notebook", "format": "json", "content": nb}
        )


def wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise TimeoutError(f"no answer from {url} in {seconds} s")


def jupyter_env(tmp_path: Path) -> dict[str, str]:
    """No user configuration, and runtime files in the test's own folder."""
    return {
        **make_env(),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime"),
    }


def stop(process: subprocess.Popen) -> None:
    """Stop a process started in its own session, and whatever it started."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def status(clone: Path) -> str:
    """`git status` of the clone, every untracked file listed (not the .venv link it was given)."""
    return git(clone, "status", "--porcelain", "--untracked-files=all", "--", ".", ":!.venv")


@pytest.fixture
def server(clone: Path, tmp_path: Path) -> Iterator[Server]:
    """A Jupyter server on the clone, saving through the pre-save hook as `make lab` does."""
    if not JUPYTER.exists():
        pytest.skip("JupyterLab's environment .venv-lab is missing (make test sets it up)")
    port, token = free_port(), secrets.token_hex(16)
    command = [str(JUPYTER), "server", "--no-browser", f"--port={port}", "--port-retries=0"]
    command += [f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={clone}"]
    command += [f"--ContentsManager.pre_save_hook={HOOK}"]
    command += ["--allow-root"] if os.getuid() == 0 else []
    env = {**jupyter_env(tmp_path), "PYTHONPATH": str(ROOT / "src")}
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        command, cwd=clone, env=env, stdout=log, stderr=log, start_new_session=True
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/api/status?token={token}", process)
        yield Server(f"http://127.0.0.1:{port}", token)
    finally:
        stop(process)
        log.close()


def test_the_committed_notebook_opened_and_saved_unchanged_stays_byte_identical(
    server: Server, clone: Path
) -> None:
    before = (clone / REPORT).read_bytes()
    server.save(REPORT, server.open(REPORT)["content"])
    assert (clone / REPORT).read_bytes() == before
    assert status(clone) == ""


def test_a_run_saved_through_the_server_leaves_the_notebook_as_committed(
    server: Server, clone: Path
) -> None:
    before = (clone / REPORT).read_bytes()
    server.save(REPORT, run_outputs(server.open(REPORT)["content"], python="3.13.0"))
    assert (clone / REPORT).read_bytes() == before  # no outputs, its own language_info
    assert status(clone) == ""


def test_scratch_notebooks_keep_their_outputs_and_git_stays_clean(
    server: Server, clone: Path
) -> None:
    # JupyterLab's launcher in notebooks/ (where the report opens) makes Untitled.ipynb there.
    new = server.call("POST", "/api/contents/notebooks", {"type": "notebook"})["path"]
    assert new == "notebooks/Untitled.ipynb"
    for path in (new, "scratch/mine.ipynb"):
        nb = server.open(REPORT)["content"]
        nb["cells"] = nb["cells"][:2]
        server.save(path, run_outputs(nb))
        saved = json.loads((clone / path).read_text(encoding="utf-8"))
        assert [c["execution_count"] for c in saved["cells"]] == [1, 2], path
        assert all(c["outputs"] for c in saved["cells"]), path
    assert status(clone) == ""


# The notebook as JupyterLab holds it once the kernel has started: what it writes then (its
# kernelspec and the kernel's language_info) is what is committed, or the notebook would show as
# modified before any edit.


def test_the_committed_notebook_carries_what_jupyterlab_writes_on_open() -> None:
    from jupyter_client.manager import start_new_kernel

    committed = json.loads(paths.REPORT_NOTEBOOK.read_text(encoding="utf-8"))["metadata"]
    spec = json.loads(
        (ROOT / ".venv/share/jupyter/kernels/casualty-report/kernel.json").read_text("utf-8")
    )
    assert committed["kernelspec"] == {
        "display_name": spec["display_name"],
        "language": spec["language"],
        "name": "casualty-report",
    }
    manager, client = start_new_kernel(kernel_name="casualty-report")
    try:
        info = client.kernel_info(reply=True, timeout=60)["content"]["language_info"]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert {k: v for k, v in committed["language_info"].items() if k != "version"} == {
        k: v for k, v in info.items() if k != "version"
    }
    python = committed["language_info"]["version"]
    if python != info["version"]:
        pytest.skip(
            f"the notebook is committed as opened with Python {python}; this kernel runs"
            f" {info['version']}, so JupyterLab marks it modified on open here"
        )


# 4. `make lab` opens the report notebook itself, not the Launcher.


@needs_lab
def test_make_lab_prints_a_url_that_opens_the_report_notebook(tmp_path: Path) -> None:
    port = free_port()
    env = jupyter_env(tmp_path)
    config = Path(env["JUPYTER_CONFIG_DIR"])
    config.mkdir()
    settings = {"ServerApp": {"open_browser": False, "port": port, "port_retries": 0}}
    (config / "jupyter_server_config.json").write_text(json.dumps(settings), encoding="utf-8")
    log = tmp_path / "lab.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "lab"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/api", process)
        deadline = time.monotonic() + 30
        while f"http://127.0.0.1:{port}/" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        printed = next(
            word for word in log.read_text().split() if word.startswith(f"http://127.0.0.1:{port}/")
        )
        assert printed.startswith(f"http://127.0.0.1:{port}/lab/tree/{REPORT}?token=")
        token = printed.partition("?token=")[2]
        with urllib.request.urlopen(printed, timeout=30) as page:
            assert page.status == 200 and "JupyterLab" in page.read().decode()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/?token={token}", timeout=30) as home:
            assert home.url.startswith(f"http://127.0.0.1:{port}/lab/tree/{REPORT}")
    finally:
        stop(process)


# 5. Setting up the kernel (`make lab`'s .venv-lab/.synced, and .venv/.synced) leaves no
# temporary folder: `ipykernel install` staged the spec in /tmp/tmp*_kernels and removed only the
# spec, so every set-up left an empty folder there (issue 21).


def test_the_kernels_set_up_leaves_no_temporary_folder(tmp_path: Path) -> None:
    copy = project_copy(tmp_path / "copy")
    shown = subprocess.run(
        ["make", "-n", "-W", "uv.lock", ".venv/.synced", ".venv-lab/.synced"],
        cwd=copy,
        capture_output=True,
        text=True,
        env=make_env(),
        check=True,
    ).stdout
    installs = [line for line in shown.splitlines() if "ipykernel install" in line]
    assert len(installs) == 2 and all("TMPDIR=" in line for line in installs), installs
    temp = tmp_path / "tmp"
    temp.mkdir()
    (lab,) = [line for line in installs if "--prefix .venv-lab" in line]  # not the real .venv
    done = subprocess.run(
        ["bash", "-c", lab],
        cwd=copy,
        capture_output=True,
        text=True,
        env={**make_env(), "TMPDIR": str(temp)},
    )
    assert done.returncode == 0, done.stderr
    spec = copy / ".venv-lab" / "share" / "jupyter" / "kernels" / "casualty-report" / "kernel.json"
    assert json.loads(spec.read_text(encoding="utf-8"))["display_name"] == "Casualty report (.venv)"
    assert list(temp.iterdir()) == []
    assert [p.name for p in (copy / ".venv-lab").iterdir()] == ["share"]
