"""Shared fixtures: scratch copies of the fixture course's assignments, released once per session."""
from pathlib import Path
import shutil

import pytest

from autograder import release
from autograder.course import copy_assignment

FIXTURE_COURSE = Path(__file__).parent / "fixtures" / "course"


def released_fixture(assignment: str, tmp_path_factory) -> Path:
    """A scratch course root holding one released assignment of the fixture course."""
    root = tmp_path_factory.mktemp(assignment) / "course"
    copy_assignment(assignment, root, root=FIXTURE_COURSE, with_release=False)
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
