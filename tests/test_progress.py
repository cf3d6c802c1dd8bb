"""nndl.progress: text bars on stdout for long cells, silent while graded."""
import contextlib
import importlib.util
import io

from autograder.settings import COMMON_DIR


def load_progress():
    spec = importlib.util.spec_from_file_location("nndl_progress_under_test",
                                                  COMMON_DIR / "progress.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_bar(module):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        total = sum(module.progress(range(7), desc="counting"))
    return total, out.getvalue(), err.getvalue()


def test_bar_goes_to_stdout_never_stderr(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("NNDL_PROGRESS", raising=False)
    total, out, err = run_bar(load_progress())
    assert total == 21
    assert "counting" in out and "7/7" in out
    assert err == ""
    assert all(len(line) <= 80 for line in out.replace("\r", "\n").splitlines())


def test_silent_while_graded(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    total, out, err = run_bar(load_progress())
    assert total == 21 and out == "" and err == ""
