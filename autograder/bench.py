"""bench [part ...] [--quick]: speed as ratios against a floor, measured in one run.

Not a test (machines are noisy): each line is a figure to read, with what it was measured on.

    grade   grading a class of hw1 reference submissions: `grade --jobs 1` against `--jobs 2`
            (goal: >= 1.7x on 2 cores), and seconds per student with `--jobs 1` against bare
            execution of the same notebooks with nbclient, unsandboxed (goal: <= 1.3x)
    knn     hw2's kNN distances and predict against the matrix products they need (bench_knn)
    linear  hw2's vectorized softmax and hinge loss+grad against their two products (bench_linear)
    net     a hw3/hw4 fully connected training step against its products (bench_net)
    start   every verb's --help and every student import in a fresh interpreter, against
            `python -c pass` / `import numpy` (autograder/bench_start.py)
    notebooks   every notebook top to bottom with the reference solution, as a student runs it
            (goal: <= 120 s each), against a bare kernel (autograder/bench_notebooks.py)
"""
from __future__ import annotations

import os
from pathlib import Path
import shutil
import statistics
import sys
import tempfile
import time

from autograder.settings import COURSE_ROOT


def _machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    try:
        import numpy
        config = numpy.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]["name"]
    except Exception:
        blas = "?"
    threads = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS") or "default"
    return f"{os.cpu_count()} cores, load {load:.2f}, BLAS {blas}, threads {threads}"


def line(name: str, ratio: float, baseline: str, candidate: str, sizes: str, goal: str = "") -> str:
    return (f"{name:28} {ratio:6.2f}x  baseline {baseline:>10}  candidate {candidate:>10}  "
            f"{sizes}; {_machine()}" + (f"  [goal {goal}]" if goal else ""))


def bare_execution(notebooks: list[Path], folder: Path) -> float:
    """Seconds to execute `notebooks` (each in its own kernel, in `folder`) with nbclient."""
    import nbformat
    from nbclient import NotebookClient
    started = time.perf_counter()
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        NotebookClient(notebook, timeout=600, allow_errors=True,
                       resources={"metadata": {"path": str(folder)}}).execute()
    return time.perf_counter() - started


def bench_grade(quick: bool) -> list[str]:
    from autograder import grade
    from autograder.course import copy_assignment
    from autograder.manifest import load_manifest
    from autograder.samples import reference_submission
    from autograder.scores import autograded, graded_cells
    students = 4 if quick else 16
    lines = []
    with tempfile.TemporaryDirectory(prefix="nndl-bench-") as scratch:
        scratch = Path(scratch)
        root = scratch / "course"
        copy_assignment("hw1", root, COURSE_ROOT)
        manifest = load_manifest("hw1", root)
        submissions = scratch / "class"
        for number in range(students):
            reference_submission(manifest, root, submissions / f"student{number:02d}")
        # Bare floor: the same notebooks, nbclient alone, as grading would run them.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        previous = os.environ.get("NBGRADER_EXECUTION")
        os.environ["NBGRADER_EXECUTION"] = "autograde"
        try:
            folder = submissions / "student00"
            bare = statistics.median(
                bare_execution([folder / name for name in manifest.notebooks], folder)
                for _ in range(2 if quick else 3))
        finally:
            if previous is None:
                os.environ.pop("NBGRADER_EXECUTION")
            else:
                os.environ["NBGRADER_EXECUTION"] = previous
        timings = {}
        for jobs in (1, 2):
            shutil.rmtree(root / "autograded", ignore_errors=True)
            started = time.perf_counter()
            report = grade.main("hw1", submissions=submissions, root=root, jobs=jobs,
                                feedback=True, progress=False)
            timings[jobs] = time.perf_counter() - started
            full = sum(cell.points for cell in autograded(graded_cells(manifest, root / "source" / "hw1")))
            wrong = [r.student for r in report.results if r.total != full]
            if wrong:
                raise RuntimeError(f"bench grade: reference submissions scored less: {wrong}")
    sizes = f"{students} hw1 reference submissions, 2 notebooks each"
    lines.append(line("grade --jobs 1 / --jobs 2", timings[1] / timings[2], f"{timings[1]:.1f} s",
                      f"{timings[2]:.1f} s", sizes, ">= 1.7x"))
    per_student = timings[1] / students
    lines.append(line("grade s/student / nbclient", per_student / bare, f"{bare:.2f} s",
                      f"{per_student:.2f} s", "jobs 1, feedback on; baseline: bare nbclient, "
                      "no sandbox", "<= 1.3x"))
    return lines


def _lazy(module: str):
    """A part that lives in autograder/<module>.py, imported only when it runs."""
    def part(quick: bool) -> list[str]:
        import importlib
        return importlib.import_module(f"autograder.{module}").run(quick)
    return part


PARTS = {"grade": bench_grade, "knn": _lazy("bench_knn"), "linear": _lazy("bench_linear"),
         "net": _lazy("bench_net"), "start": _lazy("bench_start"),
         "notebooks": _lazy("bench_notebooks")}


def main(parts: list[str] | None = None, quick: bool = False) -> list[str]:
    unknown = set(parts or []) - set(PARTS)
    if unknown:
        raise SystemExit(f"bench: unknown part(s) {sorted(unknown)}; parts: {', '.join(PARTS)}")
    lines = []
    for name in parts or list(PARTS):
        for text in PARTS[name](quick):
            print(text, flush=True)
            lines.append(text)
    return lines


if __name__ == "__main__":
    main(sys.argv[1:])
