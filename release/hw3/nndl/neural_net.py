"""A two-layer network: affine → ReLU → affine → softmax, trained by minibatch SGD.

Shapes: N examples, D inputs, H hidden units, C classes.
"""
import numpy as np

from nndl.layers import affine_backward, affine_forward, relu_backward, relu_forward, softmax_loss


class TwoLayerNet:
    """scores = relu(X W1 + b1) W2 + b2, with softmax cross-entropy and L2 weight decay.

    params: "W1" (D, H), "b1" (H,), "W2" (H, C), "b2" (C,)
    """

    def __init__(self, input_size, hidden_size, output_size, std=1e-4, seed=0):
        """Weights ~ std · N(0, 1) from np.random.default_rng(seed), biases zero."""
        rng = np.random.default_rng(seed)
        self.params = {
            "W1": std * rng.standard_normal((input_size, hidden_size)),
            "b1": np.zeros(hidden_size),
            "W2": std * rng.standard_normal((hidden_size, output_size)),
            "b2": np.zeros(output_size),
        }

    def loss(self, X, y=None, reg=0.0):
        """Scores, or the loss and its gradients.

        X: (N, D);  y: (N,) integer labels, or None;  reg: L2 strength
        Returns scores: (N, C) if y is None; otherwise (loss, grads) with
        loss = softmax loss + ½·reg·(‖W1‖² + ‖W2‖²) and grads a dict shaped like params.
        """
        W1, b1, W2, b2 = (self.params[name] for name in ("W1", "b1", "W2", "b2"))
        # TODO: forward pass to the scores; return them when y is None.
        raise NotImplementedError("implement TwoLayerNet.loss in nndl/neural_net.py")
        if y is None:
            return scores
        grads = {}
        # TODO: data loss + regularization, then the backward pass into grads.
        raise NotImplementedError("implement TwoLayerNet.loss in nndl/neural_net.py")
        return loss, grads

    def train(self, X, y, X_val, y_val, learning_rate=1e-3, learning_rate_decay=0.95,
              reg=5e-6, num_iters=100, batch_size=200, seed=0, verbose=False):
        """Minibatch SGD.

        X: (N, D), y: (N,) training data;  X_val: (N_val, D), y_val: (N_val,) validation data.
        Each iteration draws batch_size indices with replacement from
        rng = np.random.default_rng(seed) (rng.choice(N, batch_size)), computes the loss and
        gradients on that minibatch and takes a step params -= learning_rate · grads.
        An epoch is max(N // batch_size, 1) iterations; after each epoch append the accuracy on
        the current minibatch and on the whole validation set, then multiply the learning rate
        by learning_rate_decay. With verbose, print the loss every 100 iterations.
        Returns a dict with "loss_history" (num_iters floats), "train_acc_history" and
        "val_acc_history" (one float per completed epoch).
        """
        num_train = X.shape[0]
        iterations_per_epoch = max(num_train // batch_size, 1)
        loss_history, train_acc_history, val_acc_history = [], [], []
        # TODO: the loop described above.
        raise NotImplementedError("implement TwoLayerNet.train in nndl/neural_net.py")
        return {"loss_history": loss_history, "train_acc_history": train_acc_history,
                "val_acc_history": val_acc_history}

    def predict(self, X):
        """X: (N, D).  Returns y_pred: (N,) the class with the highest score for each row."""
        # TODO: one forward pass and an argmax.
        raise NotImplementedError("implement TwoLayerNet.predict in nndl/neural_net.py")
        return y_pred
