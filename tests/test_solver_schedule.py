"""The shared Solver's learning-rate schedule hook (lr_schedule, lr_history) and its
learning-rate range test (lr_range_test), on a linear softmax model small enough to redo by hand."""
import warnings

import numpy as np
import pytest

class Softmax:
    """A linear softmax classifier with a bias: two parameter arrays, the Solver's contract."""

    def __init__(self, D, C, seed=0):
        rng = np.random.default_rng(seed)
        self.params = {"W": 0.01 * rng.normal(size=(D, C)), "b": np.zeros(C)}

    def loss(self, X, y=None):
        scores = X @ self.params["W"] + self.params["b"]
        if y is None:
            return scores
        p = np.exp(scores - scores.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        loss = -np.mean(np.log(p[np.arange(len(y)), y]))
        p[np.arange(len(y)), y] -= 1
        p /= len(y)
        return loss, {"W": X.T @ p, "b": p.sum(axis=0)}


def toy_data(N=60, D=4, C=3, seed=1):
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(N, D)), rng.integers(C, size=N)
    return {"X_train": X[:40], "y_train": y[:40], "X_val": X[40:], "y_val": y[40:]}


def halving(step):
    return 0.5 * 0.5 ** (step // 4)


def test_schedule_sets_every_parameters_rate_before_each_update(solver_module):
    """Does every update of every parameter get the schedule's rate for its step, counted
    across epochs, and is it recorded in lr_history?"""
    seen = []

    def recording_sgd(w, dw, config):
        seen.append(config["learning_rate"])
        return w - config["learning_rate"] * dw, config

    solver = solver_module.Solver(Softmax(4, 3), toy_data(), update_rule=recording_sgd,
                                  optim_config={"learning_rate": 123.0}, lr_schedule=halving,
                                  num_epochs=3, batch_size=15, verbose=False).train()
    steps = 3 * 3                                          # 3 epochs of ceil(40 / 15) updates
    expected = [0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.125]
    assert solver.lr_history == expected
    assert seen == [rate for rate in expected for _ in ("W", "b")]   # both parameters, each step
    assert len(solver.loss_history) == steps


def test_scheduled_sgd_matches_gradient_descent_by_hand(solver_module):
    """With the whole training set as one batch, is Solver + schedule exactly gradient descent
    with the rates η_s = 0.5 · 0.5^⌊s/4⌋, step by step?"""
    data = toy_data()
    by_hand = Softmax(4, 3)
    W, b = by_hand.params["W"].copy(), by_hand.params["b"].copy()
    losses = []
    for step in range(7):
        by_hand.params = {"W": W, "b": b}
        loss, grads = by_hand.loss(data["X_train"], data["y_train"])
        losses.append(loss)
        W, b = W - halving(step) * grads["W"], b - halving(step) * grads["b"]
    # The Solver keeps the parameters of the best validation epoch: compare the losses, which
    # are computed before each update from every earlier one.
    solver = solver_module.Solver(Softmax(4, 3), data, update_rule="sgd", lr_schedule=halving,
                                  num_epochs=7, batch_size=40, verbose=False).train()
    np.testing.assert_allclose(solver.loss_history, losses, rtol=1e-12, atol=0)


def test_without_a_schedule_lr_history_follows_lr_decay(solver_module):
    """Without a schedule, does lr_history record the configured rate, decayed after each epoch
    (hw3's use of the Solver, unchanged)?"""
    solver = solver_module.Solver(Softmax(4, 3), toy_data(), optim_config={"learning_rate": 0.2},
                                  lr_decay=0.5, num_epochs=3, batch_size=20, verbose=False).train()
    np.testing.assert_allclose(solver.lr_history, [0.2, 0.2, 0.1, 0.1, 0.05, 0.05], rtol=1e-15)
    default = solver_module.Solver(Softmax(4, 3), toy_data(), num_epochs=1, batch_size=20,
                                   verbose=False).train()
    assert default.lr_history == [1e-2, 1e-2]              # sgd's default rate


def test_schedule_and_lr_decay_exclude_each_other(solver_module):
    """Is asking for both a schedule and lr_decay ≠ 1 (or a schedule that is not callable) an
    error that says why?"""
    with pytest.raises(ValueError, match="either lr_schedule or lr_decay"):
        solver_module.Solver(Softmax(4, 3), toy_data(), lr_schedule=halving, lr_decay=0.9)
    with pytest.raises(TypeError, match="callable"):
        solver_module.Solver(Softmax(4, 3), toy_data(), lr_schedule=0.1)
    solver_module.Solver(Softmax(4, 3), toy_data(), lr_schedule=halving, lr_decay=1.0)


def ema_by_hand(losses, beta):
    """The bias-corrected moving average, written out: a_k = β a_(k−1) + (1 − β) ℓ_k,
    â_k = a_k / (1 − β^(k+1))."""
    out = []
    for k in range(len(losses)):
        weights = (1 - beta) * beta ** np.arange(k, -1, -1)
        out.append(np.dot(weights, losses[:k + 1]) / (1 - beta ** (k + 1)))
    return np.array(out)


def test_range_test_rates_are_geometric_and_losses_smoothed(solver_module):
    """Does the range test run num_steps updates at η_k = lo (hi/lo)^(k/(K−1)), ending exactly
    at hi, and return the bias-corrected moving average of the minibatch losses?"""
    rates, losses, smoothed = solver_module.lr_range_test(
        Softmax(4, 3), toy_data(), lr_min=1e-4, lr_max=1e-1, num_steps=25, batch_size=10,
        beta=0.8)
    assert len(rates) == len(losses) == len(smoothed) == 25
    np.testing.assert_allclose(rates, 1e-4 * 1000 ** (np.arange(25) / 24), rtol=1e-12)
    assert rates[-1] == pytest.approx(1e-1, rel=1e-12)
    np.testing.assert_allclose(smoothed, ema_by_hand(losses, 0.8), rtol=1e-12)
    assert smoothed[0] == pytest.approx(losses[0], rel=1e-12)   # corrected: no pull towards 0


def test_range_test_stops_when_the_loss_blows_up(solver_module):
    """With rates up to 1e6 on separable data, does the test stop early, silently, once the
    smoothed loss exceeds 4 times its minimum, and not before?"""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(200, 5)) * 10
    y = (X[:, 0] > 0).astype(int)
    data = {"X_train": X, "y_train": y, "X_val": X[:20], "y_val": y[:20]}
    with warnings.catch_warnings():
        warnings.simplefilter("error")                     # overflow must not warn
        rates, losses, smoothed = solver_module.lr_range_test(
            Softmax(5, 2), data, lr_min=1e-4, lr_max=1e6, num_steps=200, batch_size=20)
    assert 2 < len(rates) < 200
    assert not np.isfinite(smoothed[-1]) or smoothed[-1] > 4 * smoothed.min()
    assert np.all(smoothed[:-1] <= 4 * np.minimum.accumulate(smoothed[:-1]))


def test_range_test_rejects_a_bad_range(solver_module):
    """Is an empty or reversed range an error?"""
    for lo, hi in [(1e-2, 1e-3), (0.0, 1.0)]:
        with pytest.raises(ValueError, match="lr_min < lr_max"):
            solver_module.lr_range_test(Softmax(4, 3), toy_data(), lr_min=lo, lr_max=hi)
