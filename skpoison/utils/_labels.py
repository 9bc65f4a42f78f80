"""Targets with unlabelled rows: ``-1`` marks a row without a label.

scikit-learn's semi-supervised convention, used throughout skpoison. String
and boolean classes go in an object array beside the integer ``-1`` (numpy
would otherwise turn ``-1`` into ``"-1"``, or ``True`` into ``1``); these
helpers check only the labelled rows, so such a target is valid.
:func:`encode_labels` encodes any label vector, mixed types included, in one
place for the metrics and displays.
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


def unlabelled_like(y, n):
    """``n`` unlabelled targets (``-1``) in a dtype that holds ``y``'s classes.

    Returns the targets and that dtype (``y``'s, widened to a signed integer
    for unsigned classes, or ``object`` for classes that are not numbers).
    """
    dtype = y.dtype
    if dtype.kind == "u":
        dtype = np.promote_types(dtype, np.int8)
    elif dtype.kind not in "if":
        dtype = np.dtype(object)
    return np.full(n, -1, dtype=dtype), dtype


def _sort_key(value):
    """Order of mixed-type labels: numbers, then strings, then the rest by type."""
    if isinstance(value, (bool, np.bool_, int, float, np.integer, np.floating)):
        return (0, "", value)
    if isinstance(value, (str, np.str_)):
        return (1, "", value)
    return (2, type(value).__name__, repr(value))


def encode_labels(labels):
    """Encode any 1-D label vector as ``(classes, codes)``, codes ``0..K-1``.

    ``classes[codes]`` gives the labels back. Labels of one comparable type are
    sorted as :func:`numpy.unique` sorts them. An object array mixing types
    (strings with the integer ``-1``, numbers with strings, ``None``), which
    ``np.unique`` cannot sort, is encoded in ``O(n)`` with a dictionary and
    its classes ordered numbers first, then strings, then other values by
    type name; ``classes`` is then an object array.

    Raises a ``ValueError`` for labels that are not hashable scalars.
    """
    labels = np.asarray(labels)
    try:
        classes, codes = np.unique(labels, return_inverse=True)
        return classes, codes.reshape(-1)
    except TypeError:
        if labels.dtype.kind != "O":
            raise
    index = {}
    codes = np.empty(labels.shape[0], dtype=np.intp)
    try:
        for i, value in enumerate(labels):
            codes[i] = index.setdefault(value, len(index))
    except TypeError as exc:
        raise ValueError(
            f"Labels must be hashable scalars (numbers or strings); got {exc}."
        ) from exc
    found = list(index)
    order = sorted(range(len(found)), key=lambda j: _sort_key(found[j]))
    rank = np.empty(len(found), dtype=np.intp)
    rank[order] = np.arange(len(found))
    classes = np.empty(len(found), dtype=object)
    classes[:] = [found[j] for j in order]
    return classes, rank[codes]


def labelled_classes(y, labelled):
    """Sorted classes of the labelled rows and each labelled row's class index."""
    y_lab = y[labelled]
    if y.dtype.kind == "O":
        types = {
            "bool"
            if isinstance(v, (bool, np.bool_))
            else "str"
            if isinstance(v, (str, np.str_))
            else "number"
            if isinstance(v, (int, float, np.number))
            else type(v).__name__
            for v in y_lab
        }
        if len(types) > 1 or not types <= {"bool", "str", "number"}:
            mixed = (
                "strings and numbers"
                if types == {"number", "str"}
                else f"label types ({', '.join(sorted(types))})"
            )
            raise ValueError(
                f"The labelled rows of y mix {mixed}; use one label type "
                "(numbers, strings or booleans) and the integer -1 for "
                "unlabelled rows."
            )
    classes, codes = encode_labels(y_lab)
    if (
        y.dtype.kind == "O"
        and classes.size
        and isinstance(classes[0], (bool, np.bool_))
    ):
        return classes, codes  # booleans beside -1: valid two-class labels
    if y.dtype.kind == "O":
        # Object labels (e.g. strings with -1): type checks on the labelled rows.
        check_classification_targets(y_lab)
    return classes, codes


def check_targets(y):
    """Check that the labelled rows of ``y`` are classification targets."""
    labelled = ~unlabelled_mask(y)
    if labelled.any():
        if y.dtype.kind == "O":
            classes, _ = labelled_classes(y, labelled)  # one label type
            if classes.size and isinstance(classes[0], (bool, np.bool_)):
                return  # booleans beside -1 (as MaskLabels gives them)
        check_classification_targets(y[labelled])
