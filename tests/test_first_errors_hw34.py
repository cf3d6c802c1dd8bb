"""Blank hw3 and hw4 notebooks fail in a way that teaches. Run top to bottom as a student first
opens them (the release built from source/ now, executed with errors allowed), every error is
either a stub's NotImplementedError naming the function to write ("implement X in nndl/y.py"),
or a guard saying which cell or function to finish first ("Finish ..."), never a NameError,
AttributeError, TypeError or ValueError from a later cell. And once work is missing, no cell
draws a plot as if it had results: guarded cells print what to finish instead."""
import re

import nbformat
import pytest
from nbclient import NotebookClient

from autograder import release
from autograder.course import copy_assignment
from autograder.grade import host_data_dir
from autograder.manifest import load_manifest

STUB = re.compile(r"^implement \S+ in nndl/\w+\.py$")
GUARD = re.compile(r"^Finish .+ first\b")
NOT_YET = "Nothing to show yet: finish"
NOTHING_TO_PLOT = "Nothing to plot yet: finish"


@pytest.fixture(scope="module", params=["hw3", "hw4"])
def blank_run(request, tmp_path_factory):
    """(assignment, {notebook name: executed blank notebook})."""
    assignment = request.param
    root = tmp_path_factory.mktemp(f"first-errors-{assignment}")
    copy_assignment(assignment, root, with_release=False)
    folder = release.main(assignment, root=root, check=False)
    notebooks = {}
    with pytest.MonkeyPatch.context() as patch:   # the kernels inherit this environment
        patch.setenv("NNDL_DATA_DIR", str(host_data_dir()))
        patch.setenv("NNDL_PROGRESS", "1")
        patch.delenv("NBGRADER_EXECUTION", raising=False)
        for name in load_manifest(assignment).notebooks:
            notebook = nbformat.read(folder / name, as_version=4)
            NotebookClient(notebook, timeout=300, kernel_name="python3", allow_errors=True,
                           resources={"metadata": {"path": str(folder)}}).execute()
            notebooks[name] = notebook
    return assignment, notebooks


def cells(notebook):
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            yield index, cell


def test_every_error_names_what_to_write_or_finish(blank_run):
    assignment, notebooks = blank_run
    bad, stubs = [], 0
    for name, notebook in notebooks.items():
        for index, cell in cells(notebook):
            for output in cell.get("outputs", []):
                if output.output_type != "error":
                    continue
                message = output.evalue.strip()
                if output.ename == "NotImplementedError" and STUB.match(message):
                    stubs += 1
                elif output.ename == "RuntimeError" and GUARD.match(message):
                    continue
                else:
                    bad.append(f"{name} cell {index}: {output.ename}: {message[:160]}")
    assert not bad, f"{assignment}: errors that do not say what to do:\n" + "\n".join(bad)
    assert stubs >= len(notebooks), "each blank notebook should meet at least one stub"


def test_no_blank_notebook_plots_untrained_results(blank_run):
    """Once a blank notebook has met its first error, every later cell that completes without
    an error must not draw: what it would show depends on unfinished work."""
    assignment, notebooks = blank_run
    plots = []
    for name, notebook in notebooks.items():
        failed = False
        for index, cell in cells(notebook):
            kinds = {output.output_type for output in cell.get("outputs", [])}
            drew = any("image/png" in output.get("data", {}) for output in cell.get("outputs", [])
                       if output.output_type in ("display_data", "execute_result"))
            if failed and drew and "error" not in kinds:
                plots.append(f"{name} cell {index}")
            failed = failed or "error" in kinds
    assert not plots, f"{assignment}: plots drawn from unfinished work: {plots}"


def test_guarded_cells_say_what_to_finish(blank_run):
    assignment, notebooks = blank_run
    printed = "".join(output.get("text", "") for notebook in notebooks.values()
                      for _, cell in cells(notebook) for output in cell.get("outputs", [])
                      if output.output_type == "stream")
    if assignment == "hw3":
        assert NOT_YET in printed and "nndl/neural_net.py" in printed   # two_layer_net's plots
        assert NOTHING_TO_PLOT in printed and "nndl/fc_net.py" in printed   # fc_nets' curves
