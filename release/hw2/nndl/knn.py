"""k-nearest-neighbour classification.

Shapes: N training images, M test images, D features per image (a flattened image).
Labels are integers 0 … C−1. Distances between a test image a and a training image b:
    'l1'   Σ_d |a_d − b_d|
    'l2'   sqrt(Σ_d (a_d − b_d)²)        (the default)
    'linf' max_d |a_d − b_d|
compute_distances_two_loops and compute_distances_one_loop take any of the three (argument
`norm`); compute_distances_no_loops is L2 only, through ‖a − b‖² = ‖a‖² + ‖b‖² − 2 a·b.
"""
import numpy as np

from nndl.progress import progress

NORMS = ("l1", "l2", "linf")


def _check_norm(norm):
    if norm not in NORMS:
        raise ValueError(f"norm must be one of {NORMS}, not {norm!r}")


class KNearestNeighbor:
    """Remembers the training set; labels a test image by a vote among its k closest images."""

    def __init__(self):
        self.X_train = None
        self.y_train = None
        self.train_sq = None

    def train(self, X, y):
        """Training is remembering. X: (N, D);  y: (N,) integer labels.

        Keeps X_train: (N, D) float64 (images come as uint8, whose arithmetic wraps around:
        200 + 100 is 44 in uint8), y_train: (N,) int64, and train_sq: (N,) the squared norms
        ‖b‖² of the training rows, computed once here rather than on every distance call.
        """
        self.X_train = np.asarray(X, dtype=np.float64)
        self.y_train = np.asarray(y, dtype=np.int64)
        self.train_sq = np.einsum("nd,nd->n", self.X_train, self.X_train)

    def compute_distances_two_loops(self, X, norm="l2"):
        """Distances with a Python loop over test images and one over training images.

        X: (M, D);  norm: 'l1', 'l2' or 'linf' (see the module docstring)
        Returns dists: (M, N), dists[i, j] = distance(X[i], X_train[j]).
        """
        _check_norm(norm)
        X = np.asarray(X, dtype=np.float64)  # uint8 pixels would wrap around
        dists = np.zeros((X.shape[0], self.X_train.shape[0]))
        for i in range(X.shape[0]):
            for j in range(self.X_train.shape[0]):
                # TODO: dists[i, j] for the chosen norm, from X[i] and self.X_train[j] only.
                raise NotImplementedError("implement KNearestNeighbor.compute_distances_two_loops in nndl/knn.py")
        return dists

    def compute_distances_one_loop(self, X, norm="l2"):
        """Distances with one Python loop, over test images: each row at once by broadcasting.

        X: (M, D);  norm: 'l1', 'l2' or 'linf'
        Returns dists: (M, N).
        """
        _check_norm(norm)
        X = np.asarray(X, dtype=np.float64)  # uint8 pixels would wrap around
        dists = np.zeros((X.shape[0], self.X_train.shape[0]))
        for i in range(X.shape[0]):
            # TODO: the whole row dists[i, :] from X[i] against every row of self.X_train.
            raise NotImplementedError("implement KNearestNeighbor.compute_distances_one_loop in nndl/knn.py")
        return dists

    def compute_distances_no_loops(self, X):
        """L2 distances without Python loops: ‖a − b‖² = ‖a‖² + ‖b‖² − 2 a·b.

        X: (M, D).  Returns dists: (M, N).  No np.linalg.norm, no scipy: one matrix product and
        broadcasting. Rounding can make a tiny ‖a − b‖² negative; clip it at 0 before the root.

        The matrix product X X_trainᵀ costs 2·M·N·D operations; everything else should cost
        next to nothing beside it. So: use self.train_sq (the (N,) norms ‖b‖², computed once
        by train) instead of summing X_train² again on every call; fold the −2 into the small
        (M, D) factor, (−2X) X_trainᵀ, which is exact (scaling by a power of two does not
        round); and add the norms, clip and take the root in place (`+=`, `out=`), so the
        (M, N) product is the only big array made.
        """
        X = np.asarray(X, dtype=np.float64)  # uint8 pixels would wrap around in X ** 2
        # TODO: squared norms of the test rows (M, 1) and training rows (1, N), the product
        # X X_trainᵀ (M, N), then the square root.
        raise NotImplementedError("implement KNearestNeighbor.compute_distances_no_loops in nndl/knn.py")
        return dists

    def predict_labels(self, dists, k=1):
        """Majority vote among the k nearest training images.

        dists: (M, N) from one of the compute_distances_* methods;  k: number of neighbours
        Returns y_pred: (M,) int64. A tie between labels goes to the smallest label; neighbours
        at equal distance are taken in training order (a stable sort).

        Sorting a whole row, N log N, to keep k of its N entries is wasted work: np.partition
        finds the k-th smallest distance d_k in O(N) (np.argpartition's k smallest come in no
        particular order and, when several images sit at d_k, hold an arbitrary few of them).
        The tie rule fixes the set: every image closer than d_k, then the images at exactly d_k
        in training order. The candidates, dists ≤ d_k in training order (np.flatnonzero), hold
        all of them; a stable argsort of those few picks exactly the k that a stable argsort of
        the whole row would.
        """
        y_pred = np.zeros(dists.shape[0], dtype=np.int64)
        for i in range(dists.shape[0]):
            # TODO: labels of the k closest training images, then the most frequent of them.
            # (np.argsort with kind="stable"; np.bincount and np.argmax break ties as asked.)
            raise NotImplementedError("implement KNearestNeighbor.predict_labels in nndl/knn.py")
        return y_pred

    def predict(self, X, k=1, num_loops=0, norm="l2", chunk_size=500):
        """Labels for test images, `chunk_size` test images at a time.

        X: (M, D);  k: neighbours;  num_loops: 0, 1 or 2, which compute_distances_* to use
        (0 needs norm='l2');  chunk_size: test images per distance matrix, so that memory
        stays at chunk_size × N floats (50,000 × 10,000 at once would take 4 GB).
        Returns y_pred: (M,) int64.
        """
        _check_norm(norm)
        if num_loops == 0 and norm != "l2":
            raise ValueError("compute_distances_no_loops is L2 only: use num_loops=1 for this norm")
        if num_loops == 0:
            distances = self.compute_distances_no_loops
        elif num_loops in (1, 2):
            method = (self.compute_distances_one_loop if num_loops == 1
                      else self.compute_distances_two_loops)
            distances = lambda rows: method(rows, norm=norm)  # noqa: E731
        else:
            raise ValueError(f"num_loops must be 0, 1 or 2, not {num_loops}")
        y_pred = np.zeros(X.shape[0], dtype=np.int64)
        for start in range(0, X.shape[0], chunk_size):
            # TODO: distances from X[start:start + chunk_size] to the training set, then the vote.
            raise NotImplementedError("implement KNearestNeighbor.predict in nndl/knn.py")
        return y_pred


def cross_validate_k(X, y, k_choices, num_folds=5, norm="l2"):
    """Accuracy of k-NN for every k, on each of num_folds folds.

    X: (N, D);  y: (N,);  k_choices: list of k;  norm: as in the module docstring.
    Folds are np.array_split(np.arange(N), num_folds): contiguous blocks, no shuffling (shuffle
    before calling). Fold f is held out once while the classifier trains on the others; each
    held-out fold's distance matrix is computed once and reused for every k (no loops for
    'l2', one loop otherwise).
    Returns {k: (num_folds,) array of accuracies on the held-out folds}.
    """
    folds = np.array_split(np.arange(X.shape[0]), num_folds)
    accuracies = {k: np.zeros(num_folds) for k in k_choices}
    for f, held_out in enumerate(progress(folds, desc=f"{num_folds}-fold CV, {norm}")):
        # TODO: train a KNearestNeighbor on every fold but f, then score each k on fold f.
        raise NotImplementedError("implement cross_validate_k in nndl/knn.py")
    return accuracies
