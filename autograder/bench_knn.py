"""bench knn: hw2's reference kNN against its BLAS floor.

    knn no-loops / GEMM     compute_distances_no_loops against the one product X X_trainᵀ it
                            needs (goal <= 1.2x); and against scikit-learn's euclidean_distances
    knn predict / GEMMs     predict(k=5, chunks of 500) against the same chunked products
                            (goal <= 1.5x), with the peak of numpy allocations above the data
                            (tracemalloc; goal <= 0.5 GiB); and scikit-learn's brute-force kNN

Data: seeded random integer pixel values 0…255 as float64 (duplicate distances occur), D = 3072.
Full size: no-loops 500 test × 5,000 train; predict 10,000 test × 50,000 train (1.4 GiB of
data). --quick: 100 × 1,000 and 1,000 × 5,000.
"""
from __future__ import annotations

from pathlib import Path
import tracemalloc

import numpy as np

from autograder.bench import line
from autograder.bench_timing import have, interleaved, seconds
from autograder.reference import reference_modules
from autograder.settings import COURSE_ROOT

D = 3072
ROOT: Path = COURSE_ROOT  # the course whose reference is measured (a test may point elsewhere)


def _pixels(rng: np.random.Generator, rows: int) -> np.ndarray:
    return rng.integers(0, 256, size=(rows, D), dtype=np.uint8).astype(np.float64)


def run(quick: bool) -> list[str]:
    knn = reference_modules("hw2", ["knn"], ROOT)["knn"]
    rng = np.random.default_rng(14)
    lines = []

    # no-loops distances
    test_rows, train_rows = (100, 1_000) if quick else (500, 5_000)
    X_train, X_test = _pixels(rng, train_rows), _pixels(rng, test_rows)
    classifier = knn.KNearestNeighbor()
    classifier.train(X_train, rng.integers(0, 10, train_rows))
    sizes = f"test {test_rows}x{D}, train {train_rows}x{D}, float64"
    candidate, baseline = interleaved(lambda: classifier.compute_distances_no_loops(X_test),
                                      lambda: X_test @ X_train.T, 3 if quick else 7)
    lines.append(line("knn no-loops / GEMM", candidate / baseline, seconds(baseline),
                      seconds(candidate), sizes + "; baseline X @ X_train.T", "<= 1.2x"))
    if have("sklearn"):
        from sklearn.metrics.pairwise import euclidean_distances
        candidate, other = interleaved(lambda: classifier.compute_distances_no_loops(X_test),
                                       lambda: euclidean_distances(X_test, X_train),
                                       3 if quick else 7)
        lines.append(line("knn no-loops / sklearn", candidate / other, seconds(other),
                          seconds(candidate), sizes + "; baseline sklearn euclidean_distances"))
    else:
        lines.append("knn no-loops / sklearn: scikit-learn not installed")
    del X_train, X_test, classifier

    # full predict, chunked
    test_rows, train_rows, chunk, k = (1_000, 5_000, 500, 5) if quick else (10_000, 50_000, 500, 5)
    X_train, X_test = _pixels(rng, train_rows), _pixels(rng, test_rows)
    y_train = rng.integers(0, 10, train_rows)
    classifier = knn.KNearestNeighbor()
    classifier.train(X_train, y_train)

    def chunked_gemms():
        for start in range(0, test_rows, chunk):
            X_test[start:start + chunk] @ X_train.T

    sizes = (f"test {test_rows}, train {train_rows}, D {D}, chunks of {chunk}, k={k}, "
             f"data {(X_train.nbytes + X_test.nbytes) / 2**30:.2f} GiB")
    candidate, baseline = interleaved(lambda: classifier.predict(X_test, k=k, chunk_size=chunk),
                                      chunked_gemms, 3 if quick else 1, warm_up=quick)
    lines.append(line("knn predict / chunked GEMMs", candidate / baseline, seconds(baseline),
                      seconds(candidate), sizes, "<= 1.5x"))
    # Peak numpy allocations during predict, above the data (two chunks show the steady state).
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        classifier.predict(X_test[:2 * chunk], k=k, chunk_size=chunk)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    lines.append(f"{'knn predict peak memory':28} {peak / 2**30:6.3f} GiB above the data "
                 f"(tracemalloc, numpy allocations), {sizes}  [goal <= 0.5 GiB]")
    if have("sklearn"):
        from sklearn.neighbors import KNeighborsClassifier
        model = KNeighborsClassifier(n_neighbors=k, algorithm="brute").fit(X_train, y_train)
        candidate, other = interleaved(lambda: classifier.predict(X_test, k=k, chunk_size=chunk),
                                       lambda: model.predict(X_test), 3 if quick else 1,
                                       warm_up=quick)
        lines.append(line("knn predict / sklearn", candidate / other, seconds(other),
                          seconds(candidate), sizes + "; baseline sklearn brute-force kNN"))
    else:
        lines.append("knn predict / sklearn: scikit-learn not installed")
    return lines
