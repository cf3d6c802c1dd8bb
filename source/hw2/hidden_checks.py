"""Hidden checks of hw2 (instructor only: never released; see autograder/judge.py).

Each probe runs in the student's sandbox and returns what their code gave back on inputs made
from `rng`; the judge compares that with the reference solution's, or checks properties of the
raw data (and, for the "no loops" rules, the student's source, parsed here, never run).
"""
import ast

import numpy as np

TOLERANCE = {
    "test_knn_two_loops": (1e-10, 1e-12),
    "test_knn_one_loop": (1e-10, 1e-12),
    "test_knn_no_loops": (1e-8, 1e-6),
    "test_knn_norms": (1e-10, 1e-12),
    "test_svm_naive": (1e-7, 1e-10),
    "test_svm_vectorized": (1e-7, 1e-10),
    "test_softmax_naive": (1e-7, 1e-10),
    "test_softmax_vectorized": (1e-7, 1e-10),
    "test_linear_train": (1e-9, 1e-12),
    "test_precision_recall_f1": (1e-10, 1e-12),
}


def loops_in(sources, module, function, cls=None):
    """Python loops or comprehensions in a function of a student's module (its source parsed,
    not run); None when the function is not found."""
    try:
        tree = ast.parse(sources.get(module, ""))
    except SyntaxError:
        return None
    scope = tree.body
    if cls is not None:
        classes = [node for node in scope if isinstance(node, ast.ClassDef) and node.name == cls]
        if not classes:
            return None
        scope = classes[0].body
    found = [node for node in scope if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
             and node.name == function]
    if not found:
        return None
    return [node for node in ast.walk(found[-1]) if isinstance(node, (ast.For, ast.While, ast.comprehension))]


def values_and_no_loops(got, want, sources, module, function, cls=None, tolerance=(1e-7, 1e-10)):
    """Full points when the values match the reference and `function` has no Python loop."""
    from autograder.judge import default_judge   # the judge's side only
    verdict = default_judge(got, want, *tolerance)
    if verdict.fraction < 1:
        return verdict.fraction, verdict.message
    loops = loops_in(sources, module, function, cls)
    if loops is None:
        return 0.0, f"{function} not found in {module}"
    if loops:
        return 0.0, f"{function} must not use Python loops or comprehensions"
    return 1.0, "passed"


# ---------------------------------------------------------------- knn.ipynb

def _knn(X_train, y_train):
    from nndl.knn import KNearestNeighbor
    knn = KNearestNeighbor()
    knn.train(X_train, y_train)
    return knn


def probe_test_knn_two_loops(rng):
    A_train, A_test = rng.normal(size=(6, 4)), rng.normal(size=(3, 4))
    B_train = rng.integers(0, 256, size=(7, 12)).astype(np.uint8)
    B_test = rng.integers(0, 256, size=(4, 12)).astype(np.uint8)
    return {"visible": _knn(A_train, np.arange(6) % 2).compute_distances_two_loops(A_test),
            "random": _knn(A_train, np.arange(6) % 2).compute_distances_two_loops(rng.normal(size=(5, 4))),
            "uint8 pixels": _knn(B_train, np.zeros(7, dtype=int)).compute_distances_two_loops(B_test, norm="l2")}


def probe_test_knn_one_loop(rng):
    A_train, A_test = rng.normal(size=(8, 5)), rng.normal(size=(4, 5))
    knn = _knn(A_train, np.arange(8) % 3)
    return {"visible": knn.compute_distances_one_loop(A_test),
            "one test image": knn.compute_distances_one_loop(A_test[:1]),
            "random": knn.compute_distances_one_loop(rng.normal(size=(6, 5)))}


def probe_test_knn_no_loops(rng):
    A_train, A_test = rng.normal(size=(9, 6)), rng.normal(size=(5, 6))
    B = rng.normal(loc=100.0, size=(6, 30))
    # fixed images whose squared distances to themselves round below 0 (unclipped: NaN)
    B_fixed = np.random.default_rng(0).normal(loc=100.0, size=(6, 30))
    return {"visible": _knn(A_train, np.arange(9) % 3).compute_distances_no_loops(A_test),
            "images against themselves": _knn(B, np.zeros(6, dtype=int)).compute_distances_no_loops(B),
            "fixed images against themselves": _knn(B_fixed, np.zeros(6, dtype=int)).compute_distances_no_loops(B_fixed)}


