"""The reference solutions' fast paths (issue 14) give the results of the straightforward code.

Each trick of hw2's kNN and of the hw3/hw4 nets is checked against a plain computation written
here, on data chosen to make the trick fragile: integer-valued images with many duplicate
distances (ties), uint8 images whose arithmetic would wrap around.
"""
import numpy as np
import pytest

from autograder.reference import reference_modules


@pytest.fixture(scope="module")
def knn():
    return reference_modules("hw2", ["knn"])["knn"]


def _tie_heavy_images(rng, rows, D=12):
    """Integer pixels 0…2: squared distances are small exact integers, shared by many pairs."""
    return rng.integers(0, 3, size=(rows, D)).astype(np.float64)


def _plain_distances(A, B):
    A, B = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
    return np.sqrt(((A[:, None, :] - B[None, :, :]) ** 2).sum(axis=2))


def _plain_vote(dists, y_train, k):
    """The documented rule: a stable sort of the whole row, then the smallest most frequent label."""
    return np.array([np.argmax(np.bincount(y_train[np.argsort(row, kind="stable")[:k]]))
                     for row in dists])


def test_train_keeps_float_data_and_its_norms(knn):
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=(7, 5), dtype=np.uint8)
    classifier = knn.KNearestNeighbor()
    classifier.train(X, np.arange(7))
    assert classifier.X_train.dtype == np.float64
    np.testing.assert_array_equal(classifier.train_sq, (X.astype(np.int64) ** 2).sum(axis=1))


def test_no_loops_distances_equal_the_plain_ones_exactly_on_integer_images(knn):
    rng = np.random.default_rng(1)
    X_train, X_test = _tie_heavy_images(rng, 60), _tie_heavy_images(rng, 25)
    classifier = knn.KNearestNeighbor()
    classifier.train(X_train, rng.integers(0, 4, 60))
    dists = classifier.compute_distances_no_loops(X_test)
    # Squared distances of small integers are exact in float64, whatever the order of the sums.
    np.testing.assert_array_equal(dists, _plain_distances(X_test, X_train))
    # Calling twice (the norms are kept, the product is reused in place) changes nothing.
    np.testing.assert_array_equal(classifier.compute_distances_no_loops(X_test), dists)


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5, 7, 10, 59, 60, 61])
def test_partition_vote_equals_the_stable_sort_on_ties(knn, k):
    rng = np.random.default_rng(k)
    classifier = knn.KNearestNeighbor()
    y_train = rng.integers(0, 5, 60)
    classifier.train(_tie_heavy_images(rng, 60), y_train)
    # Distances from 0…3: dozens of training images share the k-th distance of a row.
    dists = rng.integers(0, 4, size=(40, 60)).astype(np.float64)
    np.testing.assert_array_equal(classifier.predict_labels(dists, k=k),
                                  _plain_vote(dists, y_train, k))


def test_chunked_predict_equals_the_plain_vote_on_tie_heavy_images(knn):
    rng = np.random.default_rng(3)
    X_train, X_test = _tie_heavy_images(rng, 80, D=6), _tie_heavy_images(rng, 33, D=6)
    y_train = rng.integers(0, 6, 80)
    classifier = knn.KNearestNeighbor()
    classifier.train(X_train, y_train)
    plain = _plain_distances(X_test, X_train)
    assert len(np.unique(plain)) < 25      # the point of the data: 2,640 pairs, few values
    for k in (1, 3, 5, 8):
        want = _plain_vote(plain, y_train, k)
        np.testing.assert_array_equal(classifier.predict(X_test, k=k, chunk_size=7), want)
        np.testing.assert_array_equal(classifier.predict(X_test, k=k, num_loops=1, chunk_size=10),
                                      want)


