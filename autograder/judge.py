"""The judge: scores graded cells from probe data, outside every sandbox.

An assignment's hidden checks live in one instructor-only file, `source/<id>/hidden_checks.py`
(never released; nbgrader ignores it). For a graded cell `test_x` it may define

    def probe_test_x(rng):            # runs in the student's sandbox (autograder.probes)
        from nndl.regression import ridge
        X, y = rng.normal(size=(12, 4)), rng.normal(size=12)
        return {"X": X, "y": y, "theta": ridge(X, y, 0.7)}

    def judge_test_x(got, want):      # optional; runs here. got: the student's probe data,
        return 1.0 or 0.0 or (fraction, "message")   # want: the reference solution's
                                      # (optional parameters by name: `sources` gets
                                      # {module: source text}, `data` the dataset with the
                                      # test labels, autograder.grading_data.GradingData)

    TOLERANCE = {"test_x": (1e-6, 1e-9)}  # optional (rtol, atol) for the default judge

The default judge gives full points when every array of the reference's data is matched
(same shape; numbers within the tolerance, text and booleans equal), else none, naming the
first key that differs. Expected values never enter a sandbox: they are the same probes run on
the reference solution (in a sandbox too), cached in <root>/.nndl-cache/<id>/ beside the
course's secret, from which each probe's seed is derived (the same for every student and every
regrade; unknown to students). A probe's data are read as plain arrays only (autograder.probes).
Custom judges compute properties from the raw data they get, never from anything the sandbox
computed about it, and take inputs from `want` (the reference run), never from `got`.
"""
from __future__ import annotations

from dataclasses import dataclass
import hashlib
import importlib.util
import inspect
import json
import os
from pathlib import Path
import re
import secrets

import numpy as np

from autograder.probes import MAX_RECORD, ProbeResult, ProbeRun, run_probes, safe_load_npz

CHECKS_FILE = "hidden_checks.py"
CACHE = ".nndl-cache"
DEFAULT_TOLERANCE = (1e-6, 1e-9)


class CheckError(RuntimeError):
    """The instructor's checks are broken (e.g. a probe fails on the reference solution)."""


@dataclass(frozen=True)
class Verdict:
    fraction: float
    message: str


class Checks:
    """The probes and judges of one assignment (the checks file, imported here: it is the
    instructor's code; it imports student modules only inside its probes)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        spec = importlib.util.spec_from_file_location(f"hidden_checks_{abs(hash(str(path)))}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        self.module = module
        self.names = sorted(name[len("probe_"):] for name in vars(module)
                            if name.startswith("probe_") and callable(getattr(module, name)))
        self.tolerance = dict(getattr(module, "TOLERANCE", {}))

    def judge(self, name: str, got: ProbeResult, want: dict[str, np.ndarray],
              sources: dict[str, str] | None = None, data=None) -> Verdict:
        """sources: {module path: text} of the student's modules, for judges that read code
        (with `ast`, never by running it); data: a GradingData, for judges that score trained
        parameters on held-out images."""
        if not got.ok:
            return Verdict(0.0, _failure(got))
        custom = getattr(self.module, f"judge_{name}", None)
        if custom is None:
            return default_judge(got.data, want, *self.tolerance.get(name, DEFAULT_TOLERANCE))
        extras = {"sources": dict(sources or {}), "data": data}
        wanted = {key: extras[key] for key in list(inspect.signature(custom).parameters)[2:]}
        if "data" in wanted and data is None:
            raise CheckError(f"judge_{name} needs the dataset, and the grader gave it none")
        try:
            verdict = custom(dict(got.data), dict(want), **wanted)
        except Exception as error:   # data the judge cannot make sense of earns nothing
            return Verdict(0.0, f"the hidden checks could not read the results ({type(error).__name__})")
        fraction, message = verdict if isinstance(verdict, tuple) else (verdict, "")
        fraction = min(1.0, max(0.0, float(fraction)))
        return Verdict(fraction, message or ("passed" if fraction == 1.0 else "failed"))


def _failure(result: ProbeResult) -> str:
    if result.error_type == "NotImplementedError":
        todo = re.search(r": (implement [\w.]+ in [\w./-]+)$", result.error or "")
        return f"still to do: {todo.group(1)}" if todo else "a function they call still raises NotImplementedError"
    if result.error_type:
        return f"they raised {result.error_type}"
    return result.error or "failed"


def default_judge(got: dict, want: dict, rtol: float, atol: float) -> Verdict:
    """Full points when every array in `want` is matched by `got`; none otherwise."""
    for key in sorted(want):
        if key not in got:
            return Verdict(0.0, f"{key}: missing")
        g, w = np.asarray(got[key]), np.asarray(want[key])
        if g.shape != w.shape:
            return Verdict(0.0, f"{key}: shape {g.shape}, expected {w.shape}")
        if w.dtype.kind in "USb" or g.dtype.kind in "USb":
            same = g.dtype.kind == w.dtype.kind and bool(np.all(g == w))
        elif g.dtype.kind in "biufc":
            same = bool(np.allclose(g, w, rtol=rtol, atol=atol, equal_nan=True))
        else:
            same = False
        if not same:
            return Verdict(0.0, f"{key}: wrong values")
    return Verdict(1.0, "passed")


# ---------------------------------------------------------------- secret, seeds, reference

def cache_dir(root: Path, assignment: str) -> Path:
    return Path(root) / CACHE / assignment


def course_secret(root: Path) -> str:
    """The course's grading secret (created once; the seeds of all probes derive from it)."""
    path = Path(root) / CACHE / "secret"
    if not path.exists():
        _write_secret(path, secrets.token_hex(16))
    return path.read_text().strip()


