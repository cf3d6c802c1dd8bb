"""Plotting helpers shared by the assignments: one call per figure, titled and labelled.

Each helper imports matplotlib.pyplot itself, so `import nndl.vis` costs no more than numpy;
the first plot pays for matplotlib.
"""
import numpy as np

# --- hw3: training curves, weight images, decision regions, activations, cost functions ----


def plot_training_curves(loss_history, train_acc_history=None, val_acc_history=None,
                         title="Training"):
    """Loss per update (left) and, if given, train/validation accuracy per epoch (right).

    loss_history: sequence of floats, one per update;  *_acc_history: one float per epoch
    Returns the figure.
    """
    import matplotlib.pyplot as plt
    has_acc = train_acc_history is not None or val_acc_history is not None
    fig, axes = plt.subplots(1, 2 if has_acc else 1, figsize=(11 if has_acc else 6, 3.6),
                             layout="constrained", squeeze=False)
    ax = axes[0, 0]
    ax.plot(np.arange(len(loss_history)), loss_history, lw=0.8)
    ax.set(title=f"{title}: loss", xlabel="update", ylabel="loss")
    if has_acc:
        ax = axes[0, 1]
        for history, label in [(train_acc_history, "train"), (val_acc_history, "validation")]:
            if history is not None:
                ax.plot(np.arange(len(history)), history, marker="o", ms=3, label=label)
        ax.set(title=f"{title}: accuracy", xlabel="epoch", ylabel="accuracy")
        ax.legend()
    plt.show()
    return fig


def show_weight_images(W, image_shape=(32, 32, 3), titles=None, ncols=10, title="Weights"):
    """Show each column of W as an image, each rescaled to [0, 1] on its own.

    W: (D, K) with D = prod(image_shape), rows in the order of the flattened images
    (channel-last, like nndl.data's X.reshape(N, -1));  titles: K strings or None
    Returns the figure.
    """
    import matplotlib.pyplot as plt
    W = np.asarray(W, dtype=float)
    K = W.shape[1]
    ncols = min(ncols, K)
    nrows = int(np.ceil(K / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.2 * ncols, 1.3 * nrows + 0.4),
                             layout="constrained", squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k >= K:
            continue
        image = W[:, k].reshape(image_shape)
        low, high = image.min(), image.max()
        image = (image - low) / (high - low) if high > low else np.zeros_like(image)
        ax.imshow(image, cmap="gray" if image.ndim == 2 else None)
        if titles is not None:
            ax.set_title(titles[k], fontsize=8)
    fig.suptitle(title)
    plt.show()
    return fig


def plot_decision_regions(predict, X, y, title="Decision regions", resolution=200, ax=None,
                          xlabel="$x_1$", ylabel="$x_2$"):
    """Colour the plane by predict's class and scatter the labelled points on top.

    predict: callable, (M, 2) -> (M,) integer labels;  X: (N, 2);  y: (N,) integer labels
    Returns the axes.
    """
    import matplotlib.pyplot as plt
    X = np.asarray(X, dtype=float)
    show = ax is None
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4), layout="constrained")
    pad = 0.1 * (X.max(axis=0) - X.min(axis=0)) + 1e-3
    low, high = X.min(axis=0) - pad, X.max(axis=0) + pad
    g1, g2 = np.meshgrid(np.linspace(low[0], high[0], resolution),
                         np.linspace(low[1], high[1], resolution))
    grid = np.column_stack([g1.ravel(), g2.ravel()])
    classes = np.unique(y)
    regions = np.asarray(predict(grid)).reshape(g1.shape)
    ax.contourf(g1, g2, regions, levels=np.arange(classes.max() + 2) - 0.5, cmap="coolwarm",
                alpha=0.3)
    for c in classes:
        ax.scatter(*X[y == c].T, s=12, label=f"class {c}",
                   color=plt.cm.coolwarm(c / max(classes.max(), 1)), edgecolor="k", lw=0.3)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend(loc="upper right", fontsize=8)
    if show:
        plt.show()
    return ax


