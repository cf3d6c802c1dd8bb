"""First-order update rules. Every rule follows one contract:

    next_w, config = rule(w, dw, config=None)

w: array of any shape, the current parameters;  dw: same shape, the gradient dL/dw.
config: dict with the rule's hyperparameters and the state it carries from one step to the next
(velocity, moment estimates, step count). Missing keys get their defaults through
`config.setdefault`, so `config=None` starts a fresh run. Each rule returns next_w (shaped like w)
and the same dict with its state updated. The Solver keeps one config per parameter array and
finds a rule by its name here, e.g. Solver(..., update_rule="adam").

A rule may update w in place and return it as next_w (as PyTorch's optimizers do), or return a
new array: callers use the returned next_w, and copy w first if they need its old values (the
Solver copies its best parameters). dw is the caller's: never write into it, and read all of it
before writing w (a caller may pass one array as both). The state arrays in config belong to
the rule: update them in place too. Why: every `a * b` on arrays as large as w (3072 × 100 for
a first layer) allocates a fresh array, and a fresh large array costs page faults on top of its
pass over memory, so a rule written with a new array per operation costs as much as a matrix
product of the training step. In place (`w -= lr * dw`; `m *= β₁; m += …`), with one temporary
reused through `out=`, it is a fraction.
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

    Every step is a dozen elementwise passes over arrays as large as w: written naively, with a
    new array for every `a * b`, it costs as much as a matrix product of the training step.
    Update w, m and v in place (`m *= β₁; m += (1 − β₁)·dw`), and fold both bias corrections into
    scalars (as Kingma and Ba remark after their Algorithm 1): with cᵢ = 1 − βᵢᵗ,
    α·m̂/(√v̂ + ε) = α_t·m/(√v + ε_t),  α_t = α·√c₂/c₁,  ε_t = ε·√c₂,
    so m̂ and v̂ are never built. (The same numbers up to rounding in the last bit.)
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


# Learning-rate schedules. A schedule gives the learning rate of one update from `step`, the
# number of updates taken before it (0 for the first): schedules here count minibatch steps,
# not epochs (with U updates an epoch, epoch e starts at step e·U). The Solver calls one before
# every update: Solver(..., lr_schedule=lambda step: cosine_warmup(step, 1e-3, 400, 20)).

def step_decay(step, base_lr, drop, every):
    """Step decay: the rate is multiplied by `drop` after every `every` steps,
    η(s) = η₀ · d^⌊s / k⌋.

    step s: int ≥ 0;  base_lr η₀: the rate of steps 0 … k−1;  drop d: factor, e.g. 0.5;
    every k: int ≥ 1, the first drop is at step k.  Returns the rate η(s): float.
    """
    # TODO: count the drops taken by step s (integer division), then scale base_lr.
    raise NotImplementedError("implement step_decay in nndl/optim.py")
    return float(lr)


def exponential_decay(step, base_lr, gamma):
    """Exponential decay: the rate is multiplied by γ after every step, η(s) = η₀ · γˢ.

    step s: int ≥ 0;  base_lr η₀: the rate of step 0;  gamma γ: factor per step, e.g. 0.99.
    Returns the rate η(s): float.
    """
    # TODO: one power.
    raise NotImplementedError("implement exponential_decay in nndl/optim.py")
    return float(lr)


def cosine_warmup(step, base_lr, total_steps, warmup_steps, min_lr=0.0):
    """Linear warm-up to η_max, then a half cosine down to η_min. With W = warmup_steps and
    T = total_steps:

        s < W:        η(s) = η_max · (s + 1) / W          (η_max/W at step 0, η_max at step W−1)
        W ≤ s ≤ T:    η(s) = η_min + ½ (η_max − η_min) (1 + cos(π (s − W) / (T − W)))
        s > T:        η(s) = η_min

    so the cosine starts at η_max at step W and reaches η_min at step T.
    step s: int ≥ 0;  base_lr η_max;  total_steps T: int > W;  warmup_steps W: int ≥ 0
    (0: no warm-up);  min_lr η_min (default 0).  Returns the rate η(s): float.
    """
    # TODO: the warm-up branch, then the cosine of the progress (s − W) / (T − W), capped at 1.
    raise NotImplementedError("implement cosine_warmup in nndl/optim.py")
    return float(lr)
