"""Layers that regularize and stabilise training: batch and layer normalization, dropout.

Shapes: N examples, D features. Every layer is a pair: `name_forward(...)` returns
(out, cache) and `name_backward(dout, cache)` returns one gradient per differentiable input.
The layers of hw3 (affine, activations, losses) are given, solved, in nndl/backprop_layers.py
and re-exported here, so `from nndl.layers import affine_forward` works as before.
"""
import numpy as np

from nndl.backprop_layers import (  # noqa: F401  (re-exported: the given layers of hw3)
    affine_backward, affine_forward, elu_backward, elu_forward, gelu_backward, gelu_forward,
    leaky_relu_backward, leaky_relu_forward, relu_backward, relu_forward, sigmoid_backward,
    sigmoid_forward, softmax_loss, svm_loss, tanh_backward, tanh_forward,
)


def batchnorm_forward(x, gamma, beta, bn_param):
    """Batch normalization over the N examples of a minibatch, per feature.

    x: (N, D) inputs;  gamma: (D,) scale;  beta: (D,) shift
    bn_param: dict with
      mode          "train" (normalize by the batch statistics) or "test" (by the running ones)
      eps           added to the variance (default 1e-5)
      momentum      for the running averages (default 0.9)
      running_mean  (D,) default zeros;  running_var  (D,) default ones
    In "train" mode, with the batch mean μ and (biased) variance σ² of each column,
      out = gamma · (x − μ) / √(σ² + eps) + beta, and bn_param's running statistics become
      running = momentum · running + (1 − momentum) · batch statistic.
    In "test" mode, out = gamma · (x − running_mean) / √(running_var + eps) + beta.

    Returns out: (N, D) and cache: in "train" mode (x_hat, xc, std, gamma) with x_hat (N, D)
    the normalized inputs, xc (N, D) the centred inputs x − μ, std (D,) = √(σ² + eps);
    None in "test" mode.
    """
    mode = bn_param["mode"]
    eps = bn_param.setdefault("eps", 1e-5)
    momentum = bn_param.setdefault("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.setdefault("running_mean", np.zeros(D, dtype=x.dtype))
    running_var = bn_param.setdefault("running_var", np.ones(D, dtype=x.dtype))
    if mode == "train":
        # TODO: normalize with the batch statistics, scale and shift, and update
        # bn_param["running_mean"] and bn_param["running_var"].
        raise NotImplementedError("implement batchnorm_forward in nndl/layers.py")
        cache = (x_hat, xc, std, gamma)
    elif mode == "test":
        # TODO: normalize with the running statistics, then scale and shift.
        raise NotImplementedError("implement batchnorm_forward in nndl/layers.py")
        cache = None
    else:
        raise ValueError(f"batchnorm mode must be 'train' or 'test', not {mode!r}")
    return out, cache


def batchnorm_backward(dout, cache):
    """Backward pass of batch normalization ("train" mode), one step of the graph at a time:
    back through the scale, the division by std, std = √(σ² + eps), σ² = mean(xc²), and
    xc = x − μ.

    dout: (N, D);  cache: from batchnorm_forward in "train" mode
    Returns dx: (N, D), dgamma: (D,), dbeta: (D,).
    """
    x_hat, xc, std, gamma = cache
    N = dout.shape[0]
    # TODO: follow the forward computation backwards, node by node.
    raise NotImplementedError("implement batchnorm_backward in nndl/layers.py")
    return dx, dgamma, dbeta


def batchnorm_backward_alt(dout, cache):
    """Backward pass of batch normalization from the simplified closed form
    dx = gamma / (N·std) · (N·dout − Σᵢ dout − x_hat · Σᵢ dout ⊙ x_hat)  (sums over examples).

    dout: (N, D);  cache: from batchnorm_forward in "train" mode
    Returns dx: (N, D), dgamma: (D,), dbeta: (D,).
    """
    x_hat, _, std, gamma = cache
    N = dout.shape[0]
    # TODO: dbeta and dgamma as before; dx in one line from the closed form.
    raise NotImplementedError("implement batchnorm_backward_alt in nndl/layers.py")
    return dx, dgamma, dbeta


def layernorm_forward(x, gamma, beta, ln_param):
    """Layer normalization: each example normalized over its own D features.

    x: (N, D) inputs;  gamma: (D,) scale;  beta: (D,) shift
    ln_param: dict with eps, added to the variance (default 1e-5). No mode and no running
      statistics: the layer computes the same thing in training and at test time.
    With the mean μ_i and (biased) variance σ_i² of each row i,
      out = gamma · (x − μ_i) / √(σ_i² + eps) + beta.

    Returns out: (N, D) and cache = (x_hat, std, gamma) with x_hat (N, D) the normalized
    inputs and std (N, 1) = √(σ_i² + eps), one per example.
    """
    eps = ln_param.setdefault("eps", 1e-5)
    # TODO: batchnorm's training-mode formula, with the statistics of each row (axis=1).
    raise NotImplementedError("implement layernorm_forward in nndl/layers.py")
    return out, (x_hat, std, gamma)


def layernorm_backward(dout, cache):
    """Backward pass of layer normalization, in closed form. With g = dout · gamma, row i is
    batchnorm's closed form with the roles of the axes swapped (sums over the D features):
      dx_i = 1 / (D·std_i) · (D·g_i − Σ_j g_ij − x_hat_i · Σ_j g_ij x_hat_ij);
    gamma and beta act per feature, so dgamma and dbeta still sum over the N examples.

    dout: (N, D);  cache: from layernorm_forward
    Returns dx: (N, D), dgamma: (D,), dbeta: (D,).
    """
    x_hat, std, gamma = cache
    D = dout.shape[1]
    # TODO: dbeta and dgamma as in batchnorm; dx from the closed form above (axis=1 sums).
    raise NotImplementedError("implement layernorm_backward in nndl/layers.py")
    return dx, dgamma, dbeta


def dropout_forward(x, dropout_param):
    """Inverted dropout: keep each unit with probability p and scale the kept ones by 1/p,
    so that E[out] = x in training; at test time the layer is the identity.

    x: array of any shape
    dropout_param: dict with
      p     probability of KEEPING a unit, 0 < p ≤ 1
      mode  "train" or "test"
      seed  optional int or np.random.Generator for the mask (absent or None: fresh randomness)
    Keep a unit where a uniform draw of the generator is < p: draw the whole mask with one
    call, rng.random(x.shape).

    Returns out: shaped like x, and cache = (mode, mask): the mode of this forward pass, and
    mask shaped like x (the kept units hold 1/p, the dropped ones 0) in "train" mode, None in
    "test" mode. The cache keeps the mode itself, not the caller's dict: the backward pass must
    follow what this forward did, even if the caller switches dropout_param["mode"] in between.
    """
    p, mode = dropout_param["p"], dropout_param["mode"]
    rng = np.random.default_rng(dropout_param.get("seed"))
    if mode == "train":
        # TODO: draw the mask (already scaled by 1/p) and apply it.
        raise NotImplementedError("implement dropout_forward in nndl/layers.py")
    elif mode == "test":
        mask, out = None, x
    else:
        raise ValueError(f"dropout mode must be 'train' or 'test', not {mode!r}")
    return out, (mode, mask)


def dropout_backward(dout, cache):
    """Backward pass of inverted dropout.

    dout: upstream gradient, shaped like the layer's input;  cache: from dropout_forward
    Returns dx: shaped like dout.
    """
    mode, mask = cache
    if mode == "test":
        return dout
    # TODO: the gradient flows only through the kept units, scaled like them.
    raise NotImplementedError("implement dropout_backward in nndl/layers.py")
    return dx