def scatter_classes(Z, y, title="Points by class", xlabel="$z_1$", ylabel="$z_2$", ax=None):
    """Scatter 2-D points coloured by class (e.g. a learned hidden representation).

    Z: (N, 2);  y: (N,) integer labels.  Returns the axes.
    """
    import matplotlib.pyplot as plt
    Z = np.asarray(Z, dtype=float)
    show = ax is None
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4), layout="constrained")
    classes = np.unique(y)
    for c in classes:
        ax.scatter(*Z[y == c].T, s=12, label=f"class {c}",
                   color=plt.cm.coolwarm(c / max(classes.max(), 1)), edgecolor="k", lw=0.3)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend(loc="best", fontsize=8)
    if show:
        plt.show()
    return ax


def plot_activation_gallery(activations, x=None, title="Activation functions"):
    """One panel per activation: the function and its derivative on a common grid.

    activations: dict name -> (f, df), each a callable taking an array x and returning an
    array shaped like x;  x: 1-D grid (default −5 … 5)
    Returns the figure.
    """
    import matplotlib.pyplot as plt
    x = np.linspace(-5, 5, 401) if x is None else np.asarray(x, dtype=float)
    n = len(activations)
    ncols = min(n, 3)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 2.8 * nrows),
                             layout="constrained", squeeze=False)
    for ax, (name, (f, df)) in zip(axes.flat, activations.items()):
        ax.axhline(0, color="0.7", lw=0.6)
        ax.axvline(0, color="0.7", lw=0.6)
        ax.plot(x, f(x), label="f(x)")
        ax.plot(x, df(x), ls="--", label="f'(x)")
        ax.set(title=name, xlabel="x")
        ax.legend(fontsize=8)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    fig.suptitle(title)
    plt.show()
    return fig


def plot_gradient_vs_confidence(p, gradients, title="Gradient at the correct class's score",
                                xlabel="confidence $p$ in a wrong class"):
    """Gradient magnitudes (one curve per loss) against the confidence in a wrong class.

    p: (P,) confidences in 0 … 1;  gradients: dict label -> (P,) magnitudes
    Returns the axes.
    """
    import matplotlib.pyplot as plt
    p = np.asarray(p, dtype=float)
    _, ax = plt.subplots(figsize=(6, 3.8), layout="constrained")
    for label, gradient in gradients.items():
        ax.plot(p, gradient, label=label)
    ax.set(title=title, xlabel=xlabel, ylabel=r"$|\partial \ell / \partial s_y|$",
           xlim=(0, 1), ylim=(0, None))
    ax.legend(fontsize=8)
    plt.show()
    return ax


def plot_loss_comparison(histories, title="Training runs"):
    """Runs whose losses have different scales: each loss divided by its first value (left),
    train (dashed) and validation (solid) accuracy (right), one colour per run.

    histories: dict label -> dict with "step" (checkpoints), "loss", "train_acc" and "val_acc"
    (one float per checkpoint)
    Returns the figure.
    """
    import matplotlib.pyplot as plt
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")
    for k, (label, history) in enumerate(histories.items()):
        color = plt.cm.tab10(k % 10)
        loss = np.asarray(history["loss"], dtype=float)
        ax_loss.plot(history["step"], loss / loss[0], color=color, marker="o", ms=3, label=label)
        ax_acc.plot(history["step"], history["val_acc"], color=color, marker="o", ms=3,
                    label=f"{label} val")
        ax_acc.plot(history["step"], history["train_acc"], color=color, ls="--", lw=0.8)
    ax_loss.set(title=f"{title}: loss ÷ its first value", xlabel="update", ylabel="relative loss")
    ax_loss.legend(fontsize=8)
    ax_acc.set(title=f"{title}: accuracy (solid: validation, dashed: train)", xlabel="update",
               ylabel="accuracy")
    ax_acc.legend(fontsize=7)
    plt.show()
    return fig


def plot_gradient_signs(gradients, title="Per-example gradients of two weights",
                        xlabel=r"$\partial \ell / \partial w_1$",
                        ylabel=r"$\partial \ell / \partial w_2$"):
    """One panel per case: each example's gradient with respect to two weights, as a point.

    gradients: dict label -> (N, 2) array, one row per example
    Returns the figure.
    """
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, len(gradients), figsize=(4 * len(gradients), 3.8),
                             layout="constrained", squeeze=False)
    for ax, (label, g) in zip(axes.flat, gradients.items()):
        g = np.asarray(g, dtype=float)
        same = np.mean(np.sign(g[:, 0]) == np.sign(g[:, 1]))
        ax.axhline(0, color="0.7", lw=0.6)
        ax.axvline(0, color="0.7", lw=0.6)
        ax.scatter(g[:, 0], g[:, 1], s=8, alpha=0.6)
        ax.set(title=f"{label}: {same:.0%} in quadrants I/III", xlabel=xlabel, ylabel=ylabel)
    fig.suptitle(title)
    plt.show()
    return fig


