"""The shared Solver's progress bar (progress=True): one text bar over the updates on stdout,
off by default, silent while graded, and training is the same with it or without it."""
import contextlib
import io

import numpy as np
import pytest

class Softmax:
    """A linear softmax classifier: the smallest model that follows the Solver's contract."""

    def __init__(self, D, C, seed=0):
        self.params = {"W": 0.01 * np.random.default_rng(seed).normal(size=(D, C))}

    def loss(self, X, y=None):
        scores = X @ self.params["W"]
        if y is None:
            return scores
        p = np.exp(scores - scores.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        loss = -np.mean(np.log(p[np.arange(len(y)), y]))
        p[np.arange(len(y)), y] -= 1
        return loss, {"W": X.T @ p / len(y)}


def train(solver_module, **options):
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(60, 4)), rng.integers(3, size=60)
    data = {"X_train": X[:40], "y_train": y[:40], "X_val": X[40:], "y_val": y[40:]}
    model = Softmax(4, 3)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        solver = solver_module.Solver(model, data, num_epochs=3, batch_size=15, seed=0,
                                      verbose=False, **options).train()
    return solver, out.getvalue(), err.getvalue()


def test_bar_counts_every_update_on_stdout(solver_module, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("NNDL_PROGRESS", raising=False)
    solver, out, err = train(solver_module, progress="fitting")
    assert len(solver.loss_history) == 9                  # 3 epochs of ceil(40 / 15) updates
    assert "fitting" in out and "9/9" in out and "val acc" in out
    assert err == ""


def test_no_bar_by_default_or_while_graded(solver_module, monkeypatch):
    monkeypatch.delenv("NNDL_PROGRESS", raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    plain, out, err = train(solver_module)
    assert out == "" and err == ""
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    graded, out, err = train(solver_module, progress=True)
    assert out == "" and err == ""
    assert graded.loss_history == plain.loss_history      # the bar changes nothing in training
    assert graded.val_acc_history == plain.val_acc_history
