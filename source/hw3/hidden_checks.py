"""Hidden checks of hw3 (instructor only: never released; see autograder/judge.py).

Probes run in the student's sandbox and return what their layers and nets gave back on inputs
made from `rng`; the judge compares that with the reference solution's. Where training is graded,
the probe returns the trained parameters and the judge scores them itself with a forward pass of
its own, on the inputs of the reference run (`want`), never on anything the sandbox computed.
"""
import numpy as np

TOLERANCE = {name: (1e-7, 1e-10) for name in (
    "test_graph", "test_max_gate", "test_affine_forward", "test_affine_backward", "test_relu",
    "test_leaky_relu", "test_elu", "test_gelu", "test_sigmoid", "test_tanh", "test_softmax_loss",
    "test_svm_loss", "test_softmax_mse_loss", "test_two_layer_scores", "test_two_layer_loss",
    "test_two_layer_grads", "test_fc_scores", "test_fc_grads")}
TOLERANCE["test_two_layer_train"] = (1e-5, 1e-8)
TOLERANCE["test_fc_init"] = (1e-12, 0.0)

LARGE = np.array([-1e4, -1000.0, -300.0, -40.0, 40.0, 300.0, 1000.0, 1e4])


def _off_kink(x):
    return np.where(np.abs(x) < 1e-2, 0.5, x)


def _activation(rng, name, **kwargs):
    """Forward values and input gradients of nndl.layers.<name>_forward/_backward on moderate,
    near-zero, exactly-zero and (with every floating-point warning an error) large inputs."""
    import nndl.layers as layers
    forward = getattr(layers, f"{name}_forward")
    backward = getattr(layers, f"{name}_backward")
    moderate = _off_kink(rng.normal(size=(2, 3, 4)))
    inputs = {"moderate": moderate,
              "near 0": np.sign(moderate) * (1e-3 + 1e-2 * np.abs(moderate)),
              "at 0": np.zeros(3)}
    out = {}
    for label, x in inputs.items():
        dout = rng.normal(size=x.shape)
        value, cache = forward(x, **kwargs)
        out[f"{label}: out"], out[f"{label}: dx"] = value, backward(dout, cache)
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        value, cache = forward(LARGE.copy(), **kwargs)
        out["large |x|: out"], out["large |x|: dx"] = value, backward(np.ones_like(LARGE), cache)
    return out


# ---------------------------------------------------------------- layers.ipynb

def probe_test_graph(rng):
    from nndl.layers import graph_backward, graph_forward
    out = {}
    f, cache = graph_forward(np.array(-2.0), np.array(3.0), np.array(1.0))
    out["by hand: f"], out["by hand: grads"] = f, np.array(graph_backward(np.array(1.0), cache), dtype=float)
    for shape in ((3, 4), (2, 3, 2)):
        x, y, z, dout = (2 * rng.normal(size=shape) for _ in range(4))
        f, cache = graph_forward(x, y, z)
        dx, dy, dz = graph_backward(dout, cache)
        out.update({f"{shape}: f": f, f"{shape}: dx": dx, f"{shape}: dy": dy, f"{shape}: dz": dz})
    return out


def probe_test_max_gate(rng):
    from nndl.layers import max_gate_backward, max_gate_forward
    out = {}
    for shape in ((3, 4), (2, 3, 2)):
        x, y, dout = (rng.normal(size=shape) for _ in range(3))
        y.flat[::3] = x.flat[::3]                                  # some ties: they go to x
        value, cache = max_gate_forward(x, y)
        dx, dy = max_gate_backward(dout, cache)
        out.update({f"{shape}: out": value, f"{shape}: dx": dx, f"{shape}: dy": dy})
    return out


def probe_test_affine_forward(rng):
    from nndl.layers import affine_forward
    out = {}
    for name, (x_shape, w_shape) in {"(2, 3, 4)": ((2, 3, 4), (12, 5)), "(3, 2, 2, 2)": ((3, 2, 2, 2), (8, 4)),
                                     "one example": ((1, 7), (7, 1))}.items():
        x, w, b = rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[1])
        out[name] = affine_forward(x, w, b)[0]
    return out