# --- hw1: regression fits, error curves, k-fold splits -----------------------------------------
def plot_regression_fit(x, y, curves=None, title="Data and fit", xlabel="x", ylabel="y", ax=None):
    """Scatter the data and draw fitted curves over it.

    x, y: (N,) data;  curves: dict label -> (x_grid, y_grid), each a pair of (M,) arrays
    Returns the axes.
    """
    import matplotlib.pyplot as plt
    show = ax is None
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.8), layout="constrained")
    ax.scatter(x, y, s=16, color="0.3", label="data")
    for label, (x_grid, y_grid) in (curves or {}).items():
        ax.plot(x_grid, y_grid, lw=1.8, label=label)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend(fontsize=8)
    if show:
        plt.show()
    return ax


def plot_polynomial_fits(x, y, x_grid, fits, truth=None, title="Fitted curves", ylim=None):
    """One panel per fitted curve, each over the same data (and the true curve, if known).

    x, y: (N,) training data;  x_grid: (M,);  fits: dict panel title -> (M,) predictions on
    x_grid;  truth: (M,) noise-free values on x_grid or None;  ylim: (low, high) or None (then
    a margin around the data, so wild curves are clipped rather than squashing the plot)
    Returns the figure.
    """
    import matplotlib.pyplot as plt
    y = np.asarray(y, dtype=float)
    if ylim is None:
        margin = 0.5 * (y.max() - y.min())
        ylim = (y.min() - margin, y.max() + margin)
    n = len(fits)
    fig, axes = plt.subplots(1, n, figsize=(3.6 * n, 3.2), layout="constrained", squeeze=False,
                             sharey=True)
    for ax, (label, y_grid) in zip(axes[0], fits.items()):
        ax.scatter(x, y, s=14, color="0.3", label="train data")
        if truth is not None:
            ax.plot(x_grid, truth, ls="--", color="0.5", lw=1.2, label="true curve")
        ax.plot(x_grid, y_grid, color="C3", lw=1.8, label="fit")
        ax.set(title=label, xlabel="x", ylim=ylim)
    axes[0, 0].set_ylabel("y")
    axes[0, 0].legend(fontsize=8, loc="upper left")
    fig.suptitle(title)
    plt.show()
    return fig


def plot_error_vs(values, errors, xlabel, title="Error", ylabel="mean squared error", logx=False,
                  logy=True, mark_min=None):
    """Error curves against a hyperparameter (polynomial order, regularization strength, …).

    values: (P,) hyperparameter values;  errors: dict label -> (P,) positive errors;
    logx, logy: log-scaled axes;  mark_min: a label of `errors` whose minimum gets a marker
    Returns the axes.
    """
    import matplotlib.pyplot as plt
    values = np.asarray(values, dtype=float)
    _, ax = plt.subplots(figsize=(5.5, 3.8), layout="constrained")
    for label, error in errors.items():
        ax.plot(values, error, marker="o", ms=4, label=label)
    if mark_min is not None:
        best = int(np.argmin(errors[mark_min]))
        ax.scatter([values[best]], [errors[mark_min][best]], s=120, facecolor="none",
                   edgecolor="k", lw=1.5, zorder=3, label=f"min {mark_min}: {values[best]:.3g}")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    ax.legend(fontsize=8)
    plt.show()
    return ax


def plot_kfold_split(folds, n, title="k-fold split"):
    """Which example sits in which validation fold: one row per fold, one column per example.

    folds: list of k pairs (train_idx, val_idx) of integer arrays covering range(n)
    Returns the axes.
    """
    import matplotlib.pyplot as plt
    grid = np.zeros((len(folds), n))
    for i, (_, val_idx) in enumerate(folds):
        grid[i, val_idx] = 1.0
    _, ax = plt.subplots(figsize=(min(11, 2 + 0.2 * n), 0.5 * len(folds) + 1.2),
                         layout="constrained")
    ax.imshow(grid, cmap="Blues", vmin=0, vmax=1.3, aspect="auto", interpolation="nearest")
    ax.set_yticks(np.arange(len(folds)), [f"fold {i}" for i in range(len(folds))])
    ax.set(title=f"{title} (dark: validation, light: training)", xlabel="example index")
    plt.show()
    return ax


