"""Is environment.yml the one list of dependencies, and is .venv built from it?"""
from importlib.metadata import version
from pathlib import Path

from autograder.environment import ENVIRONMENT_YML, pip_requirements

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_pip_list_is_read_from_environment_yml():
    """Does the parser return exactly the pinned pip entries, comments dropped?"""
    text = "dependencies:\n  - python=3.11\n  - pip\n  - pip:\n      - numpy==1.0  # why\n      - nbgrader==0.9.6\nname: x\n"
    assert pip_requirements(text) == ["numpy==1.0", "nbgrader==0.9.6"]


def test_missing_pip_list_is_an_error():
    with pytest.raises(ValueError):
        pip_requirements("dependencies:\n  - python=3.11\n")


@pytest.mark.parametrize("requirement", pip_requirements(ENVIRONMENT_YML.read_text()))
def test_installed_version_matches_environment_yml(requirement):
    """Is every package of environment.yml installed at exactly its pinned version?"""
    from packaging.markers import Marker
    requirement, _, marker = requirement.partition(";")
    if marker.strip() and not Marker(marker.strip()).evaluate():
        pytest.skip(f"{requirement}: not for this platform ({marker.strip()})")
    name, _, pinned = requirement.strip().partition("==")
    assert pinned, f"{requirement}: pin an exact version with =="
    assert version(name) == pinned, f"{name} {version(name)} installed, environment.yml pins {pinned}"


def test_nbgrader_constraints_hold():
    """nbgrader 0.9 needs jupyterlab<5 and notebook<8."""
    assert int(version("jupyterlab").split(".")[0]) < 5
    assert int(version("notebook").split(".")[0]) < 8


def test_no_second_dependency_list():
    """No requirements file may drift from environment.yml: there is only one list."""
    stray = [p.name for p in REPO.glob("requirements*.txt")] + [p.name for p in REPO.glob("setup.py")]
    assert not stray, f"dependency lists besides environment.yml: {stray}"