def test_uint8_images_do_not_wrap_around(knn):
    # 200² = 40000 wraps to 64 in uint8, 0 − 200 to 56: every distance below would be wrong.
    X_train = np.array([[0, 0, 0], [200, 200, 200], [255, 0, 255]], dtype=np.uint8)
    X_test = np.array([[200, 0, 100], [0, 255, 0]], dtype=np.uint8)
    classifier = knn.KNearestNeighbor()
    classifier.train(X_train, np.array([0, 1, 2]))
    want = _plain_distances(X_test, X_train)
    np.testing.assert_allclose(classifier.compute_distances_no_loops(X_test), want, rtol=1e-12)
    for norm, plain in (("l2", want),
                        ("l1", np.abs(X_test[:, None].astype(float) - X_train[None]).sum(axis=2)),
                        ("linf", np.abs(X_test[:, None].astype(float) - X_train[None]).max(axis=2))):
        np.testing.assert_allclose(classifier.compute_distances_one_loop(X_test, norm=norm), plain,
                                   rtol=1e-12)
        np.testing.assert_allclose(classifier.compute_distances_two_loops(X_test, norm=norm), plain,
                                   rtol=1e-12)
    np.testing.assert_array_equal(classifier.predict(X_test, k=1), np.argmin(want, axis=1))


# ------------------------------------------------------------------ nets: no first-layer dx

