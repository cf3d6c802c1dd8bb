"""Blank notebooks fail in a way that teaches (hw1, hw2).

Every blank release notebook is run top to bottom (nbclient, errors allowed, on the data the
suite uses). Each error a cell raises must be either a stub's NotImplementedError naming the
function to implement ("implement cross_validate in nndl/model_selection.py") or a notebook
guard's RuntimeError saying what to finish first ("Finish cross_validate ... first"): never a
NameError, an AttributeError on None, a TypeError or a ValueError from an empty result.
"""
import os
from pathlib import Path
import re
import shutil

import nbformat
from nbclient import NotebookClient
import pytest

from autograder import release
from autograder.course import copy_assignment
from autograder.grade import host_data_dir
from autograder.manifest import load_manifest
from autograder.settings import COURSE_ROOT

ASSIGNMENTS = ["hw1", "hw2"]
STUB = re.compile(r"^implement [\w.]+ in nndl/\w+\.py$")
GUARD = re.compile(r"^Finish .*\b(nndl/\w+\.py|cell|section)s?\b.* first\b", re.DOTALL)


def teaching_error(ename: str, evalue: str) -> bool:
    """Is this a stub's pointer to a function or a guard's pointer to earlier work?"""
    return (ename == "NotImplementedError" and bool(STUB.match(evalue))) or \
        (ename == "RuntimeError" and bool(GUARD.match(evalue)))


@pytest.mark.parametrize("ename, evalue, expected", [
    ("NotImplementedError", "implement ridge in nndl/regression.py", True),
    ("NotImplementedError", "implement KNearestNeighbor.predict in nndl/knn.py", True),
    ("RuntimeError", "Finish cross_validate in nndl/model_selection.py and rerun the cell above first.", True),
    ("NotImplementedError", "", False),
    ("NameError", "name 'history' is not defined", False),
    ("AttributeError", "'NoneType' object has no attribute 'W'", False),
    ("ValueError", "max() arg is an empty sequence", False),
    ("RuntimeError", "something went wrong", False),
])
def test_teaching_error_tells_pointers_from_tracebacks(ename, evalue, expected):
    assert teaching_error(ename, evalue) is expected


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """A scratch course with hw1 and hw2 released from this checkout's sources."""
    root = tmp_path_factory.mktemp("first-errors") / "course"
    for assignment in ASSIGNMENTS:
        copy_assignment(assignment, root, COURSE_ROOT, with_release=False)
        release.main(assignment, root=root)
    return root


def blank_errors(folder: Path, notebook: str, data_dir: Path) -> list[tuple[int, str, str]]:
    """(cell index, error name, message) of every error in the executed blank notebook."""
    nb = nbformat.read(folder / notebook, as_version=4)
    previous = os.environ.get("NNDL_DATA_DIR")
    os.environ["NNDL_DATA_DIR"] = str(data_dir)
    try:
        NotebookClient(nb, timeout=600, allow_errors=True,
                       resources={"metadata": {"path": str(folder)}}).execute()
    finally:
        if previous is None:
            os.environ.pop("NNDL_DATA_DIR")
        else:
            os.environ["NNDL_DATA_DIR"] = previous
    return [(index, output.ename, output.evalue) for index, cell in enumerate(nb.cells)
            if cell.cell_type == "code" for output in cell.get("outputs", [])
            if output.output_type == "error"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_blank_notebooks_fail_with_pointers(assignment, released, tmp_path):
    manifest = load_manifest(assignment, released)
    folder = tmp_path / assignment
    shutil.copytree(released / "release" / assignment, folder)
    for notebook in manifest.notebooks:
        errors = blank_errors(folder, notebook, host_data_dir())
        assert errors, f"{notebook}: a blank notebook should stop at its first stub"
        bad = [error for error in errors if not teaching_error(error[1], error[2])]
        assert not bad, f"{assignment}/{notebook}: errors that do not say what to do:\n" + \
            "\n".join(f"  cell {index}: {ename}: {evalue[:200]}" for index, ename, evalue in bad)
