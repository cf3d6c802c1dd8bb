"""Hidden checks of hw4 (instructor only: never released; see autograder/judge.py).

Probes run in the student's sandbox and return what their update rules, layers and nets gave
back on inputs made from `rng`; the judge compares that with the reference solution's. Dropout
masks are specified exactly (rng.random(x.shape) < p from the given seed), so masked results are
compared as values too; the keep rate and 1/p scaling are also judged from the raw output.
"""
import numpy as np

TOLERANCE = {name: (1e-9, 1e-12) for name in (
    "test_sgd", "test_sgd_momentum", "test_sgd_nesterov_momentum", "test_adagrad", "test_rmsprop",
    "test_adam")}
TOLERANCE.update({name: (1e-9, 1e-15) for name in (
    "test_step_decay", "test_exponential_decay", "test_cosine_warmup")})
TOLERANCE.update({name: (1e-7, 1e-10) for name in (
    "test_batchnorm_forward_train", "test_batchnorm_running_stats", "test_batchnorm_forward_test",
    "test_batchnorm_backward", "test_batchnorm_backward_alt", "test_batchnorm_network",
    "test_dropout_backward", "test_dropout_network", "test_l2_regularization",
    "test_layernorm_backward", "test_layernorm_network")})
TOLERANCE["test_weight_init"] = (1e-10, 0.0)


# ---------------------------------------------------------------- optimizers.ipynb

def _toy_gradient(w):
    return w**3 - 2 * w + 0.5


def _trajectory(rule, w0, config, steps):
    points, w = [w0.copy()], w0.copy()
    for _ in range(steps):
        w, config = rule(w, _toy_gradient(w), config)
        points.append(np.array(w, dtype=float, copy=True))
    return np.stack(points), config


def _rule_probe(name, rng, runs, by_hand, state, gradient=1.0):
    """Trajectories of nndl.optim.<name> with several configs and the state each leaves in its
    config; three steps with a constant gradient from w = 1; the defaults it fills in."""
    import nndl.optim as optim
    rule = getattr(optim, name)
    w0 = np.linspace(-1.5, 1.5, 12).reshape(3, 4)
    out = {}
    for number, (config, steps) in enumerate(runs + [({"learning_rate": 0.01 + 0.04 * rng.random()}, 7)]):
        points, final = _trajectory(rule, w0 if number % 2 == 0 else w0[:2], dict(config), steps)
        out[f"run {number}: points"] = points
        for key in state:
            out[f"run {number}: config {key}"] = np.asarray(final.get(key, np.nan), dtype=float)
    w, config, steps = np.array([1.0]), dict(by_hand), []
    for _ in range(3):
        w, config = rule(w, np.array([gradient]), config)
        steps.append(float(np.asarray(w).ravel()[0]))
    out["constant gradient"] = np.array(steps)
    for key in state:
        out[f"constant gradient: config {key}"] = np.asarray(config.get(key, np.nan), dtype=float)
    _, defaults = rule(w0.copy(), w0.copy())
    for key in sorted(defaults):
        value = np.asarray(defaults[key])
        if value.dtype.kind in "biuf":
            out[f"defaults: {key}"] = value.astype(float)
    return out


def probe_test_sgd(rng):
    return _rule_probe("sgd", rng, [({"learning_rate": 0.05}, 6), ({"learning_rate": 0.2}, 4)],
                       {"learning_rate": 0.1}, ())


def probe_test_sgd_momentum(rng):
    return _rule_probe("sgd_momentum", rng, [({"learning_rate": 0.05, "momentum": 0.8}, 6),
                                             ({"learning_rate": 0.02, "momentum": 0.95}, 8)],
                       {"learning_rate": 0.1, "momentum": 0.9}, ("velocity",))


def probe_test_sgd_nesterov_momentum(rng):
    return _rule_probe("sgd_nesterov_momentum", rng, [({"learning_rate": 0.05, "momentum": 0.8}, 6),
                                                      ({"learning_rate": 0.03, "momentum": 0.9}, 8)],
                       {"learning_rate": 0.1, "momentum": 0.9}, ("velocity",))


