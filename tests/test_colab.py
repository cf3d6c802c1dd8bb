"""The Colab cell (common/colab_cell.py, first in every release notebook): on Colab it mounts
Drive, finds the assignment folder, installs the missing pins and works there; elsewhere and
under a grader it does nothing and prints nothing.

Colab is played by a stand-in `google.colab` package whose drive.mount records its argument,
and a temporary folder as My Drive (NNDL_DRIVE). pip is stubbed: the cell's subprocess.check_call
records the command instead of running it (no network).
"""
import json
import os
from pathlib import Path
import subprocess
import sys
import textwrap

import nbformat
import pytest

from autograder.colab import CELL_ID, colab_cell
from autograder.environment import pip_requirements
from autograder.grade import sandbox_environment
from autograder.manifest import load_manifest
from autograder.place import place

# Runs in a fresh python: record pip instead of running it, run the cell, report where it ended.
HARNESS = textwrap.dedent("""
    import json, os, subprocess, sys
    calls = []
    subprocess.check_call = lambda command, **kw: calls.append(command) or 0
    if os.environ.get("IMPORT_FIRST"):
        __import__(os.environ["IMPORT_FIRST"])
    error = None
    try:
        exec(open(sys.argv[1]).read(), {"__name__": "__main__"})
    except Exception as caught:
        error = f"{type(caught).__name__}: {caught}"
    try:
        from google.colab import drive
        mounted = drive.mounted
    except ImportError:
        mounted = None
    with open(sys.argv[2], "w") as out:
        json.dump({"cwd": os.getcwd(), "path0": sys.path[0], "pip": calls, "mounted": mounted,
                   "error": error, "leftover": "_nndl_colab_setup" in globals()}, out)
""")


@pytest.fixture
def fake_colab(tmp_path) -> Path:
    """A folder to put on PYTHONPATH that makes `from google.colab import drive` work."""
    package = tmp_path / "fake-colab" / "google" / "colab"
    package.mkdir(parents=True)
    (package.parent / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "drive.py").write_text("mounted = []\n\ndef mount(mountpoint, **options):\n"
                                      "    mounted.append(mountpoint)\n")
    return tmp_path / "fake-colab"


@pytest.fixture
def drive(tmp_path) -> Path:
    """My Drive holding hw1 (as placed by the build) under courses/, and hw2 as a decoy."""
    root = tmp_path / "MyDrive"
    place(load_manifest("hw1"), root / "courses" / "nndl-hw1")
    place(load_manifest("hw2"), root / "hw2")
    (root / "empty").mkdir()
    return root


def run_cell(tmp_path, assignment="hw1", pythonpath=None, **env) -> tuple[subprocess.CompletedProcess, dict]:
    cell_file, result = tmp_path / "cell.py", tmp_path / "result.json"
    cell_file.write_text(colab_cell(assignment).source)
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("PYTHONPATH", "NBGRADER_EXECUTION", "NNDL_DRIVE")}
    if pythonpath:
        environment["PYTHONPATH"] = str(pythonpath)
    environment.update(env)
    start = tmp_path / "start"
    start.mkdir(exist_ok=True)
    done = subprocess.run([sys.executable, "-c", HARNESS, str(cell_file), str(result)], cwd=start,
                          env=environment, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done, json.loads(result.read_text())


def test_on_colab_it_finds_the_folder_and_works_there(tmp_path, fake_colab, drive):
    """Every pin of the placed environment.yml is installed here at its version: nothing to
    install, so pip is never called."""
    done, got = run_cell(tmp_path, pythonpath=fake_colab, NNDL_DRIVE=str(drive))
    folder = drive / "courses" / "nndl-hw1"
    assert got["error"] is None and got["mounted"] == ["/content/drive"]
    assert got["cwd"] == str(folder) and got["path0"] == str(folder)
    assert got["pip"] == [] and not got["leftover"]
    assert done.stdout.strip() == f"Working in {folder}" and done.stderr == ""


def test_the_default_place_wins_over_a_search(tmp_path, fake_colab, drive):
    place(load_manifest("hw1"), drive / "nndl" / "hw1")
    _, got = run_cell(tmp_path, pythonpath=fake_colab, NNDL_DRIVE=str(drive))
    assert got["cwd"] == str(drive / "nndl" / "hw1")


def test_it_installs_exactly_the_pins_this_runtime_lacks(tmp_path, fake_colab, drive):
    """A pin at another version and a package not installed are installed; pins already met
    and Colab's own front end and kernel (jupyterlab, notebook, ipykernel) are not."""
    yml = drive / "courses" / "nndl-hw1" / "environment.yml"
    text = yml.read_text()
    numpy_pin = next(r for r in pip_requirements(text) if r.startswith("numpy=="))
    text = text.replace(numpy_pin, "numpy==1.0.0  # another version")
    text = text.replace("      - tqdm", "      - nndl-not-installed==0.1\n      - ipykernel==0.0.1\n      - tqdm")
    yml.write_text(text)
    done, got = run_cell(tmp_path, pythonpath=fake_colab, NNDL_DRIVE=str(drive), IMPORT_FIRST="numpy")
    assert got["pip"] == [[sys.executable, "-m", "pip", "install", "--quiet",
                           "numpy==1.0.0", "nndl-not-installed==0.1"]]
    assert "numpy changed version after being imported: Runtime > Restart session" in done.stdout
    assert got["cwd"] == str(drive / "courses" / "nndl-hw1")


def test_without_the_folder_it_says_what_to_do_and_stops(tmp_path, fake_colab, drive):
    done, got = run_cell(tmp_path, "hw3", pythonpath=fake_colab, NNDL_DRIVE=str(drive))
    assert got["error"].startswith("FileNotFoundError: No folder of hw3 in your Google Drive")
    assert "My Drive as nndl/hw3" in done.stdout and "run this cell again" in done.stdout
    assert got["cwd"] == str(tmp_path / "start") and got["pip"] == []


@pytest.mark.parametrize("where", ["jupyter", "nbgrader", "grader"])
def test_elsewhere_it_does_nothing_and_prints_nothing(tmp_path, fake_colab, drive, where):
    """No google.colab (a student's Jupyter); or google.colab importable but run by nbgrader
    (validate) or in the course's grading sandbox (its kernels' whole environment): no mount,
    no pip, no chdir, not a byte of output."""
    options = {"jupyter": {},
               "nbgrader": {"pythonpath": fake_colab, "NBGRADER_EXECUTION": "validate"},
               "grader": {"pythonpath": fake_colab, **sandbox_environment(tmp_path)}}[where]
    done, got = run_cell(tmp_path, NNDL_DRIVE=str(drive), **options)
    assert done.stdout == "" and done.stderr == ""
    assert got["mounted"] in (None, []) and got["pip"] == [] and got["error"] is None
    assert got["cwd"] == str(tmp_path / "start") and not got["leftover"]


def test_release_puts_the_cell_first_in_every_notebook(tiny_course):
    """The release build inserts it (after generate_assignment), once, with this assignment's id."""
    manifest = load_manifest("tiny", tiny_course)
    for name in manifest.notebooks:
        cells = nbformat.read(tiny_course / "release" / "tiny" / name, as_version=4).cells
        assert cells[0].id == CELL_ID and cells[0].source == colab_cell("tiny").source
        assert "nbgrader" not in cells[0].metadata
        assert cells[0].source.startswith("#@title ")   # Colab shows a title, hides the code
        assert sum(cell.get("id") == CELL_ID for cell in cells) == 1
        assert cells[0].source.rstrip().endswith("_nndl_colab_setup('tiny')\ndel _nndl_colab_setup")
