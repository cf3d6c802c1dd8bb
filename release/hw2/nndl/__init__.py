"""hw2: k-nearest neighbours and linear classifiers (hinge and softmax) on CIFAR-10."""