def judge_test_knn_no_loops(got, want, sources):
    for key in ("images against themselves", "fixed images against themselves"):
        self_dists = got.get(key)
        if self_dists is not None and not np.all(np.isfinite(self_dists)):
            return 0.0, "NaN distances: clip negative squared distances at 0"
    return values_and_no_loops(got, want, sources, "nndl/knn.py", "compute_distances_no_loops",
                               "KNearestNeighbor", TOLERANCE["test_knn_no_loops"])


def probe_test_knn_norms(rng):
    A_train, A_test = rng.normal(size=(7, 5)), rng.normal(size=(3, 5))
    knn = _knn(A_train, np.arange(7) % 2)
    out = {f"{method} {norm}": getattr(knn, f"compute_distances_{method}")(A_test, norm=norm)
           for method in ("two_loops", "one_loop") for norm in ("l1", "l2", "linf")}
    hand = _knn(np.array([[4.0, 0.0]]), np.array([0]))
    for method in ("two_loops", "one_loop"):
        for norm in ("l1", "l2", "linf"):
            out[f"hand {method} {norm}"] = getattr(hand, f"compute_distances_{method}")(
                np.array([[1.0, 2.0]]), norm=norm)
    return out


# Rows with ties among unequal distances: a stable sort keeps training order inside a tie.
TIE_ROWS = np.array([
    [0.1, 0.5, 0.6, 0.9, 0.8, 0.7],
    [0.9, 0.2, 0.8, 0.1, 0.7, 0.3],
    [0.4, 0.3, 0.9, 0.9, 0.2, 0.1],
    [0.5, 0.2, 0.2, 0.9, 0.2, 0.7],
    [0.3, 0.3, 0.1, 0.3, 0.3, 0.8],
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
])


def probe_test_knn_predict_labels(rng):
    labels = np.array([3, 1, 1, 0, 2, 3])
    knn = _knn(np.zeros((6, 1)), labels)
    out = {f"k={k}": knn.predict_labels(TIE_ROWS, k=k) for k in range(1, 7)}
    random_dists = rng.random(size=(8, 6)).round(1)      # many ties among unequal distances
    out["random ties k=3"] = knn.predict_labels(random_dists, k=3)
    out["random ties k=2"] = knn.predict_labels(random_dists, k=2)
    # 40 training images, distances in four values: only a stable sort keeps training order
    wide = _knn(np.zeros((40, 1)), rng.integers(5, size=40))
    wide_dists = rng.integers(0, 4, size=(10, 40)).astype(float)
    for k in (3, 5):
        out[f"40 images, k={k}"] = wide.predict_labels(wide_dists, k=k)
    # the same with fixed data, on which numpy's default (unstable) sort changes the vote
    fixed = np.random.default_rng(0)
    fixed_knn = _knn(np.zeros((40, 1)), fixed.integers(5, size=40))
    fixed_dists = fixed.integers(0, 4, size=(10, 40)).astype(float)
    for k in (3, 5):
        out[f"40 fixed images, k={k}"] = fixed_knn.predict_labels(fixed_dists, k=k)
    return out


def exact_integers(got, want, what):
    """Full points when every array equals the reference's exactly and holds integers."""
    from autograder.judge import default_judge   # the judge's side only
    for key in want:
        if key in got and got[key].dtype.kind not in "iu":
            return 0.0, f"{key}: {what} must be integers"
    verdict = default_judge(got, want, 0, 0)
    return verdict.fraction, verdict.message


def judge_test_knn_predict_labels(got, want):
    return exact_integers(got, want, "labels")


