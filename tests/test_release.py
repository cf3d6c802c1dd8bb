"""Does release build a student version with nothing of the instructor's in it?"""
import filecmp

import nbformat
import pytest

from autograder import release
from autograder.check import release_differences
from autograder.leaks import LeakError
from autograder.manifest import STUDENT_KEYS, assignment_ids, load_manifest
from autograder.settings import COURSE_ROOT


def test_modules_are_stubbed_and_helpers_placed(tiny_course):
    out = tiny_course / "release" / "tiny"
    module = (out / "nndl" / "arith.py").read_text()
    assert 'raise NotImplementedError("implement square_norm in nndl/arith.py")' in module
    assert "x ** 2" not in module
    assert "def square_norm(x):" in module and "‖x‖²" in module  # signature and docstring kept
    assert (out / "nndl" / "gradient_check.py").exists() and (out / "nndl" / "manifest.toml").exists()


def test_notebooks_lose_their_hidden_tests(tiny_course):
    notebook = nbformat.read(tiny_course / "release" / "tiny" / "tiny.ipynb", as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells)
    assert "square_norm(x) == 5.0" in text
    assert "hidden: ones" not in text and "HIDDEN" not in text


def test_release_is_reproducible(own_tiny_course, tiny_course):
    """Does building again give byte-identical files (so CI can compare with the commit)?"""
    release.main("tiny", root=own_tiny_course)
    assert release_differences(own_tiny_course / "release" / "tiny", tiny_course / "release" / "tiny") == []


def test_a_stale_release_is_reported(own_tiny_course, tiny_course):
    stale = own_tiny_course / "release" / "tiny" / "nndl" / "arith.py"
    stale.write_text(stale.read_text() + "# edited by hand\n")
    differences = release_differences(tiny_course / "release" / "tiny", own_tiny_course / "release" / "tiny")
    assert differences == ["differs from a fresh build: nndl/arith.py (run ./run release tiny)"]


def test_a_module_without_a_solution_region_is_refused(own_tiny_course):
    module = own_tiny_course / "source" / "tiny" / "nndl" / "arith.py"
    module.write_text("def square_norm(x):\n    return 0\n")
    with pytest.raises(ValueError, match="no solution region"):
        release.main("tiny", root=own_tiny_course)


def test_a_solution_left_in_a_helper_fails_the_release(own_tiny_course):
    """A given (non-student) file with markers would be copied verbatim: the scan must stop it."""
    given = own_tiny_course / "source" / "tiny" / "nndl" / "given.py"
    given.write_text("def h():\n    ### BEGIN SOLUTION\n    return 42\n    ### END SOLUTION\n")
    with pytest.raises(LeakError, match="given.py"):
        release.main("tiny", root=own_tiny_course)


def test_the_hidden_checks_file_is_not_released(duo_course):
    assert (duo_course / "source" / "duo" / "hidden_checks.py").exists()
    assert not list((duo_course / "release").rglob("hidden_checks.py"))


@pytest.mark.parametrize("assignment", assignment_ids())
def test_the_released_manifest_is_the_students_copy(assignment):
    """It lists what nndl.submit needs; the bug catalogue (solution lines) and grading stay out."""
    import tomllib
    released = tomllib.loads((COURSE_ROOT / "release" / assignment / "nndl" / "manifest.toml").read_text())
    manifest = load_manifest(assignment)
    assert set(released) == set(STUDENT_KEYS)
    assert released["notebooks"] == list(manifest.notebooks) and released["points"] == manifest.points
    assert released["student_modules"] == list(manifest.student_modules) and released["due"] == manifest.due
