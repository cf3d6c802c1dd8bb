"""First-order update rules. Every rule follows one contract:

    next_w, config = rule(w, dw, config=None)

w: array of any shape, the current parameters;  dw: same shape, the gradient dL/dw.
config: dict with the rule's hyperparameters and the state it carries from one step to the next
(velocity, moment estimates, step count). Missing keys get their defaults through
`config.setdefault`, so `config=None` starts a fresh run. Each rule returns next_w (shaped like w)
and the same dict with its state updated. The Solver keeps one config per parameter array and
finds a rule by its name here, e.g. Solver(..., update_rule="adam").
"""
import numpy as np


def _zeros_default(config, key, w):
    """config.setdefault(key, zeros like w), building the zeros only when the key is missing
    (setdefault's argument would allocate an array as large as w on every step)."""
    if key not in config:
        config[key] = np.zeros_like(w)


def sgd(w, dw, config=None):
    """Stochastic gradient descent: w ← w − α·dw.

    config: learning_rate α (default 1e-2).
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    # TODO: one step against the gradient.
    raise NotImplementedError("implement sgd in nndl/optim.py")
    return next_w, config


def _momentum_defaults(w, config):
    """The config of the two momentum rules, with its defaults filled in."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    _zeros_default(config, "velocity", w)
    return config


def sgd_momentum(w, dw, config=None):
    """SGD with momentum: v ← μ·v − α·dw, then w ← w + v.

    config: learning_rate α (1e-2), momentum μ (0.9), velocity v (zeros like w).
    """
    config = _momentum_defaults(w, config)
    # TODO: update the velocity, step along it, and store it back in config.
    raise NotImplementedError("implement sgd_momentum in nndl/optim.py")
    return next_w, config


def sgd_nesterov_momentum(w, dw, config=None):
    """Nesterov momentum, written in the parameters w (not at the look-ahead point):
    v ← μ·v − α·dw, then w ← w + μ·v − α·dw  (using the new v).

    config: learning_rate α (1e-2), momentum μ (0.9), velocity v (zeros like w).
    """
    config = _momentum_defaults(w, config)
    # TODO: update the velocity, then step by μ·v − α·dw with the new velocity.
    raise NotImplementedError("implement sgd_nesterov_momentum in nndl/optim.py")
    return next_w, config


def adagrad(w, dw, config=None):
    """AdaGrad: r ← r + dw², then w ← w − α·dw / (√r + ε)  (elementwise).

    config: learning_rate α (1e-2), epsilon ε (1e-8), cache r (zeros like w).
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("epsilon", 1e-8)
    _zeros_default(config, "cache", w)
    # TODO: accumulate squared gradients in the cache, then take the scaled step.
    raise NotImplementedError("implement adagrad in nndl/optim.py")
    return next_w, config


def rmsprop(w, dw, config=None):
    """RMSProp: r ← ρ·r + (1 − ρ)·dw², then w ← w − α·dw / (√r + ε)  (elementwise).

    config: learning_rate α (1e-2), decay_rate ρ (0.99), epsilon ε (1e-8),
    cache r (zeros like w).
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    _zeros_default(config, "cache", w)
    # TODO: a moving average of squared gradients in the cache, then the scaled step.
    raise NotImplementedError("implement rmsprop in nndl/optim.py")
    return next_w, config


def adam(w, dw, config=None):
    """Adam, with bias correction. First t ← t + 1, then
    m ← β₁·m + (1 − β₁)·dw,   v ← β₂·v + (1 − β₂)·dw²,
    m̂ = m / (1 − β₁ᵗ),   v̂ = v / (1 − β₂ᵗ),   w ← w − α·m̂ / (√v̂ + ε).

    config: learning_rate α (1e-3), beta1 β₁ (0.9), beta2 β₂ (0.999), epsilon ε (1e-8),
    m and v (zeros like w), t (0: the number of steps taken so far).

    Every step is a handful of elementwise passes over arrays as large as w (3072 × 100 for a
    first layer): each `a * b` writes a new array of that size, and a fresh large array costs
    page faults as well as a pass, so a naive Adam costs as much as a matrix product. m and v
    belong to config, so update them in place (`m *= β₁; m += (1 − β₁)·dw`), and reuse m̂ and
    v̂ for the rest (`np.sqrt(v_hat, out=v_hat)`, `out=` in the division). w itself is the
    caller's: return a new next_w, never write into w.
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    _zeros_default(config, "m", w)
    _zeros_default(config, "v", w)
    config.setdefault("t", 0)
    # TODO: count the step, update both moments, correct their bias, step; store m, v, t.
    raise NotImplementedError("implement adam in nndl/optim.py")
    return next_w, config