def probe_test_affine_backward(rng):
    from nndl.layers import affine_backward, affine_forward
    out = {}
    for name, (x_shape, w_shape) in {"(4, 2, 3)": ((4, 2, 3), (6, 5)), "(3, 7)": ((3, 7), (7, 2))}.items():
        x, w, b = rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[1])
        dout = rng.normal(size=(x_shape[0], w_shape[1]))
        dx, dw, db = affine_backward(dout, affine_forward(x, w, b)[1])
        out.update({f"{name}: dx": dx, f"{name}: dw": dw, f"{name}: db": db})
    return out


def probe_test_relu(rng):
    return _activation(rng, "relu")


def probe_test_leaky_relu(rng):
    return {**{f"default alpha, {k}": v for k, v in _activation(rng, "leaky_relu").items()},
            **{f"alpha 0.2, {k}": v for k, v in _activation(rng, "leaky_relu", alpha=0.2).items()}}


def probe_test_elu(rng):
    return {**{f"default alpha, {k}": v for k, v in _activation(rng, "elu").items()},
            **{f"alpha 0.5, {k}": v for k, v in _activation(rng, "elu", alpha=0.5).items()}}


def probe_test_gelu(rng):
    return _activation(rng, "gelu")


def probe_test_sigmoid(rng):
    return _activation(rng, "sigmoid")


def probe_test_tanh(rng):
    return _activation(rng, "tanh")


def probe_test_softmax_loss(rng):
    from nndl.layers import softmax_loss
    out = {}
    for name, (N, C, scale) in {"6 x 4": (6, 4, 1.0), "9 x 7": (9, 7, 1.0), "large scores": (5, 3, 1e4)}.items():
        scores, y = scale * rng.normal(size=(N, C)), rng.integers(C, size=N)
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            loss, dscores = softmax_loss(scores, y)
        out[f"{name}: loss"], out[f"{name}: dscores"] = loss, dscores
    out["equal scores"] = softmax_loss(np.zeros((5, 10)), np.arange(5))[0]
    return out


def probe_test_svm_loss(rng):
    from nndl.layers import svm_loss
    out = {}
    for name, (N, C, scale) in {"6 x 4": (6, 4, 1.0), "8 x 5": (8, 5, 2.0)}.items():
        scores, y = scale * rng.normal(size=(N, C)), rng.integers(C, size=N)
        out[f"{name}: loss"], out[f"{name}: dscores"] = svm_loss(scores, y)
    out["margins met: loss"], out["margins met: dscores"] = svm_loss(np.eye(3) * 5, np.arange(3))
    return out


def probe_test_softmax_mse_loss(rng):
    from nndl.layers import softmax_mse_loss
    out = {}
    for name, (N, C, scale) in {"6 x 4": (6, 4, 1.0), "9 x 7": (9, 7, 2.0), "5 x 5": (5, 5, 1.0),
                                "large scores": (5, 3, 1e4)}.items():
        scores, y = scale * rng.normal(size=(N, C)), rng.integers(C, size=N)
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            loss, dscores = softmax_mse_loss(scores, y)
        out[f"{name}: loss"], out[f"{name}: dscores"] = loss, dscores
    out["equal scores: loss"], out["equal scores: dscores"] = softmax_mse_loss(np.zeros((5, 10)), np.arange(5))
    # confidently wrong: the probability on class (y + 1) % 4, the gradient almost 0
    y = np.arange(4)
    out["saturated: loss"], out["saturated: dscores"] = softmax_mse_loss(20.0 * np.eye(4)[(y + 1) % 4], y)
    return out


# ---------------------------------------------------------------- xor.ipynb

def _make_xor(n, seed):
    rng = np.random.default_rng(seed)
    corners = np.array([[-1.0, -1.0], [1.0, 1.0], [-1.0, 1.0], [1.0, -1.0]])
    which = rng.integers(4, size=n)
    return corners[which] + 0.3 * rng.normal(size=(n, 2)), (which >= 2).astype(int)


def _train_xor(params, hidden, steps, learning_rate=0.5):
    """The notebook's full-batch gradient descent, on the student's layers."""
    from nndl.layers import affine_backward, affine_forward, relu_backward, relu_forward, softmax_loss
    X, y = _make_xor(200, seed=0)
    history = []
    for _ in range(steps):
        if hidden:
            h_in, c1 = affine_forward(X, params["W1"], params["b1"])
            h, cr = relu_forward(h_in)
            scores, c2 = affine_forward(h, params["W2"], params["b2"])
            loss, dscores = softmax_loss(scores, y)
            dh, dW2, db2 = affine_backward(dscores, c2)
            _, dW1, db1 = affine_backward(relu_backward(dh, cr), c1)
            grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
        else:
            scores, cache = affine_forward(X, params["W"], params["b"])
            loss, dscores = softmax_loss(scores, y)
            _, dW, db = affine_backward(dscores, cache)
            grads = {"W": dW, "b": db}
        history.append(loss)
        for name in params:
            params[name] = params[name] - learning_rate * grads[name]
    return history