def probe_test_knn_predict(rng):
    centres = np.array([[0.0, 0.0], [5.0, 5.0], [0.0, 6.0]])
    labels = np.repeat([0, 1, 2], 10)
    A_train = centres[labels] + rng.normal(scale=0.8, size=(30, 2))
    A_test = centres[rng.integers(3, size=7)] + rng.normal(scale=1.5, size=(7, 2))
    knn = _knn(A_train, labels)
    asked = []
    original = knn.compute_distances_no_loops

    def recording(rows):
        asked.append(len(rows))
        return original(rows)

    knn.compute_distances_no_loops = recording
    out = {"chunks of 3": knn.predict(A_test, k=3, num_loops=0, chunk_size=3),
           "chunks of 2": knn.predict(A_test, k=3, num_loops=0, chunk_size=2)}
    out["rows asked for"] = np.array(asked)
    del knn.compute_distances_no_loops
    out["one loop"] = knn.predict(A_test, k=3, num_loops=1, chunk_size=4)
    out["two loops"] = knn.predict(A_test, k=3, num_loops=2, chunk_size=4)
    out["l1, k=1"] = knn.predict(A_test, k=1, num_loops=1, norm="l1", chunk_size=5)
    out["linf, k=5"] = knn.predict(A_test, k=5, num_loops=2, norm="linf", chunk_size=7)
    # random labels on uniform points: k, the norm and the vote all change the predictions
    noisy = _knn(rng.uniform(-1, 1, size=(40, 2)), rng.integers(3, size=40))
    R_test = rng.uniform(-1, 1, size=(15, 2))
    for k in (1, 4, 7):
        out[f"random labels, k={k}"] = noisy.predict(R_test, k=k, num_loops=0, chunk_size=4)
    for norm in ("l1", "linf"):
        out[f"random labels, {norm}, k=5, one loop"] = noisy.predict(R_test, k=5, num_loops=1, norm=norm, chunk_size=6)
        out[f"random labels, {norm}, k=3, two loops"] = noisy.predict(R_test, k=3, num_loops=2, norm=norm, chunk_size=15)
    # by hand, from the origin: (3, 0) is nearer than (2, 2) in L1 (3 < 4), farther in L2
    # (9 > 8 squared) and in L-infinity (3 > 2), where it is also listed first (a tie would
    # pick it): fixed points that tell the norms apart under every course secret
    hand = _knn(np.array([[3.0, 0.0], [2.0, 2.0]]), np.array([0, 1]))
    for loops in (1, 2):
        for norm in ("l1", "linf"):
            out[f"by hand, {norm}, {loops} loops"] = hand.predict(np.zeros((1, 2)), k=1, num_loops=loops, norm=norm)
    return out


def probe_test_cross_validate_k(rng):
    from nndl.knn import cross_validate_k
    A = rng.normal(size=(20, 3))
    labels = (A[:, 0] + 0.5 * rng.normal(size=20) > 0).astype(int)
    out = {}
    for name, result in (("l2, 4 folds", cross_validate_k(A, labels, k_choices=[1, 3], num_folds=4)),):
        out.update({f"{name}, k={k}": np.asarray(v) for k, v in result.items()})
        out[f"{name}: ks"] = np.array(sorted(result))
    # 2-D points with random labels: L1, L2 and L-infinity pick different neighbours
    P = rng.uniform(-1, 1, size=(30, 2))
    noisy = rng.integers(3, size=30)
    for norm in ("l1", "l2", "linf"):
        result = cross_validate_k(P, noisy, k_choices=[1, 2, 5], num_folds=5, norm=norm)
        out.update({f"{norm}, k={k}": np.asarray(v) for k, v in result.items()})
        out[f"{norm}: ks"] = np.array(sorted(result))
    # the same on fixed points, where a wrong L1 or L-infinity changes some fold's accuracy
    # whatever the course secret draws above
    fixed = np.random.default_rng(0)
    P_fixed, noisy_fixed = fixed.uniform(-1, 1, size=(30, 2)), fixed.integers(3, size=30)
    for norm in ("l1", "linf"):
        result = cross_validate_k(P_fixed, noisy_fixed, k_choices=[1, 2, 5], num_folds=5, norm=norm)
        out.update({f"fixed points, {norm}, k={k}": np.asarray(v) for k, v in result.items()})
    return out


# ---------------------------------------------------------------- linear_classifiers.ipynb

def _problem(rng, C=4, D=6, N=9, scale=0.5):
    return rng.normal(scale=scale, size=(C, D)), rng.normal(size=(N, D)), rng.integers(C, size=N)


