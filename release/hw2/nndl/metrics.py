"""Classification metrics. Shapes: N examples, C classes; labels are integers 0 … C−1."""
import numpy as np


def accuracy(y_true, y_pred):
    """Fraction of labels predicted right, as a float. y_true, y_pred: (N,)."""
    return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))


def confusion_matrix(y_true, y_pred, num_classes):
    """Counts of (true, predicted) pairs.

    y_true, y_pred: (N,) integer labels;  num_classes: C
    Returns counts: (C, C) int64, counts[i, j] = number of examples of true class i (row)
    predicted as class j (column). The diagonal holds the correct predictions.
    """
    counts = np.zeros((num_classes, num_classes), dtype=np.int64)
    # TODO: one count per example (a loop is fine; np.add.at does it without one).
    raise NotImplementedError("implement confusion_matrix in nndl/metrics.py")
    return counts


def precision_recall_f1(counts):
    """Per-class precision, recall and F1 from a confusion matrix.

    counts: (C, C), rows = true class, columns = predicted class.
    precision_c = counts[c, c] / (column c's sum), recall_c = counts[c, c] / (row c's sum),
    F1_c = 2 P R / (P + R). A zero denominator gives 0 (and no warning).
    Returns precision, recall, f1: each (C,) float64.
    """
    counts = np.asarray(counts, dtype=np.float64)
    precision = np.zeros(counts.shape[0])
    recall = np.zeros(counts.shape[0])
    f1 = np.zeros(counts.shape[0])
    # TODO: true positives on the diagonal; divide only where the denominator is positive
    # (np.divide with out= and where=).
    raise NotImplementedError("implement precision_recall_f1 in nndl/metrics.py")
    return precision, recall, f1
