"""Your tuned softmax classifier (linear_classifiers.ipynb, "Choosing the learning rate and
regularization"): the graded run trains with these settings.

After your search, put the best setting here and keep the keys. While graded, a `Softmax(seed=0)`
is trained with them on all training images but the 1,000 validation ones (mean subtracted,
bias trick) and scored on the test images, whose labels the graded run never sees; the notebook
states how accuracy maps to points. num_iters above 3,000 and batch_size above 1,000 are cut
down to those while graded.
"""
SOFTMAX = dict(learning_rate=1e-8, reg=1e4, num_iters=100, batch_size=200)
