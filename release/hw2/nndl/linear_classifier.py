"""Linear classifiers trained by minibatch stochastic gradient descent.

Shapes: N examples, D features (bias trick: the last feature is 1), C classes.
Scores are X Wᵀ with W of shape (C, D), as in nndl.svm and nndl.softmax. A subclass only says
which loss it minimises: LinearSVM (hinge) and Softmax (cross-entropy).
"""
import numpy as np

from nndl.progress import progress
from nndl.softmax import softmax_loss_vectorized
from nndl.svm import svm_loss_vectorized


class LinearClassifier:
    """W: (C, D), None until train() (or set by hand).

    seed fixes the initial W and the batches: self.rng = np.random.default_rng(seed) is made once,
    here, so that a second call of train() continues with new batches instead of repeating the
    first call's, and two classifiers with the same seed train alike.
    """

    def __init__(self, seed=0):
        self.W = None
        self.rng = np.random.default_rng(seed)

    def loss(self, X_batch, y_batch, reg):
        """(loss, dW) on a minibatch: X_batch (B, D), y_batch (B,). Defined by each subclass."""
        raise NotImplementedError("a subclass of LinearClassifier defines its loss")

    def train(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200,
              verbose=False):
        """Minibatch SGD on self.loss.

        X: (N, D);  y: (N,) labels 0 … C−1 (C = max(y) + 1);  learning_rate, reg: floats;
        num_iters: number of updates;  batch_size: examples per update.
        rng = self.rng (seeded once, in __init__) draws the initial W = 0.001 · N(0, 1) of shape
        (C, D) when self.W is None, then, at every step, batch_size indices with replacement
        (rng.choice). Returns loss_history: list of num_iters floats, the minibatch losses.
        """
        num_train, dim = X.shape
        rng = self.rng
        if self.W is None:
            self.W = 0.001 * rng.standard_normal((int(np.max(y)) + 1, dim))
        loss_history = []
        for it in progress(range(num_iters), desc=f"SGD, {type(self).__name__}", leave=False):
            # TODO: sample a minibatch, evaluate self.loss on it, take one step of size
            # learning_rate against the gradient, and append the loss (as a float).
            raise NotImplementedError("implement LinearClassifier.train in nndl/linear_classifier.py")
            if verbose and it % 100 == 0:
                print(f"iteration {it:5d} / {num_iters}: loss {loss_history[-1]:.4f}")
        return loss_history

    def predict(self, X):
        """Labels with the highest score. X: (N, D).  Returns y_pred: (N,) int64."""
        y_pred = np.zeros(X.shape[0], dtype=np.int64)
        # TODO: the index of the largest score in each row of X Wᵀ.
        raise NotImplementedError("implement LinearClassifier.predict in nndl/linear_classifier.py")
        return y_pred


class LinearSVM(LinearClassifier):
    """Multiclass hinge loss (nndl.svm)."""

    def loss(self, X_batch, y_batch, reg):
        return svm_loss_vectorized(self.W, X_batch, y_batch, reg)


class Softmax(LinearClassifier):
    """Softmax cross-entropy loss (nndl.softmax)."""

    def loss(self, X_batch, y_batch, reg):
        return softmax_loss_vectorized(self.W, X_batch, y_batch, reg)
