"""Layers as forward/backward pairs, gates, activations and classification losses.

Shapes: N examples, D inputs (the product d1·…·dk of an example's dimensions), M outputs,
C classes. Every `*_forward` returns `(out, cache)`; the matching `*_backward(dout, cache)`
takes the upstream gradient dout (shaped like out) and returns one gradient per input, in input
order. Only numpy and scipy are used, so later assignments can import this module as is.
"""
import numpy as np
from scipy.special import erf


def graph_forward(x, y, z):
    """A small computational graph, applied elementwise:

        a = x · y,   b = a + z,   s = sigmoid(y),   f = b · s

    x, y, z: arrays of the same shape (or floats)
    Returns f (shaped like x) and cache = the inputs and intermediate values your backward needs.
    """
    # TODO: compute a, b, s and f one node at a time, and keep what graph_backward needs.
    # Compute the sigmoid the stable way (as in sigmoid_forward): no overflow for any y.
    a = x * y
    b = a + z
    e = np.exp(-np.abs(y))
    s = np.where(y >= 0, 1.0, e) / (1.0 + e)
    f = b * s
    cache = (x, y, b, s)
    return f, cache


def graph_backward(dout, cache):
    """Backward pass through graph_forward by the chain rule, node by node in reverse.

    dout: upstream gradient dL/df, shaped like f
    Returns dx, dy, dz: dL/dx, dL/dy, dL/dz, each shaped like f. Note that y feeds two nodes.
    """
    # TODO: go back through f = b·s, s = sigmoid(y), b = a + z, a = x·y; add y's two paths.
    x, y, b, s = cache
    db = dout * s
    ds = dout * b
    da = db
    dz = db
    dx = da * y
    dy = da * x + ds * s * (1 - s)
    return dx, dy, dz


def max_gate_forward(x, y):
    """The max gate, elementwise: out = max(x, y).

    x, y: arrays of the same shape.  Returns out (shaped like x) and cache = a boolean array,
    True where x won (x ≥ y: a tie goes to x).
    """
    # TODO: elementwise maximum, and remember which input won.
    x_won = x >= y
    out = np.where(x_won, x, y)
    cache = x_won
    return out, cache


def max_gate_backward(dout, cache):
    """The max gate routes: all of dout goes to the input that won, none to the other.

    dout: shaped like out;  cache: x_won from max_gate_forward.  Returns dx, dy, shaped like out.
    """
    x_won = cache
    # TODO: dout where x won for dx, dout where y won for dy, zero elsewhere.
    dx = np.where(x_won, dout, 0.0)
    dy = np.where(x_won, 0.0, dout)
    return dx, dy


def affine_forward(x, w, b):
    """Fully connected layer: out = x.reshape(N, D) @ w + b.

    x: (N, d1, ..., dk) inputs, D = d1·…·dk;  w: (D, M) weights;  b: (M,) biases
    Returns out: (N, M) and cache = (x, w, b).
    """
    # TODO: flatten each example to a row, then one matrix product and one broadcast add.
    out = x.reshape(x.shape[0], -1) @ w + b
    cache = (x, w, b)
    return out, cache


def affine_backward(dout, cache):
    """Backward pass of affine_forward.

    dout: (N, M);  cache: (x, w, b) from affine_forward
    Returns dx: shaped like x (N, d1, ..., dk), dw: (D, M), db: (M,).
    """
    x, w, b = cache
    # TODO: dx = dout wᵀ (reshaped back to x's shape), dw = xᵀ dout, db = column sums of dout.
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db


def relu_forward(x):
    """out = max(x, 0) elementwise.  x: any shape.  Returns out (shaped like x), cache = x."""
    # TODO: elementwise maximum with 0.
    out = np.maximum(x, 0)
    cache = x
    return out, cache


def relu_backward(dout, cache):
    """dout: shaped like x;  cache: x.  Returns dx: dout where x > 0, else 0."""
    x = cache
    # TODO: pass dout through where the input was positive.
    dx = dout * (x > 0)
    return dx


def leaky_relu_forward(x, alpha=0.01):
    """out = x where x > 0, alpha·x elsewhere.  x: any shape.

    Returns out (shaped like x) and cache = (x, alpha).
    """
    # TODO: slope 1 for positive inputs, slope alpha for the rest.
    out = np.where(x > 0, x, alpha * x)
    cache = (x, alpha)
    return out, cache


def leaky_relu_backward(dout, cache):
    """dout: shaped like x;  cache: (x, alpha).  Returns dx, shaped like x."""
    x, alpha = cache
    # TODO: the local slope is 1 where x > 0 and alpha elsewhere.
    dx = np.where(x > 0, dout, alpha * dout)
    return dx


def elu_forward(x, alpha=1.0):
    """out = x where x > 0, alpha·(exp(x) − 1) elsewhere.  x: any shape.

    Must not overflow (or warn) for large positive x: only exponentiate non-positive values.
    Returns out (shaped like x) and cache = (x, out, alpha).
    """
    # TODO: use np.expm1 on min(x, 0) for the negative branch.
    out = np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))
    cache = (x, out, alpha)
    return out, cache


