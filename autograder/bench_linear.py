"""bench linear: hw2's vectorized softmax and hinge loss+gradient against their BLAS floor.

    softmax / 2 GEMMs   softmax_loss_vectorized(W, X, y, reg) against the two products any
                        loss+gradient needs, S = X Wᵀ and dW = dSᵀ X (goal <= 1.1x)
    hinge / 2 GEMMs     svm_loss_vectorized, the same floor (goal <= 1.1x)
    … / torch           the same loss and gradient in PyTorch CPU (autograd), when installed

Full size: N = 49,000, D = 3073 (bias trick), C = 10, float64; --quick: N = 4,900.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from autograder.bench import line
from autograder.bench_timing import have, interleaved, seconds
from autograder.reference import reference_modules
from autograder.settings import COURSE_ROOT

ROOT: Path = COURSE_ROOT


def run(quick: bool) -> list[str]:
    modules = reference_modules("hw2", ["softmax", "svm"], ROOT)
    N, D, C = (4_900 if quick else 49_000), 3073, 10
    rng = np.random.default_rng(14)
    X = rng.standard_normal((N, D))
    y = rng.integers(0, C, N)
    W = 1e-4 * rng.standard_normal((C, D))
    dS = rng.standard_normal((N, C))
    repeats = 3 if quick else 7
    sizes = f"N {N}, D {D}, C {C}, float64"

    def floor():
        X @ W.T
        dS.T @ X

    lines = []
    for name, function in (("softmax", modules["softmax"].softmax_loss_vectorized),
                           ("hinge", modules["svm"].svm_loss_vectorized)):
        candidate, baseline = interleaved(lambda: function(W, X, y, 1e-3), floor, repeats)
        lines.append(line(f"{name} loss+grad / 2 GEMMs", candidate / baseline, seconds(baseline),
                          seconds(candidate), sizes + "; baseline X @ W.T and dS.T @ X", "<= 1.1x"))
    if not have("torch"):
        lines.append("softmax, hinge / torch: torch not installed")
        return lines
    import torch
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def torch_loss(kind):
        def step():
            Wt = torch.from_numpy(W).requires_grad_()
            scores = Xt @ Wt.T
            if kind == "softmax":
                loss = torch.nn.functional.cross_entropy(scores, yt)
            else:
                correct = scores.gather(1, yt[:, None])
                margins = torch.clamp(scores - correct + 1, min=0).scatter(1, yt[:, None], 0)
                loss = margins.sum() / N
            (loss + 0.5e-3 * (Wt * Wt).sum()).backward()
        return step

    for name, function in (("softmax", modules["softmax"].softmax_loss_vectorized),
                           ("hinge", modules["svm"].svm_loss_vectorized)):
        candidate, other = interleaved(lambda: function(W, X, y, 1e-3), torch_loss(name), repeats)
        lines.append(line(f"{name} loss+grad / torch", candidate / other, seconds(other),
                          seconds(candidate), sizes + f"; torch {torch.get_num_threads()} threads"))
    return lines