# --- hw4: optimizer comparisons and paths, sensitivity curves, hyperparameter search --------
def plot_history_comparison(histories, title="Training runs", smooth=20):
    """Compare training runs: loss per update (left), train (solid) and validation (dashed)
    accuracy per epoch (right), one colour per run.

    histories: dict label -> dict with "loss" (one float per update), "train_acc" and
    "val_acc" (one float per epoch, epoch 0 first);  smooth: window of the moving average
    drawn over the raw loss (1: none)
    Returns the figure.
    """
    import matplotlib.pyplot as plt
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")
    for k, (label, history) in enumerate(histories.items()):
        color = plt.cm.tab10(k % 10)
        loss = np.asarray(history["loss"], dtype=float)
        window = max(1, min(smooth, len(loss)))
        ax_loss.plot(loss, color=color, lw=0.5, alpha=0.3)
        if len(loss):
            averaged = np.convolve(loss, np.ones(window) / window, mode="valid")
            ax_loss.plot(np.arange(window - 1, len(loss)), averaged, color=color, label=label)
        ax_acc.plot(history["train_acc"], color=color, marker="o", ms=3, label=f"{label} train")
        ax_acc.plot(history["val_acc"], color=color, marker="o", ms=3, ls="--",
                    label=f"{label} val")
    ax_loss.set(title=f"{title}: loss", xlabel="update", ylabel="loss")
    ax_loss.legend(fontsize=8)
    ax_acc.set(title=f"{title}: accuracy (solid: train, dashed: validation)", xlabel="epoch",
               ylabel="accuracy")
    ax_acc.legend(fontsize=7, ncol=2)
    plt.show()
    return fig


def plot_optimizer_paths(f, paths, xlim=(-2, 2), ylim=(-2, 2), title="Paths on a loss surface",
                         levels=20):
    """Contours of a 2-D function with each optimizer's path drawn on top.

    f: callable, f(W) -> values for W of shape (..., 2);  paths: dict label -> (T, 2) array of
    the points visited, start first;  levels: number of contour levels (log-spaced)
    Returns the axes.
    """
    import matplotlib.pyplot as plt
    g1, g2 = np.meshgrid(np.linspace(*xlim, 300), np.linspace(*ylim, 300))
    values = f(np.stack([g1, g2], axis=-1))
    low = max(values.min(), 1e-6 * values.max())
    fig, ax = plt.subplots(figsize=(7, 5.5), layout="constrained")
    ax.contour(g1, g2, values, levels=np.geomspace(low, values.max(), levels), cmap="Greys",
               linewidths=0.7)
    for k, (label, path) in enumerate(paths.items()):
        path = np.asarray(path, dtype=float)
        ax.plot(path[:, 0], path[:, 1], marker="o", ms=2.5, lw=1, color=plt.cm.tab10(k % 10),
                label=f"{label} ({len(path) - 1} steps)")
    first = np.asarray(next(iter(paths.values())), dtype=float)[0]
    ax.plot(*first, marker="*", ms=12, color="k", ls="none", label="start")
    ax.set(title=title, xlabel="$w_1$", ylabel="$w_2$", xlim=xlim, ylim=ylim)
    ax.legend(fontsize=8, loc="upper right")
    plt.show()
    return ax


def plot_sensitivity(values, curves, xlabel, ylabel="accuracy", title="Sensitivity",
                     logx=True):
    """Lines of a measured quantity against a swept setting (e.g. accuracy vs weight scale).

    values: (K,) the settings;  curves: dict label -> (K,) measurements, one per setting.
    Labels "<group> train" and "<group> val" share a colour; the "val" line is dashed.
    Returns the axes.
    """
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6.5, 4), layout="constrained")
    groups = []
    for label, measured in curves.items():
        group, _, last = label.rpartition(" ")
        group = group if last in ("train", "val") else label
        if group not in groups:
            groups.append(group)
        ax.plot(values, measured, marker="o", ms=4, ls="--" if last == "val" else "-",
                label=label, color=plt.cm.tab10(groups.index(group) % 10))
    if logx:
        ax.set_xscale("log")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend(fontsize=8)
    plt.show()
    return ax