def probe_test_xor_linear(rng):
    start = np.random.default_rng(0)
    params = {"W": 0.1 * start.normal(size=(2, 2)), "b": np.zeros(2)}
    history = _train_xor(params, hidden=False, steps=300)
    return {"loss history": np.array(history, dtype=float), **params}


def probe_test_xor_two_layer(rng):
    start = np.random.default_rng(0)
    H = 8
    params = {"W1": start.normal(size=(2, H)), "b1": np.zeros(H),
              "W2": start.normal(size=(H, 2)) / np.sqrt(H), "b2": np.zeros(2)}
    history = _train_xor(params, hidden=True, steps=500)
    X_new, y_new = _make_xor(400, seed=1 + int(rng.integers(1000)))
    return {"loss history": np.array(history, dtype=float), **params, "X_new": X_new, "y_new": y_new}


def _two_layer_scores(params, X):
    return np.maximum(X @ params["W1"] + params["b1"], 0) @ params["W2"] + params["b2"]


def _mean_log_loss(scores, y):
    shifted = scores - scores.max(axis=1, keepdims=True)
    return float(np.mean(np.log(np.exp(shifted).sum(axis=1)) - shifted[np.arange(len(y)), y]))


def _params(got, names):
    found = {name: got.get(name) for name in names}
    if any(value is None or value.dtype.kind not in "fiu" for value in found.values()):
        return None
    return {name: value.astype(float) for name, value in found.items()}


def judge_test_xor_linear(got, want):
    params = _params(got, ("W", "b"))
    X, y = _make_xor(200, seed=0)
    if params is None or params["W"].shape != (2, 2) or params["b"].shape != (2,):
        return 0.0, "the trained linear model is missing"
    loss = _mean_log_loss(X @ params["W"] + params["b"], y)
    history = got.get("loss history")
    if history is None or history.shape != (300,) or not np.all(np.isfinite(history)):
        return 0.0, "no loss history"
    if abs(loss - np.log(2)) > 0.05 or abs(history[-1] - loss) > 1e-3:
        return 0.0, "the trained linear model should end near log 2, with gradients that lower the loss"
    if history[-1] > history[0] + 1e-9:
        return 0.0, "gradient descent increased the loss"
    if not np.allclose(history, want["loss history"], rtol=1e-4, atol=1e-6):
        return 0.0, "the loss history differs from gradient descent with correct gradients"
    return 1.0, "passed"


def judge_test_xor_two_layer(got, want):
    params = _params(got, ("W1", "b1", "W2", "b2"))
    if params is None or params["W1"].shape != (2, 8):
        return 0.0, "the trained two-layer net is missing"
    X, y = _make_xor(200, seed=0)
    scores = _two_layer_scores(params, X)
    if _mean_log_loss(scores, y) >= 0.1 or np.mean(np.argmax(scores, axis=1) == y) < 0.97:
        return 0.0, "the trained net does not fit XOR (loss below 0.1, accuracy 0.97)"
    X_new, y_new = want["X_new"], want["y_new"]
    if np.mean(np.argmax(_two_layer_scores(params, X_new), axis=1) == y_new) < 0.95:
        return 0.0, "the trained net does not generalize to fresh XOR points"
    history = got.get("loss history")
    if history is None or history.shape != want["loss history"].shape or \
            not np.allclose(history, want["loss history"], rtol=1e-4, atol=1e-6):
        return 0.0, "the loss history differs from gradient descent with correct gradients"
    return 1.0, "passed"


# ---------------------------------------------------------------- two_layer_net.ipynb

def _toy_problem(seed):
    from nndl.neural_net import TwoLayerNet
    rng = np.random.default_rng(seed)
    net = TwoLayerNet(4, 10, 3, std=1e-1, seed=seed)
    net.params["b1"] = 0.1 * rng.normal(size=10)
    net.params["b2"] = 0.1 * rng.normal(size=3)
    return net, rng.normal(size=(5, 4)), rng.integers(3, size=5)


