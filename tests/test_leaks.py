"""Does the leak scan find markers and solution lines, and only those?"""
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder.leaks import LeakError, assert_no_leaks, find_leaks, secret_lines
from autograder.strip import strip_solutions

MODULE = """def f(x):
    n = x.shape[0]
    ### BEGIN SOLUTION
    n = x.shape[0]
    total = x.sum() / n
    ### END SOLUTION
    return total
"""


def test_secret_lines_exclude_scaffolding_repeated_outside():
    assert secret_lines(MODULE) == {"total = x.sum() / n"}


def _tree(tmp_path: Path, module_text: str, cell_source: str):
    source, release = tmp_path / "source", tmp_path / "release"
    for folder in (source, release):
        (folder / "nndl").mkdir(parents=True)
    (source / "nndl" / "m.py").write_text(MODULE)
    (release / "nndl" / "m.py").write_text(module_text)
    hidden = "assert f(1) == 1\n### BEGIN HIDDEN TESTS\nassert f(2) == 2, 'secret'\n### END HIDDEN TESTS"
    nbformat.write(new_notebook(cells=[new_code_cell(hidden)]), source / "a.ipynb")
    nbformat.write(new_notebook(cells=[new_code_cell(cell_source)]), release / "a.ipynb")
    return release, source


def test_clean_release_passes(tmp_path):
    release, source = _tree(tmp_path, strip_solutions(MODULE, "m.py"), "assert f(1) == 1")
    assert find_leaks(release, source) == []
    assert_no_leaks(release, source)


def test_a_surviving_solution_line_is_found(tmp_path):
    leaked = strip_solutions(MODULE, "m.py").replace("    return total", "    total = x.sum() / n\n    return total")
    release, source = _tree(tmp_path, leaked, "assert f(1) == 1")
    assert find_leaks(release, source) == ["nndl/m.py: solution or hidden-test line 'total = x.sum() / n'"]


def test_a_hidden_test_line_in_a_notebook_is_found(tmp_path):
    release, source = _tree(tmp_path, strip_solutions(MODULE, "m.py"), "assert f(2) == 2, 'secret'")
    with pytest.raises(LeakError, match="a.ipynb: solution or hidden-test line"):
        assert_no_leaks(release, source)


def test_markers_anywhere_are_found(tmp_path):
    release, source = _tree(tmp_path, MODULE, "assert f(1) == 1")
    (release / "notes.md").write_text("### END HIDDEN TESTS\n")
    leaks = find_leaks(release, source)
    assert "nndl/m.py: contains '### BEGIN SOLUTION'" in leaks
    assert "notes.md: contains '### END HIDDEN TESTS'" in leaks


def test_the_hidden_checks_never_reach_the_release(tmp_path):
    source, release = tmp_path / "source", tmp_path / "release"
    for folder in (source, release):
        folder.mkdir()
    checks = 'def probe_test_f(rng):\n    x = rng.normal(size=(7, 3)) * 2.5 + 1.0\n    return {"x": x}\n'
    (source / "hidden_checks.py").write_text(checks)
    (release / "a.py").write_text("y = 1\n")
    assert find_leaks(release, source) == []
    (release / "hidden_checks.py").write_text(checks)
    (release / "b.py").write_text("    x = rng.normal(size=(7, 3)) * 2.5 + 1.0\n")
    leaks = find_leaks(release, source)
    assert "hidden_checks.py: the hidden checks file" in leaks
    assert any(leak.startswith("b.py: a line of hidden_checks.py") for leak in leaks)


def test_a_released_manifest_carries_no_instructor_keys(tmp_path):
    source, release = tmp_path / "source", tmp_path / "release"
    for folder in (source, release / "nndl"):
        folder.mkdir(parents=True)
    (release / "nndl" / "manifest.toml").write_text('id = "x"\nnotebooks = []\n')
    assert find_leaks(release, source) == []
    (release / "nndl" / "manifest.toml").write_text(
        'id = "x"\n[[one_bug]]\nmodule = "m.py"\nfind = "a"\nreplace = "b"\nloses = []\n')
    assert find_leaks(release, source) == ["nndl/manifest.toml: instructor keys ['one_bug']"]