def plot_search_results(results, x="learning_rate", y="reg", score="val_acc",
                        title="Random search"):
    """Scatter the trials of a hyperparameter search on log-log axes, coloured by score; the
    best trial is ringed.

    results: list of dicts, each holding the keys x, y and score (x, y > 0)
    Returns the axes.
    """
    import matplotlib.pyplot as plt
    xs = np.array([trial[x] for trial in results], dtype=float)
    ys = np.array([trial[y] for trial in results], dtype=float)
    scores = np.array([trial[score] for trial in results], dtype=float)
    fig, ax = plt.subplots(figsize=(6.5, 4.5), layout="constrained")
    points = ax.scatter(xs, ys, c=scores, s=60, cmap="viridis", edgecolor="k", lw=0.4)
    best = int(np.argmax(scores))
    ax.scatter(xs[best], ys[best], s=250, facecolor="none", edgecolor="r", lw=1.5,
               label=f"best: {score} = {scores[best]:.3f}")
    ax.set(xscale="log", yscale="log", title=title, xlabel=x, ylabel=y)
    fig.colorbar(points, ax=ax, label=score)
    ax.legend(fontsize=8, loc="best")
    plt.show()
    return ax


# --- hw2: image samples, distance matrix, k-NN cross-validation, search grid, confusion -------
def show_class_examples(images, labels, class_names, per_class=7, seed=0, title="Examples"):
    """A grid with one column per class and `per_class` random images of it (seeded).

    images: (N, H, W, K) or (N, H, W) uint8 or floats in 0 … 255;  labels: (N,) integers
    class_names: one name per label.  Returns the figure.
    """
    import matplotlib.pyplot as plt
    rng = np.random.default_rng(seed)
    num_classes = len(class_names)
    fig, axes = plt.subplots(per_class, num_classes, figsize=(1.1 * num_classes, 1.1 * per_class + 0.5),
                             layout="constrained", squeeze=False)
    for c in range(num_classes):
        members = np.flatnonzero(np.asarray(labels) == c)
        chosen = rng.choice(members, size=min(per_class, len(members)), replace=False)
        for row in range(per_class):
            ax = axes[row, c]
            ax.axis("off")
            if row < len(chosen):
                image = np.asarray(images[chosen[row]], dtype=float) / 255.0
                ax.imshow(np.clip(image, 0, 1), cmap="gray" if image.ndim == 2 else None,
                          vmin=0, vmax=1)
            if row == 0:
                ax.set_title(class_names[c], fontsize=8)
    fig.suptitle(title)
    plt.show()
    return fig


def show_distance_matrix(dists, title="Distances: test images (rows) × training images (columns)"):
    """The (M, N) distance matrix as an image; dark = close.  Returns the axes."""
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(8, 3), layout="constrained")
    shown = ax.imshow(dists, cmap="gray", aspect="auto", interpolation="nearest")
    fig.colorbar(shown, ax=ax, label="distance")
    ax.set(title=title, xlabel="training image", ylabel="test image")
    plt.show()
    return ax


def plot_cv_accuracy(results, title="Cross-validation accuracy", xlabel="k"):
    """Mean ± standard deviation over folds for each k, one line per setting.

    results: {setting label: {k: (num_folds,) accuracies}}, e.g. {"l2": cross_validate_k(...)}
    Returns the axes.
    """
    import matplotlib.pyplot as plt
    _, ax = plt.subplots(figsize=(6.5, 3.8), layout="constrained")
    for shift, (label, by_k) in enumerate(results.items()):
        ks = np.array(sorted(by_k), dtype=float)
        accs = [np.asarray(by_k[k], dtype=float) for k in sorted(by_k)]
        means = np.array([a.mean() for a in accs])
        stds = np.array([a.std() for a in accs])
        ax.errorbar(ks * (1 + 0.02 * shift), means, yerr=stds, marker="o", ms=4, capsize=3,
                    label=label)
    ax.set(title=f"{title} (mean ± std over folds)", xlabel=xlabel, ylabel="accuracy")
    ax.set_xscale("log")
    ks_all = sorted({k for by_k in results.values() for k in by_k})
    ax.set_xticks(ks_all, [str(k) for k in ks_all])
    ax.minorticks_off()
    ax.legend(title="norm")
    plt.show()
    return ax


