"""Inside the Gradescope bundle: grade /autograder/submission, write /autograder/results/results.json.

`run_autograder` calls `python -m autograder.gradescope_run <id> --root /autograder` from the
bundle's `course/` folder (a copy of the repository's autograder/, common/, assignments/<id>,
source/<id>). Grading is the course's own `grade.main` on a scratch course root, so the scores are
exactly those of `./run grade`. The upload may be the code zip of `python -m nndl.submit` or loose
files; each file the manifest expects is found by its relative path, else by its file name.

results.json holds one test per graded cell: its score, max_score, a short message (the error's
first line when a visible check fails; only the error type when a hidden check fails, never the
hidden test's source or traceback) and its visibility: "visible" for a cell without hidden tests,
"after_published" for a cell with hidden tests.
"""
from pathlib import Path
import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
import zipfile

import nbformat

from autograder import grade
from autograder.course import copy_assignment
from autograder.execute import BEGIN_HIDDEN, HIDDEN_OUTPUTS, NOT_RUN, STOPPED
from autograder.feedback import hidden_test_failure
from autograder.judge import CACHE
from autograder.manifest import Manifest, load_manifest
from autograder import scores
from autograder.settings import COURSE_ROOT
from autograder.submissions import safe_extract

GRADESCOPE_ROOT = Path(os.environ.get("GRADESCOPE_ROOT", "/autograder"))
STUDENT = "gradescope"


# ---------------------------------------------------------------- the upload

def _unpack_zips(folder: Path, dest: Path) -> list[Path]:
    """Extract every zip under `folder` into its own folder under `dest`; returns those folders."""
    unpacked = []
    for index, archive in enumerate(sorted(folder.rglob("*.zip"))):
        if not zipfile.is_zipfile(archive):
            continue
        target = dest / f"zip{index}"
        safe_extract(archive, target)
        unpacked.append(target)
    return unpacked


def _candidates(folders: list[Path]) -> list[tuple[int, int, Path]]:
    """(folder rank, depth inside it, file) of every file: loose uploads rank before zips."""
    files = []
    for rank, folder in enumerate(folders):
        for path in folder.rglob("*"):
            parts = path.relative_to(folder).parts
            if path.is_file() and not any(p.startswith(".") or p == "__MACOSX" for p in parts):
                files.append((rank, len(parts), path))
    return files


