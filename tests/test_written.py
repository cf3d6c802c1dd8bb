"""Written answers: nbgrader manually graded answer cells, stripped on release, left for a TA,
reported apart from the autograded points."""
import csv
import shutil

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder import grade, release
from autograder.check import _html_text
from autograder.course import copy_assignment
from autograder.manifest import load_manifest
from autograder.nbgrader_api import nbgrader_config
from autograder.samples import blank_submission, reference_submission
from autograder.scores import graded_cells
from conftest import FIXTURE_COURSE

MODEL_ANSWER = "Squaring is the inner product of x with itself, so it never goes negative."
RUBRIC = "Rubric: 2 points for the inner product, 1 for the sign."
STUDENT_ANSWER = "Because a sum of squares cannot be negative (my own words)."


def add_written_cell(notebook_path):
    notebook = nbformat.read(notebook_path, as_version=4)
    prompt = nbformat.v4.new_markdown_cell("**Question** (3 points). Why is `square_norm` never negative?")
    prompt.metadata["nbgrader"] = {"grade": False, "grade_id": "q_square_norm_sign", "locked": True,
                                   "schema_version": 3, "solution": False, "task": False}
    answer = nbformat.v4.new_markdown_cell(
        f"### BEGIN SOLUTION\n{MODEL_ANSWER}\n\n{RUBRIC}\n### END SOLUTION")
    answer.metadata["nbgrader"] = {"grade": True, "grade_id": "written_sign", "locked": False,
                                   "points": 3, "schema_version": 3, "solution": True, "task": False}
    notebook.cells += [prompt, answer]
    nbformat.write(notebook, notebook_path)


def answer_cell(notebook):
    return next(cell for cell in notebook.cells
                if cell.metadata.get("nbgrader", {}).get("grade_id") == "written_sign")


@pytest.fixture(scope="module")
def written_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("written") / "course"
    copy_assignment("tiny", root, root=FIXTURE_COURSE, with_release=False)
    add_written_cell(root / "source" / "tiny" / "tiny.ipynb")
    manifest_file = root / "assignments" / "tiny" / "manifest.toml"
    manifest_file.write_text(manifest_file.read_text().replace('"tiny.ipynb" = 5', '"tiny.ipynb" = 8'))
    release.main("tiny", root=root)
    manifest = load_manifest("tiny", root)
    class_dir = tmp_path_factory.mktemp("written-class")
    reference_submission(manifest, root, class_dir / "ref")
    blank_submission(manifest, root, class_dir / "blank")
    answered = blank_submission(manifest, root, class_dir / "answered")
    shutil.copytree(class_dir / "ref" / "nndl", answered / "nndl", dirs_exist_ok=True)
    notebook = nbformat.read(answered / "tiny.ipynb", as_version=4)
    answer_cell(notebook).source = STUDENT_ANSWER
    nbformat.write(notebook, answered / "tiny.ipynb")
    report = grade.main("tiny", submissions=class_dir, root=root)
    return root, report


def rows(csv_path):
    with open(csv_path) as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def test_the_release_asks_without_answering(written_class):
    root, _ = written_class
    released = nbformat.read(root / "release" / "tiny" / "tiny.ipynb", as_version=4)
    text = "\n".join(cell.source for cell in released.cells)
    assert "YOUR ANSWER HERE" in answer_cell(released).source
    assert MODEL_ANSWER not in text and RUBRIC not in text and "BEGIN SOLUTION" not in text
    assert "Why is `square_norm` never negative?" in text


def test_written_cells_are_known_as_written(written_class):
    root, _ = written_class
    cells = graded_cells(load_manifest("tiny", root), root / "source" / "tiny")
    assert [(c.grade_id, c.written) for c in cells] == [
        ("test_square_norm", False), ("test_double", False), ("written_sign", True)]


def test_autograded_and_written_points_are_reported_apart(written_class):
    _, report = written_class
    found = report.by_student()
    assert found["ref"].total == 5 and found["ref"].max_scores == {"test_square_norm": 3, "test_double": 2}
    assert found["ref"].written_max == {"written_sign": 3}
    assert "written_sign" not in found["ref"].scores   # never scored by the autograder
    assert found["blank"].unanswered == ["written_sign"] and found["answered"].unanswered == []
    table = rows(report.csv_path)
    assert table["ref"]["autograded"] == "5" and table["ref"]["written_sign"] == ""
    assert table["ref"]["written"] == "" and table["ref"]["max"] == "8"
    assert "1 written answer to score in formgrader" in table["ref"]["status"]
    # an answer left as released scores 0 at once, and nobody waits for it
    assert table["blank"]["written_sign"] == "0" and table["blank"]["written"] == "0"
    assert "1 written answer left blank (0)" in table["blank"]["status"]
    assert "score in formgrader" not in table["blank"]["status"]


def test_the_ta_sees_the_answer_and_the_feedback_no_model_answer(written_class):
    root, _ = written_class
    autograded = nbformat.read(root / "autograded" / "answered" / "tiny" / "tiny.ipynb", as_version=4)
    assert answer_cell(autograded).source == STUDENT_ANSWER
    for student in ("blank", "answered"):
        page = _html_text(root / "feedback" / student / "tiny" / "tiny.html")
        assert MODEL_ANSWER not in page and RUBRIC not in page
    assert STUDENT_ANSWER in _html_text(root / "feedback" / "answered" / "tiny" / "tiny.html")
    with Gradebook(nbgrader_config(root).CourseDirectory.db_url) as gradebook:
        grade_row = gradebook.find_grade("written_sign", "tiny", "tiny", "answered")
        assert grade_row.needs_manual_grade and grade_row.auto_score is None


def test_a_ta_score_counts_and_survives_regrading(written_class):
    root, _ = written_class
    with Gradebook(nbgrader_config(root).CourseDirectory.db_url) as gradebook:
        gradebook.find_grade("written_sign", "tiny", "tiny", "answered").manual_score = 2
        gradebook.db.commit()
    again = grade.main("tiny", root=root, feedback=False)
    row = rows(again.csv_path)["answered"]
    assert row["written_sign"] == "2" and row["written"] == "2"
    assert row["autograded"] == "5" and row["total"] == "7"
    assert "formgrader" not in row["status"]
