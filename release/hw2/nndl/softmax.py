"""Softmax (cross-entropy) loss.

Shapes: N examples, D features (bias trick: the last feature is 1), C classes.
Lecture convention: W is (C, D), scores S = X Wᵀ, p_ic = exp(s_ic) / Σ_c' exp(s_ic'), and
    L(W) = (1/N) Σ_i −log p_iy_i  +  ½ · reg · ‖W‖²,     ∂L/∂W = (1/N) (P − Y)ᵀ X + reg · W
with Y the one-hot labels. Subtracting each row's largest score before exp changes no p_ic and
keeps exp from overflowing; −log p_iy_i = log Σ_c exp(s_ic − m_i) − (s_iy_i − m_i) never takes
the log of 0. Both functions return (loss, dW) with dW of shape (C, D).
"""
import numpy as np


def softmax_loss_naive(W, X, y, reg):
    """Softmax loss and its gradient with an explicit loop over examples.

    W: (C, D);  X: (N, D);  y: (N,) integer labels in 0 … C−1;  reg: float
    Returns loss: float and dW: (C, D).
    """
    loss = 0.0
    dW = np.zeros_like(W)
    # TODO: for each example, shifted scores, the loss term and (p − onehot) x_iᵀ into dW;
    # then average over N and add the regularisation term and its gradient.
    raise NotImplementedError("implement softmax_loss_naive in nndl/softmax.py")
    return loss, dW


def softmax_loss_vectorized(W, X, y, reg):
    """The same loss and gradient as softmax_loss_naive, without Python loops.

    W: (C, D);  X: (N, D);  y: (N,);  reg: float.  Returns loss: float and dW: (C, D).
    """
    loss = 0.0
    dW = np.zeros_like(W)
    # TODO: scores for all examples, shift each row by its max, the mean loss, then
    # dW = (P − Y)ᵀ X / N + reg · W.
    raise NotImplementedError("implement softmax_loss_vectorized in nndl/softmax.py")
    return loss, dW
