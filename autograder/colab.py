"""The Colab cell: common/colab_cell.py made into the first cell of each release notebook.

`colab_cell(assignment)` is the cell: the code of common/colab_cell.py (its docstring dropped)
followed by the call for this assignment. `insert_colab_cell(path, assignment)` puts it first in
a notebook, or replaces the one already there (found by its cell id), so a rebuild gives the same
file. The cell carries no nbgrader metadata: nbgrader and the grader treat it as any given cell,
and on their machines it does nothing (google.colab is not importable).
"""
import ast
from pathlib import Path

import nbformat

from autograder.settings import COURSE_ROOT

CELL_FILE = COURSE_ROOT / "common" / "colab_cell.py"
CELL_ID = "nndl-colab-setup"


def cell_code(assignment: str, cell_file: Path = CELL_FILE) -> str:
    """The cell's source: cell_file without its module docstring, then the setup call."""
    text = cell_file.read_text()
    body = ast.parse(text).body
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
        text = "\n".join(text.splitlines()[body[0].end_lineno:]).lstrip("\n")
    return f"{text.rstrip()}\n\n\n_nndl_colab_setup({assignment!r})\ndel _nndl_colab_setup"


def colab_cell(assignment: str, cell_file: Path = CELL_FILE):
    cell = nbformat.v4.new_code_cell(cell_code(assignment, cell_file))
    cell.id = CELL_ID
    cell.metadata = {"nndl": {"colab_setup": True}}
    return cell


def insert_colab_cell(path: Path, assignment: str, cell_file: Path = CELL_FILE) -> None:
    """Make the Colab cell the first cell of the notebook at `path` (rewrites the file)."""
    nb = nbformat.read(path, as_version=4)
    nb.cells = [colab_cell(assignment, cell_file)] + [c for c in nb.cells if c.get("id") != CELL_ID]
    nbformat.write(nb, path)
