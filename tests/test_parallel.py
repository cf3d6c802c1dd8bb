"""Grading a class in parallel: the same CSV and feedback as one at a time; a TA's manual score
survives a regrade; an interrupted class keeps what finished and --resume grades the rest."""
from pathlib import Path
import os
import shutil
import signal
import subprocess
import sys
import time

from nbgrader.api import Gradebook
import pytest

from autograder import grade
from autograder.manifest import load_manifest
from autograder.samples import blank_submission, one_bug_submission, reference_submission

SLOW_MODULE = '''import time
import numpy as np
time.sleep(3)


def square_norm(x):
    return float(np.sum(np.asarray(x) ** 2))


def double(x):
    return 2 * np.asarray(x)
'''


CLASS = {"ref": "ref", "blank": "blank", "bug": "bug", "ref2": "ref", "slow": "slow"}


def make_class(root: Path, folder: Path, students=CLASS) -> Path:
    """students: {id: kind}, kind one of ref, blank, bug (double triples), slow (sleeps at import)."""
    manifest = load_manifest("duo", root)
    for student, kind in students.items():
        if kind == "ref":
            reference_submission(manifest, root, folder / student)
        elif kind == "blank":
            blank_submission(manifest, root, folder / student)
        elif kind == "bug":
            one = reference_submission(manifest, root, folder / student)
            text = (one / "nndl" / "arith.py").read_text()
            (one / "nndl" / "arith.py").write_text(text.replace("result = 2 * x", "result = 3 * x"))
        else:
            slow = blank_submission(manifest, root, folder / student)
            (slow / "nndl" / "arith.py").write_text(SLOW_MODULE)
    return folder


@pytest.fixture(scope="module")
def two_runs(duo_course, tmp_path_factory):
    """The same class graded with --jobs 1 and --jobs 2, in two copies of the course."""
    runs = {}
    for jobs in (1, 2):
        root = tmp_path_factory.mktemp(f"jobs{jobs}") / "course"
        shutil.copytree(duo_course, root)
        submissions = make_class(root, tmp_path_factory.mktemp(f"class{jobs}"))
        runs[jobs] = (root, grade.main("duo", submissions=submissions, root=root, jobs=jobs,
                                       progress=False), submissions)
    return runs


def test_scores_are_right(two_runs):
    results = two_runs[2][1].by_student()
    assert {student: r.total for student, r in results.items()} == {
        "ref": 5, "ref2": 5, "blank": 0, "bug": 3, "slow": 5}


def test_parallel_grading_gives_the_same_csv_and_feedback(two_runs):
    (one, _, _), (two, _, _) = two_runs[1], two_runs[2]
    assert (one / "exports" / "duo_grades.csv").read_bytes() == (two / "exports" / "duo_grades.csv").read_bytes()
    pages = sorted(p.relative_to(one) for p in (one / "feedback").rglob("*.html"))
    assert len(pages) == 10
    for page in pages:
        assert (one / page).read_bytes() == (two / page).read_bytes(), page


def test_a_tas_manual_score_is_kept_and_shown(two_runs):
    root, _, submissions = two_runs[2]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        gradebook.find_grade("test_double", "second", "duo", "bug").manual_score = 2
        gradebook.db.commit()
    again = grade.main("duo", submissions=submissions, root=root, jobs=2, progress=False)
    bug = again.by_student()["bug"]
    assert bug.scores["test_double"] == 0 and bug.manual == {"test_double": 2}
    rows = (root / "exports" / "duo_grades.csv").read_text().splitlines()
    row = next(line for line in rows if line.startswith("bug,"))
    # cells, then autograded, written (none here), total, max
    assert row.startswith("bug,3,2,5,,5,5,") and "TA score for test_double: 2 (autograder: 0)" in row


INTERRUPTED_RUN = """
import sys
from pathlib import Path
from autograder import grade
grade.main("duo", submissions=Path(sys.argv[2]), root=Path(sys.argv[1]), jobs=1, progress=False,
           resume="--resume" in sys.argv)
"""


def test_an_interrupted_class_keeps_what_finished_and_resumes(duo_course, tmp_path):
    root = tmp_path / "course"
    shutil.copytree(duo_course, root)
    submissions = make_class(root, tmp_path / "class",
                             {"a-ref": "ref", "b-slow": "slow", "c-slow": "slow", "d-ref": "ref"})
    command = [sys.executable, "-c", INTERRUPTED_RUN, str(root), str(submissions)]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           cwd=Path(__file__).resolve().parent.parent, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (root / "autograded" / "a-ref" / "duo" / "nndl-grading.json").exists():
        time.sleep(0.2)
    time.sleep(1)
    os.killpg(run.pid, signal.SIGINT)
    out, err = run.communicate(timeout=120)
    assert "interrupted" in err and "--resume" in err, err
    graded = {p.parent.parent.name for p in (root / "autograded").glob("*/duo/nndl-grading.json")}
    assert "a-ref" in graded and "d-ref" not in graded
    first_mtime = (root / "autograded" / "a-ref" / "duo" / "nndl-grading.json").stat().st_mtime
    resumed = subprocess.run(command + ["--resume"], capture_output=True, text=True, timeout=300,
                             cwd=Path(__file__).resolve().parent.parent)
    assert resumed.returncode == 0, resumed.stderr
    assert "already graded" in resumed.stdout
    assert (root / "autograded" / "a-ref" / "duo" / "nndl-grading.json").stat().st_mtime == first_mtime
    rows = (root / "exports" / "duo_grades.csv").read_text().splitlines()
    assert [row.split(",")[:4] for row in rows[1:]] == [
        ["a-ref", "3", "2", "5"], ["b-slow", "3", "2", "5"], ["c-slow", "3", "2", "5"], ["d-ref", "3", "2", "5"]]