def elu_backward(dout, cache):
    """dout: shaped like x;  cache: (x, out, alpha).  Returns dx, shaped like x.

    For x ≤ 0 the derivative alpha·exp(x) equals out + alpha.
    """
    x, out, alpha = cache
    # TODO: local slope 1 where x > 0, out + alpha elsewhere.
    dx = dout * np.where(x > 0, 1.0, out + alpha)
    return dx


def gelu_forward(x):
    """Exact GELU: out = x · Φ(x), Φ(x) = (1 + erf(x / √2)) / 2 the standard normal CDF.

    x: any shape.  Returns out (shaped like x) and cache = x.
    """
    # TODO: use scipy.special.erf (imported above as erf).
    out = 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))
    cache = x
    return out, cache


def gelu_backward(dout, cache):
    """dout: shaped like x;  cache: x.  Returns dx, shaped like x.

    d/dx [x Φ(x)] = Φ(x) + x φ(x), with φ(x) = exp(−x²/2) / √(2π).
    """
    x = cache
    # TODO: multiply dout by Φ(x) + x·φ(x).
    cdf = 0.5 * (1.0 + erf(x / np.sqrt(2.0)))
    pdf = np.exp(-0.5 * x ** 2) / np.sqrt(2.0 * np.pi)
    dx = dout * (cdf + x * pdf)
    return dx


def sigmoid_forward(x):
    """out = 1 / (1 + exp(−x)), numerically stable: no overflow warning for any |x|.

    x: any shape.  Returns out (shaped like x) and cache = out.
    """
    # TODO: with z = exp(−|x|) ≤ 1, sigmoid is 1/(1+z) for x ≥ 0 and z/(1+z) for x < 0.
    z = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1.0, z) / (1.0 + z)
    cache = out
    return out, cache


def sigmoid_backward(dout, cache):
    """dout: shaped like x;  cache: out = sigmoid(x).  Returns dx = dout · out · (1 − out)."""
    out = cache
    # TODO: the derivative is expressed through the forward output.
    dx = dout * out * (1.0 - out)
    return dx


def tanh_forward(x):
    """out = tanh(x).  x: any shape.  Returns out (shaped like x) and cache = out."""
    # TODO: np.tanh is stable for every x.
    out = np.tanh(x)
    cache = out
    return out, cache


def tanh_backward(dout, cache):
    """dout: shaped like x;  cache: out = tanh(x).  Returns dx = dout · (1 − out²)."""
    out = cache
    # TODO: the derivative is expressed through the forward output.
    dx = dout * (1.0 - out ** 2)
    return dx


def softmax_loss(scores, y):
    """Mean cross-entropy of the softmax of scores, and its gradient.

    scores: (N, C) class scores;  y: (N,) integer labels in 0 … C−1
    Returns loss: float = −(1/N) Σ_i log softmax(scores_i)[y_i], and dscores: (N, C).
    Subtract each row's maximum first, so that exp never overflows.
    """
    # TODO: log-softmax of shifted scores; dscores = (softmax − one-hot(y)) / N.
    N = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = float(-log_probs[np.arange(N), y].mean())
    dscores = np.exp(log_probs)
    dscores[np.arange(N), y] -= 1.0
    dscores /= N
    return loss, dscores


def softmax_mse_loss(scores, y):
    """Mean squared error of the softmax probabilities against one-hot labels, and its gradient.

    scores: (N, C) class scores;  y: (N,) integer labels in 0 … C−1
    With p_i = softmax(scores_i) and e_{y_i} the one-hot row of y_i:
        loss = (1/N) Σ_i ½ ‖p_i − e_{y_i}‖²   (a float),
        dscores_i = (1/N) (diag(p_i) − p_i p_iᵀ)(p_i − e_{y_i}) = (1/N) p_i ⊙ (g_i − p_i·g_i),
    with g_i = p_i − e_{y_i}: the softmax Jacobian (written problem 2) times ∂loss/∂p.
    Returns loss and dscores: (N, C). Subtract each row's maximum first, as in softmax_loss.
    """
    # TODO: stable softmax p, g = p − one-hot(y), the loss, then g through the softmax Jacobian.
    N = scores.shape[0]
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    g = p.copy()
    g[np.arange(N), y] -= 1.0
    loss = float(0.5 * (g ** 2).sum() / N)
    dscores = p * (g - (p * g).sum(axis=1, keepdims=True)) / N
    return loss, dscores


def svm_loss(scores, y):
    """Mean multiclass hinge loss (margin 1), and its gradient.

    scores: (N, C);  y: (N,) integer labels
    Returns loss: float = (1/N) Σ_i Σ_{j≠y_i} max(0, scores_ij − scores_iy_i + 1), and
    dscores: (N, C).
    """
    # TODO: margins per class (zero at the correct class), then their positive part.
    N = scores.shape[0]
    rows = np.arange(N)
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    loss = float(margins.sum() / N)
    positive = (margins > 0).astype(float)
    positive[rows, y] = -positive.sum(axis=1)
    dscores = positive / N
    return loss, dscores
