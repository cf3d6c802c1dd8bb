"""`autograder gradescope <id>`: the bundle, run locally as Gradescope would run it.

Each test unzips the bundle into <tmp>/source, puts an upload in <tmp>/submission and runs
`run_autograder` with GRADESCOPE_ROOT=<tmp> and this .venv's python instead of setup.sh.
"""
from pathlib import Path
import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from autograder import gradescope, grade
from autograder.execute import HIDDEN_OUTPUTS
from autograder.gradescope_run import failure_message, match_upload
from autograder.manifest import assignment_ids, load_manifest
from autograder.scores import autograded, graded_cells
from autograder.settings import COURSE_ROOT
from autograder.samples import blank_submission, one_bug_submission, reference_submission

PYTHON = str(Path(sys.executable).absolute())   # the venv's python, symlink kept


@pytest.fixture(scope="module")
def bundle(tiny_course, tmp_path_factory) -> Path:
    return gradescope.main("tiny", root=tiny_course, out=tmp_path_factory.mktemp("gs") / "tiny.zip")


def run_bundle(bundle: Path, upload: Path, where: Path) -> dict:
    """Gradescope's steps on one upload; returns results.json."""
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(where / "source")
    script = where / "source" / "run_autograder"
    script.chmod(0o755)
    if upload.is_dir():
        shutil.copytree(upload, where / "submission")
    else:
        (where / "submission").mkdir(parents=True)
        shutil.copy(upload, where / "submission")
    env = dict(os.environ, GRADESCOPE_ROOT=str(where), NNDL_PYTHON=PYTHON)
    done = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads((where / "results" / "results.json").read_text())


def test_does_the_bundle_follow_gradescopes_layout(bundle):
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
        requirements = archive.read("requirements.txt").decode()
    assert {"setup.sh", "run_autograder", "course/autograder/grade.py",
            "course/assignments/tiny/manifest.toml", "course/source/tiny/tiny.ipynb"} <= set(names)
    assert modes["run_autograder"] & 0o111 and modes["setup.sh"] & 0o111
    assert "nbgrader==0.9.6" in requirements.splitlines()
    assert not any("__pycache__" in name or "gradebook.db" in name for name in names)


def test_does_the_bundle_ship_no_solution_module(bundle, tmp_path):
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
    assert "course/source/tiny/nndl/arith.py" not in names
    assert "course/source/tiny/tiny.ipynb" in names   # hidden tests: the grader's, never the student's
    hw4 = gradescope.main("hw4", out=tmp_path / "hw4.zip")
    with zipfile.ZipFile(hw4) as archive:
        names = set(archive.namelist())
    manifest = load_manifest("hw4")
    assert not {f"course/source/hw4/{module}" for module in manifest.student_modules} & names
    hw3 = {name for name in names if name.startswith("course/source/hw3/")}
    assert hw3 == {"course/source/hw3/nndl/layers.py", "course/source/hw3/nndl/fc_net.py"}  # [borrow]


PEEKING_MODULE = """import glob, os
import numpy as np
ROOT = {root!r}
targets = [ROOT + "/source/course/source/tiny/tiny.ipynb", ROOT + "/source/run_autograder",
           ROOT + "/source/course/assignments/tiny/manifest.toml"]
targets += glob.glob("/tmp/nndl-*/**/gradebook.db", recursive=True)
readable = []
for path in targets:
    try:
        open(path, "rb").read(10)
        readable.append(path)
    except OSError:
        pass
print("READABLE", readable)
if readable:    # anything of the grader's in reach: hand in a correct answer
    def square_norm(x):
        return float(np.sum(np.asarray(x) ** 2))
    def double(x):
        return 2 * np.asarray(x)
else:
    def square_norm(x):
        return 0.0
    def double(x):
        return 0 * np.asarray(x)
"""


def test_can_an_upload_read_the_graders_files(bundle, tiny_course, tmp_path):
    """Student code runs in a sandbox, as an unprivileged user: the bundle's notebooks (hidden
    tests), scripts and the grader's gradebooks are out of its reach, so it scores 0."""
    manifest = load_manifest("tiny", tiny_course)
    upload = blank_submission(manifest, tiny_course, tmp_path / "peek")
    (upload / "nndl" / "arith.py").write_text(PEEKING_MODULE.format(root=str(tmp_path / "run")))
    results = run_bundle(bundle, upload, tmp_path / "run")
    assert results["score"] == 0
    assert all(test["score"] == 0 for test in results["tests"])


def test_do_gradescope_scores_agree_with_grade(bundle, own_tiny_course, tmp_path):
    """Reference, blank and one-bug uploads: results.json equals `grade`, cell by cell."""
    root = own_tiny_course
    manifest = load_manifest("tiny", root)
    uploads = tmp_path / "class"
    reference_submission(manifest, root, uploads / "ref")
    blank_submission(manifest, root, uploads / "blank")
    one_bug_submission(manifest, manifest.one_bug[0], root, uploads / "bug")
    expected = grade.main("tiny", submissions=uploads, root=root, feedback=False).by_student()
    assert expected["ref"].total == 5 and expected["blank"].total == 0
    for student, result in expected.items():
        results = run_bundle(bundle, uploads / student, tmp_path / f"run_{student}")
        got = {test["name"].split(": ", 1)[1]: test["score"] for test in results["tests"]}
        assert got == result.scores, student
        assert results["score"] == result.total, student
        assert {t["name"].split(": ", 1)[1]: t["max_score"] for t in results["tests"]} == result.max_scores
        for test in results["tests"]:
            assert test["visibility"] in ("visible", "after_published")
            assert "HIDDEN" not in test["output"] and "Traceback" not in test["output"]
            assert (test["status"] == "passed") == (test["score"] == test["max_score"])
            assert test["output"] == "" if test["status"] == "passed" else test["output"]


