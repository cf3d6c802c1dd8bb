"""Small synthetic data sets for hw1 (given code: nothing to implement here).

Shapes: N examples; every function returns 1-D arrays x: (N,) and y: (N,).
"""
import numpy as np


def rent_data(n=40, seed=0):
    """Monthly rent (dollars) of n apartments against their floor area (square feet).

    Rent is roughly linear in the area, rent ≈ 450 + 1.9·sqft, with noise of about $150.
    Returns sqft: (n,) and rent: (n,), both floats.
    """
    rng = np.random.default_rng(seed)
    sqft = rng.uniform(350.0, 1500.0, size=n)
    rent = 450.0 + 1.9 * sqft + rng.normal(0.0, 150.0, size=n)
    return sqft, rent


def cubic(x):
    """The noise-free curve behind cubic_data: f(x) = 0.5 − x − 0.6x² + 2x³. x: any shape."""
    return 0.5 - x - 0.6 * x ** 2 + 2.0 * x ** 3


def cubic_data(n, seed=0, noise=0.25, low=-1.0, high=1.0):
    """n points with x uniform on [low, high] (by default [−1, 1]) and y = cubic(x) + Gaussian
    noise of std `noise`. Another interval draws test points outside the training range.

    Returns x: (n,) and y: (n,).
    """
    rng = np.random.default_rng(seed)
    x = rng.uniform(low, high, size=n)
    y = cubic(x) + rng.normal(0.0, noise, size=n)
    return x, y
