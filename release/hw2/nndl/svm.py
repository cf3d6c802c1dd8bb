"""Multiclass hinge loss (linear SVM), margin 1.

Shapes: N examples, D features (bias trick: the last feature is 1), C classes.
Lecture convention: W is (C, D), the scores of example i are s_i = W x_i (all at once,
S = X Wᵀ), and
    L(W) = (1/N) Σ_i Σ_{c ≠ y_i} max(0, s_ic − s_iy_i + 1)  +  ½ · reg · ‖W‖²
Both functions return (loss, dW) with dW = ∂L/∂W of shape (C, D).
"""
import numpy as np


def svm_loss_naive(W, X, y, reg):
    """Hinge loss and its gradient with explicit loops over examples and classes.

    W: (C, D);  X: (N, D);  y: (N,) integer labels in 0 … C−1;  reg: float
    Returns loss: float and dW: (C, D).
    """
    loss = 0.0
    dW = np.zeros_like(W)
    # TODO: for every example and every wrong class with a positive margin, add the margin to
    # the loss and ±x_i to two rows of dW; then average over N and add the ½·reg·‖W‖² term.
    raise NotImplementedError("implement svm_loss_naive in nndl/svm.py")
    return loss, dW


def svm_loss_vectorized(W, X, y, reg):
    """The same loss and gradient as svm_loss_naive, without Python loops.

    W: (C, D);  X: (N, D);  y: (N,);  reg: float.  Returns loss: float and dW: (C, D).
    """
    loss = 0.0
    dW = np.zeros_like(W)
    # TODO: margins for all (i, c) at once, zeroed at c = y_i; then dW from one matrix product
    # of an (N, C) array of ±1 / 0 weights with X.
    raise NotImplementedError("implement svm_loss_vectorized in nndl/svm.py")
    return loss, dW
