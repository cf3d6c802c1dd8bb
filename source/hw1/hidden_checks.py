"""Hidden checks of hw1 (instructor only: never released; see autograder/judge.py).

Each probe runs in the student's sandbox, calls their functions on inputs made from `rng`, and
returns what they gave back; the judge compares it with the same probe run on the reference
solution, or (judge_*) checks properties of the raw data itself. Inputs that the visible test in
the notebook uses are probed too, so a cell's points depend on these checks alone.
"""
import ast

import numpy as np

TOLERANCE = {
    "test_poly_features": (1e-10, 1e-12),
    "test_least_squares": (1e-7, 1e-10),
    "test_least_squares_qr": (1e-7, 1e-10),
    "test_legendre_features": (1e-10, 1e-12),
    "test_mse": (1e-10, 1e-12),
    "test_gradient": (1e-7, 1e-9),
    "test_cross_validate": (1e-7, 1e-10),
    "test_ridge": (1e-6, 1e-9),
    "test_ridge_intercept": (1e-6, 1e-9),
}


# ---------------------------------------------------------------- the "no inverse" rule

INVERSES = {"inv", "pinv"}


def inverses_in(sources, module, function, names=INVERSES):
    """Which of `names` (by default the inverse routines np.linalg.inv / pinv, also imported
    bare) `function` of a student's module calls (its source parsed, never run); None when it
    is not found."""
    try:
        tree = ast.parse(sources.get(module, ""))
    except SyntaxError:
        return None
    found = [node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
             and node.name == function]
    if not found:
        return None
    named = set()
    for node in ast.walk(found[-1]):
        if isinstance(node, ast.Attribute) and node.attr in names:
            named.add(node.attr)
        elif isinstance(node, ast.Name) and node.id in names:
            named.add(node.id)
    return sorted(named)


def values_and_no_inverse(got, want, sources, function, tolerance):
    """Full points when the values match the reference and `function` forms no inverse."""
    from autograder.judge import default_judge   # the judge's side only
    verdict = default_judge(got, want, *tolerance)
    if verdict.fraction < 1:
        return verdict.fraction, verdict.message
    inverses = inverses_in(sources, "nndl/regression.py", function)
    if inverses is None:
        return 0.0, f"{function} not found in nndl/regression.py"
    if inverses:
        return 0.0, (f"{function} calls {', '.join(inverses)}: solve the linear system with "
                     "np.linalg.solve instead of forming an inverse")
    return 1.0, "passed"


# ---------------------------------------------------------------- least_squares.ipynb

def probe_test_poly_features(rng):
    from nndl.regression import poly_features
    x = rng.normal(size=7)
    return {"visible": poly_features(np.array([-1.0, 0.0, 0.5, 2.0]), 3),
            **{f"order {order}": poly_features(x, order) for order in (0, 1, 5)},
            "integer inputs": poly_features(np.arange(5), 2)}


def probe_test_least_squares(rng):
    from nndl.regression import least_squares
    X, y = rng.normal(size=(20, 4)), rng.normal(size=20)
    x_line = np.array([0.0, 1.0, 2.0, 4.0])
    X_exact = rng.normal(size=(6, 3))
    X_wide, y_wide = rng.normal(size=(30, 5)), rng.normal(size=30)
    return {"random": least_squares(X, y),
            "straight line": least_squares(np.column_stack([np.ones(4), x_line]),
                                           np.array([1.0, 2.0, 2.5, 5.5])),
            "noise-free": least_squares(X_exact, X_exact @ np.array([1.0, -2.0, 0.5])),
            "five features": least_squares(X_wide, y_wide)}


def judge_test_least_squares(got, want, sources):
    return values_and_no_inverse(got, want, sources, "least_squares", TOLERANCE["test_least_squares"])


# least_squares_qr must do the work itself: no solver that would hide the QR step.
NOT_IN_QR = {"lstsq", "pinv", "inv"}
# The relative error ‖θ − θ_true‖ / ‖θ_true‖ allowed on the exact polynomials below: QR reaches
# about 1e-9 (κ(X)ε with κ(X) up to 8e8); the normal equations lose 1e-4 to all digits there.
EXACT_RTOL = 1e-7


def _exact_polynomial(rng, x, order):
    """Powers of x (np.vander) and small integer coefficients, the last one nonzero: y = X θ
    exactly, so θ is the least-squares answer and an independent reference."""
    theta = rng.integers(-3, 4, size=order + 1).astype(float)
    theta[-1] = rng.choice([-2.0, 2.0])
    return np.vander(x, order + 1, increasing=True), theta