def probe_test_adagrad(rng):
    return _rule_probe("adagrad", rng, [({"learning_rate": 0.1}, 6),
                                        ({"learning_rate": 0.3, "epsilon": 1e-6}, 8)],
                       {"learning_rate": 0.1}, ("cache",))


def probe_test_rmsprop(rng):
    return _rule_probe("rmsprop", rng, [({"learning_rate": 0.01}, 6),
                                        ({"learning_rate": 0.02, "decay_rate": 0.8}, 8)],
                       {"learning_rate": 0.1, "decay_rate": 0.9}, ("cache",))


def probe_test_adam(rng):
    return _rule_probe("adam", rng, [({"learning_rate": 0.05}, 6),
                                     ({"learning_rate": 0.02, "beta1": 0.8, "beta2": 0.99}, 10)],
                       {"learning_rate": 0.1}, ("m", "v", "t"), gradient=2.0)


def _rates(schedule, steps, *args, **kwargs):
    return np.array([float(schedule(int(step), *args, **kwargs)) for step in steps])


def probe_test_step_decay(rng):
    """Rates just before and after the first drops, far out, and with a drop every step."""
    from nndl.optim import step_decay
    every, drop, base = int(rng.integers(3, 9)), 0.2 + 0.6 * rng.random(), 0.01 + rng.random()
    steps = [0, 1, every - 1, every, every + 1, 2 * every - 1, 2 * every, 7 * every + 2]
    steps += sorted(rng.integers(0, 12 * every, size=6).tolist())
    return {"steps": np.array(steps), "rates": _rates(step_decay, steps, base, drop, every),
            "every step": _rates(step_decay, range(6), 0.5, 0.9, 1)}


def probe_test_exponential_decay(rng):
    """Rates at the first steps and far out, for a random γ and for γ = 1."""
    from nndl.optim import exponential_decay
    gamma, base = 0.8 + 0.19 * rng.random(), 0.01 + rng.random()
    steps = [0, 1, 2, 3, 10] + sorted(rng.integers(11, 300, size=5).tolist())
    return {"steps": np.array(steps), "rates": _rates(exponential_decay, steps, base, gamma),
            "gamma 1": _rates(exponential_decay, [0, 5, 50], 0.3, 1.0)}