def pin_secret(root: Path, secret: str) -> None:
    """Make `secret` the grading secret of the course at `root` (a scratch course: `check` and
    `mutate` grade under the real course's secret, or the test suite's fixed one). It lives
    only in the grader's file (mode 600, outside every sandbox), never in an environment."""
    if not secret or secret != secret.strip() or "\n" in secret:
        raise ValueError("a course secret is one non-empty line without surrounding spaces")
    path = Path(root) / CACHE / "secret"
    path.unlink(missing_ok=True)
    _write_secret(path, secret)


def _write_secret(path: Path, secret: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
        handle.write(secret + "\n")


def seeds(root: Path, assignment: str, names) -> list[tuple[str, int]]:
    secret = course_secret(root)
    return [(name, int(hashlib.sha256(f"{secret}/{assignment}/{name}".encode()).hexdigest()[:15], 16))
            for name in names]


def _files_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts or path.suffix in (".pyc", ".ipynb"):
            continue
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def reference_results(root: Path, assignment: str, run: ProbeRun, checks: Checks,
                      solutions: list[str]) -> dict[str, dict[str, np.ndarray]]:
    """{probe: data} of the reference solution: from the cache when it matches the checks, the
    source and the secret; else computed now (in a sandbox) and cached. Without the solution
    modules (a Gradescope bundle) the cached results must match the checks file."""
    folder = cache_dir(root, assignment)
    source = Path(root) / "source" / assignment
    checks_digest = hashlib.sha256(checks.path.read_bytes()).hexdigest()
    have_solutions = all((source / module).exists() for module in solutions)
    # the data the probes may read decide what training probes return (CIFAR-10 or the digits)
    data_files = json.dumps(sorted((str(path), path.stat().st_size) for path in map(Path, run.readable)))
    key = hashlib.sha256((_files_digest(source) + course_secret(root) + np.__version__ + data_files).encode()).hexdigest()
    stamp = folder / "reference.json"
    data = folder / "reference.npz"
    if stamp.exists() and data.exists():
        recorded = json.loads(stamp.read_text())
        if recorded.get("checks") == checks_digest and (recorded.get("key") == key or not have_solutions):
            return load_reference(data, recorded.get("names", []))
    if not have_solutions:
        raise CheckError(f"{assignment}: no reference results for these checks, and no solution "
                         "modules to compute them (rebuild the Gradescope bundle)")
    results = run_probes(run, seeds(root, assignment, checks.names))
    broken = {name: result.error for name, result in results.items() if not result.ok}
    if broken:
        raise CheckError(f"{assignment}: the reference solution fails its hidden checks: "
                         + "; ".join(f"{name}: {error}" for name, error in sorted(broken.items())))
    folder.mkdir(parents=True, exist_ok=True)
    flat = {f"{name}/{key}": value for name, result in results.items() for key, value in result.data.items()}
    with open(data, "wb") as handle:
        np.savez(handle, **flat)
    stamp.write_text(json.dumps({"checks": checks_digest, "key": key, "names": checks.names}) + "\n")
    return {name: result.data for name, result in results.items()}


def load_reference(path: Path, names=None) -> dict[str, dict[str, np.ndarray]]:
    """{probe: data} from a reference.npz (probes that returned nothing included via `names`)."""
    flat = safe_load_npz(Path(path).read_bytes(), max_bytes=64 * MAX_RECORD)
    if names is None:
        stamp = Path(path).with_suffix(".json")
        names = json.loads(stamp.read_text()).get("names", []) if stamp.exists() else []
    grouped: dict[str, dict[str, np.ndarray]] = {name: {} for name in names}
    for key, value in flat.items():
        name, _, rest = key.partition("/")
        grouped.setdefault(name, {})[rest] = value
    return grouped


def load_checks(root: Path, assignment: str) -> Checks | None:
    path = Path(root) / "source" / assignment / CHECKS_FILE
    return Checks(path) if path.exists() else None