def probe_test_least_squares_qr(rng):
    from nndl.regression import least_squares_qr
    visible = np.random.default_rng(4)
    X_v, y_v = visible.normal(size=(20, 4)), visible.normal(size=20)
    out = {"visible": least_squares_qr(X_v, y_v)}
    X, y = rng.normal(size=(25, 5)), rng.normal(size=25)
    out["random"] = least_squares_qr(X, y)
    X_s, y_s = rng.normal(size=(3, 3)), rng.normal(size=3)
    out["square"] = least_squares_qr(X_s, y_s)
    for name, x, order in [("[0, 1], order 10", np.linspace(0.0, 1.0, 30), 10),
                           ("[0, 1], order 12", np.sort(rng.uniform(0.0, 1.0, size=40)), 12),
                           ("[1, 2], order 6", np.linspace(1.0, 2.0, 25), 6)]:
        X_bad, theta_true = _exact_polynomial(rng, x, order)
        out[f"exact {name}/true"] = theta_true
        out[f"exact {name}/theta"] = least_squares_qr(X_bad, X_bad @ theta_true)
    return out


def judge_test_least_squares_qr(got, want, sources):
    """The random cases against the reference run; the exact polynomials against their true
    coefficients (taken from `want`); then the source: QR done here, not by lstsq / pinv / inv."""
    from autograder.judge import default_judge   # the judge's side only
    plain = {key: value for key, value in want.items() if not key.startswith("exact ")}
    verdict = default_judge(got, plain, *TOLERANCE["test_least_squares_qr"])
    if verdict.fraction < 1:
        return verdict.fraction, verdict.message
    for key in sorted(k for k in want if k.endswith("/true")):
        case = key[: -len("/true")]
        theta = np.asarray(got.get(f"{case}/theta", np.empty(0)), dtype=float)
        true = np.asarray(want[key], dtype=float)
        if theta.shape != true.shape:
            return 0.0, f"{case}: shape {theta.shape}, expected {true.shape}"
        error = float(np.linalg.norm(theta - true) / np.linalg.norm(true))
        if not error < EXACT_RTOL:
            return 0.0, (f"{case} (an exact polynomial, ill-conditioned): relative error "
                         f"{error:.1e} of theta, want < {EXACT_RTOL:g}; solve R θ = Qᵀy, never XᵀX")
    called = inverses_in(sources, "nndl/regression.py", "least_squares_qr", NOT_IN_QR)
    if called is None:
        return 0.0, "least_squares_qr not found in nndl/regression.py"
    if called:
        return 0.0, (f"least_squares_qr calls {', '.join(called)}: factor X with np.linalg.qr "
                     "and solve the triangular system yourself")
    return 1.0, "passed"


LEGENDRE_CASES = [  # name, (low, high) or None for the default [-1, 1], order
    ("order 0", None, 0), ("order 1", None, 1), ("order 2", None, 2), ("order 9", None, 9),
    ("[2, 5], order 6", (2.0, 5.0), 6), ("[-3, 0], order 4", (-3.0, 0.0), 4)]


def probe_test_legendre_features(rng):
    from nndl.regression import legendre_features
    cases = [("visible", np.array([-1.0, -0.5, 0.0, 0.3, 1.0]), -1.0, 1.0, 3),
             ("visible [0, 10]", np.random.default_rng(5).uniform(0, 10, size=8), 0.0, 10.0, 7),
             ("integer inputs", np.arange(5), 0.0, 4.0, 3)]
    for name, interval, order in LEGENDRE_CASES:
        low, high = interval or (-1.0, 1.0)
        cases.append((name, rng.uniform(low, high, size=9), low, high, order))
    out = {}
    for name, x, low, high, order in cases:
        out[f"{name}/x"], out[f"{name}/interval"] = np.asarray(x, dtype=float), np.array([low, high])
        out[f"{name}/X"] = (legendre_features(x, order) if name.startswith("order ")
                            else legendre_features(x, order, low=low, high=high))
    return out


def judge_test_legendre_features(got, want):
    """Each case against numpy's legvander on the mapped inputs (inputs from `want`)."""
    from numpy.polynomial.legendre import legvander
    rtol, atol = TOLERANCE["test_legendre_features"]
    for key in sorted(k for k in want if k.endswith("/X")):
        case = key[: -len("/X")]
        x, (low, high) = want[f"{case}/x"], want[f"{case}/interval"]
        order = want[key].shape[1] - 1
        expected = legvander((2 * x - low - high) / (high - low), order)
        features = np.asarray(got.get(key, np.empty(0)))
        if features.shape != expected.shape:
            return 0.0, f"{case}: shape {features.shape}, expected {expected.shape}"
        if not np.allclose(features, expected, rtol=rtol, atol=atol):
            return 0.0, f"{case}: wrong values (P_k of t = (2x − low − high) / (high − low))"
    return 1.0, "passed"


