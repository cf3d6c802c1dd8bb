"""Your tuned TwoLayerNet (two_layer_net.ipynb, sections 5 and 6): the graded run trains with
these hyperparameters.

After your search, put the best ones here and keep the keys. While graded, a
`TwoLayerNet(D, hidden_size, C, std=1e-4, seed=0)` is trained with them (num_epochs epochs of
N // batch_size iterations, seed 0) on all training images but the 1,000 validation ones (mean
subtracted) and scored on the test images, whose labels the graded run never sees; the notebook
states how accuracy maps to points. hidden_size above 500, batch_size above 1,000 and
num_epochs above 30 are cut down to those while graded.
"""
TWO_LAYER = dict(hidden_size=50, learning_rate=1e-4, learning_rate_decay=0.95, reg=0.1,
                 batch_size=200, num_epochs=5)
