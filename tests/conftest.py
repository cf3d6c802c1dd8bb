"""Shared fixtures: a scratch copy of the tiny test course, released once per session."""
from pathlib import Path
import shutil

import pytest

from autograder import release
from autograder.course import copy_assignment

FIXTURE_COURSE = Path(__file__).parent / "fixtures" / "course"


@pytest.fixture(scope="session")
def tiny_course(tmp_path_factory) -> Path:
    """A course root holding the released 'tiny' assignment (never modify it in a test)."""
    root = tmp_path_factory.mktemp("tiny") / "course"
    copy_assignment("tiny", root, root=FIXTURE_COURSE, with_release=False)
    release.main("tiny", root=root)
    return root


@pytest.fixture(scope="session")
def duo_course(tmp_path_factory) -> Path:
    """A course root holding the released 'duo' assignment: one module, two notebooks."""
    root = tmp_path_factory.mktemp("duo") / "course"
    copy_assignment("duo", root, root=FIXTURE_COURSE, with_release=False)
    release.main("duo", root=root)
    return root


@pytest.fixture
def own_tiny_course(tiny_course, tmp_path) -> Path:
    """A private copy of the released tiny course, for tests that change it."""
    root = tmp_path / "course"
    shutil.copytree(tiny_course, root)
    return root