def plot_search_grid(results, title="Validation accuracy", xlabel="learning rate",
                     ylabel="regularization strength"):
    """A heat map of a score over a grid of two hyperparameters, each cell annotated.

    results: {(x value, y value): score}.  Returns the axes.
    """
    import matplotlib.pyplot as plt
    xs = sorted({x for x, _ in results})
    ys = sorted({y for _, y in results})
    grid = np.full((len(ys), len(xs)), np.nan)
    for (x, y), score in results.items():
        grid[ys.index(y), xs.index(x)] = score
    fig, ax = plt.subplots(figsize=(1.3 * len(xs) + 2.5, 0.6 * len(ys) + 1.6), layout="constrained")
    shown = ax.imshow(grid, cmap="viridis", origin="lower", aspect="auto")
    fig.colorbar(shown, ax=ax, label="score")
    for i in range(len(ys)):
        for j in range(len(xs)):
            if not np.isnan(grid[i, j]):
                ax.text(j, i, f"{grid[i, j]:.3f}", ha="center", va="center", fontsize=8,
                        color="white" if grid[i, j] < np.nanmean(grid) else "black")
    ax.set_xticks(np.arange(len(xs)), [f"{x:.0e}" for x in xs])
    ax.set_yticks(np.arange(len(ys)), [f"{y:.0e}" for y in ys])
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    plt.show()
    return ax


def plot_confusion_matrix(counts, class_names, title="Confusion matrix"):
    """Heat map of a confusion matrix, rows = true class, each row shown as fractions of its total.

    counts: (C, C) integers.  Cells are annotated with the raw counts.  Returns the axes.
    """
    import matplotlib.pyplot as plt
    counts = np.asarray(counts)
    totals = counts.sum(axis=1, keepdims=True)
    fractions = np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)
    size = 0.55 * len(class_names) + 2
    fig, ax = plt.subplots(figsize=(size + 1, size), layout="constrained")
    shown = ax.imshow(fractions, cmap="Blues", vmin=0, vmax=1)
    fig.colorbar(shown, ax=ax, label="fraction of the true class")
    for i in range(counts.shape[0]):
        for j in range(counts.shape[1]):
            ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=7,
                    color="white" if fractions[i, j] > 0.5 else "black")
    ticks = np.arange(len(class_names))
    ax.set_xticks(ticks, class_names, rotation=45, ha="right")
    ax.set_yticks(ticks, class_names)
    ax.set(title=title, xlabel="predicted class", ylabel="true class")
    plt.show()
    return ax


# --- hw4: learning-rate schedules and the learning-rate range test ---------------------------


def plot_learning_rates(schedules, title="Learning-rate schedules", logy=False):
    """The learning rate of every update, one line per schedule.

    schedules: dict label -> (S,) learning rates, entry s for the update at step s;
    logy: log scale on the rate axis.  Returns the axes.
    """
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(8, 3.8), layout="constrained")
    for k, (label, rates) in enumerate(schedules.items()):
        ax.plot(np.asarray(rates, dtype=float), color=plt.cm.tab10(k % 10), label=label)
    ax.set(title=title, xlabel="step (update)", ylabel="learning rate")
    if logy:
        ax.set_yscale("log")
    ax.legend(fontsize=8)
    plt.show()
    return ax


def plot_lr_range_test(learning_rates, losses, smoothed=None, marks=None,
                       title="Learning-rate range test"):
    """Loss against learning rate, both axes logarithmic: the raw minibatch losses (faint), a
    smoothed curve over them, and a dotted vertical line at each marked rate.

    learning_rates, losses: (K,) the rate and the minibatch loss of each update;
    smoothed: (K,) a smoothed loss, or None;  marks: dict label -> learning rate, or None.
    Returns the axes.
    """
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
    ax.plot(learning_rates, losses, color="C0", lw=0.6, alpha=0.35, label="minibatch loss")
    if smoothed is not None:
        ax.plot(learning_rates, smoothed, color="C0", label="smoothed")
    for k, (label, rate) in enumerate((marks or {}).items()):
        ax.axvline(rate, color=plt.cm.tab10((k + 1) % 10), ls=":", label=f"{label}: {rate:.1e}")
    ax.set(title=title, xlabel="learning rate", ylabel="loss", xscale="log", yscale="log")
    ax.legend(fontsize=8)
    plt.show()
    return ax
