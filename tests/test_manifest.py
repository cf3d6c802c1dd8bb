"""Are manifests read strictly, and do the real ones agree with their notebooks?"""
import pytest

from autograder.manifest import assignment_ids, load_manifest, parse_manifest
from autograder.scores import graded_cells
from autograder.settings import COURSE_ROOT

GOOD = """
id = "hw9"
title = "T"
due = 2027-01-01T00:00:00Z
notebooks = ["a.ipynb"]
student_modules = ["nndl/a.py"]
[points]
"a.ipynb" = 3
"""


def test_a_good_manifest_parses():
    manifest = parse_manifest(GOOD, "m.toml")
    assert manifest.notebooks == ("a.ipynb",) and manifest.total_points == 3.0


@pytest.mark.parametrize("edit, complaint", [
    (lambda t: 'colour = "red"\n' + t, "unknown keys"),
    (lambda t: t.replace('title = "T"\n', ""), "missing key 'title'"),
    (lambda t: t.replace('"a.ipynb" = 3', '"b.ipynb" = 3'), "'points' must name exactly"),
    (lambda t: t.replace('"nndl/a.py"', '"../a.py"'), "inside the assignment folder"),
])
def test_a_bad_manifest_names_its_fault(edit, complaint):
    with pytest.raises(ValueError, match=complaint):
        parse_manifest(edit(GOOD), "m.toml")


def test_the_course_has_assignments():
    assert assignment_ids(COURSE_ROOT)[:1] == ["hw1"]


@pytest.mark.parametrize("assignment", assignment_ids(COURSE_ROOT))
def test_points_and_files_agree_with_the_source(assignment):
    """Does each notebook's graded cells add up to the manifest's points, with one_bug
    naming real cells and text that occurs once in its module?"""
    manifest = load_manifest(assignment)
    source = COURSE_ROOT / "source" / assignment
    cells = {cell.grade_id for cell in graded_cells(manifest, source)}
    for module in manifest.student_modules:
        assert (source / module).exists(), f"{assignment}: {module} is missing"
    assert manifest.one_bug, f"{assignment}: the manifest needs a one_bug entry for check"
    for bug in manifest.one_bug:
        assert set(bug.loses) <= cells, f"{assignment}: one_bug loses unknown cells {set(bug.loses) - cells}"
        assert (source / bug.module).read_text().count(bug.find) == 1


def test_a_stated_total_must_be_the_sum_of_the_points():
    text = ('id = "x"\ntitle = "t"\ndue = 2027-01-01T00:00:00Z\nnotebooks = ["a.ipynb", "b.ipynb"]\n'
            'student_modules = ["nndl/m.py"]\ntotal = 100\n[points]\n"a.ipynb" = 60\n"b.ipynb" = 39\n')
    with pytest.raises(ValueError, match="add up to 99"):
        parse_manifest(text, "m.toml")
    assert parse_manifest(text.replace("= 39", "= 40"), "m.toml").total == 100