def _plain_relu_net_grads(params, X, y, reg, L):
    """Loss gradients of {affine → relu} × (L − 1) → affine → softmax, with every dx computed."""
    X = X.reshape(len(X), -1)
    inputs, h = [], X
    for layer in range(1, L + 1):
        inputs.append(h)
        h = h @ params[f"W{layer}"] + params[f"b{layer}"]
        if layer < L:
            h = np.maximum(h, 0)
    p = np.exp(h - h.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    dout, grads = p / len(y), {}
    for layer in range(L, 0, -1):
        x = inputs[layer - 1]
        grads[f"W{layer}"] = x.T @ dout + reg * params[f"W{layer}"]
        grads[f"b{layer}"] = dout.sum(axis=0)
        dout = (dout @ params[f"W{layer}"].T) * (x > 0)
    return grads


@pytest.mark.parametrize("assignment", ["hw3", "hw4"])
@pytest.mark.parametrize("hidden", [[], [7], [6, 5, 4]])
def test_fc_net_grads_without_the_first_dx_equal_the_plain_backprop(assignment, hidden):
    fc_net = reference_modules(assignment, ["fc_net"])["fc_net"]
    rng = np.random.default_rng(len(hidden))
    X, y = rng.standard_normal((9, 2, 2, 2)), rng.integers(0, 3, 9)
    model = fc_net.FullyConnectedNet(hidden, input_dim=8, num_classes=3, reg=0.1,
                                     weight_scale=0.5, seed=1)
    _, grads = model.loss(X, y)
    want = _plain_relu_net_grads(model.params, X, y, 0.1, len(hidden) + 1)
    assert set(grads) == set(want)
    for name in want:
        np.testing.assert_allclose(grads[name], want[name], rtol=1e-10, atol=1e-13, err_msg=name)


def test_hw4_net_with_batchnorm_and_dropout_matches_numeric_gradients():
    modules = reference_modules("hw4", ["fc_net", "gradient_check"])
    numeric_gradient = modules["gradient_check"].eval_numerical_gradient
    rng = np.random.default_rng(5)
    X, y = rng.standard_normal((10, 6)), rng.integers(0, 4, 10)
    model = modules["fc_net"].FullyConnectedNet([5, 4], input_dim=6, num_classes=4, reg=0.05,
                                                weight_scale="he", normalization="batchnorm",
                                                dropout_keep_ratio=0.7, seed=2)
    model.dropout_param["seed"] = 123  # the same masks on every call
    loss, grads = model.loss(X, y)
    for name in sorted(grads):
        numeric = numeric_gradient(lambda _: model.loss(X, y)[0], model.params[name])
        # (b1, b2 feed a batch norm, which cancels them: their gradients are 0, so no rel_error)
        np.testing.assert_allclose(grads[name], numeric, rtol=1e-5, atol=1e-8, err_msg=name)


# ------------------------------------------------------------------ Adam in place

def test_in_place_adam_follows_the_formulas_and_leaves_dw_alone():
    optim = reference_modules("hw4", ["optim"])["optim"]
    rng = np.random.default_rng(6)
    w = rng.standard_normal((4, 3))
    config, lr, b1, b2, eps = {"learning_rate": 0.05}, 0.05, 0.9, 0.999, 1e-8
    m, v, plain_w = np.zeros_like(w), np.zeros_like(w), w.copy()
    for t in range(1, 8):
        dw = rng.standard_normal(w.shape) * 10.0 ** rng.integers(-3, 3)
        passed, dw_before = w, dw.copy()
        w, config = optim.adam(passed, dw, config)
        assert w is passed                              # w updated in place and returned
        np.testing.assert_array_equal(dw, dw_before)    # the caller's dw is never written into
        m = b1 * m + (1 - b1) * dw
        v = b2 * v + (1 - b2) * dw**2
        plain_w = plain_w - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        np.testing.assert_allclose(w, plain_w, rtol=1e-14, atol=0)
        np.testing.assert_allclose(config["m"], m, rtol=1e-14)
        np.testing.assert_allclose(config["v"], v, rtol=1e-14)
        assert config["t"] == t


# ------------------------------------------------------------------ every update rule: one new array

def _plain_rule(name):
    """The textbook form of each hw4 rule, a new array for every operation: (w, dw, state) ->
    (next_w, state)."""
    lr, mu, rho, eps, b1, b2 = 0.05, 0.8, 0.9, 1e-8, 0.9, 0.999

    def sgd(w, dw, s):
        return w - lr * dw, s

    def sgd_momentum(w, dw, s):
        v = mu * s.get("velocity", 0 * w) - lr * dw
        return w + v, {"velocity": v}

    def sgd_nesterov_momentum(w, dw, s):
        v = mu * s.get("velocity", 0 * w) - lr * dw
        return w + mu * v - lr * dw, {"velocity": v}

    def adagrad(w, dw, s):
        r = s.get("cache", 0 * w) + dw**2
        return w - lr * dw / (np.sqrt(r) + eps), {"cache": r}

    def rmsprop(w, dw, s):
        r = rho * s.get("cache", 0 * w) + (1 - rho) * dw**2
        return w - lr * dw / (np.sqrt(r) + eps), {"cache": r}

    def adam(w, dw, s):
        t = s.get("t", 0) + 1
        m = b1 * s.get("m", 0 * w) + (1 - b1) * dw
        v = b2 * s.get("v", 0 * w) + (1 - b2) * dw**2
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        return w - lr * m_hat / (np.sqrt(v_hat) + eps), {"m": m, "v": v, "t": t}

    config = {"learning_rate": lr, "momentum": mu, "decay_rate": rho}
    return locals()[name], config


# sgd and both momentum rules do the textbook's operations in the textbook's order, in place: bit
# for bit.
# AdaGrad and RMSProp divide dw first and scale after, Adam folds its bias corrections into two
# scalars: the last bit may differ, so they get a few units in the last place.
RULES = {"sgd": 0, "sgd_momentum": 0, "sgd_nesterov_momentum": 0, "adagrad": 4, "rmsprop": 4,
         "adam": 8}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", sorted(RULES))
def test_every_rule_updates_w_in_place_and_follows_the_textbook_form(name, dtype):
    """Does each hw4 rule give the numbers of its textbook form, in place in w (returned as
    next_w), leaving the caller's dw alone and keeping its own state arrays in config?"""
    optim = reference_modules("hw4", ["optim"])["optim"]
    rule = getattr(optim, name)
    plain, config = _plain_rule(name)
    rng = np.random.default_rng(len(name))
    w = rng.standard_normal((6, 5)).astype(dtype)
    plain_w, state = w.copy(), {}
    for step in range(1, 10):
        # gradients over six orders of magnitude: small ones make ε and the moments matter
        dw = (rng.standard_normal(w.shape) * 10.0 ** rng.integers(-4, 2)).astype(dtype)
        passed, before_dw = w, dw.copy()
        w, config = rule(passed, dw, config)
        assert w is passed, "the reference updates w in place"
        np.testing.assert_array_equal(dw, before_dw)        # the caller's gradient, untouched
        state_arrays = [s for s in config.values() if isinstance(s, np.ndarray)]
        assert not any(np.shares_memory(w, s) or np.shares_memory(dw, s) for s in state_arrays)
        assert w.dtype == dtype and w.shape == (6, 5)
        plain_w, state = plain(plain_w, dw, state)
        ulps = RULES[name]
        if ulps == 0:
            np.testing.assert_array_equal(w, plain_w)
        else:
            # differences accumulate over the steps: allow `ulps` per step taken so far
            assert np.all(np.abs(w - plain_w) <= ulps * step * np.spacing(np.abs(plain_w))), name
        for key, value in state.items():
            np.testing.assert_allclose(config[key], value, rtol=4 * np.finfo(dtype).eps, atol=0,
                                       err_msg=key)


def test_solver_sgd_is_the_plain_step_in_place():
    solver = reference_modules("hw3", ["solver"])["solver"]
    rng = np.random.default_rng(8)
    w, dw = rng.standard_normal((7, 3)), rng.standard_normal((7, 3))
    before, before_dw = w.copy(), dw.copy()
    next_w, config = solver.sgd(w, dw, {"learning_rate": 0.3})
    np.testing.assert_array_equal(next_w, before - 0.3 * dw)
    assert next_w is w and config == {"learning_rate": 0.3}
    np.testing.assert_array_equal(dw, before_dw)


def test_hw4_probes_and_tests_call_the_rules_with_w_and_dw_one_array():
    """The notebook's test cells call `rule(w0, w0)` to read the defaults: an in-place rule
    must read all of dw before it writes w."""
    optim = reference_modules("hw4", ["optim"])["optim"]
    for name in sorted(RULES):
        plain, config = _plain_rule(name)
        w = np.linspace(-1.5, 1.5, 12).reshape(3, 4)
        want, _ = plain(w.copy(), w.copy(), {})
        got, _ = getattr(optim, name)(w, w, dict(config))
        np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-15, err_msg=name)


