"""Jupyter kernels that run in a sandbox (autograder.sandbox), reached over IPC sockets.

`SandboxedKernelManager` is what grading's executor uses instead of jupyter_client's
AsyncKernelManager. The kernel starts inside the sandbox (no network: its own network namespace)
and binds its five ZeroMQ sockets as IPC files in its home, /home/student/.kipc-<n>; the grader
connects to them through /proc/<sandbox pid>/root, the sandbox's own root as the host sees it.

Why an earlier IPC attempt hung: with transport="ipc" jupyter_client's default `ip` is the relative
path "kernel-ipc", so the kernel (working folder: the notebook's) and the client (the grader's
working folder) bind and connect to two different files and wait for each other forever.

Hardening of the grader's side of the sockets: the client connects once, only after the kernel
has created the socket files and before any student code runs (no reconnects, no heartbeat
channel, which reconnects on its own: a student could swap a socket file for a link to a host
socket), and refuses messages over MAX_MESSAGE bytes.

The sandbox's settings come from `sandboxed_kernels(settings)`, a context the grading worker
opens around one student's autograde.
"""
from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
import itertools
import json
import os
from pathlib import Path
import stat
import sys
import threading
import time
import typing as t

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning.local_provisioner import LocalProvisioner
from traitlets import default
import zmq
import zmq.asyncio

from autograder.sandbox import Limits, Sandbox, SandboxSpec, python_paths

MAX_MESSAGE = 64 << 20          # bytes of one kernel message the grader accepts
KERNEL_STDERR_KEPT = 16 << 10   # bytes of the kernel process's own stderr kept for messages
SOCKET_WAIT = 120               # seconds the kernel may take to create its sockets


@dataclass
class KernelSettings:
    """How the kernels of one student are sandboxed."""
    scratch: Path                       # the grader's private folder for this student's sandboxes
    name: str                           # working folder name inside (the assignment id)
    kind: str = "bwrap"                 # autograder.sandbox kinds: bwrap, user, none
    limits: Limits = field(default_factory=Limits)
    readable: list[Path] = field(default_factory=list)   # besides python's own folders
    env: dict[str, str] = field(default_factory=dict)
    slot: int = 0
    # Never copied into the kernel's folder: the notebooks (nbgrader's copies hold every hidden
    # test) and the grader's own records.
    exclude: tuple[str, ...] = ("*.ipynb", "nndl-grading.json", ".ipynb_checkpoints")


_settings: KernelSettings | None = None


def current_settings() -> KernelSettings | None:
    return _settings
_counter = itertools.count(1)


@contextlib.contextmanager
def sandboxed_kernels(settings: KernelSettings):
    """Every SandboxedKernelManager started inside this block uses `settings`."""
    global _settings
    previous, _settings = _settings, settings
    try:
        yield settings
    finally:
        _settings = previous


def _hardened(context: zmq.Context) -> zmq.Context:
    context.setsockopt(zmq.RECONNECT_IVL, -1)
    context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE)
    return context


class SandboxedKernelClient(AsyncKernelClient):
    @default("context")
    def _context_default(self) -> zmq.asyncio.Context:
        self._created_context = True
        return _hardened(zmq.asyncio.Context())

    def start_channels(self, shell=True, iopub=True, stdin=True, hb=True, control=True) -> None:
        # Liveness comes from the sandbox process (the manager), not from the heartbeat.
        super().start_channels(shell=shell, iopub=iopub, stdin=stdin, hb=False, control=control)


class _StderrTail(threading.Thread):
    """Drains a pipe, keeping only its last bytes (a kernel may write gigabytes to fd 2)."""

    def __init__(self, fd: int):
        super().__init__(daemon=True)
        self.fd, self.tail = fd, b""

    def run(self) -> None:
        with os.fdopen(self.fd, "rb", buffering=0) as pipe:
            while chunk := pipe.read(65536):
                self.tail = (self.tail + chunk)[-KERNEL_STDERR_KEPT:]

    def text(self) -> str:
        return self.tail.decode("utf-8", "replace")


