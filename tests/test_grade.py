"""Does grade score each student on their own work, report bad submissions by name, and leak
nothing hidden? One class, graded once, on the tiny course."""
import csv
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from autograder import grade
from autograder.check import _html_text
from autograder.manifest import load_manifest
from autograder.sandbox import SandboxUnavailable
from autograder.samples import (blank_submission, corrupt_submission, one_bug_submission,
                                reference_submission)

# Correct, but written differently from the reference: shows that the student's file is graded.
OWN_MODULE = '''import numpy as np


def square_norm(x):
    return float(np.dot(x, x))  # student's own way


def double(x):
    return x + x
'''


@pytest.fixture(scope="module")
def graded_class(tiny_course, tmp_path_factory):
    root = tmp_path_factory.mktemp("grade") / "course"
    shutil.copytree(tiny_course, root)
    manifest = load_manifest("tiny", root)
    class_dir = tmp_path_factory.mktemp("class")
    reference_submission(manifest, root, class_dir / "ref")
    blank_submission(manifest, root, class_dir / "blank")
    one_bug_submission(manifest, manifest.one_bug[0], root, class_dir / "bug")
    corrupt_submission(manifest, root, class_dir / "corrupt")
    own = blank_submission(manifest, root, class_dir / "own")
    (own / "nndl" / "arith.py").write_text(OWN_MODULE)
    missing = reference_submission(manifest, root, class_dir / "missing")
    (missing / "tiny.ipynb").unlink()
    renamed = reference_submission(manifest, root, class_dir / "renamed")
    (renamed / "tiny.ipynb").rename(renamed / "tiny (1).ipynb")
    no_module = reference_submission(manifest, root, class_dir / "nomodule")
    (no_module / "nndl" / "arith.py").unlink()
    zipped_source = reference_submission(manifest, root, tmp_path_factory.mktemp("z") / "zipped")
    shutil.make_archive(str(class_dir / "zipped"), "zip", zipped_source)
    (class_dir / "broken.zip").write_bytes(b"not a zip at all")
    nested = class_dir / "nested" / "tiny"
    reference_submission(manifest, root, nested)
    report = grade.main("tiny", submissions=class_dir, root=root)
    return root, report, class_dir


def result(graded_class, student):
    return graded_class[1].by_student()[student]


def test_reference_and_blank(graded_class):
    assert result(graded_class, "ref").total == 5 and result(graded_class, "ref").problems == []
    assert result(graded_class, "blank").total == 0
    assert result(graded_class, "blank").scores == {"test_square_norm": 0, "test_double": 0}


def test_one_bug_loses_exactly_its_cell(graded_class):
    assert result(graded_class, "bug").scores == {"test_square_norm": 0, "test_double": 2}


def test_students_are_graded_on_their_own_module(graded_class):
    """exclude_overwriting: the student's own (correct, different) code is what ran."""
    root = graded_class[0]
    assert result(graded_class, "own").total == 5
    graded_module = root / "autograded" / "own" / "tiny" / "nndl" / "arith.py"
    assert graded_module.read_text() == OWN_MODULE
    assert "student's own way" in graded_module.read_text()
    feedback_module = root / "feedback" / "own" / "tiny" / "nndl" / "arith.py"
    assert not feedback_module.exists() or "x ** 2" not in feedback_module.read_text()


@pytest.mark.parametrize("student, problem", [
    ("corrupt", "tiny.ipynb is not a readable notebook"),
    ("missing", "tiny.ipynb is missing"),
    ("renamed", "unexpected notebook tiny (1).ipynb"),
    ("nomodule", "nndl/arith.py is missing"),
    ("broken", "broken.zip is not a readable zip file"),
])
def test_bad_submissions_are_reported_by_name_and_not_graded(graded_class, student, problem):
    found = result(graded_class, student)
    assert not found.graded and found.scores == {}
    assert any(problem in text for text in found.problems), found.problems


def test_zipped_and_nested_submissions_are_found(graded_class):
    assert result(graded_class, "zipped").total == 5
    assert result(graded_class, "nested").total == 5