def probe_test_mse(rng):
    from nndl.regression import mean_squared_error
    y, y_hat = rng.normal(size=50), rng.normal(size=50)
    return {"hand example": mean_squared_error(np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 5.0])),
            "random": mean_squared_error(y, y_hat),
            "perfect": mean_squared_error(y, y.copy())}


def probe_test_gradient(rng):
    from nndl.regression import least_squares_gradient as gradient
    X, y, theta = rng.normal(size=(10, 3)), rng.normal(size=10), rng.normal(size=3)
    x = rng.uniform(-1, 1, size=25)
    V, y_v, theta_v = np.vander(x, 5, increasing=True), rng.normal(size=25), rng.normal(size=5)
    theta_star = np.linalg.lstsq(V, y_v, rcond=None)[0]
    return {"random": gradient(X, y, theta),
            "closed form": gradient(np.ones((2, 1)), np.array([1.0, 3.0]), np.zeros(1)),
            "polynomial": gradient(V, y_v, theta_v),
            "at the minimum": gradient(V, y_v, theta_star)}


# ---------------------------------------------------------------- cross_validation.ipynb

PARTITION_CASES = [(23, 5), (10, 10), (7, 2), (100, 3), (12, 4)]


def _folds(prefix, folds, into):
    into[f"{prefix}/count"] = len(folds)
    for number, (train_idx, val_idx) in enumerate(folds):
        into[f"{prefix}/{number}/train"] = np.asarray(train_idx)
        into[f"{prefix}/{number}/val"] = np.asarray(val_idx)


def probe_test_kfold_partition(rng):
    from nndl.model_selection import kfold_indices
    out = {}
    for n, k in PARTITION_CASES:
        _folds(f"{n} in {k}", kfold_indices(n, k, seed=int(rng.integers(1000))), out)
    return out


