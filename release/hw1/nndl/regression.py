"""Linear regression on polynomial features: least squares, its loss gradient, and ridge.

Shapes: N examples, D features (D = order + 1 for polynomial features). X: (N, D) design matrix
whose first column is all ones (the constant, or intercept, feature); y: (N,) targets;
theta: (D,) parameters, so the predictions are X @ theta: (N,).
"""
import numpy as np


def poly_features(x, order):
    """Polynomial design matrix.

    x: (N,) inputs;  order: int ≥ 0
    Returns X: (N, order + 1) with columns 1, x, x², …, x^order (X[:, j] = x ** j).
    """
    # TODO: one column per power j = 0, 1, ..., order.
    raise NotImplementedError("implement poly_features in nndl/regression.py")
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