def probe_test_two_layer_scores(rng):
    out = {}
    for label, seed in (("toy 0", 0), ("toy 21", 21), ("random toy", int(rng.integers(1000)))):
        net, X, _ = _toy_problem(seed)
        out[label] = net.loss(X)
    return out


def probe_test_two_layer_loss(rng):
    out = {}
    for label, seed, reg in (("toy 0, reg 0", 0, 0.0), ("toy 0, reg 0.1", 0, 0.1), ("toy 22, reg 2.5", 22, 2.5),
                             ("random toy, reg 0.3", int(rng.integers(1000)), 0.3)):
        net, X, y = _toy_problem(seed)
        out[label] = net.loss(X, y, reg=reg)[0]
    return out


def probe_test_two_layer_grads(rng):
    out = {}
    for number, (seed, reg) in enumerate(((0, 0.0), (0, 0.05), (23, 0.7), (int(rng.integers(1000)), 0.2))):
        net, X, y = _toy_problem(seed)
        _, grads = net.loss(X, y, reg=reg)
        for name in ("W1", "b1", "W2", "b2"):
            out[f"case {number}: {name}"] = grads[name]
    return out


def probe_test_two_layer_predict(rng):
    net, _, _ = _toy_problem(0)
    out = {"visible": net.predict(3 * np.random.default_rng(0).normal(size=(12, 4)))}
    net, _, _ = _toy_problem(24)
    out["40 examples"] = net.predict(rng.normal(size=(40, 4)))
    net.params["b2"] = net.params["b2"] - 50.0      # every score negative: the largest still wins
    out["negative scores"] = net.predict(rng.normal(size=(20, 4)))
    # the hidden layer silent (every pre-activation near -10, so ReLU gives 0): the output bias
    # decides, class 1 by 0.05; anything leaking through the ReLU (W2 pulls it to class 0) flips
    # it. Fixed inputs: caught under every course secret.
    net, _, _ = _toy_problem(25)
    net.params["b1"] = np.full(10, -10.0)
    net.params["W2"] = np.tile([-1.0, 1.0, 0.0], (10, 1))
    net.params["b2"] = np.array([0.0, 0.05, 0.0])
    out["silent hidden layer"] = net.predict(np.random.default_rng(25).normal(size=(6, 4)))
    return out


def _blobs(n, seed):
    rng = np.random.default_rng(seed)
    labels = rng.integers(3, size=n)
    return 3 * np.eye(3, 4)[labels] + 0.5 * rng.normal(size=(n, 4)), labels


def probe_test_two_layer_train(rng):
    from nndl.neural_net import TwoLayerNet
    X, y = _blobs(120, seed=0)
    X_val, y_val = _blobs(60, seed=1)
    out = {}
    net = TwoLayerNet(4, 10, 3, std=1e-1, seed=0)
    history = net.train(X, y, X_val, y_val, learning_rate=0.1, learning_rate_decay=0.95, reg=1e-3,
                        num_iters=200, batch_size=20, seed=0)
    for key in ("loss_history", "train_acc_history", "val_acc_history"):
        out[key] = np.asarray(history[key], dtype=float)
    out.update({f"after 200: {k}": v for k, v in net.params.items()})
    net0 = TwoLayerNet(4, 10, 3, std=1e-1, seed=0)
    net0.train(X, y, X_val, y_val, learning_rate=0.0, num_iters=10, batch_size=20)
    out.update({f"learning rate 0: {k}": v for k, v in net0.params.items()})
    for iters in (6, 12):
        net_k = TwoLayerNet(4, 10, 3, std=1e-1, seed=0)
        net_k.train(X, y, X_val, y_val, learning_rate=0.1, learning_rate_decay=0.0, reg=0.0,
                    num_iters=iters, batch_size=20, seed=3)
        out.update({f"decay 0, {iters} iterations: {k}": v for k, v in net_k.params.items()})
    return out


# ---------------------------------------------------------------- fc_nets.ipynb

def _randomize_biases(model, seed):
    rng = np.random.default_rng(seed)
    for name in model.params:
        if name.startswith("b"):
            model.params[name] = 0.1 * rng.normal(size=model.params[name].shape)
    return model


