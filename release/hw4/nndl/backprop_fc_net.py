"""A fully connected network of any depth, built from the layers in nndl/layers.py.

Shapes: N examples, D inputs, H_l units in hidden layer l, C classes. With L = number of
hidden layers + 1, the network is

    {affine → activation} × (L − 1) → affine → softmax

and params holds "W1" … "WL", "b1" … "bL" (layer l maps H_{l−1} → H_l, H_0 = D, H_L = C).
"""
import numpy as np

from nndl.layers import (affine_backward, affine_forward, elu_backward, elu_forward,
                         gelu_backward, gelu_forward, leaky_relu_backward, leaky_relu_forward,
                         relu_backward, relu_forward, sigmoid_backward, sigmoid_forward,
                         softmax_loss, tanh_backward, tanh_forward)

# Activation name -> (forward, backward); each forward takes x alone (default parameters).
ACTIVATIONS = {
    "relu": (relu_forward, relu_backward),
    "leaky_relu": (leaky_relu_forward, leaky_relu_backward),
    "elu": (elu_forward, elu_backward),
    "gelu": (gelu_forward, gelu_backward),
    "sigmoid": (sigmoid_forward, sigmoid_backward),
    "tanh": (tanh_forward, tanh_backward),
}


class FullyConnectedNet:
    """Softmax classifier with len(hidden_dims) hidden layers and L2 weight decay.

    hidden_dims: list of hidden sizes (may be empty: a linear classifier)
    input_dim: D;  num_classes: C;  activation: a key of ACTIVATIONS
    reg: L2 strength, loss += ½·reg·Σ_l ‖W_l‖²;  weight_scale: std of the initial weights
    dtype: every parameter's dtype (np.float64 for gradient checks)
    seed: seeds np.random.default_rng for the initial weights
    """

    def __init__(self, hidden_dims, input_dim=3 * 32 * 32, num_classes=10, activation="relu",
                 reg=0.0, weight_scale=1e-2, dtype=np.float64, seed=0):
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, not '{activation}'")
        self.activation = activation
        self.reg = reg
        self.dtype = dtype
        self.num_layers = len(hidden_dims) + 1
        self.params = {}
        rng = np.random.default_rng(seed)
        # TODO: for l = 1 … L, "W{l}" = weight_scale · rng.standard_normal((H_{l-1}, H_l)) and
        # "b{l}" = zeros(H_l), drawn in order l = 1, 2, …, all cast to dtype.
        sizes = [input_dim] + list(hidden_dims) + [num_classes]
        for layer, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
            self.params[f"W{layer}"] = (weight_scale * rng.standard_normal((fan_in, fan_out))).astype(dtype)
            self.params[f"b{layer}"] = np.zeros(fan_out, dtype=dtype)

    def loss(self, X, y=None):
        """Scores, or the loss and its gradients.

        X: (N, d1, ..., dk) with d1·…·dk = D;  y: (N,) integer labels, or None
        Returns scores: (N, C) if y is None; otherwise (loss, grads), grads a dict shaped like
        params. Use ACTIVATIONS[self.activation] for the hidden layers and no activation after
        the last affine layer.

        A training step costs about its matrix products: per layer one forward, x W, and two
        backward, dout Wᵀ (for the layer below) and xᵀ dout (for dW). The first layer's
        dout Wᵀ would be dX, an (N, D) gradient with respect to the images, which nothing uses:
        skip it (for 3072-100-100-10 it is a third of the whole step's arithmetic). The L2
        penalty reads every weight twice (‖W‖² and reg·W): with reg = 0, the default, skip it
        too, and compute ‖W‖² as np.vdot(W, W), one pass and no W * W array.
        """
        X = np.asarray(X, dtype=self.dtype)  # a copy only if X is of another dtype
        forward, backward = ACTIVATIONS[self.activation]
        # TODO: forward through the layers, keeping every cache; return scores when y is None.
        caches = []
        out = X
        for layer in range(1, self.num_layers):
            out, affine_cache = affine_forward(out, self.params[f"W{layer}"], self.params[f"b{layer}"])
            out, activation_cache = forward(out)
            caches.append((affine_cache, activation_cache))
        L = self.num_layers
        scores, last_cache = affine_forward(out, self.params[f"W{L}"], self.params[f"b{L}"])
        if y is None:
            return scores
        grads = {}
        # TODO: softmax loss + regularization, then backward through the layers in reverse.
        loss, dscores = softmax_loss(scores, y)
        dout, grads[f"W{L}"], grads[f"b{L}"] = affine_backward(dscores, last_cache)
        for layer in range(L - 1, 1, -1):
            affine_cache, activation_cache = caches[layer - 1]
            dout = backward(dout, activation_cache)
            dout, grads[f"W{layer}"], grads[f"b{layer}"] = affine_backward(dout, affine_cache)
        if L > 1:  # the input layer: only dW1 and db1, no dX (nothing upstream wants it)
            (x, _, _), activation_cache = caches[0]
            dout = backward(dout, activation_cache)
            grads["W1"] = x.reshape(x.shape[0], -1).T @ dout
            grads["b1"] = dout.sum(axis=0)
        if self.reg:  # reg = 0: no penalty, so no passes over the weights for it
            for layer in range(1, L + 1):
                W = self.params[f"W{layer}"]
                loss += 0.5 * self.reg * np.vdot(W, W)
                grads[f"W{layer}"] += self.reg * W
        return loss, grads