def _loss_probe(loss_function, rng):
    out = {}
    W, X, y = _problem(rng)
    out["W = 0"] = loss_function(np.zeros_like(W), X, y, 0.0)[0]
    for number, reg in enumerate((0.0, 0.1, 0.3)):
        W, X, y = _problem(rng)
        loss, dW = loss_function(W, X, y, reg)
        out[f"problem {number}, reg {reg}: loss"], out[f"problem {number}, reg {reg}: dW"] = loss, dW
    W, X, y = _problem(rng, C=3, D=5, N=12)
    loss, dW = loss_function(W, X, y, 0.05)
    out["3 classes: loss"], out["3 classes: dW"] = loss, dW
    return out


def _integer_scores(loss_function, rng):
    """Small integer weights and features: many margins exactly 0 (a hinge's kink), where only
    a positive margin counts."""
    W = rng.integers(-2, 3, size=(4, 6)).astype(float)
    X = rng.integers(-2, 3, size=(30, 6)).astype(float)
    loss, dW = loss_function(W, X, rng.integers(4, size=30), 0.1)
    out = {"integer scores: loss": loss, "integer scores: dW": dW}
    # by hand: scores [1, 2, 2] with label 1 and [2, 1, 4] with label 0, a zero margin in each
    W_hand = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 0.0]])
    loss, dW = loss_function(W_hand, np.array([[1.0, 2.0], [2.0, 1.0]]), np.array([1, 0]), 0.0)
    out["zero margins by hand: loss"], out["zero margins by hand: dW"] = loss, dW
    return out


def _big_scores(loss_function, rng):
    W, X, y = _problem(rng)
    loss, dW = loss_function(300.0 * W, X, y, 0.0)
    out = {"large scores: loss": loss, "large scores: dW": dW}
    # scores [1000, 999] and [0, 1]: one max for all rows underflows the second to log 0
    loss, dW = loss_function(np.eye(2), np.array([[1000.0, 999.0], [0.0, 1.0]]), np.array([0, 1]), 0.0)
    out["rows far apart: loss"], out["rows far apart: dW"] = loss, dW
    return out


def probe_test_svm_naive(rng):
    from nndl.svm import svm_loss_naive
    return {**_loss_probe(svm_loss_naive, rng), **_integer_scores(svm_loss_naive, rng)}


def probe_test_svm_vectorized(rng):
    from nndl.svm import svm_loss_vectorized
    return {**_loss_probe(svm_loss_vectorized, rng), **_integer_scores(svm_loss_vectorized, rng)}


def judge_test_svm_vectorized(got, want, sources):
    return values_and_no_loops(got, want, sources, "nndl/svm.py", "svm_loss_vectorized",
                               tolerance=TOLERANCE["test_svm_vectorized"])


def probe_test_softmax_naive(rng):
    from nndl.softmax import softmax_loss_naive
    return {**_loss_probe(softmax_loss_naive, rng), **_big_scores(softmax_loss_naive, rng)}


def probe_test_softmax_vectorized(rng):
    from nndl.softmax import softmax_loss_vectorized
    return {**_loss_probe(softmax_loss_vectorized, rng), **_big_scores(softmax_loss_vectorized, rng)}


def judge_test_softmax_vectorized(got, want, sources):
    return values_and_no_loops(got, want, sources, "nndl/softmax.py", "softmax_loss_vectorized",
                               tolerance=TOLERANCE["test_softmax_vectorized"])


def probe_test_linear_train(rng):
    from nndl.linear_classifier import LinearClassifier
    A = rng.normal(size=(3, 4))
    X_toy, y_toy = rng.normal(size=(10, 4)), np.arange(10) % 3
    seen = []

    class Quadratic(LinearClassifier):
        def loss(self, X_batch, y_batch, reg):
            seen.append((np.array(X_batch, dtype=float), np.array(y_batch)))
            return 0.5 * np.sum((self.W - A) ** 2), self.W - A

    model = Quadratic(seed=0)
    model.W = rng.normal(size=(3, 4))
    out = {"history": model.train(X_toy, y_toy, learning_rate=0.1, reg=0.0, num_iters=25, batch_size=4),
           "W after 25 steps": model.W}
    out["batch rows"] = np.stack([rows for rows, _ in seen])
    out["batch labels"] = np.stack([labels for _, labels in seen])
    fresh = Quadratic(seed=3)
    fresh.train(X_toy, y_toy, learning_rate=0.0, reg=0.0, num_iters=2, batch_size=5)
    out["initial W, seed 3"] = fresh.W
    return out