class SandboxProvisioner(LocalProvisioner):
    """Starts the kernel in a Sandbox and manages it through that sandbox."""

    sandbox: Sandbox | None = None
    stderr_tail: _StderrTail | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: t.Any):
        settings = _settings
        if settings is None:
            raise RuntimeError("grading kernels run in a sandbox: grade with `./run grade` "
                               "(nbgrader's own autograde would run student code as you)")
        km = self.parent
        folder = Path(settings.scratch) / f"kernel-{next(_counter)}"
        folder.mkdir(parents=True)
        spec = SandboxSpec(input_dir=Path(kwargs.get("cwd") or os.getcwd()), name=settings.name,
                           scratch=folder, readable=python_paths() + list(settings.readable),
                           env=dict(settings.env), limits=settings.limits, slot=settings.slot,
                           kind=settings.kind, exclude=settings.exclude)
        sandbox = Sandbox(spec)
        inside_ip = f"{sandbox.home}/.kipc"
        connection = dict(km.get_connection_info())
        connection["ip"] = inside_ip
        connection["key"] = km.session.key.decode()
        host_file = folder / "kernel.json"
        spec.files[".kernel.json"] = host_file   # ipykernel rewrites it: the launcher copies it in
        inside_file = f"{sandbox.home}/.kernel.json"
        host_file.write_text(json.dumps(connection))
        host_file.chmod(0o644)   # the sandbox's unprivileged uid reads it; its folder is private
        if settings.kind == "user":
            folder.chmod(0o711)
            Path(settings.scratch).chmod(0o711)
        argv = list(cmd)
        argv[0] = str(Path(sys.executable).absolute())
        argv[argv.index("-f") + 1] = inside_file
        read_end, write_end = os.pipe()
        try:
            sandbox.start(argv, stdout=write_end, stderr=write_end)
        finally:
            os.close(write_end)
        self.stderr_tail = _StderrTail(read_end)
        self.stderr_tail.start()
        self.sandbox = sandbox
        self.process = sandbox.process
        self.pid, self.pgid = sandbox.pid, None
        await self._wait_for_sockets(sandbox, inside_ip, km.ports)
        km.ip = sandbox.host_path(inside_ip)
        self.connection_info = km.get_connection_info()
        return self.connection_info

    async def _wait_for_sockets(self, sandbox: Sandbox, inside_ip: str, ports) -> None:
        deadline = time.monotonic() + SOCKET_WAIT
        pending = [sandbox.host_path(f"{inside_ip}-{port}") for port in ports]
        while pending:
            still = []
            for path in pending:
                try:
                    if not stat.S_ISSOCK(os.lstat(path).st_mode):
                        raise RuntimeError(f"{path} is not a socket")
                except FileNotFoundError:
                    still.append(path)
            pending = still
            if not pending:
                return
            if sandbox.poll() is not None:
                raise RuntimeError(f"the kernel {sandbox.exit_description()} before it started"
                                   + self.stderr_excerpt())
            if time.monotonic() > deadline:
                sandbox.kill("the kernel did not start")
                raise RuntimeError(f"the kernel did not start within {SOCKET_WAIT} s")
            await asyncio.sleep(0.02)

    def stderr_excerpt(self) -> str:
        text = self.stderr_tail.text().strip() if self.stderr_tail else ""
        return f": {text.splitlines()[-1][:300]}" if text else ""

    async def poll(self) -> int | None:
        return None if self.sandbox is None else self.sandbox.poll()

    async def send_signal(self, signum: int) -> None:
        if self.sandbox is not None:
            self.sandbox.send_signal(signum)

    async def kill(self, restart: bool = False) -> None:
        if self.sandbox is not None:
            self.sandbox.kill()

    async def terminate(self, restart: bool = False) -> None:
        await self.kill(restart)

    async def cleanup(self, restart: bool = False) -> None:
        if self.sandbox is not None and self.sandbox.poll() is None:
            self.sandbox.kill()


class SandboxedKernelManager(AsyncKernelManager):
    """An AsyncKernelManager whose kernel runs in a sandbox, over IPC."""

    client_class = "autograder.kernel.SandboxedKernelClient"

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc"

    @default("context")
    def _context_default(self) -> zmq.asyncio.Context:
        self._created_context = True
        return _hardened(zmq.asyncio.Context())

    async def _async_pre_start_kernel(self, **kw: t.Any):
        self.transport = "ipc"
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or os.urandom(8).hex()
            self.provisioner = SandboxProvisioner(kernel_id=self.kernel_id,
                                                  kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)

    def cleanup_ipc_files(self) -> None:
        """The socket files live and die with the sandbox; never touch paths through it."""

    @property
    def sandbox(self) -> Sandbox | None:
        return getattr(self.provisioner, "sandbox", None)