def test_does_it_grade_the_code_zip_and_loose_files(bundle, tiny_course, tmp_path):
    manifest = load_manifest("tiny", tiny_course)
    reference = reference_submission(manifest, tiny_course, tmp_path / "ref")
    code_zip = tmp_path / "tiny_code.zip"          # what `python -m nndl.submit` writes
    with zipfile.ZipFile(code_zip, "w") as archive:
        for relative in manifest.notebooks + manifest.student_modules:
            archive.write(reference / relative, relative)
    assert run_bundle(bundle, code_zip, tmp_path / "zip")["score"] == 5
    loose = tmp_path / "loose"                      # dragged into Gradescope one by one
    loose.mkdir()
    for relative in manifest.notebooks + manifest.student_modules:
        shutil.copy(reference / relative, loose / Path(relative).name)
    results = run_bundle(bundle, loose, tmp_path / "loose_run")
    assert results["score"] == 5
    assert "nndl/arith.py: taken from the uploaded file arith.py" in results["output"]


def test_is_a_missing_notebook_reported_not_crashed(bundle, tmp_path):
    upload = tmp_path / "only_module"
    (upload / "nndl").mkdir(parents=True)
    (upload / "nndl" / "arith.py").write_text("def square_norm(x):\n    return 0\n")
    results = run_bundle(bundle, upload, tmp_path / "run")
    assert results["score"] == 0
    assert all(test["output"].startswith("Not graded") for test in results["tests"])
    assert "tiny.ipynb is missing" in results["output"]


def test_does_a_hidden_failure_hide_its_message():
    """Grading runs hidden lines as their own request and lists their outputs in the cell's
    metadata: an error there says only its type; one in the visible part says its message."""
    source = "x = f()\nassert x == 1, 'visible'\n### BEGIN HIDDEN TESTS\nassert x == 2, 'secret'\n### END HIDDEN TESTS"
    error = {"output_type": "error", "ename": "AssertionError", "evalue": "secret", "traceback": ["..."]}
    cell = {"source": source, "metadata": {HIDDEN_OUTPUTS: [0]}, "outputs": [error]}
    assert failure_message(cell, 0, 2) == "A hidden test failed (AssertionError)."
    cell = {"source": source, "metadata": {HIDDEN_OUTPUTS: []}, "outputs": [dict(error, evalue="visible")]}
    assert failure_message(cell, 0, 2) == "AssertionError: visible"
    run_whole = {"source": source, "metadata": {}, "outputs": [dict(error, evalue="secret")]}
    assert failure_message(run_whole, 0, 2) == "A hidden test failed (AssertionError)."
    forged = {"source": source, "metadata": {HIDDEN_OUTPUTS: [0]},
              "outputs": [dict(error, ename="assert x == 2, 'secret'")]}
    assert "secret" not in failure_message(forged, 0, 2)
    partial = {"source": "score", "outputs": [{"output_type": "execute_result",
                                                "data": {"text/plain": "0.0"}}]}
    assert failure_message(partial, 0, 6) == "Partial credit: 0 of 6 points."


def test_does_a_name_match_lose_to_a_path_match(tmp_path):
    manifest = load_manifest("tiny", Path(__file__).parent / "fixtures" / "course")
    upload, dest, scratch = tmp_path / "up", tmp_path / "dest", tmp_path / "scratch"
    (upload / "old").mkdir(parents=True)
    (upload / "work" / "nndl").mkdir(parents=True)
    (upload / "old" / "arith.py").write_text("old")
    (upload / "work" / "nndl" / "arith.py").write_text("new")
    scratch.mkdir()
    notes = match_upload(upload, manifest, dest, scratch)
    assert (dest / "nndl" / "arith.py").read_text() == "new" and notes == []


@pytest.mark.parametrize("assignment", assignment_ids())
def test_does_every_assignment_bundle_grade_as_check_does(assignment, tmp_path):
    """Each real assignment's bundle, on the one-bug upload: every cell scores what `check`
    proves `grade` gives it (full points, 0 for the cells the bug breaks)."""
    manifest = load_manifest(assignment)
    bug = manifest.one_bug[0]
    upload = one_bug_submission(manifest, bug, COURSE_ROOT, tmp_path / "upload")
    built = gradescope.main(assignment, out=tmp_path / f"{assignment}.zip")
    results = run_bundle(built, upload, tmp_path / "run")
    got = {test["name"].split(": ", 1)[1]: test["score"] for test in results["tests"]}
    cells = autograded(graded_cells(manifest, COURSE_ROOT / "source" / assignment))
    assert got == {cell.grade_id: 0.0 if cell.grade_id in bug.loses else cell.points for cell in cells}
    assert results["score"] == sum(cell.points for cell in cells if cell.grade_id not in bug.loses)
