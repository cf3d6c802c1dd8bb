"""Minibatch training of a classification model, given code shared by hw3 and hw4.

The model contract (TwoLayerNet, FullyConnectedNet and the hw4 networks all follow it):
    model.params             dict name -> ndarray, updated in place by the Solver
    model.loss(X)            scores: (N, C)
    model.loss(X, y)         (loss: float, grads: dict name -> ndarray shaped like params[name])

The update-rule contract (the one `nndl/optim.py` uses in hw4):
    update(w, dw, config) -> (next_w, config)
next_w may be w itself, updated in place (the Solver stores it back and copies the parameters it
keeps as best); dw is never written into.
`config` is a dict per parameter; the rule reads its hyperparameters from it (at least
"learning_rate") and keeps its state there (velocity, moments, step count).

Data: a dict with "X_train" (N, ...), "y_train" (N,), "X_val" (N_val, ...), "y_val" (N_val,).

    solver = Solver(model, data, update_rule="sgd", optim_config={"learning_rate": 1e-3},
                    lr_decay=0.95, num_epochs=10, batch_size=100, seed=0)
    solver.train()               # one progress line per epoch on stdout
    Solver(..., verbose=False, progress=True).train()   # a progress bar over the updates instead
    solver.loss_history, solver.train_acc_history, solver.val_acc_history, solver.best_val_acc

A learning-rate schedule instead of lr_decay (hw4's nndl/optim.py has some): a callable from
the number of updates taken so far (0, 1, 2, ...) to the learning rate of the next update:

    Solver(..., lr_schedule=lambda step: 1e-3 * 0.99**step).train().lr_history

lr_range_test(model, data, ...) runs a learning-rate range test (the rate grows geometrically
from one minibatch update to the next) and returns the rates, the losses it saw and the
losses smoothed.
"""
import copy
import importlib

import numpy as np

from nndl.progress import progress as progress_bar


def sgd(w, dw, config):
    """Plain stochastic gradient descent: next_w = w − learning_rate · dw, with w updated in
    place and returned (a new array per step would cost page faults as large as w).

    config: {"learning_rate": float (default 1e-2)}
    """
    config.setdefault("learning_rate", 1e-2)
    w -= config["learning_rate"] * dw
    return w, config


def resolve_update_rule(update_rule):
    """A callable update rule from a callable or a name.

    "sgd" is built in; any other name is looked up in the module `nndl.optim` (hw4 adds it).
    """
    if callable(update_rule):
        return update_rule
    try:
        optim = importlib.import_module("nndl.optim")
    except ImportError:
        optim = None
    if optim is not None and hasattr(optim, update_rule):
        return getattr(optim, update_rule)
    if update_rule == "sgd":
        return sgd
    raise ValueError(f"unknown update rule '{update_rule}': pass a callable, 'sgd', "
                     f"or the name of a function in nndl/optim.py")


