"""Run an assignment's probes in a sandbox and bring their results back as data.

A probe (`probe_<grade_id>(rng)` in source/<id>/hidden_checks.py) calls the student's functions
on inputs made from `rng` and returns plain data: numbers, arrays, text, or dicts and lists of
them. `run_probes` starts one sandboxed process (autograder.sandbox) with the student's files and
the checks file, which runs the probes in order with the seeds it is given and sends one record
per probe back over its standard output: 8 bytes of length, then an uncompressed `.npz`.

The trusted side reads each record with a size limit and a deadline, parses it with
`safe_load_npz` (allow_pickle=False, every member's header checked against its size before
anything is allocated), and takes a record only for the probe it expects next. A probe that
crashes its process, hangs or sends junk fails alone: the process is restarted after it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import io
import json
import os
from pathlib import Path
import re
import select
import sys
import threading
import time
import zipfile

import numpy as np

from autograder.sandbox import Limits, Sandbox, SandboxSpec, python_paths

MAX_RECORD = 16 << 20          # bytes of one probe's results
_EXCEPTION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,40}$")
CHECKS_INSIDE = ".checks/hidden_checks.py"

# Runs in the sandbox (with the student's code, so nothing it does is trusted). Keeps the real
# standard output for records; everything else, student prints included, goes to stderr.
RUNNER = r"""
import io, json, os, sys, time
channel = os.fdopen(os.dup(1), "wb")
os.dup2(2, 1)
sys.path.insert(0, os.getcwd())
import numpy as np
import importlib.util
job = json.loads(sys.argv[1])

def text(value):
    return np.frombuffer(json.dumps(value).encode(), dtype=np.uint8)

def flatten(value, key, into):
    if isinstance(value, dict):
        for name, item in value.items():
            flatten(item, f"{key}/{name}" if key else str(name), into)
        return
    if isinstance(value, (list, tuple)):
        try:
            array = np.asarray(value)
            if array.dtype != object:
                into[key] = array
                return
        except ValueError:
            pass
        for number, item in enumerate(value):
            flatten(item, f"{key}/{number}", into)
        return
    array = np.asarray(value)
    if array.dtype == object:
        raise TypeError(f"{key}: not numbers or text")
    into[key] = array

def emit(record):
    buffer = io.BytesIO()
    np.savez(buffer, **record)
    data = buffer.getvalue()
    channel.write(len(data).to_bytes(8, "big") + data)
    channel.flush()

try:
    spec = importlib.util.spec_from_file_location("hidden_checks", job["checks"])
    checks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(checks)
    load_error = None
except BaseException as error:
    load_error = f"the checks file does not load ({type(error).__name__}: {error})"
workdir = os.path.realpath(os.getcwd())

def forget_student_modules():
    # Each probe imports the student's modules afresh: what one probe patched, the next never sees.
    for module_name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None) or ""
        if path and os.path.realpath(path).startswith(workdir + os.sep):
            del sys.modules[module_name]

for name, seed in job["probes"]:
    forget_student_modules()
    started = time.perf_counter()
    record = {}
    try:
        if load_error:
            raise RuntimeError(load_error)
        flatten(getattr(checks, "probe_" + name)(np.random.default_rng(seed)), "", record)
        meta = {"name": name}
    except BaseException as error:
        record = {}
        # a release stub's message says what to implement: worth passing on (and cut to size)
        stub = isinstance(error, NotImplementedError) and str(error).startswith("implement ")
        meta = {"name": name, "error": type(error).__name__,
                "detail": str(error)[:300] if load_error or stub else ""}
    meta["seconds"] = time.perf_counter() - started
    record["__probe__"] = text(meta)
    emit(record)
"""


@dataclass
class ProbeResult:
    """What one probe returned (`data`), or why it did not (`error`: a short, safe phrase)."""
    name: str
    data: dict[str, np.ndarray] = field(default_factory=dict)
    error: str | None = None
    error_type: str | None = None     # the exception's class name, when the probe raised
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


class MalformedRecord(ValueError):
    """A record that is not a well-formed npz of plain arrays within the size limit."""


def safe_load_npz(data: bytes, max_bytes: int = MAX_RECORD) -> dict[str, np.ndarray]:
    """Parse an uncompressed npz from untrusted bytes: no pickles, no compression, every
    member's declared array size equal to its stored size, all within `max_bytes`."""
    if len(data) > max_bytes:
        raise MalformedRecord(f"{len(data)} bytes, more than {max_bytes}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise MalformedRecord(f"not an npz ({error})") from None
    arrays, total = {}, 0
    for member in members:
        if member.compress_type != zipfile.ZIP_STORED or not member.filename.endswith(".npy"):
            raise MalformedRecord(f"unexpected member {member.filename[:80]!r}")
        total += member.file_size
        if total > max_bytes:
            raise MalformedRecord("larger than its limit")
        with archive.open(member) as stream:
            try:
                version = np.lib.format.read_magic(stream)
                read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                               else np.lib.format.read_array_header_2_0)
                shape, fortran, dtype = read_header(stream)
                header_end = stream.tell()
            except (ValueError, OSError) as error:
                raise MalformedRecord(f"{member.filename[:80]!r}: bad header ({error})") from None
            if dtype.hasobject or dtype.kind not in "biufcUS":
                raise MalformedRecord(f"{member.filename[:80]!r}: dtype {dtype} is not plain data")
            size = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
            if any(n < 0 for n in shape) or header_end + size != member.file_size:
                raise MalformedRecord(f"{member.filename[:80]!r}: size does not match its header")
            raw = stream.read(size)
        array = np.frombuffer(raw, dtype=dtype).reshape(shape, order="F" if fortran else "C")
        arrays[member.filename[: -len(".npy")]] = array.copy()
    return arrays