def probe_test_linear_predict(rng):
    from nndl.linear_classifier import LinearClassifier
    model = LinearClassifier()
    model.W = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 1.0, -5.0]])
    X_toy = np.array([[3.0, 1.0, 0.0], [0.0, 2.0, 1.0], [0.0, 0.0, 1.0], [1.0, -1.0, -2.0]])
    out = {"visible": model.predict(X_toy), "one row": model.predict(X_toy[:1])}
    model.W = rng.normal(size=(5, 7))
    out["random"] = model.predict(rng.normal(size=(12, 7)))
    return out


def probe_test_confusion_matrix(rng):
    from nndl.metrics import confusion_matrix
    return {"random": confusion_matrix(rng.integers(4, size=40), rng.integers(4, size=40), 4),
            "an absent class": confusion_matrix(np.array([0, 0, 2]), np.array([2, 0, 2]), 4),
            "five classes": confusion_matrix(rng.integers(5, size=60), rng.integers(5, size=60), 5)}


def judge_test_confusion_matrix(got, want):
    return exact_integers(got, want, "counts")


def probe_test_precision_recall_f1(rng):
    from nndl.metrics import precision_recall_f1
    y_true = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2, 3])
    y_hat = np.array([0, 1, 0, 1, 2, 2, 2, 0, 2, 1])
    counts = np.zeros((4, 4), dtype=int)
    np.add.at(counts, (y_true, y_hat), 1)
    random_counts = rng.integers(0, 6, size=(5, 5))
    random_counts[:, 2] = 0          # a class never predicted: zero precision denominator
    out = {}
    for name, matrix in (("visible", counts), ("random", random_counts),
                         ("empty", np.zeros((3, 3), dtype=int)), ("perfect", np.diag([2, 5, 1]))):
        precision, recall, f1 = precision_recall_f1(matrix)
        out[f"{name}: precision"], out[f"{name}: recall"], out[f"{name}: f1"] = precision, recall, f1
    return out


# ---------------------------------------------------------------- the tuned softmax (linear_classifiers.ipynb)

# Held-out (test-image) accuracy -> points, per data: (none at or below, full from). Measured on
# the shared subset: the reference's nndl/tuned.py reaches 0.360, the release's starter 0.114;
# on the digits 0.897 and 0.173. Full CIFAR-10: the course's target for softmax, 0.35.
SOFTMAX_CREDIT = {"full": (0.25, 0.35), "subset": (0.20, 0.34), "digits": (0.30, 0.85)}
SOFTMAX_CAPS = {"num_iters": 3000, "batch_size": 1000}


def probe_test_softmax_tuned(rng):
    """The graded run: nndl/tuned.py's SOFTMAX trained on the training images only (this
    sandbox cannot read the test batch); the judge scores W on the test images."""
    from nndl.data import append_bias, get_splits, load_dataset, subtract_mean, validation_size
    from nndl.linear_classifier import Softmax
    from nndl.tuned import SOFTMAX
    dataset = load_dataset(verbose=False, test=False)
    num_val = validation_size(dataset)
    data, _ = subtract_mean(get_splits(dataset, num_train=len(dataset.X_train) - num_val, num_val=num_val,
                                       num_test=0, verbose=False))
    model = Softmax(seed=0)
    model.train(append_bias(data["X_train"]), data["y_train"], learning_rate=float(SOFTMAX["learning_rate"]),
                reg=float(SOFTMAX["reg"]),
                num_iters=max(1, min(int(SOFTMAX["num_iters"]), SOFTMAX_CAPS["num_iters"])),
                batch_size=max(1, min(int(SOFTMAX["batch_size"]), SOFTMAX_CAPS["batch_size"])))
    return {"W": np.asarray(model.W, dtype=np.float64)}


def judge_test_softmax_tuned(got, want, data):
    from autograder.grading_data import partial_credit
    mean, _ = data.training_statistics()
    X, y = data.test_images()
    W = got["W"]
    if W.shape != (data.dataset.num_classes, X.shape[1] + 1) or not np.all(np.isfinite(W)):
        return 0.0, f"W has shape {W.shape}, not (C, D + 1), or is not finite"
    scores = (X - mean) @ W[:, :-1].T + W[:, -1]
    return partial_credit(float(np.mean(np.argmax(scores, axis=1) == y)), SOFTMAX_CREDIT, data)