class Solver:
    """Train `model` on `data` with minibatch updates; keep the parameters with the best
    validation accuracy.

    Arguments (all but model and data are keyword-only):
      update_rule        callable or name (see resolve_update_rule); default "sgd"
      optim_config       dict of hyperparameters given to the update rule, copied per parameter
      lr_decay           the learning rate is multiplied by this after every epoch
      lr_schedule        None, or a callable step -> learning rate, step = the number of updates
                         taken before this one (0 first, counted across epochs); its value is
                         written into every parameter's config as "learning_rate" before each
                         update (so optim_config's learning rate is not used). Not together
                         with lr_decay ≠ 1.
      batch_size         examples per update
      num_epochs         passes over the training set
      num_train_samples  training examples used to measure the training accuracy each epoch
                         (None: all)
      num_val_samples    validation examples used each epoch (None: all)
      seed               seeds the minibatch order and the accuracy subsamples
      verbose            print one progress line per epoch (to stdout)
      progress           show a text progress bar over the updates, with the latest loss and
                         validation accuracy (nndl.progress: stdout, silent while graded);
                         a string is used as the bar's label (default "training")

    After train():
      loss_history       one loss per update
      lr_history         the learning rate of each update (of the first parameter's config)
      train_acc_history, val_acc_history   one accuracy per epoch, plus one before training
      best_val_acc, best_params            the best epoch; model.params is set to best_params
    """

    def __init__(self, model, data, *, update_rule="sgd", optim_config=None, lr_decay=1.0,
                 lr_schedule=None, batch_size=100, num_epochs=10, num_train_samples=1000,
                 num_val_samples=None, seed=0, verbose=True, progress=False):
        if lr_schedule is not None and lr_decay != 1.0:
            raise ValueError(f"give either lr_schedule or lr_decay (got lr_decay={lr_decay}): "
                             "a schedule sets every update's learning rate itself")
        if lr_schedule is not None and not callable(lr_schedule):
            raise TypeError("lr_schedule must be a callable step -> learning rate")
        self.model = model
        self.X_train, self.y_train = data["X_train"], data["y_train"]
        self.X_val, self.y_val = data["X_val"], data["y_val"]
        self.update_rule = resolve_update_rule(update_rule)
        self.optim_config = dict(optim_config or {})
        self.lr_decay = lr_decay
        self.lr_schedule = lr_schedule
        self.batch_size = batch_size
        self.num_epochs = num_epochs
        self.num_train_samples = num_train_samples
        self.num_val_samples = num_val_samples
        self.seed = seed
        self.verbose = verbose
        self.progress = progress
        self._reset()

    def _reset(self):
        self.rng = np.random.default_rng(self.seed)
        self.epoch = 0
        self.loss_history = []
        self.lr_history = []
        self.train_acc_history = []
        self.val_acc_history = []
        self.best_val_acc = -1.0
        self.best_params = {}
        # Each parameter gets its own config, so rules with state (momentum, Adam) keep it apart.
        self.optim_configs = {name: copy.deepcopy(self.optim_config) for name in self.model.params}

    def _step(self, batch):
        """One update on the examples `batch` (indices into the training set)."""
        if self.lr_schedule is not None:
            learning_rate = float(self.lr_schedule(len(self.lr_history)))
            for config in self.optim_configs.values():
                config["learning_rate"] = learning_rate
        loss, grads = self.model.loss(self.X_train[batch], self.y_train[batch])
        self.loss_history.append(float(loss))
        for name, w in self.model.params.items():
            next_w, config = self.update_rule(w, grads[name], self.optim_configs[name])
            self.model.params[name] = next_w
            self.optim_configs[name] = config
        first = next(iter(self.optim_configs.values()), {})
        self.lr_history.append(float(first.get("learning_rate", np.nan)))

    def check_accuracy(self, X, y, num_samples=None, batch_size=500):
        """Fraction of correct predictions of the current model on X (a random subset of
        `num_samples` rows if given), computed in batches of `batch_size`."""
        if num_samples is not None and len(X) > num_samples:
            keep = self.rng.choice(len(X), num_samples, replace=False)
            X, y = X[keep], y[keep]
        predictions = [np.argmax(self.model.loss(X[start:start + batch_size]), axis=1)
                       for start in range(0, len(X), batch_size)]
        return float(np.mean(np.concatenate(predictions) == y))

    def _record_epoch(self):
        train_acc = self.check_accuracy(self.X_train, self.y_train, self.num_train_samples)
        val_acc = self.check_accuracy(self.X_val, self.y_val, self.num_val_samples)
        self.train_acc_history.append(train_acc)
        self.val_acc_history.append(val_acc)
        if val_acc > self.best_val_acc:
            self.best_val_acc = val_acc
            self.best_params = {name: w.copy() for name, w in self.model.params.items()}
        if self.verbose:
            loss = f"{self.loss_history[-1]:.4f}" if self.loss_history else "   -  "
            print(f"epoch {self.epoch:3d}/{self.num_epochs}  loss {loss}  "
                  f"train acc {train_acc:.3f}  val acc {val_acc:.3f}", flush=True)

    def train(self):
        """Run num_epochs epochs of minibatch updates; returns self."""
        self._reset()
        num_train = len(self.X_train)
        updates_per_epoch = -(-num_train // self.batch_size)
        off = {} if self.progress else {"disable": True}   # else nndl.progress decides (grading)
        bar = progress_bar(total=self.num_epochs * updates_per_epoch, unit="update",
                           desc=self.progress if isinstance(self.progress, str) else "training",
                           **off)
        self._record_epoch()
        for self.epoch in range(1, self.num_epochs + 1):
            order = self.rng.permutation(num_train)
            for start in range(0, num_train, self.batch_size):
                self._step(order[start:start + self.batch_size])
                bar.update(1)
            for config in self.optim_configs.values():
                if "learning_rate" in config:
                    config["learning_rate"] *= self.lr_decay
            self._record_epoch()
            bar.set_postfix_str(f"loss {self.loss_history[-1]:.3f}, "
                                f"val acc {self.val_acc_history[-1]:.3f}", refresh=False)
        bar.close()
        self.model.params.update(self.best_params)
        return self


def lr_range_test(model, data, *, update_rule="sgd", optim_config=None, lr_min=1e-5, lr_max=1.0,
                  num_steps=200, batch_size=50, beta=0.9, diverge_factor=4.0, seed=0):
    """A learning-rate range test (L. Smith, "Cyclical learning rates", 2017): minibatch updates
    whose learning rate grows geometrically from lr_min to lr_max over num_steps updates,

        η_k = lr_min · (lr_max / lr_min)^(k / (num_steps − 1)),   k = 0, 1, …, num_steps − 1,

    recording the loss ℓ_k of each minibatch (computed just before the update with η_k) and its
    bias-corrected exponential moving average, as Adam's m̂:

        a_k = β·a_(k−1) + (1 − β)·ℓ_k  (a_(−1) = 0),    â_k = a_k / (1 − β^(k+1)).

    It stops early once â_k is not finite or exceeds diverge_factor × its lowest value so far:
    training has diverged and the rest says nothing. Minibatches are drawn without replacement
    from seeded permutations of the training set, one permutation after another.

    model: follows the Solver's contract; its params are trained in place, so pass a fresh one.
    update_rule, optim_config, batch_size, seed: as for Solver (optim_config's learning rate is
    overwritten at every step).
    Returns (learning_rates, losses, smoothed): three (K,) arrays, K ≤ num_steps: η_k, ℓ_k, â_k.
    """
    if not 0 < lr_min < lr_max or num_steps < 2:
        raise ValueError("need 0 < lr_min < lr_max and num_steps ≥ 2")
    ratio = lr_max / lr_min
    solver = Solver(model, data, update_rule=update_rule, optim_config=optim_config,
                    lr_schedule=lambda step: lr_min * ratio ** (step / (num_steps - 1)),
                    batch_size=batch_size, num_epochs=1, seed=seed, verbose=False)
    num_train = len(solver.X_train)
    order = np.empty(0, dtype=int)
    average, smoothed = 0.0, []
    with np.errstate(over="ignore", invalid="ignore"):   # a diverging run overflows: we stop it
        while len(smoothed) < num_steps:
            if len(order) < batch_size:
                order = np.concatenate([order, solver.rng.permutation(num_train)])
            batch, order = order[:batch_size], order[batch_size:]
            solver._step(batch)
            average = beta * average + (1 - beta) * solver.loss_history[-1]
            smoothed.append(average / (1 - beta ** (len(smoothed) + 1)))
            if not np.isfinite(smoothed[-1]) or smoothed[-1] > diverge_factor * min(smoothed):
                break
    return np.array(solver.lr_history), np.array(solver.loss_history), np.array(smoothed)