def probe_test_fc_init(rng):
    from nndl.fc_net import FullyConnectedNet
    out = {}
    for label, args, kwargs in (
            ("[30, 20]", ([30, 20],), dict(input_dim=50, num_classes=7, weight_scale=0.05, seed=0)),
            ("linear", ([],), dict(input_dim=5, num_classes=3)),
            ("deep", ([4, 4, 4, 4],), dict(input_dim=3, num_classes=2, seed=int(rng.integers(1000)))),
            ("float32", ([10],), dict(input_dim=5, num_classes=3, dtype=np.float32))):
        model = FullyConnectedNet(*args, **kwargs)
        out[f"{label}: names"] = np.array(sorted(model.params))
        out[f"{label}: layers"] = model.num_layers
        for name, value in model.params.items():
            out[f"{label}: {name}"] = value
            out[f"{label}: {name} dtype"] = np.array(str(np.asarray(value).dtype))
    return out


def probe_test_fc_scores(rng):
    from nndl.fc_net import FullyConnectedNet
    model = _randomize_biases(FullyConnectedNet([6, 5], input_dim=4, num_classes=3, weight_scale=0.5, seed=1), 1)
    out = {"relu": model.loss(np.random.default_rng(1).normal(size=(7, 4)))}
    for activation in ("sigmoid", "tanh", "gelu", "elu", "leaky_relu"):
        model = _randomize_biases(FullyConnectedNet([6, 5, 4], input_dim=6, num_classes=3, activation=activation,
                                                    weight_scale=0.5, seed=2), 2)
        out[activation] = model.loss(rng.normal(size=(5, 2, 3)))
    return out


def probe_test_fc_grads(rng):
    from nndl.fc_net import FullyConnectedNet
    out = {}
    X, y = rng.normal(size=(4, 6)), rng.integers(5, size=4)
    cases = [(hidden, reg, "relu") for hidden in ([8], [8, 6], [8, 6, 7]) for reg in (0.0, 1.3)]
    cases += [([7, 5], 0.4, activation) for activation in ("tanh", "gelu", "sigmoid", "elu", "leaky_relu")]
    for number, (hidden, reg, activation) in enumerate(cases):
        model = _randomize_biases(FullyConnectedNet(hidden, input_dim=6, num_classes=5, activation=activation,
                                                    reg=reg, weight_scale=0.5, seed=len(hidden)), 7)
        inputs = X if activation == "relu" else X.reshape(4, 2, 3)
        loss, grads = model.loss(inputs, y)
        out[f"case {number}: loss"] = loss
        for name in model.params:
            out[f"case {number}: {name}"] = grads[name]
    return out


def _small_cifar():
    """The notebook's 50 training images (the dataset the sandbox sees, or the digits)."""
    from nndl.data import get_splits, load_dataset, subtract_mean
    dataset = load_dataset(verbose=False)
    small = get_splits(dataset, num_train=50, num_val=200, num_test=10, seed=1, verbose=False)
    small, _ = subtract_mean(small)
    small = {key: value / 64.0 if key.startswith("X_") else value for key, value in small.items()}
    return small, dataset.num_classes


def _overfit(hidden_dims, weight_scale):
    from nndl.fc_net import FullyConnectedNet
    from nndl.solver import Solver
    small, C = _small_cifar()
    model = FullyConnectedNet(hidden_dims, input_dim=small["X_train"].shape[1], num_classes=C,
                              weight_scale=weight_scale, seed=0)
    # validating on the training images: the Solver keeps (and restores) the first parameters
    # with the best training accuracy
    fit_data = dict(small, X_val=small["X_train"], y_val=small["y_train"])
    solver = Solver(model, fit_data, update_rule="sgd", optim_config={"learning_rate": 2e-2},
                    num_epochs=20, batch_size=25, seed=0, verbose=False)
    solver.train()
    return {"X": small["X_train"], "y": small["y_train"],
            **{f"param {name}": value for name, value in solver.best_params.items()},
            **{f"last {name}": value for name, value in model.params.items()}}