def _meta(arrays: dict[str, np.ndarray]) -> dict:
    try:
        return json.loads(arrays.pop("__probe__").tobytes().decode())
    except (KeyError, ValueError, UnicodeDecodeError):
        raise MalformedRecord("no probe header") from None


@dataclass
class ProbeRun:
    """Where and how to run the probes: one sandbox per attempt, over these files."""
    input_dir: Path                 # the student's files (or the reference solution's)
    checks_file: Path
    scratch: Path                   # grader-private folder for the sandboxes' host side
    name: str                       # working folder name inside (the assignment id)
    kind: str = "bwrap"
    limits: Limits = field(default_factory=Limits)
    readable: list[Path] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    slot: int = 0
    probe_timeout: float = 120.0    # seconds one probe may take
    budget: float = 900.0           # seconds for all of them, restarts included


def run_probes(run: ProbeRun, probes: list[tuple[str, int]]) -> dict[str, ProbeResult]:
    """{name: ProbeResult} for every (name, seed) in `probes`."""
    results: dict[str, ProbeResult] = {}
    remaining = list(probes)
    deadline = time.monotonic() + run.budget
    attempt = 0
    while remaining:
        attempt += 1
        if time.monotonic() >= deadline:
            for name, _ in remaining:
                results[name] = ProbeResult(name, error="not run: the checks' time budget ran out")
            break
        finished, failure = _one_process(run, remaining, deadline, attempt)
        results.update({result.name: result for result in finished})
        remaining = remaining[len(finished):]
        if remaining and failure is not None:
            name = remaining[0][0]
            results[name] = ProbeResult(name, error=failure)
            remaining = remaining[1:]
    return results


def _one_process(run: ProbeRun, probes, deadline: float, attempt: int):
    """Run `probes` in one sandbox; returns (results in order, why it stopped early or None)."""
    folder = Path(run.scratch) / f"probes-{attempt}"
    folder.mkdir(parents=True, exist_ok=True)
    spec = SandboxSpec(input_dir=run.input_dir, name=run.name, scratch=folder,
                       readable=python_paths() + list(run.readable), env=dict(run.env),
                       limits=run.limits, slot=run.slot, kind=run.kind,
                       files={CHECKS_INSIDE: run.checks_file},
                       exclude=("*.ipynb", "nndl-grading.json", ".ipynb_checkpoints", "hidden_checks.py"))
    sandbox = Sandbox(spec)
    job = {"checks": f"{sandbox.home}/{CHECKS_INSIDE}", "probes": [list(p) for p in probes]}
    argv = [str(Path(sys.executable).absolute()), "-I", "-c", RUNNER, json.dumps(job)]
    out_read, out_write = os.pipe()
    err_read, err_write = os.pipe()
    try:
        sandbox.start(argv, stdout=out_write, stderr=err_write)
    finally:
        os.close(out_write)
        os.close(err_write)
    drain = threading.Thread(target=_drain, args=(err_read,), daemon=True)
    drain.start()
    finished, failure = [], None
    try:
        reader = _Reader(out_read)
        for name, _ in probes:
            probe_deadline = min(deadline, time.monotonic() + run.probe_timeout)
            try:
                data = reader.record(probe_deadline)
            except TimeoutError:
                why = ("the checks' time budget ran out" if probe_deadline >= deadline else
                       f"it ran past the time limit of {run.probe_timeout:g} s")
                failure = f"not finished: {why}"
                break
            except EOFError:
                failure = f"its process ended ({sandbox.exit_description()})"
                break
            except MalformedRecord as error:
                failure = f"its reply was not plain data ({error})"
                break
            try:
                arrays = safe_load_npz(data)
                meta = _meta(arrays)
            except MalformedRecord as error:
                failure = f"its reply was not plain data ({error})"
                break
            if meta.get("name") != name:
                failure = "its reply was not plain data (a record for another probe)"
                break
            result = ProbeResult(name, seconds=float(meta.get("seconds", 0.0)))
            if "error" in meta:
                kind = str(meta["error"])
                result.error_type = kind if _EXCEPTION_NAME.match(kind) else "an exception"
                result.error = f"it raised {result.error_type}" + (
                    f": {meta['detail']}" if meta.get("detail") else "")
            else:
                result.data = arrays
            finished.append(result)
    finally:
        sandbox.kill()
        os.close(out_read)
    return finished, failure


class _Reader:
    """Length-prefixed records from a pipe, each within MAX_RECORD bytes and a deadline."""

    def __init__(self, fd: int):
        self.fd, self.buffer = fd, b""

    def _fill(self, size: int, deadline: float) -> None:
        while len(self.buffer) < size:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.fd], [], [], min(left, 1.0))
            if ready:
                chunk = os.read(self.fd, min(1 << 20, size - len(self.buffer)))
                if not chunk:
                    raise EOFError
                self.buffer += chunk

    def record(self, deadline: float) -> bytes:
        self._fill(8, deadline)
        size = int.from_bytes(self.buffer[:8], "big")
        if size > MAX_RECORD:
            raise MalformedRecord(f"a record of {size} bytes, more than {MAX_RECORD}")
        self._fill(8 + size, deadline)
        data, self.buffer = self.buffer[8:8 + size], self.buffer[8 + size:]
        return data


def _drain(fd: int) -> None:
    with os.fdopen(fd, "rb", buffering=0) as pipe:
        while pipe.read(65536):
            pass
