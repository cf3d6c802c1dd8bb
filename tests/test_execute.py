"""Grading's executor: hidden test lines run as their own request (so that what they print stays
out of the feedback), which needs each part of a test cell to be valid Python on its own."""
import nbformat
import pytest

from autograder.execute import split_hidden
from autograder.manifest import assignment_ids, load_manifest
from autograder.settings import COURSE_ROOT


def test_a_cell_is_split_into_visible_and_hidden_parts():
    source = ("x = 1\nassert x == 1\n### BEGIN HIDDEN TESTS\nassert x != 2\n### END HIDDEN TESTS\n"
              "print('after')")
    assert split_hidden(source) == [
        ("x = 1\nassert x == 1\n", False),
        ("### BEGIN HIDDEN TESTS\nassert x != 2\n### END HIDDEN TESTS\n", True),
        ("print('after')", False)]
    assert split_hidden("x = 1") is None


def test_a_hidden_region_inside_a_block_is_run_whole():
    source = "for k in range(3):\n    ### BEGIN HIDDEN TESTS\n    assert k < 3\n    ### END HIDDEN TESTS\n"
    assert split_hidden(source) is None   # its outputs are then withheld from the feedback


@pytest.mark.parametrize("assignment", assignment_ids())
def test_every_hidden_region_runs_as_its_own_part(assignment):
    manifest = load_manifest(assignment)
    for name in manifest.notebooks:
        notebook = nbformat.read(COURSE_ROOT / "source" / assignment / name, as_version=4)
        for cell in notebook.cells:
            if "### BEGIN HIDDEN TESTS" in cell.source:
                assert split_hidden(cell.source) is not None, \
                    f"{name}: {cell.metadata['nbgrader']['grade_id']}: hidden region not at top level"
