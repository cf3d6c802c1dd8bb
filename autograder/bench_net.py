"""bench net: one training step of the fully connected nets against its BLAS floor.

A step is model.loss(X, y) and one update of every parameter, as the Solver does it. Its floor
is the matrix products a step cannot avoid: per layer the forward x W and the backward xᵀ dout
(dW), and dout Wᵀ for every layer but the first (no one needs the gradient of the images).

    hw4 sgd / GEMMs            hw4 FullyConnectedNet, optim.sgd (goal <= 1.15x)
    hw4 adam / GEMMs           optim.adam (goal <= 1.15x)
    hw4 adam+bn+drop / GEMMs   batch norm and dropout (keep 0.5) in every hidden block, adam
                               (no goal: batch norm's elementwise passes are part of the model)
    hw3 sgd / GEMMs            hw3 FullyConnectedNet, plain SGD step (goal <= 1.15x)
    … / torch                  the same step in PyTorch CPU, when installed

Sizes: 3072-100-100-10, ReLU, batch 200, float64 (the models' default dtype); --quick: 768-100-100-10.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from autograder.bench import line
from autograder.bench_timing import have, interleaved, seconds
from autograder.reference import reference_modules
from autograder.settings import COURSE_ROOT

ROOT: Path = COURSE_ROOT
HIDDEN, CLASSES, BATCH = [100, 100], 10, 200


def _floor(dims: list[int], rng: np.random.Generator):
    """The step's unavoidable products on arrays of the right shapes."""
    X = rng.standard_normal((BATCH, dims[0]))
    Ws = [rng.standard_normal((a, b)) for a, b in zip(dims[:-1], dims[1:])]
    hs = [rng.standard_normal((BATCH, a)) for a in dims[1:-1]]
    douts = [rng.standard_normal((BATCH, b)) for b in dims[1:]]

    def floor():
        inputs = [X] + hs
        for x, W in zip(inputs, Ws):
            x @ W
        for layer, (x, W, dout) in enumerate(zip(inputs, Ws, douts)):
            x.T @ dout
            if layer > 0:
                dout @ W.T
    return floor


def _stepper(model, update, config: dict, X, y):
    configs = {name: dict(config) for name in model.params}

    def step():
        _, grads = model.loss(X, y)
        for name, w in model.params.items():
            model.params[name], configs[name] = update(w, grads[name], configs[name])
    return step


def run(quick: bool) -> list[str]:
    D = 768 if quick else 3072
    dims = [D] + HIDDEN + [CLASSES]
    rng = np.random.default_rng(14)
    X = rng.standard_normal((BATCH, D))
    y = rng.integers(0, CLASSES, BATCH)
    floor = _floor(dims, rng)
    repeats = 9 if quick else 41
    sizes = f"{'-'.join(map(str, dims))}, batch {BATCH}, relu, float64"
    hw4 = reference_modules("hw4", ["fc_net", "optim"], ROOT)
    optim = hw4["optim"]
    cases = [
        ("hw4 sgd", dict(), optim.sgd, {"learning_rate": 1e-3}, "<= 1.15x"),
        ("hw4 adam", dict(), optim.adam, {"learning_rate": 1e-3}, "<= 1.15x"),
        ("hw4 adam+bn+drop", dict(normalization="batchnorm", dropout_keep_ratio=0.5),
         optim.adam, {"learning_rate": 1e-3}, ""),
    ]
    lines = []
    for name, options, update, config, goal in cases:
        model = hw4["fc_net"].FullyConnectedNet(HIDDEN, input_dim=D, num_classes=CLASSES,
                                                weight_scale="he", seed=0, **options)
        candidate, baseline = interleaved(_stepper(model, update, config, X, y), floor, repeats)
        lines.append(line(f"{name} step / GEMMs", candidate / baseline, seconds(baseline),
                          seconds(candidate), sizes + "; baseline: forward and backward GEMMs, "
                          "no first-layer dx", goal))
    hw3 = reference_modules("hw3", ["fc_net"], ROOT)
    model = hw3["fc_net"].FullyConnectedNet(HIDDEN, input_dim=D, num_classes=CLASSES,
                                            weight_scale=1e-2, seed=0)

    def hw3_sgd(w, dw, config):
        return w - config["learning_rate"] * dw, config

    candidate, baseline = interleaved(_stepper(model, hw3_sgd, {"learning_rate": 1e-3}, X, y),
                                      floor, repeats)
    lines.append(line("hw3 sgd step / GEMMs", candidate / baseline, seconds(baseline),
                      seconds(candidate), sizes + "; baseline as above", "<= 1.15x"))
    if not have("torch"):
        lines.append("net step / torch: torch not installed")
        return lines
    import torch
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    layers = []
    for a, b in zip(dims[:-1], dims[1:]):
        layers += [torch.nn.Linear(a, b, dtype=torch.float64), torch.nn.ReLU()]
    net = torch.nn.Sequential(*layers[:-1])
    for name, make in (("sgd", torch.optim.SGD), ("adam", torch.optim.Adam)):
        optimizer = make(net.parameters(), lr=1e-3)

        def torch_step():
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(net(Xt), yt).backward()
            optimizer.step()
        model = hw4["fc_net"].FullyConnectedNet(HIDDEN, input_dim=D, num_classes=CLASSES,
                                                weight_scale="he", seed=0)
        update = optim.sgd if name == "sgd" else optim.adam
        candidate, other = interleaved(_stepper(model, update, {"learning_rate": 1e-3}, X, y),
                                       torch_step, repeats)
        lines.append(line(f"hw4 {name} step / torch", candidate / other, seconds(other),
                          seconds(candidate), sizes + f"; torch {torch.get_num_threads()} threads"))
    return lines
