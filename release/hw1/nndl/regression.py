"""Linear regression on polynomial features: least squares, its loss gradient, and ridge.

Shapes: N examples, D features (D = order + 1 for polynomial features). X: (N, D) design matrix
whose first column is all ones (the constant, or intercept, feature); y: (N,) targets;
theta: (D,) parameters, so the predictions are X @ theta: (N,).
"""
import numpy as np
from scipy.linalg import solve_triangular


def poly_features(x, order):
    """Polynomial design matrix.

    x: (N,) inputs;  order: int ≥ 0
    Returns X: (N, order + 1) with columns 1, x, x², …, x^order (X[:, j] = x ** j).
    """
    # TODO: one column per power j = 0, 1, ..., order.
    raise NotImplementedError("implement poly_features in nndl/regression.py")
    return X


def legendre_features(x, order, low=-1.0, high=1.0):
    """Legendre design matrix: polynomial features far better conditioned than the powers of x.

    x: (N,) inputs, meant to lie in [low, high];  order: int ≥ 0;  low < high: floats
    Each input is first mapped affinely onto [−1, 1], t = (2x − low − high) / (high − low).
    Returns X: (N, order + 1) with X[:, k] = P_k(t), the Legendre polynomials given by the
    three-term recurrence P_0 = 1, P_1 = t, (k + 1) P_{k+1} = (2k + 1) t P_k − k P_{k−1}.
    """
    x = np.asarray(x, dtype=float)
    X = np.empty((x.shape[0], order + 1))
    # TODO: map x to t, then fill column 0 with P_0 = 1, column 1 with P_1 = t, and the rest
    # by the recurrence.
    raise NotImplementedError("implement legendre_features in nndl/regression.py")
    return X


def least_squares(X, y):
    """Least-squares parameters: the minimizer of ‖y − Xθ‖².

    X: (N, D) with linearly independent columns;  y: (N,)
    Returns theta: (D,), the solution of the normal equations XᵀX θ = Xᵀy.
    Solve the system with np.linalg.solve; do not form an inverse.
    """
    # TODO: solve the normal equations.
    raise NotImplementedError("implement least_squares in nndl/regression.py")
    return theta


def least_squares_qr(X, y):
    """Least-squares parameters through the QR factorization of X, without forming XᵀX.

    X: (N, D) with linearly independent columns (N ≥ D);  y: (N,)
    With the reduced factorization X = QR (Q: (N, D) with orthonormal columns, R: (D, D) upper
    triangular, from np.linalg.qr), the normal equations become R θ = Qᵀy.
    Returns theta: (D,). Solve the triangular system with solve_triangular (scipy.linalg);
    do not call np.linalg.lstsq, pinv or inv.
    """
    # TODO: factor X, then one triangular solve.
    raise NotImplementedError("implement least_squares_qr in nndl/regression.py")
    return theta


def mean_squared_error(y, y_hat):
    """Mean squared error (1/N) Σᵢ (yᵢ − ŷᵢ)².

    y: (N,) targets;  y_hat: (N,) predictions
    Returns a float.
    """
    # TODO: average of the squared residuals.
    raise NotImplementedError("implement mean_squared_error in nndl/regression.py")
    return error


def least_squares_gradient(X, y, theta):
    """Gradient of the mean squared error loss L(θ) = ‖y − Xθ‖² / N with respect to θ.

    X: (N, D);  y: (N,);  theta: (D,)
    Returns dtheta: (D,), ∂L/∂θ.
    """
    # TODO: differentiate L(θ) = (1/N)(y − Xθ)ᵀ(y − Xθ).
    raise NotImplementedError("implement least_squares_gradient in nndl/regression.py")
    return dtheta


def ridge(X, y, reg):
    """Ridge regression with an unpenalized intercept.

    Minimizes ‖y − Xθ‖² + reg · Σ_{j≥1} θⱼ²: every parameter except θ₀, the weight of the
    constant first column of X, is penalized.
    X: (N, D), first column all ones;  y: (N,);  reg: float ≥ 0
    Returns theta: (D,). Solve a linear system with np.linalg.solve; do not form an inverse.
    """
    D = X.shape[1]
    # TODO: add reg times a diagonal matrix that skips the intercept to XᵀX, then solve.
    raise NotImplementedError("implement ridge in nndl/regression.py")
    return theta