def _fits(got, want, layers):
    """Training accuracy, by a forward pass of the judge's own, of the student's trained net."""
    X, y = want["X"], want["y"]
    for prefix in ("last", "param"):
        params = _params(got, [f"{prefix} {kind}{l}" for l in range(1, layers + 1) for kind in "Wb"])
        if params is None:
            continue
        h = X.reshape(len(X), -1)
        try:
            for l in range(1, layers + 1):
                h = h @ params[f"{prefix} W{l}"] + params[f"{prefix} b{l}"]
                if l < layers:
                    h = np.maximum(h, 0)
        except ValueError:
            continue
        if np.mean(np.argmax(h, axis=1) == y) == 1.0:
            return 1.0, "passed"
    return 0.0, "the trained net does not fit the 50 training images exactly"


def probe_test_overfit_3layer(rng):
    return _overfit([100, 100], 0.2)


def judge_test_overfit_3layer(got, want):
    return _fits(got, want, 3)


def probe_test_overfit_5layer(rng):
    return _overfit([100, 100, 100, 100], 0.15)


def judge_test_overfit_5layer(got, want):
    return _fits(got, want, 5)


# ---------------------------------------------------------------- the tuned net (two_layer_net.ipynb)

# Held-out (test-image) accuracy -> points, per data: (none at or below, full from). Measured on
# the shared subset: the reference's nndl/tuned.py reaches 0.422, the release's starter 0.203;
# on the digits 0.813 and 0.184. Full CIFAR-10: the course's target for a two-layer net, 0.50.
TWO_LAYER_CREDIT = {"full": (0.28, 0.50), "subset": (0.20, 0.40), "digits": (0.30, 0.75)}
TWO_LAYER_CAPS = {"hidden_size": 500, "batch_size": 1000, "num_epochs": 30}


def probe_test_two_layer_cifar(rng):
    """The graded run: nndl/tuned.py's TWO_LAYER trained on the training images only (this
    sandbox cannot read the test batch); the judge scores the weights on the test images."""
    from nndl.data import get_splits, load_dataset, subtract_mean, validation_size
    from nndl.neural_net import TwoLayerNet
    from nndl.tuned import TWO_LAYER
    hyper = {key: TWO_LAYER[key] for key in ("hidden_size", "learning_rate", "learning_rate_decay",
                                             "reg", "batch_size", "num_epochs")}
    for key, cap in TWO_LAYER_CAPS.items():
        hyper[key] = max(1, min(int(hyper[key]), cap))
    dataset = load_dataset(verbose=False, test=False)
    num_val = validation_size(dataset)
    data = get_splits(dataset, num_train=len(dataset.X_train) - num_val, num_val=num_val, num_test=0,
                      verbose=False)
    data, _ = subtract_mean(data)
    net = TwoLayerNet(data["X_train"].shape[1], hyper["hidden_size"], dataset.num_classes, std=1e-4, seed=0)
    num_iters = hyper["num_epochs"] * max(len(data["X_train"]) // hyper["batch_size"], 1)
    net.train(data["X_train"], data["y_train"], data["X_val"], data["y_val"],
              learning_rate=float(hyper["learning_rate"]), learning_rate_decay=float(hyper["learning_rate_decay"]),
              reg=float(hyper["reg"]), num_iters=num_iters, batch_size=hyper["batch_size"], seed=0)
    return {"hyper": {key: float(value) for key, value in hyper.items()},
            **{name: np.asarray(net.params[name], dtype=np.float32) for name in ("W1", "b1", "W2", "b2")}}


def judge_test_two_layer_cifar(got, want, data):
    from autograder.grading_data import partial_credit
    mean, _ = data.training_statistics()
    X, y = data.test_images()
    D, C = X.shape[1], data.dataset.num_classes
    H = got["W1"].shape[1] if got["W1"].ndim == 2 else -1
    shapes = {"W1": (D, H), "b1": (H,), "W2": (H, C), "b2": (C,)}
    if not 0 < H <= TWO_LAYER_CAPS["hidden_size"] or any(got[k].shape != s for k, s in shapes.items()):
        return 0.0, "the trained net's weights do not have the shapes of a TwoLayerNet"
    params = {name: got[name].astype(np.float64) for name in shapes}
    if not all(np.all(np.isfinite(value)) for value in params.values()):
        return 0.0, "the trained weights are not finite (did training diverge?)"
    hidden = np.maximum((X - mean) @ params["W1"] + params["b1"], 0)
    accuracy = float(np.mean(np.argmax(hidden @ params["W2"] + params["b2"], axis=1) == y))
    return partial_credit(accuracy, TWO_LAYER_CREDIT, data)