# ------------------------------------------------------------------ the L2 penalty, skipped at reg = 0

def _plain_loss(params, X, y, reg, L):
    X = X.reshape(len(X), -1)
    h = X
    for layer in range(1, L + 1):
        h = h @ params[f"W{layer}"] + params[f"b{layer}"]
        if layer < L:
            h = np.maximum(h, 0)
    shifted = h - h.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    penalty = sum(np.sum(params[f"W{layer}"] ** 2) for layer in range(1, L + 1))
    return -log_p[np.arange(len(y)), y].mean() + 0.5 * reg * penalty


@pytest.mark.parametrize("assignment", ["hw3", "hw4"])
@pytest.mark.parametrize("reg", [0.0, 0.3])
def test_fc_net_loss_and_grads_with_and_without_the_penalty(assignment, reg):
    """With reg = 0 the penalty is skipped, with reg > 0 ‖W‖² comes from np.vdot: are loss and
    gradients those of the plain computation either way?"""
    fc_net = reference_modules(assignment, ["fc_net"])["fc_net"]
    rng = np.random.default_rng(11)
    X, y = rng.standard_normal((8, 3, 4)), rng.integers(0, 5, 8)
    model = fc_net.FullyConnectedNet([9, 6], input_dim=12, num_classes=5, reg=reg,
                                     weight_scale=0.4, seed=3)
    loss, grads = model.loss(X, y)
    np.testing.assert_allclose(loss, _plain_loss(model.params, X, y, reg, 3), rtol=1e-13)
    want = _plain_relu_net_grads(model.params, X, y, reg, 3)
    for name in want:
        np.testing.assert_allclose(grads[name], want[name], rtol=1e-10, atol=1e-13, err_msg=name)