def probe_test_cosine_warmup(rng):
    """Rates at the warm-up's start and end, the cosine's start, middle and last steps, after
    the end, and a random sample; with and without warm-up, with min_lr and with its default."""
    from nndl.optim import cosine_warmup
    W = int(rng.integers(3, 12))
    T = W + int(rng.integers(20, 80))
    base, low = 0.05 + rng.random(), 1e-3 * rng.random()
    steps = [0, 1, W - 2, W - 1, W, W + 1, (W + T) // 2, T - 2, T - 1, T, T + 1, 3 * T]
    steps += sorted(rng.integers(0, T, size=8).tolist())
    no_warmup = [0, 1, 15, 29, 30, 31]
    return {"steps": np.array(steps),
            "min_lr": _rates(cosine_warmup, steps, base, T, W, min_lr=low),
            "default min_lr": _rates(cosine_warmup, steps, base, T, W),
            "no warm-up": _rates(cosine_warmup, no_warmup, 0.4, 30, 0, min_lr=0.01),
            "one warm-up step": _rates(cosine_warmup, range(4), 0.2, 10, 1)}


# ---------------------------------------------------------------- batchnorm.ipynb

def probe_test_batchnorm_forward_train(rng):
    from nndl.layers import batchnorm_forward
    x = rng.normal(loc=5.0, scale=3.0, size=(200, 4)) * np.array([1.0, 20.0, 0.1, 4.0])
    gamma, beta = np.array([1.0, 2.0, 0.5, 3.0]), np.array([0.0, -1.0, 4.0, 2.0])
    out = {"wide scales": batchnorm_forward(x, gamma, beta, {"mode": "train"})[0]}
    x = rng.normal(size=(3, 5)) - 7.0
    out["eps 1e-3"] = batchnorm_forward(x, rng.normal(size=5), rng.normal(size=5), {"mode": "train", "eps": 1e-3})[0]
    return out


def probe_test_batchnorm_running_stats(rng):
    from nndl.layers import batchnorm_forward
    D = 3
    out = {}
    bn_param = {"mode": "train", "momentum": 0.8}
    for _ in range(5):
        x = rng.normal(loc=[1.0, -2.0, 10.0], scale=[1.0, 0.5, 3.0], size=(50, D))
        batchnorm_forward(x, np.ones(D), np.zeros(D), bn_param)
    out["momentum 0.8: mean"], out["momentum 0.8: var"] = bn_param["running_mean"], bn_param["running_var"]
    bn_param = {"mode": "train"}
    for _ in range(3):
        batchnorm_forward(rng.normal(size=(20, D)) * 2, np.ones(D), np.zeros(D), bn_param)
    out["defaults: mean"], out["defaults: var"] = bn_param["running_mean"], bn_param["running_var"]
    out["defaults: momentum"], out["defaults: eps"] = bn_param.get("momentum"), bn_param.get("eps")
    return out


def probe_test_batchnorm_forward_test(rng):
    from nndl.layers import batchnorm_forward
    x = rng.normal(size=(6, 4))
    gamma, beta = rng.normal(size=4), rng.normal(size=4)
    running_mean, running_var = np.array([0.5, -1.0, 2.0, 0.0]), np.array([4.0, 0.25, 1.0, 9.0])
    bn_param = {"mode": "test", "running_mean": running_mean.copy(), "running_var": running_var.copy()}
    out = {"test mode": batchnorm_forward(x, gamma, beta, bn_param)[0],
           "one example": batchnorm_forward(x[:1], gamma, beta, bn_param)[0]}
    out["running mean kept"] = bn_param["running_mean"]
    bn_param = {"mode": "test", "running_mean": running_mean.copy(), "running_var": running_var.copy(), "eps": 0.1}
    out["eps 0.1"] = batchnorm_forward(x, gamma, beta, bn_param)[0]
    return out


def _batchnorm_backward_probe(rng, backward_name):
    import nndl.layers as layers
    backward = getattr(layers, backward_name)
    out = {}
    for label, (N, D, loc, scale, eps) in {"8 x 5": (8, 5, 3.0, 2.0, 1e-5), "4 x 3, eps 1e-3": (4, 3, 2.0, 5.0, 1e-3),
                                           "3 x 6, small x": (3, 6, 0.0, 0.1, 1e-5)}.items():
        x = rng.normal(loc=loc, scale=scale, size=(N, D))
        gamma, beta, dout = rng.normal(size=D), rng.normal(size=D), rng.normal(size=(N, D))
        _, cache = layers.batchnorm_forward(x, gamma, beta, {"mode": "train", "eps": eps})
        dx, dgamma, dbeta = backward(dout, cache)
        out.update({f"{label}: dx": dx, f"{label}: dgamma": dgamma, f"{label}: dbeta": dbeta})
    return out


def probe_test_batchnorm_backward(rng):
    return _batchnorm_backward_probe(rng, "batchnorm_backward")


def probe_test_batchnorm_backward_alt(rng):
    return _batchnorm_backward_probe(rng, "batchnorm_backward_alt")


def _net_probe(model, X, y):
    loss, grads = model.loss(X, y)
    out = {"loss": loss, "names": np.array(sorted(model.params)), "grad names": np.array(sorted(grads))}
    out.update({f"grad {name}": value for name, value in grads.items()})
    return out


def _split_cancelled(probed, cancelled):
    """The gradients of biases just before a batchnorm layer are cancelled by the batch mean:
    ~0 in any correct implementation, but not comparable value by value."""
    return {(f"cancelled {key}" if key in cancelled else key): value for key, value in probed.items()}


def probe_test_batchnorm_network(rng):
    from nndl.fc_net import FullyConnectedNet
    N, D, C = 12, 6, 4
    X, y = rng.normal(size=(N, D)), rng.integers(C, size=N)
    model = FullyConnectedNet([7, 5], input_dim=D, num_classes=C, normalization="batchnorm",
                              weight_scale=0.5, reg=0.05, seed=1)
    out = {f"initial {name}": value for name, value in model.params.items() if name[:1] in "gb"}
    probed = _split_cancelled(_net_probe(model, X, y), ("grad b1", "grad b2"))
    out.update({f"[7, 5] {key}": value for key, value in probed.items()})
    out["running mean after training"] = model.bn_params[0]["running_mean"]
    out["test-mode scores"] = model.loss(X[:3])
    model = FullyConnectedNet([9], input_dim=D, num_classes=C, normalization="batchnorm", weight_scale=0.5, seed=4)
    model.params["gamma1"] = rng.normal(size=9)
    probed = _split_cancelled(_net_probe(model, X, y), ("grad b1",))
    out.update({f"[9] {key}": value for key, value in probed.items()})
    return out


def judge_test_batchnorm_network(got, want):
    from autograder.judge import default_judge
    for key in [k for k in want if "cancelled" in k]:
        value = got.get(key)
        if value is None or value.shape != want[key].shape or not np.all(np.abs(value) < 1e-8):
            return 0.0, f"{key.replace('cancelled ', '')}: the gradient of a bias before batchnorm is 0"
    compared = {key: value for key, value in want.items() if "cancelled" not in key}
    verdict = default_judge(got, compared, *TOLERANCE["test_batchnorm_network"])
    return verdict.fraction, verdict.message



# ---------------------------------------------------------------- batchnorm.ipynb: layer norm

def _layernorm_cases(rng):
    """(label, x, gamma, beta, ln_param) inputs of the layernorm forward probe."""
    x = rng.normal(size=(6, 9)) * rng.uniform(0.2, 50.0, size=(6, 1)) + rng.normal(scale=20.0, size=(6, 1))
    return [("wide row scales", x, rng.normal(size=9), rng.normal(size=9), {}),
            ("one example", x[3:4], rng.normal(size=9), rng.normal(size=9), {}),
            ("eps 1e-2, small x", 0.05 * rng.normal(size=(4, 5)), rng.normal(size=5), rng.normal(size=5),
             {"eps": 1e-2}),
            ("columns far apart", rng.normal(size=(3, 4)) + np.array([100.0, -100.0, 0.0, 5.0]),
             np.ones(4), np.zeros(4), {})]


def probe_test_layernorm_forward(rng):
    from nndl.layers import layernorm_forward
    out = {}
    for label, x, gamma, beta, ln_param in _layernorm_cases(rng):
        out.update({f"{label}: x": x, f"{label}: gamma": gamma, f"{label}: beta": beta,
                    f"{label}: eps": float(ln_param.get("eps", 1e-5)),
                    f"{label}: out": layernorm_forward(x, gamma, beta, dict(ln_param))[0]})
    ln_param = {}
    layernorm_forward(np.ones((2, 3)) * np.arange(3), np.ones(3), np.zeros(3), ln_param)
    out["default eps"] = ln_param.get("eps", np.nan)
    return out


def judge_test_layernorm_forward(got, want):
    """The student's outputs against the closed form, evaluated here on the reference run's
    inputs (statistics of each row over its features, biased variance)."""
    for label in sorted({key.rsplit(": ", 1)[0] for key in want if key.endswith(": out")}):
        x, gamma, beta = want[f"{label}: x"], want[f"{label}: gamma"], want[f"{label}: beta"]
        eps = float(want[f"{label}: eps"])
        mean = x.sum(axis=1, keepdims=True) / x.shape[1]
        var = ((x - mean) ** 2).sum(axis=1, keepdims=True) / x.shape[1]
        expected = gamma * (x - mean) / np.sqrt(var + eps) + beta
        out = got.get(f"{label}: out")
        if out is None or np.shape(out) != expected.shape:
            return 0.0, f"{label}: out must have x's shape {expected.shape}"
        if not np.allclose(out, expected, rtol=1e-7, atol=1e-10):
            return 0.0, f"{label}: out differs from gamma * (x - mean_i) / sqrt(var_i + eps) + beta"
    default_eps = got.get("default eps")
    if default_eps is None or not np.isclose(float(np.asarray(default_eps)), 1e-5, rtol=0, atol=1e-12):
        return 0.0, "ln_param's eps should default to 1e-5 (ln_param.setdefault)"
    return 1.0, "passed"


def probe_test_layernorm_backward(rng):
    import nndl.layers as layers
    out = {}
    for label, (N, D, loc, scale, eps) in {"6 x 7": (6, 7, 2.0, 3.0, 1e-5), "3 x 4, eps 1e-3": (3, 4, -1.0, 0.3, 1e-3),
                                           "1 x 5": (1, 5, 0.0, 2.0, 1e-5), "9 x 2": (9, 2, 4.0, 1.0, 1e-5)}.items():
        x = rng.normal(loc=loc, scale=scale, size=(N, D))
        gamma, beta, dout = rng.normal(size=D), rng.normal(size=D), rng.normal(size=(N, D))
        _, cache = layers.layernorm_forward(x, gamma, beta, {"eps": eps})
        dx, dgamma, dbeta = layers.layernorm_backward(dout, cache)
        out.update({f"{label}: dx": dx, f"{label}: dgamma": dgamma, f"{label}: dbeta": dbeta})
    return out


def probe_test_layernorm_network(rng):
    """Loss and gradients of layernorm nets, and of every example alone (in any correct
    implementation the batch's are their mean: an example does not see its batch-mates)."""
    from nndl.fc_net import FullyConnectedNet
    N, D, C = 9, 6, 4
    X, y = rng.normal(size=(N, D)), rng.integers(C, size=N)
    out = {}
    for label, kwargs in (("[7, 5]", dict(hidden_dims=[7, 5], weight_scale=0.5, reg=0.05, seed=1)),
                          ("[9], tanh", dict(hidden_dims=[9], activation="tanh", weight_scale="xavier", seed=4))):
        model = FullyConnectedNet(input_dim=D, num_classes=C, normalization="layernorm", **kwargs)
        out.update({f"{label} initial {name}": value for name, value in model.params.items() if name[:1] in "gb"})
        for name in model.params:
            if name.startswith(("gamma", "beta")):
                model.params[name] = model.params[name] + 0.3 * rng.normal(size=model.params[name].shape)
        out.update({f"{label} {key}": value for key, value in _net_probe(model, X, y).items()})
        out.update({f"{label} example 2 alone: {key}": value
                    for key, value in _net_probe(model, X[2:3], y[2:3]).items()})
        out[f"{label} test-mode scores"] = model.loss(X)
        out[f"{label} test-mode scores, 2 examples"] = model.loss(X[4:6])
    return out


# ---------------------------------------------------------------- dropout.ipynb

def probe_test_dropout_forward(rng):
    from nndl.layers import dropout_forward
    x = rng.normal(loc=2.0, size=(200, 250))
    out = {"x": x}
    for p in (0.25, 0.5, 0.8, 1.0):
        out[f"p {p}: train"] = dropout_forward(x, {"mode": "train", "p": p, "seed": 1})[0]
        out[f"p {p}: test"] = dropout_forward(x, {"mode": "test", "p": p})[0]
    out["seed 1 again"] = dropout_forward(x, {"mode": "train", "p": 0.5, "seed": 1})[0]
    out["seed 2"] = dropout_forward(x, {"mode": "train", "p": 0.5, "seed": 2})[0]
    out["p 0.1, small"] = dropout_forward(x[:50, :40], {"mode": "train", "p": 0.1, "seed": 4})[0]
    return out


def judge_test_dropout_forward(got, want):
    """Inverted dropout, judged from the raw outputs: keep rate, 1/p scaling, identity at test
    time and for p = 1, repeatable masks, and (as the docstring fixes the draw) the very mask."""
    x = want["x"]
    for p in (0.25, 0.5, 0.8, 1.0):
        train, test = got.get(f"p {p}: train"), got.get(f"p {p}: test")
        if train is None or test is None or train.shape != x.shape or test.shape != x.shape:
            return 0.0, f"p = {p}: out must have x's shape"
        if not np.array_equal(test, x):
            return 0.0, "at test time dropout is the identity"
        kept = train != 0
        if abs(kept.mean() - p) > 0.01 or not np.allclose(train[kept], x[kept] / p, rtol=1e-12):
            return 0.0, f"p = {p}: keep about a fraction p of the units and scale them by 1/p"
    if not np.array_equal(got.get("seed 1 again"), got.get("p 0.5: train")):
        return 0.0, "the same seed must give the same mask"
    if np.array_equal(got.get("seed 2"), got.get("p 0.5: train")):
        return 0.0, "another seed should give another mask"
    for key in ("p 0.5: train", "p 0.1, small"):
        if got.get(key) is None or not np.allclose(got[key], want[key], rtol=1e-12, atol=0):
            return 0.0, "the mask is not rng.random(x.shape) < p from the given seed"
    return 1.0, "passed"


def probe_test_dropout_backward(rng):
    from nndl.layers import dropout_backward, dropout_forward
    x, dout = rng.normal(size=(10, 8)), rng.normal(size=(10, 8))
    out = {}
    for label, param in (("p 0.6", {"mode": "train", "p": 0.6, "seed": 5}),
                         ("p 0.3", {"mode": "train", "p": 0.3, "seed": 6}),
                         ("test mode", {"mode": "test", "p": 0.6})):
        _, cache = dropout_forward(x, param)
        out[label] = dropout_backward(dout, cache)
    return out


def probe_test_dropout_network(rng):
    from nndl.fc_net import FullyConnectedNet
    N, D, C = 10, 8, 5
    X, y = rng.normal(size=(N, D)), rng.integers(C, size=N)
    out = {}
    for label, kwargs, seed in (
            ("relu", dict(hidden_dims=[12, 9], dropout_keep_ratio=0.6, weight_scale="he", seed=3), 7),
            ("tanh", dict(hidden_dims=[12, 9], dropout_keep_ratio=0.5, activation="tanh", weight_scale="xavier", seed=5), 9),
            ("batchnorm", dict(hidden_dims=[30], dropout_keep_ratio=0.3, normalization="batchnorm",
                               weight_scale="he", seed=1), 8)):
        model = FullyConnectedNet(input_dim=D, num_classes=C, **kwargs)
        for name in model.params:
            if name.startswith("b") and not name.startswith("beta"):
                model.params[name] = 0.1 * rng.normal(size=model.params[name].shape)
        model.dropout_param["seed"] = seed
        probed = _net_probe(model, X, y)
        if label == "batchnorm":
            probed = {key: value for key, value in probed.items() if key != "grad b1"}   # cancelled
        out.update({f"{label}: {key}": value for key, value in probed.items()})
        out[f"{label}: test-mode scores"] = model.loss(X)
    return out


def probe_test_l2_regularization(rng):
    from nndl.fc_net import FullyConnectedNet
    X, y = rng.normal(size=(6, 7)), rng.integers(3, size=6)
    out = {}
    for reg in (0.0, 0.7):
        model = FullyConnectedNet([5, 4], input_dim=7, num_classes=3, normalization="batchnorm",
                                  weight_scale=0.3, seed=2, reg=reg)
        model.params["gamma1"] = model.params["gamma1"] + 1.0   # a penalty on gamma would show
        out.update({f"batchnorm, reg {reg}: {key}": value for key, value in _net_probe(model, X, y).items()
                    if key not in ("grad b1", "grad b2")})
    for reg in (0.0, 0.01):
        model = FullyConnectedNet([6], input_dim=7, num_classes=3, weight_scale=0.5, seed=9, reg=reg)
        out.update({f"plain, reg {reg}: {key}": value for key, value in _net_probe(model, X, y).items()})
    return out


# ---------------------------------------------------------------- tuning.ipynb

def probe_test_weight_init(rng):
    from nndl.fc_net import FullyConnectedNet, init_std
    out = {f"init_std {scale}": init_std(scale, 600, 400) for scale in ("he", "xavier", 0.05)}
    out["init_std he, 20 -> 50"] = init_std("he", 20, 50)
    for scale in ("he", "xavier", 0.05):
        model = FullyConnectedNet([40, 30], input_dim=60, num_classes=10, weight_scale=scale,
                                  dtype=np.float32, seed=int(rng.integers(1000)))
        for name, value in model.params.items():
            out[f"{scale}: {name}"] = value
            out[f"{scale}: {name} dtype"] = np.array(str(np.asarray(value).dtype))
    return out


# ---------------------------------------------------------------- the tuned net (tuning.ipynb)

# Held-out (test-image) accuracy -> points, per data: (none at or below, full from). Measured on
# the shared subset: the reference's nndl/tuned.py reaches 0.424, the release's starter 0.162;
# on the digits 0.964 and 0.134. Full CIFAR-10: the course's target for a tuned FC net, 0.55.
BEST_MODEL_CREDIT = {"full": (0.32, 0.55), "subset": (0.25, 0.40), "digits": (0.30, 0.85)}
MAX_EPOCHS, MAX_PARAMETERS = 20, 2_000_000


def probe_test_best_model(rng):
    """The graded run: nndl/tuned.py's BEST_CONFIG trained on the training images only (this
    sandbox cannot read the test batch); the judge scores the net on the test images."""
    from nndl.data import get_splits, load_dataset, subtract_mean, validation_size
    from nndl.fc_net import FullyConnectedNet
    from nndl.solver import Solver
    from nndl.tuned import BEST_CONFIG
    config = dict(BEST_CONFIG)
    dataset = load_dataset(verbose=False, test=False)
    num_val = validation_size(dataset)
    data, _ = subtract_mean(get_splits(dataset, num_train=len(dataset.X_train) - num_val, num_val=num_val,
                                       num_test=0, verbose=False))
    scale = data["X_train"].std()
    data = {key: value / scale if key.startswith("X_") else value for key, value in data.items()}
    sizes = [data["X_train"].shape[1]] + [int(h) for h in config["hidden_dims"]] + [dataset.num_classes]
    if sum(a * b for a, b in zip(sizes, sizes[1:])) > MAX_PARAMETERS:
        raise ValueError("BEST_CONFIG has more than 2 million weights")
    model = FullyConnectedNet(config["hidden_dims"], input_dim=sizes[0], num_classes=sizes[-1],
                              weight_scale=config["weight_scale"], normalization=config["normalization"],
                              dropout_keep_ratio=config["dropout_keep_ratio"], reg=config["reg"],
                              dtype=np.float32, seed=0)
    solver = Solver(model, data, update_rule=config["update_rule"],
                    optim_config={"learning_rate": config["learning_rate"]}, lr_decay=config["lr_decay"],
                    num_epochs=min(int(config["num_epochs"]), MAX_EPOCHS),
                    batch_size=int(config["batch_size"]), seed=0, verbose=False)
    solver.train()
    out = {f"param {name}": np.asarray(value, dtype=np.float32) for name, value in model.params.items()}
    layernorm = config["normalization"] == "layernorm"
    out["normalization"] = np.array("layernorm" if layernorm else "batchnorm")
    for layer, norm_param in enumerate(model.ln_params if layernorm else model.bn_params, start=1):
        for key in ("running_mean", "running_var"):
            if key in norm_param:
                out[f"{key}{layer}"] = np.asarray(norm_param[key], dtype=np.float32)
        out[f"eps{layer}"] = float(norm_param.get("eps", 1e-5))
    return out


def judge_test_best_model(got, want, data):
    """Test accuracy of the returned net by the judge's own forward pass (test mode: running
    batch statistics, or each example's own statistics with layernorm; no dropout: inverted
    dropout needs no rescaling at test time)."""
    from autograder.grading_data import partial_credit
    mean, scale = data.training_statistics()
    X, y = data.test_images()
    h = (X - mean) / scale
    layer = 1
    while f"param W{layer}" in got:
        W, b = got[f"param W{layer}"].astype(np.float64), got[f"param b{layer}"].astype(np.float64)
        if W.ndim != 2 or W.shape[0] != h.shape[1] or b.shape != (W.shape[1],) or not np.all(np.isfinite(W)):
            return 0.0, f"layer {layer}'s weights do not fit the previous layer or are not finite"
        h = h @ W + b
        if f"param W{layer + 1}" in got:
            if f"param gamma{layer}" in got:
                gamma, beta = got[f"param gamma{layer}"], got[f"param beta{layer}"]
                if str(got.get("normalization", "batchnorm")) == "layernorm":
                    mean, var = h.mean(axis=1, keepdims=True), h.var(axis=1, keepdims=True)
                else:
                    mean, var = got[f"running_mean{layer}"], got[f"running_var{layer}"]
                h = gamma * (h - mean) / np.sqrt(var + float(got[f"eps{layer}"])) + beta
            h = np.maximum(h, 0)
        layer += 1
    if layer == 1 or h.shape[1] != data.dataset.num_classes:
        return 0.0, "the trained net does not end in one score per class"
    accuracy = float(np.mean(np.argmax(h, axis=1) == y))
    return partial_credit(accuracy, BEST_MODEL_CREDIT, data)