def test_csv_has_a_row_per_student_and_empty_cells_when_ungraded(graded_class):
    root, report, _ = graded_class
    with open(report.csv_path) as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert set(rows) == set(report.by_student())
    assert rows["ref"]["total"] == "5" and rows["ref"]["max"] == "5" and rows["ref"]["status"] == "graded"
    assert rows["bug"]["test_square_norm"] == "0" and rows["bug"]["test_double"] == "2"
    assert rows["corrupt"]["total"] == "" and rows["corrupt"]["test_double"] == ""
    assert rows["corrupt"]["status"].startswith("not graded: tiny.ipynb is not a readable notebook")


def test_feedback_hides_hidden_tests(graded_class):
    root = graded_class[0]
    for student in ("ref", "blank", "bug"):
        page = _html_text(root / "feedback" / student / "tiny" / "tiny.html")
        assert "square_norm(x) == 5.0" in page  # visible tests are shown
        assert "hidden: ones" not in page and "np.ones(4)" not in page and "-1.5" not in page
        assert "hidden print: ones" not in page   # what hidden lines print is hidden too
    assert not (root / "feedback" / "corrupt").exists()


def test_input_is_left_untouched(graded_class):
    class_dir = graded_class[2]
    assert (class_dir / "renamed" / "tiny (1).ipynb").exists()
    assert (class_dir / "corrupt" / "tiny.ipynb").exists()


def test_grading_again_gives_the_same_csv(graded_class):
    """Regrading what is in submitted/ reproduces the grades (one bad student does not matter)."""
    root, report, _ = graded_class
    first = report.csv_path.read_text()
    again = grade.main("tiny", root=root, feedback=False)
    assert again.by_student()["ref"].total == 5
    rows = {row["student"]: row for row in csv.DictReader(again.csv_path.open())}
    for student in ("ref", "blank", "bug", "own", "zipped", "nested"):
        assert rows[student] == {r["student"]: r for r in csv.DictReader(first.splitlines())}[student]


def test_a_class_zip_is_accepted(graded_class, tmp_path):
    root, _, class_dir = graded_class
    subset = tmp_path / "class"
    shutil.copytree(class_dir / "ref", subset / "ref2")
    archive = shutil.make_archive(str(tmp_path / "upload"), "zip", tmp_path, "class")
    report = grade.main("tiny", submissions=Path(archive), root=root, feedback=False)
    assert report.by_student()["ref2"].total == 5


@pytest.mark.skipif(os.geteuid() != 0, reason="only a root grader drops to an unprivileged uid")
def test_a_dataset_folder_the_sandbox_cannot_read_is_refused(own_tiny_course, tmp_path, monkeypatch):
    private = tmp_path / "data"
    (private / "cifar-10-batches-py").mkdir(parents=True)
    private.chmod(0o700)
    monkeypatch.setenv("NNDL_DATA_DIR", str(private))
    with pytest.raises(SandboxUnavailable, match="chmod -R o\\+rX"):
        grade.main("tiny", root=own_tiny_course, progress=False)


def test_a_link_out_of_a_submission_is_never_followed(own_tiny_course, tmp_path):
    manifest = load_manifest("tiny", own_tiny_course)
    secret = tmp_path / "secret"
    (secret / "nndl").mkdir(parents=True)
    (secret / "nndl" / "arith.py").write_text("the instructor's private file")
    student = blank_submission(manifest, own_tiny_course, tmp_path / "class" / "linker")
    shutil.rmtree(student / "nndl")
    (student / "nndl").symlink_to(secret / "nndl")
    report = grade.main("tiny", submissions=tmp_path / "class", root=own_tiny_course, progress=False)
    found = report.by_student()["linker"]
    assert not found.graded and "nndl/arith.py is a link to a file outside the submission" in found.problems
    assert not (own_tiny_course / "submitted" / "linker" / "tiny" / "nndl" / "arith.py").exists()


def test_feedback_only_writes_feedback_for_the_students_named(tiny_course, tmp_path):
    root = tmp_path / "course"
    shutil.copytree(tiny_course, root)
    manifest = load_manifest("tiny", root)
    class_dir = tmp_path / "class"
    reference_submission(manifest, root, class_dir / "ref")
    blank_submission(manifest, root, class_dir / "blank")
    report = grade.main("tiny", submissions=class_dir, root=root, jobs=2, progress=False,
                        feedback_only={"ref"})
    assert report.by_student()["ref"].total == 5 and report.by_student()["blank"].total == 0
    assert (root / "feedback" / "ref" / "tiny" / "tiny.html").is_file()
    assert not (root / "feedback" / "blank").exists()