def match_upload(upload: Path, manifest: Manifest, dest: Path, scratch: Path) -> list[str]:
    """Copy the expected files of `upload` (loose, in folders or in zips) to their paths under
    `dest`; returns notes on what was taken from where. A full relative path match wins over a
    name match; then loose files over files in a zip; then the shallowest."""
    files = _candidates([upload] + _unpack_zips(upload, scratch))
    notes = []
    for relative in list(manifest.notebooks) + list(manifest.student_modules):
        by_path = [f for f in files if f[2].as_posix().endswith("/" + relative)]
        by_name = [f for f in files if f[2].name == Path(relative).name]
        found = sorted(by_path or by_name, key=lambda f: (f[0], f[1], str(f[2])))
        if not found:
            continue
        (dest / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(found[0][2], dest / relative)
        if not by_path:
            notes.append(f"{relative}: taken from the uploaded file {found[0][2].name}")
    return notes


# ---------------------------------------------------------------- messages

def failure_message(cell, score: float, points: float) -> str:
    """A short reason for a lost point, never showing hidden test code or what it printed."""
    outputs = cell.get("outputs", []) if cell is not None else []
    metadata = cell.get("metadata", {}) if cell is not None else {}
    hidden = set(metadata.get(HIDDEN_OUTPUTS, []))
    run_whole = cell is not None and BEGIN_HIDDEN in cell.get("source", "") and HIDDEN_OUTPUTS not in metadata
    errors = [(index, o) for index, o in enumerate(outputs) if o.get("output_type") == "error"]
    if errors:
        index, error = errors[-1]
        ename = error.get("ename", "Error")
        evalue = (error.get("evalue") or "").strip().splitlines()
        if ename in (NOT_RUN, STOPPED):   # the grader's own words
            return evalue[0][:300] if evalue else ename
        if ename == "NotImplementedError":
            return "A function this test calls still raises NotImplementedError."
        if index in hidden or run_whole:
            return hidden_test_failure(ename)
        return f"{ename}: {evalue[0][:300]}" if evalue else ename
    for output in outputs:
        if output.get("output_type") == "execute_result":
            return f"Partial credit: {score:g} of {points:g} points."
    return f"Scored {score:g} of {points:g} points."


def autograded_cells(notebook: Path) -> dict:
    """{grade_id: cell} of an autograded notebook, or {} when it does not exist."""
    if not notebook.exists():
        return {}
    nb = nbformat.read(notebook, as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade")}


def cells_with_hidden_tests(source_dir: Path, manifest: Manifest) -> set[str]:
    hidden = set()
    for name in manifest.notebooks:
        for cell in nbformat.read(source_dir / name, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and BEGIN_HIDDEN in cell.source:
                hidden.add(meta["grade_id"])
    return hidden


# ---------------------------------------------------------------- results

def results_for(manifest: Manifest, course: Path, scratch_root: Path,
                result: "grade.StudentResult", notes: list[str], seconds: float) -> dict:
    """The results.json dictionary of one graded student."""
    every_cell = scores.graded_cells(manifest, course / "source" / manifest.id)
    cells = scores.autograded(every_cell)   # written answers are graded by hand, on the PDF
    answers = scores.written(every_cell)
    hidden = cells_with_hidden_tests(course / "source" / manifest.id, manifest) | set(result.judged)
    autograded = {}
    for name in manifest.notebooks:
        path = scratch_root / "autograded" / STUDENT / manifest.id / name
        autograded.update({gid: (name, cell) for gid, cell in autograded_cells(path).items()})
    tests = []
    for cell in cells:
        score = float(result.scores.get(cell.grade_id, 0.0))
        if cell.notebook not in {n for n, _ in autograded.values()}:
            message = f"Not graded: {cell.notebook} is missing or unreadable."
        elif score >= cell.points:
            message = ""
        elif cell.grade_id in result.judged:
            message = f"Hidden checks: {result.judged[cell.grade_id]}."
        else:
            message = failure_message(autograded.get(cell.grade_id, (None, None))[1], score, cell.points)
        tests.append({
            "name": f"{cell.notebook}: {cell.grade_id}",
            "score": score,
            "max_score": cell.points,
            "status": "passed" if score >= cell.points else "failed",
            "output": message,
            "visibility": "after_published" if cell.grade_id in hidden else "visible",
        })
    summary = [f"{manifest.id}: {len(cells)} graded cells; tests with hidden checks show after "
               "grades are published."]
    if answers:
        summary.append(f"Written answers ({len(answers)} cells, {sum(c.points for c in answers):g} "
                       "points) are graded by hand from your PDF, not here.")
    summary += [f"Problem: {problem}" for problem in result.problems]
    summary += notes
    return {
        "score": float(result.total),
        "execution_time": round(seconds),
        "output": "\n".join(summary),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def main(assignment: str, *, root: Path = GRADESCOPE_ROOT, course: Path = COURSE_ROOT) -> dict:
    """Grade root/submission against the course's hidden tests; write root/results/results.json."""
    root, course = Path(root), Path(course)
    started = time.time()
    out = root / "results" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        manifest = load_manifest(assignment, course)
        with tempfile.TemporaryDirectory(prefix="nndl-gradescope-") as tmp:
            tmp = Path(tmp)
            scratch_root = tmp / "course"
            copy_assignment(assignment, scratch_root, root=course, with_release=False)
            if (course / CACHE).is_dir():   # the judge's reference data, shipped by the bundle
                shutil.copytree(course / CACHE, scratch_root / CACHE)
            student_dir = tmp / "class" / STUDENT
            student_dir.mkdir(parents=True)
            (tmp / "unzipped").mkdir()
            notes = match_upload(root / "submission", manifest, student_dir, tmp / "unzipped")
            report = grade.main(assignment, submissions=tmp / "class", root=scratch_root, feedback=False,
                                sandbox="auto-user", jobs=1, progress=False)
            results = results_for(manifest, course, scratch_root, report.results[0], notes,
                                  time.time() - started)
    except Exception as error:   # never leave Gradescope without a results.json
        traceback.print_exc()
        results = {"score": 0.0, "execution_time": round(time.time() - started),
                   "output": f"The autograder could not grade this submission ({type(error).__name__}). "
                             "Check that you uploaded the code zip from `python -m nndl.submit`, "
                             "then tell the course staff.",
                   "visibility": "visible", "stdout_visibility": "hidden", "tests": []}
    out.write_text(json.dumps(results, indent=1) + "\n")
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m autograder.gradescope_run",
                                     description="grade a Gradescope submission (inside the bundle)")
    parser.add_argument("assignment")
    parser.add_argument("--root", type=Path, default=GRADESCOPE_ROOT,
                        help="Gradescope's root, holding submission/ and results/ "
                             "(default: $GRADESCOPE_ROOT or /autograder)")
    args = parser.parse_args()
    results = main(args.assignment, root=args.root)
    print(f"score {results['score']:g}/{sum(t['max_score'] for t in results['tests']):g}")
    sys.exit(0)
