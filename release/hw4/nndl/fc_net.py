"""hw3's fully connected network, extended with batch or layer normalization, dropout and
scaled weight initialisation.

Shapes: N examples, D inputs, H_l units in hidden layer l, C classes, L = len(hidden_dims) + 1.
Each hidden block l = 1 … L−1 is

    affine → [batchnorm or layernorm] → activation → [dropout]

and the last layer is affine → softmax. hw3's network (given, solved, in
nndl/backprop_fc_net.py) draws the weights and holds "W1" … "WL", "b1" … "bL"; this one rescales
the weights and adds "gamma1" … "gamma{L−1}", "beta1" … "beta{L−1}" when it normalizes.
"""
import numpy as np

from nndl.backprop_fc_net import ACTIVATIONS, FullyConnectedNet as PlainNet
from nndl.layers import (affine_backward, affine_forward, batchnorm_backward_alt,
                         batchnorm_forward, dropout_backward, dropout_forward, layernorm_backward,
                         layernorm_forward, softmax_loss)


def init_std(weight_scale, fan_in, fan_out):
    """Standard deviation of the initial weights of a layer with fan_in inputs, fan_out outputs.

    weight_scale: a number (returned as is), "he" (√(2 / fan_in), for ReLU layers) or
    "xavier" (√(2 / (fan_in + fan_out)), Glorot and Bengio's choice).
    Returns a float.
    """
    if not isinstance(weight_scale, str):
        return float(weight_scale)
    if weight_scale not in ("he", "xavier"):
        raise ValueError(f"weight_scale must be a number, 'he' or 'xavier', not '{weight_scale}'")
    # TODO: the two named scales.
    raise NotImplementedError("implement init_std in nndl/fc_net.py")
    return float(std)


class FullyConnectedNet(PlainNet):
    """Softmax classifier with len(hidden_dims) hidden layers, L2 weight decay, optional
    batch or layer normalization and dropout.

    hidden_dims, input_dim, num_classes, activation, reg, dtype, seed: as in hw3
      (loss += ½·reg·Σ_l ‖W_l‖²; seed fixes the initial weights and the dropout masks)
    weight_scale: a number, "he" or "xavier" (see init_std); W_l = init_std(...) · N(0, 1)
    normalization: None, "batchnorm" or "layernorm" (after every hidden affine layer; both
      with the parameters "gamma{l}", "beta{l}")
    dropout_keep_ratio: probability of keeping a hidden unit; 1 means no dropout

    Besides params, the net holds self.bn_params (one dict per hidden layer, with its running
    statistics), self.ln_params (one dict per hidden layer, with its eps) and self.dropout_param
    (shared by every dropout layer). dropout_param["seed"] is a np.random.Generator, so masks
    change from call to call; set it to an int to draw the same masks every call (for gradient
    checks).
    """

    def __init__(self, hidden_dims, input_dim=3 * 32 * 32, num_classes=10, activation="relu",
                 reg=0.0, weight_scale=1e-2, normalization=None, dropout_keep_ratio=1.0,
                 dtype=np.float64, seed=0):
        if normalization not in (None, "batchnorm", "layernorm"):
            raise ValueError("normalization must be None, 'batchnorm' or 'layernorm', "
                             f"not '{normalization}'")
        # hw3 draws W_l = 1 · N(0, 1) and b_l = 0; the weights are rescaled below.
        super().__init__(hidden_dims, input_dim=input_dim, num_classes=num_classes,
                         activation=activation, reg=reg, weight_scale=1.0, dtype=dtype, seed=seed)
        self.normalization = normalization
        self.use_dropout = dropout_keep_ratio < 1
        self.dropout_param = {"mode": "train", "p": dropout_keep_ratio,
                              "seed": np.random.default_rng([seed, 1])}
        self.bn_params = [{"mode": "train"} for _ in range(self.num_layers - 1)]
        self.ln_params = [{} for _ in range(self.num_layers - 1)]
        # TODO: multiply each "W{l}" by init_std(weight_scale, fan_in, fan_out) (keep its dtype);
        # with batchnorm or layernorm, add "gamma{l}" = ones(H_l), "beta{l}" = zeros(H_l), l < L.
        raise NotImplementedError("implement FullyConnectedNet.__init__ in nndl/fc_net.py")

    def _hidden_forward(self, x, layer):
        """Hidden block `layer` (1 … L−1): affine → [batchnorm or layernorm] → activation →
        [dropout].

        x: (N, H_{layer−1}).  Returns out: (N, H_layer) and cache = a dict of the caches of the
        block's layers (the keys are yours to choose).
        """
        activation_forward = ACTIVATIONS[self.activation][0]
        W, b = self.params[f"W{layer}"], self.params[f"b{layer}"]
        cache = {}
        # TODO: the four steps; batchnorm uses self.bn_params[layer − 1], layernorm
        # self.ln_params[layer − 1].
        raise NotImplementedError("implement FullyConnectedNet._hidden_forward in nndl/fc_net.py")
        return out, cache

    def _hidden_backward(self, dout, cache, layer, grads):
        """Backward through hidden block `layer`; stores the block's parameter gradients in
        grads ("W{layer}", "b{layer}", and "gamma{layer}", "beta{layer}" when it normalizes).

        dout: (N, H_layer);  cache: from _hidden_forward.  Returns dx: (N, H_{layer−1}), except
        for layer 1, where it may return None: dx would then be the (N, D) gradient with respect
        to the images, which nothing uses, and its product dout W1ᵀ costs as much as the
        forward x W1 (a third of a 3072-100-100-10 step). Skip it and compute dW1, db1 only.
        """
        activation_backward = ACTIVATIONS[self.activation][1]
        # TODO: the four steps in reverse (use batchnorm_backward_alt or layernorm_backward).
        raise NotImplementedError("implement FullyConnectedNet._hidden_backward in nndl/fc_net.py")
        return dx

    def loss(self, X, y=None):
        """Scores in test mode (y is None), or the loss and its gradients in train mode.

        X: (N, d1, ..., dk) with d1·…·dk = D;  y: (N,) integer labels, or None
        Returns scores: (N, C) if y is None; otherwise (loss, grads), grads a dict shaped like
        params. Batchnorm and dropout run in "test" mode when y is None, else in "train" mode
        (layernorm has no modes).
        """
        mode = "test" if y is None else "train"
        self.dropout_param["mode"] = mode
        for bn_param in self.bn_params:
            bn_param["mode"] = mode
        L = self.num_layers
        hidden, caches = np.asarray(X, dtype=self.dtype), []  # no copy if of that dtype
        for layer in range(1, L):
            hidden, cache = self._hidden_forward(hidden, layer)
            caches.append(cache)
        scores, last_cache = affine_forward(hidden, self.params[f"W{L}"], self.params[f"b{L}"])
        if y is None:
            return scores

        loss, dscores = softmax_loss(scores, y)
        grads = {}
        dhidden, grads[f"W{L}"], grads[f"b{L}"] = affine_backward(dscores, last_cache)
        for layer in range(L - 1, 0, -1):
            dhidden = self._hidden_backward(dhidden, caches[layer - 1], layer, grads)
        # TODO: add the L2 penalty ½·reg·‖W_l‖² of every weight matrix to the loss, and its
        # gradient to grads (weights only: no biases, gammas or betas). With reg = 0 (the
        # default) skip both: they would read every weight for nothing. ‖W‖² is np.vdot(W, W).
        raise NotImplementedError("implement FullyConnectedNet.loss in nndl/fc_net.py")
        return loss, grads
