"""Targets with unlabelled rows: ``-1`` marks a row without a label.

scikit-learn's semi-supervised convention, used throughout skpoison. String
classes go in an object array beside the integer ``-1``; these helpers check
only the labelled rows, so such a target is valid.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.utils.multiclass import check_classification_targets


def unlabelled_mask(y):
    """Return True where ``y`` is the unlabelled marker ``-1``.

    Numeric and object targets mark unlabelled rows with the integer ``-1``
    (scikit-learn's semi-supervised convention). A string-dtype target cannot
    hold the integer ``-1``; the string ``"-1"`` in it is refused rather than
    guessed at.
    """
    kind = y.dtype.kind
    if kind in "iuf":
        return y == -1
    if kind == "O":
        return np.fromiter(
            (not isinstance(v, (str, bool, np.bool_)) and v == -1 for v in y),
            dtype=bool,
            count=y.shape[0],
        )
    if kind in "US" and np.any(y == y.dtype.type("-1")):
        raise ValueError(
            "y is a string array that contains the string '-1'. Unlabelled rows "
            "are marked with the integer -1: pass string labels as an object "
            "array, e.g. np.array(['a', -1, 'b'], dtype=object)."
        )
    return np.zeros(y.shape[0], dtype=bool)


def labelled_classes(y, labelled):
    """Sorted classes of the labelled rows and each labelled row's class index."""
    y_lab = y[labelled]
    try:
        classes = np.unique(y_lab)
    except TypeError as exc:
        raise ValueError(
            "The labelled rows of y mix strings and numbers; use one label type "
            "(and the integer -1 for unlabelled rows)."
        ) from exc
    if y.dtype.kind == "O":
        # Object labels (e.g. strings with -1): type checks on the labelled rows.
        check_classification_targets(y_lab)
    return classes, np.searchsorted(classes, y_lab)


def check_targets(y):
    """Check that the labelled rows of ``y`` are classification targets."""
    labelled = ~unlabelled_mask(y)
    if labelled.any():
        if y.dtype.kind == "O":
            labelled_classes(y, labelled)  # one label type among labelled rows
        check_classification_targets(y[labelled])
