"""Shared fixtures: scratch copies of the fixture course's assignments, released once per session."""
from pathlib import Path
import shutil
import sys

import pytest

from autograder import release
from autograder.course import copy_assignment
from autograder.judge import pin_secret
from autograder.settings import COMMON_DIR

FIXTURE_COURSE = Path(__file__).parent / "fixtures" / "course"

# The grading secret of every course the suite grades (the fixture course's scratch copies, and
# check's scratch copies of hw1-hw4, see test_assignments.py), so that no verdict hangs on the
# random secret of a clone. secrets_audit shows the catalogue's verdicts alike under others.
TEST_SECRET = "nndl-test-suite-secret"


@pytest.fixture(scope="session")
def pinned_secret() -> str:
    return TEST_SECRET


def released_fixture(assignment: str, tmp_path_factory) -> Path:
    """A scratch course root holding one released assignment of the fixture course."""
    root = tmp_path_factory.mktemp(assignment) / "course"
    copy_assignment(assignment, root, root=FIXTURE_COURSE, with_release=False)
    pin_secret(root, TEST_SECRET)
    release.main(assignment, root=root)
    return root


@pytest.fixture(scope="session")
def tiny_course(tmp_path_factory) -> Path:
    """A course root holding the released 'tiny' assignment (never modify it in a test)."""
    return released_fixture("tiny", tmp_path_factory)


@pytest.fixture(scope="session")
def duo_course(tmp_path_factory) -> Path:
    """A course root holding the released 'duo' assignment: one module, two notebooks, judged
    by hidden_checks.py."""
    return released_fixture("duo", tmp_path_factory)


@pytest.fixture
def own_tiny_course(tiny_course, tmp_path) -> Path:
    """A private copy of the released tiny course, for tests that change it."""
    root = tmp_path / "course"
    shutil.copytree(tiny_course, root)
    return root


@pytest.fixture
def solver_module(monkeypatch):
    """common/nndl/solver.py imported as nndl.solver, with common/nndl/progress.py beside it."""
    for name in [name for name in sys.modules if name == "nndl" or name.startswith("nndl.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.syspath_prepend(str(COMMON_DIR.parent))   # common/ holds the nndl package
    import nndl.solver
    return nndl.solver
