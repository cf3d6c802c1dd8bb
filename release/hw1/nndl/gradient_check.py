"""Numeric gradients by centred differences, to check hand-written backward passes.

Shapes follow the array being checked: `x` may have any shape, and every gradient returned has
the shape of `x`. All functions evaluate `f` at x ± h one coordinate at a time and restore `x`
afterwards, so `f` may read `x` by reference.
"""
import numpy as np


def rel_error(a, b, eps=1e-12):
    """Largest elementwise relative error |a − b| / max(|a| + |b|, eps), as a float."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), eps)))


def eval_numerical_gradient(f, x, h=1e-5):
    """Gradient of a scalar function.

    f: callable, f(x) -> float;  x: array of any shape (changed in place, then restored)
    Returns grad: same shape as x, grad[i] ≈ (f(x + h·e_i) − f(x − h·e_i)) / 2h.
    """
    grad = np.zeros_like(x, dtype=float)
    for index in np.ndindex(x.shape):
        grad[index] = _centred_difference(f, x, index, h)
    return grad


def _centred_difference(f, x, index, h):
    """(f(x + h·e_index) − f(x − h·e_index)) / 2h, with x restored afterwards."""
    saved = x[index]
    x[index] = saved + h
    f_plus = f(x)
    x[index] = saved - h
    f_minus = f(x)
    x[index] = saved
    return (f_plus - f_minus) / (2 * h)


def eval_numerical_gradient_array(f, x, dout, h=1e-5):
    """Gradient of sum(f(x) * dout): the chain rule through an array-valued function.

    f: callable, f(x) -> array shaped like dout;  x: array of any shape;  dout: upstream gradient
    Returns grad: same shape as x.
    """
    return eval_numerical_gradient(lambda x_: float(np.sum(f(x_) * dout)), x, h)


def grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5, seed=0):
    """Compare analytic_grad with centred differences at `num_checks` random coordinates.

    f: callable, f(x) -> float;  x, analytic_grad: arrays of the same shape
    Returns the list of relative errors, one per coordinate checked (also printed).
    """
    rng = np.random.default_rng(seed)
    errors = []
    for _ in range(num_checks):
        index = tuple(int(rng.integers(n)) for n in x.shape)
        numeric = _centred_difference(f, x, index, h)
        error = rel_error(numeric, analytic_grad[index])
        print(f"numeric {numeric:+.6e}  analytic {analytic_grad[index]:+.6e}  rel. error {error:.2e}")
        errors.append(error)
    return errors


def rel_error_norm(a, b, eps=1e-12):
    """Relative error of whole arrays, ‖a − b‖ / max(‖a‖ + ‖b‖, eps), as a float.

    Use it for a network's parameter gradients: unlike rel_error, a coordinate whose gradient is
    (nearly) zero, such as a weight into a dead ReLU unit, cannot dominate the result.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), eps))
