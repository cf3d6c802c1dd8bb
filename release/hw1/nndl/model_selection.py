"""K-fold cross-validation for choosing a polynomial order or a regularization strength.

Shapes: N examples, k folds. x: (N,) inputs, y: (N,) targets. Index arrays hold integers
in range(N).
"""
import numpy as np

from nndl.regression import mean_squared_error, poly_features


def kfold_indices(n, k, seed=0):
    """Split range(n) into k folds after a seeded shuffle.

    Shuffle range(n) with rng = np.random.default_rng(seed), then cut the shuffled order into k
    validation folds whose sizes differ by at most one (np.array_split does exactly that).
    n: number of examples;  k: number of folds, 2 ≤ k ≤ n;  seed: int
    Returns a list of k pairs (train_idx, val_idx): val_idx is fold i, train_idx holds the other
    n − len(val_idx) indices. The k val_idx arrays are disjoint and together cover range(n).
    """
    folds = []
    # TODO: shuffle, split into k folds, and pair each fold with the rest.
    raise NotImplementedError("implement kfold_indices in nndl/model_selection.py")
    return folds


def cross_validate(x, y, order, fit, k=5, seed=0):
    """Mean k-fold validation error of a polynomial model.

    For each pair (train_idx, val_idx) of kfold_indices(len(x), k, seed): build polynomial
    features of the given order, fit theta = fit(X_train, y_train) on the training part only,
    and measure mean_squared_error on the validation part.
    x: (N,);  y: (N,);  order: int;  fit: callable (X: (M, D), y: (M,)) -> theta: (D,),
    e.g. least_squares or lambda X, y: ridge(X, y, 1e-3);  k, seed: as in kfold_indices
    Returns the mean of the k validation errors, a float.
    """
    errors = []
    # TODO: loop over the folds; fit on train, score on validation.
    raise NotImplementedError("implement cross_validate in nndl/model_selection.py")
    return float(np.mean(errors))
