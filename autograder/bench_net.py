"""bench net: one training step of the fully connected nets against its BLAS floor.

A step is model.loss(X, y) and one update of every parameter, as the Solver does it. Its floor
is the matrix products a step cannot avoid: per layer the forward x W and the backward xᵀ dout
(dW), and dout Wᵀ for every layer but the first (no one needs the gradient of the images).

    hw4 sgd / GEMMs              hw4 FullyConnectedNet, optim.sgd (goal <= 1.15x)
    adam passes / GEMMs          numpy's floor for an Adam update: its 12 elementwise operations
                                 as bare ufunc passes into preallocated arrays, over every
                                 parameter (no goal: it is what the next two lines are read by)
    hw4 adam / GEMMs+passes      optim.adam against the GEMMs plus those passes (goal <= 1.15x)
    hw4 adam / GEMMs             the same against the GEMMs alone: 1.15x is out of numpy's
                                 reach (at best 1 + passes / GEMMs, 1.3-1.45x here single-threaded:
                                 each pass streams ~300k parameters through memory; fused
                                 kernels, as PyTorch's addcmul and addcdiv, do several
                                 operations per pass)
    hw4 adam+bn+drop / GEMMs+passes   batch norm and dropout (keep 0.5) in every hidden block,
                                 adam (no goal: batch norm's and dropout's own elementwise
                                 passes are part of the model, not of the floor)
    hw3 sgd / GEMMs              hw3 FullyConnectedNet and the Solver's sgd (goal <= 1.15x)
    … / torch                    the same step in PyTorch CPU, when installed

Sizes: 3072-100-100-10, ReLU, batch 200, float64 (the models' default dtype); --quick: 768-100-100-10.
With two BLAS threads on an idle machine the GEMMs take half the time and the (single-threaded)
elementwise work does not, so every ratio grows: compare with OPENBLAS_NUM_THREADS=1.
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


def _adam_passes(shapes: list[tuple[int, ...]], rng: np.random.Generator):
    """Adam's 12 elementwise operations per parameter array as bare ufunc passes into
    preallocated arrays: no allocation and no bookkeeping, so no numpy Adam can do less."""
    arrays = [(rng.standard_normal(shape), rng.standard_normal(shape), np.zeros(shape),
               np.ones(shape), np.empty(shape)) for shape in shapes]

    def passes():
        for w, dw, m, v, step in arrays:
            np.multiply(dw, 0.1, out=step)
            m *= 0.9
            m += step
            np.square(dw, out=step)
            step *= 0.001
            v *= 0.999
            v += step
            np.sqrt(v, out=step)
            step += 1e-8
            np.divide(m, step, out=step)
            step *= 1e-3
            w -= step
    return passes


def _both(first, second):
    def both():
        first()
        second()
    return both


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
    shapes = [shape for a, b in zip(dims[:-1], dims[1:]) for shape in ((a, b), (b,))]
    floor_and_passes = _both(floor, _adam_passes(shapes, rng))
    gemms = "; baseline: forward and backward GEMMs, no first-layer dx"
    lines = []

    def model(**options):
        return hw4["fc_net"].FullyConnectedNet(HIDDEN, input_dim=D, num_classes=CLASSES,
                                               weight_scale="he", seed=0, **options)

    rate = {"learning_rate": 1e-3}
    candidate, baseline = interleaved(_stepper(model(), optim.sgd, rate, X, y), floor, repeats)
    lines.append(line("hw4 sgd step / GEMMs", candidate / baseline, seconds(baseline),
                      seconds(candidate), sizes + gemms, "<= 1.15x"))
    passes, baseline = interleaved(_adam_passes(shapes, rng), floor, repeats)
    lines.append(line("adam passes / GEMMs", passes / baseline, seconds(baseline), seconds(passes),
                      sizes + "; candidate: numpy's floor for Adam, 12 bare ufunc passes over "
                      "every parameter"))
    step = _stepper(model(), optim.adam, rate, X, y)
    candidate, baseline = interleaved(step, floor_and_passes, repeats)
    lines.append(line("hw4 adam step / GEMMs+passes", candidate / baseline, seconds(baseline),
                      seconds(candidate), sizes + "; baseline: the GEMMs, then the adam passes",
                      "<= 1.15x"))
    candidate, baseline = interleaved(step, floor, repeats)
    lines.append(line("hw4 adam step / GEMMs", candidate / baseline, seconds(baseline),
                      seconds(candidate), sizes + gemms,
                      "none in numpy: >= 1 + adam passes / GEMMs, see above"))
    step = _stepper(model(normalization="batchnorm", dropout_keep_ratio=0.5), optim.adam, rate,
                    X, y)
    candidate, baseline = interleaved(step, floor_and_passes, repeats)
    lines.append(line("hw4 adam+bn+drop / GEMMs+passes", candidate / baseline, seconds(baseline),
                      seconds(candidate), sizes + "; baseline: the GEMMs, then the adam passes",
                      "none: batch norm's and dropout's passes belong to the model"))
    hw3 = reference_modules("hw3", ["fc_net", "solver"], ROOT)
    hw3_model = hw3["fc_net"].FullyConnectedNet(HIDDEN, input_dim=D, num_classes=CLASSES,
                                                weight_scale=1e-2, seed=0)
    candidate, baseline = interleaved(_stepper(hw3_model, hw3["solver"].sgd,
                                               {"learning_rate": 1e-3}, X, y), floor, repeats)
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
        update = optim.sgd if name == "sgd" else optim.adam
        candidate, other = interleaved(_stepper(model(), update, {"learning_rate": 1e-3}, X, y),
                                       torch_step, repeats)
        lines.append(line(f"hw4 {name} step / torch", candidate / other, seconds(other),
                          seconds(candidate), sizes + f"; torch {torch.get_num_threads()} threads"))
    return lines
