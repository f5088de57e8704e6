"""Kernels forked from a build process that has already imported what the notebook imports.

Only `casualty-report sweep` uses this. Its builds run in processes forked from a server that
imported the build's libraries and the notebook's (ipykernel, pandas, matplotlib, this package;
see `sweep.PRELOAD`). Each such build forks once more at its start, before it starts any Python
thread (the one other OS thread, OpenBLAS's idle pool from importing numpy, is made fork-safe by
OpenBLAS itself): that child waits and, when the build starts its kernel, becomes the kernel
(ipykernel, with the build's connection file, environment and folder), its imports already done.
A kernel started as Jupyter does, in a new Python process, spent about 2 s of CPU importing
them, measured; three builds on two cores are bound by CPU. A lone build starts its kernel as
Jupyter does.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import time
import traceback
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

# What the notebook imports; the sweep's server imports it once for every kernel.
PRELOAD = [
    "ipykernel.kernelapp",
    "casualty_report.analysis",
    "casualty_report.assumptions",
    "casualty_report.backmatter",
    "casualty_report.changes",
    "casualty_report.figures",
    "casualty_report.narrative",
    "casualty_report.plots",
    "casualty_report.tables",
    "casualty_report.used_figures",
]
LAUNCHER = ["-m", "ipykernel_launcher"]  # how the kernel spec starts a kernel


def kernel_arguments(cmd: list[str]) -> list[str] | None:
    """ipykernel's own arguments, if `cmd` starts ipykernel with this very Python; else None.

    Interpreter options (-X...: the kernel spec's -Xfrozen_modules=off, for the debugger) are
    accepted and dropped: a forked kernel runs with its build's interpreter as it is.
    """
    if not cmd or cmd[0] != sys.executable:
        return None
    for at in range(1, len(cmd) - 1):
        if cmd[at : at + 2] == LAUNCHER:
            return cmd[at + 2 :]
        if not cmd[at].startswith("-X"):
            return None
    return None


class ChildProcess:
    """The part of `subprocess.Popen` that jupyter_client and the build use, for a child that
    this process forked itself."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._reaping = threading.Lock()  # the build's two threads may both ask

    def poll(self) -> int | None:
        with self._reaping:
            if self.returncode is None:
                try:
                    pid, status = os.waitpid(self.pid, os.WNOHANG)
                except ChildProcessError:  # reaped elsewhere: ended, status unknown (as Popen)
                    pid, status = self.pid, 0
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
            return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"process {self.pid} still running after {timeout} s")
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class WaitingKernel:
    """A child forked now, that becomes a kernel when `launch` sends it its command line.

    Create it before this process starts any thread (forking a threaded process is unsafe).
    If this process ends first, or calls `discard`, the child reads the end of its pipe and
    exits.
    """

    def __init__(self) -> None:
        read_end, self._orders = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(self._orders)
            raise
        if pid == 0:  # the child: never returns
            os.close(self._orders)
            _become_kernel(read_end)
        os.close(read_end)
        self.process = ChildProcess(pid)

    def launch(self, argv: list[str], env: dict[str, str], cwd: str) -> ChildProcess:
        """Make the child a kernel run with ipykernel's arguments `argv`; the child."""
        with os.fdopen(self._orders, "wb") as orders:
            pickle.dump((argv, env, cwd), orders)
        return self.process

    def discard(self) -> None:
        """No kernel is wanted of it: the child exits, and is reaped."""
        os.close(self._orders)
        self.process.wait()


def _become_kernel(orders: int) -> None:
    """In the forked child: wait for the kernel's command line, then run the kernel; exit."""
    code = 1
    try:
        os.setsid()  # its own session, as Jupyter starts kernels: no terminal's signals
        # A fresh Python's handlers, not the build's (which turn signals into its cleanup).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        with os.fdopen(orders, "rb") as handle:
            data = handle.read()
        if not data:  # the build ended without a kernel
            code = 0
            return
        argv, env, cwd = pickle.loads(data)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=argv)
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else int(stop.code is not None)
    except BaseException:  # said, as a kernel started by Jupyter would say it
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


class ForkedProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, but the kernel is the build's waiting child.

    A kernel spec that does not start ipykernel with this very Python is launched as usual.
    """

    waiting: WaitingKernel | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        waiting, self.waiting = self.waiting, None
        argv = kernel_arguments(cmd)
        if waiting is None or argv is None:
            if waiting is not None:
                waiting.discard()
            return await super().launch_kernel(cmd, **kwargs)
        parent = str(os.getpid())  # the kernel ends if this process dies
        env = {**kwargs.get("env", os.environ), "JPY_PARENT_PID": parent}
        # ipykernel read JPY_PARENT_PID when the server imported it, so it is said again here
        argv = [*argv, f"--IPKernelApp.parent_handle={parent}"]
        self.process = waiting.launch(argv, env, str(kwargs.get("cwd") or os.getcwd()))
        self.pid = self.pgid = self.process.pid  # the child started its own session
        self.cwd = kwargs.get("cwd")
        return self.connection_info


# Set in a sweep's build process before its build starts (see sweep._worker); None elsewhere.
WAITING: WaitingKernel | None = None


def provisioner(km: Any) -> ForkedProvisioner | None:
    """For kernel manager `km`, a provisioner that uses this process's waiting child, if any."""
    global WAITING
    if WAITING is None:
        return None
    import uuid

    km.kernel_id = km.kernel_id or str(uuid.uuid4())
    chosen = ForkedProvisioner(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km)
    chosen.waiting, WAITING = WAITING, None
    return chosen
