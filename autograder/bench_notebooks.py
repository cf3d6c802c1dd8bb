"""bench notebooks: how long each notebook takes a student, top to bottom, with the reference solution.

Every notebook of every assignment runs as a student would run it (not in grading mode: the full
data sizes, progress bars on), with the reference solution placed, in a scratch copy of
`source/<id>`, on the data dir the course uses ($NNDL_DATA_DIR; the shared CIFAR-10 subset, or
the digits when it is empty). Each line gives the notebook's seconds against the goal of 120 s,
and its ratio to the floor: a kernel that starts and runs one empty cell. BLAS runs on one thread
(as in grading and `bench grade`) unless OPENBLAS_NUM_THREADS says otherwise; the machine line
says which. `--quick` measures the floor once and runs hw1 only.
"""
from __future__ import annotations

import os
from pathlib import Path
import shutil
import statistics
import tempfile
import time

from autograder.bench import line
from autograder.settings import COURSE_ROOT

GOAL_SECONDS = 120.0


def execute(path: Path, data_dir: Path) -> tuple[float, str]:
    """Seconds to run the notebook at `path` top to bottom (kernel start included, cwd = its
    folder), and the first error it raised ('' when none)."""
    import nbformat
    from nbclient import NotebookClient
    notebook = nbformat.read(path, as_version=4)
    environment = {"NNDL_DATA_DIR": str(data_dir), "MPLBACKEND": "Agg"}
    saved = {name: os.environ.get(name) for name in (*environment, "NBGRADER_EXECUTION")}
    os.environ.update(environment)
    os.environ.pop("NBGRADER_EXECUTION", None)
    started = time.perf_counter()
    try:
        NotebookClient(notebook, timeout=1800, allow_errors=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    seconds = time.perf_counter() - started
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return seconds, f"cell {index}: {output.ename}"
    return seconds, ""


def bare_kernel(folder: Path, data_dir: Path, repeats: int) -> float:
    """Median seconds to start a kernel and run an empty notebook (one empty cell)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook
    path = folder / "empty.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("")]), path)
    return statistics.median(execute(path, data_dir)[0] for _ in range(repeats))


def data_label(data_dir: Path) -> str:
    if (data_dir / "cifar-10-batches-py" / "test_batch").is_file():
        return f"CIFAR-10 in {data_dir}"
    return "digits fallback (no CIFAR-10 in the data dir)"


def run(quick: bool, assignments: list[str] | None = None) -> list[str]:
    """One line for the bare kernel, then one per notebook of `assignments` (default: all;
    hw1 only when quick)."""
    from autograder.course import copy_assignment
    from autograder.grade import host_data_dir
    from autograder.manifest import assignment_ids, load_manifest
    from autograder.place import place
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    data_dir = host_data_dir()
    assignments = assignments or (["hw1"] if quick else assignment_ids())
    lines = []
    with tempfile.TemporaryDirectory(prefix="nndl-bench-notebooks-") as scratch:
        scratch = Path(scratch)
        floor = bare_kernel(scratch, data_dir, 1 if quick else 3)
        floor_text = f"{floor:.1f} s"
        lines.append(line("notebooks: bare kernel", 1.0, floor_text, floor_text,
                          "start a kernel, run one empty cell"))
        for assignment in assignments:
            root = scratch / assignment / "course"
            copy_assignment(assignment, root, COURSE_ROOT, with_release=False)
            manifest = load_manifest(assignment, root)
            source = root / "source" / assignment
            place(manifest, source, root)
            for notebook in manifest.notebooks:
                folder = scratch / assignment / f"run-{Path(notebook).stem}"
                shutil.copytree(source, folder)
                seconds, error = execute(folder / notebook, data_dir)
                verdict = "ok" if seconds <= GOAL_SECONDS else "OVER"
                lines.append(line(f"{assignment}/{notebook}", seconds / floor, floor_text,
                                  f"{seconds:.1f} s",
                                  f"reference solution, {data_label(data_dir)}, {verdict}"
                                  + (f", ERROR {error}" if error else ""),
                                  goal=f"<= {GOAL_SECONDS:.0f} s"))
    return lines
