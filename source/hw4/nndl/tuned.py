"""Your best fully connected network (tuning.ipynb): the graded run trains this configuration.

After your random search, put the best configuration here and keep the keys (those of
`sample_config` in the notebook, plus lr_decay, batch_size and num_epochs). While graded, a
`FullyConnectedNet(..., dtype=np.float32, seed=0)` is trained with it by the Solver (seed 0) on
all training images but the 1,000 validation ones (centred, scaled to unit standard deviation)
and scored on the test images, whose labels the graded run never sees; the notebook states how
accuracy maps to points. Keep it under 2 million parameters and 20 epochs (more is cut down to
20 epochs, or refused), so that it trains within a few minutes on the full CIFAR-10.
"""
### BEGIN STARTER
BEST_CONFIG = {
    "hidden_dims": [100],
    "weight_scale": 0.01,
    "normalization": None,
    "dropout_keep_ratio": 1.0,
    "reg": 0.0,
    "update_rule": "sgd",
    "learning_rate": 1e-3,
    "lr_decay": 1.0,
    "batch_size": 100,
    "num_epochs": 2,
}
### END STARTER
### BEGIN SOLUTION
BEST_CONFIG = {
    "hidden_dims": [256, 256],
    "weight_scale": "he",
    "normalization": "batchnorm",
    "dropout_keep_ratio": 0.8,
    "reg": 1e-3,
    "update_rule": "adam",
    "learning_rate": 1e-3,
    "lr_decay": 0.9,
    "batch_size": 100,
    "num_epochs": 10,
}
### END SOLUTION