def judge_test_kfold_partition(got, want):
    for n, k in PARTITION_CASES:
        case = f"{n} in {k}"
        if int(got.get(f"{case}/count", -1)) != k:
            return 0.0, f"{n} examples in {k} folds: not {k} folds"
        vals = [got.get(f"{case}/{i}/val") for i in range(k)]
        trains = [got.get(f"{case}/{i}/train") for i in range(k)]
        if any(a is None or a.ndim != 1 or a.dtype.kind not in "iu" for a in vals + trains):
            return 0.0, f"{n} examples in {k} folds: index arrays must be 1-D integers"
        if not np.array_equal(np.sort(np.concatenate(vals)), np.arange(n)):
            return 0.0, f"{n} examples in {k} folds: the validation folds are not a partition"
        sizes = sorted(len(v) for v in vals)
        if sizes != sorted(n // k + (i < n % k) for i in range(k)):
            return 0.0, f"{n} examples in {k} folds: fold sizes {sizes}"
        for train_idx, val_idx in zip(trains, vals):
            if not np.array_equal(np.sort(np.concatenate([train_idx, val_idx])), np.arange(n)):
                return 0.0, f"{n} examples in {k} folds: a train part is not the rest"
    return 1.0, "passed"


def probe_test_kfold_shuffle(rng):
    from nndl.model_selection import kfold_indices
    out = {}
    _folds("20 in 4, seed 7", kfold_indices(20, 4, seed=7), out)
    _folds("20 in 4, seed 7 again", kfold_indices(20, 4, seed=7), out)
    _folds("20 in 4, seed 8", kfold_indices(20, 4, seed=8), out)
    for seed in range(5):
        _folds(f"30 in 3, seed {seed}", kfold_indices(30, 3, seed=seed), out)
    _folds("9 in 9, seed 1", kfold_indices(9, 9, seed=1), out)
    _folds("9 in 9, seed 1 again", kfold_indices(9, 9, seed=1), out)
    return out


def _as_lists(got, prefix):
    count = int(got.get(f"{prefix}/count", -1))
    return [(got.get(f"{prefix}/{i}/train"), got.get(f"{prefix}/{i}/val")) for i in range(max(count, 0))]


def _same(a, b):
    return len(a) == len(b) and all(
        ta is not None and tb is not None and np.array_equal(ta, tb) and np.array_equal(va, vb)
        for (ta, va), (tb, vb) in zip(a, b))


def judge_test_kfold_shuffle(got, want):
    seven, again, eight = (_as_lists(got, f"20 in 4, seed {s}") for s in ("7", "7 again", "8"))
    if len(seven) != 4 or not _same(seven, again):
        return 0.0, "the same seed must give the same folds"
    if _same(seven, eight):
        return 0.0, "a different seed should give different folds"
    if np.array_equal(np.concatenate([v for _, v in seven]), np.arange(20)):
        return 0.0, "the indices are not shuffled before they are cut into folds"
    firsts = [_as_lists(got, f"30 in 3, seed {s}") for s in range(5)]
    if any(len(f) != 3 or f[0][1] is None for f in firsts):
        return 0.0, "30 examples in 3 folds: not 3 folds"
    first_vals = [tuple(np.sort(f[0][1]).tolist()) for f in firsts]
    if len(set(first_vals)) == 1 or all(v == tuple(range(10)) for v in first_vals):
        return 0.0, "different seeds should shuffle differently"
    if not _same(_as_lists(got, "9 in 9, seed 1"), _as_lists(got, "9 in 9, seed 1 again")) or \
            len(_as_lists(got, "9 in 9, seed 1")) != 9:
        return 0.0, "leave-one-out folds must be repeatable"
    return 1.0, "passed"


def _probe_folds(n, k, seed=0):
    """The folds cross_validate is given here: fixed by the probe, so that its result does not
    depend on the student's own kfold_indices."""
    order = np.random.default_rng(1000 + seed).permutation(n)
    chunks = np.array_split(order, k)
    return [(np.concatenate([c for j, c in enumerate(chunks) if j != i]), v) for i, v in enumerate(chunks)]


def probe_test_cross_validate(rng):
    import nndl.model_selection as model_selection
    model_selection.kfold_indices = _probe_folds

    def lstsq_fit(X, y):
        return np.linalg.lstsq(X, y, rcond=None)[0]

    calls = []

    def recording_fit(X, y):
        calls.append((np.array(X, dtype=float), np.array(y, dtype=float)))
        return lstsq_fit(X, y)

    x = rng.uniform(-1, 1, size=17)
    y = np.sin(3 * x) + 0.1 * rng.normal(size=17)
    out = {"order 2, 4 folds": model_selection.cross_validate(x, y, 2, lstsq_fit, k=4, seed=1),
           "a zero fit": model_selection.cross_validate(x, y, 3, lambda X, t: np.zeros(X.shape[1]), k=5, seed=2),
           "order 0": model_selection.cross_validate(x, y, 0, lstsq_fit, k=5, seed=2),
           "recorded": model_selection.cross_validate(x, y, 2, recording_fit, k=5, seed=2)}
    out["fit calls"] = len(calls)
    for number, (X_seen, y_seen) in enumerate(calls):
        out[f"fit call {number}/X"], out[f"fit call {number}/y"] = X_seen, y_seen
    return out


def probe_test_ridge(rng):
    from nndl.regression import ridge
    X_r = np.column_stack([np.ones(12), rng.normal(size=(12, 3))])
    y_r = 2.0 + rng.normal(size=12)
    x_h = rng.uniform(-1, 1, size=20)
    X_h, y_h = np.vander(x_h, 7, increasing=True), 1.5 + np.cos(2 * x_h)
    return {"reg 0.7": ridge(X_r, y_r, 0.7), "reg 0": ridge(X_r, y_r, 0.0),
            **{f"order 6, reg {reg:g}": ridge(X_h, y_h, reg) for reg in (1e-3, 0.1, 10.0)}}


def judge_test_ridge(got, want, sources):
    return values_and_no_inverse(got, want, sources, "ridge", TOLERANCE["test_ridge"])


def probe_test_ridge_intercept(rng):
    from nndl.regression import ridge
    x_t = np.linspace(-1, 1, 9)
    out = {"reg 1e8": ridge(np.vander(x_t, 3, increasing=True), 3.0 + 2.0 * x_t, 1e8)}
    X_r = np.column_stack([np.ones(15), rng.normal(size=(15, 4))])
    y_r = rng.normal(size=15)
    for reg in (0.3, 30.0):
        out[f"reg {reg:g}"] = ridge(X_r, y_r, reg)
        out[f"reg {reg:g}, y shifted by 5"] = ridge(X_r, y_r + 5.0, reg)
    return out
