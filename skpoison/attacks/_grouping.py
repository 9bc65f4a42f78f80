"""Grouping of rows shared by the attacks that work cluster by cluster.

An attacker who knows the classes groups the rows by ``y``; one who does not
fits a clusterer. :func:`cluster_labels` does either, :func:`group_means`
gives the size and mean of every group in one pass.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.cluster import KMeans

from skpoison.utils._labels import unlabelled_mask

__all__ = ["cluster_labels", "group_means", "label_codes"]

# Clusters of the default k-means when neither y nor n_clusters says otherwise.
_DEFAULT_N_CLUSTERS = 3


def cluster_labels(X, y, clusterer, n_clusters, random_state, owner):
    """Group the rows for the attack: by ``y`` when usable, else a clusterer.

    ``y`` is used when it has at least two labelled classes (``-1`` rows are
    ignored). Otherwise ``clusterer`` (cloned) or a default
    ``KMeans(n_clusters, n_init=1)`` is fitted on ``X``. Returns ``(codes,
    label_values, clusterer)``: the group of each row as a code ``0..K-1``
    (``-1`` for rows in no group), the label of each group, and the fitted
    clusterer (``None`` when ``y`` was used).
    """
    if clusterer is not None and n_clusters is not None:
        raise ValueError(
            f"{owner} got both clusterer and n_clusters; set the number of "
            "clusters on the clusterer itself."
        )
    if y is not None:
        codes, label_values = label_codes(y)
        if label_values.size >= 2:
            return codes, label_values, None
    if clusterer is None:
        seed = random_state.randint(np.iinfo(np.int32).max)
        k = _DEFAULT_N_CLUSTERS if n_clusters is None else n_clusters
        if k > X.shape[0]:
            raise ValueError(
                f"{owner} cannot find n_clusters={k} clusters in "
                f"{X.shape[0]} rows; pass a smaller n_clusters."
            )
        clusterer = KMeans(n_clusters=k, n_init=1, random_state=seed)
    else:
        clusterer = clone(clusterer)
    codes, label_values = label_codes(np.asarray(clusterer.fit_predict(X)))
    return codes, label_values, clusterer


def label_codes(labels):
    """Codes ``0..K-1`` of the labels other than ``-1`` (which get ``-1``).

    Returns ``(codes, label_values)``. Unlabelled rows are found as everywhere
    in skpoison, so string classes beside the integer ``-1`` work.
    """
    labels = np.asarray(labels)
    labelled = ~unlabelled_mask(labels)
    codes = np.full(labels.shape[0], -1, dtype=np.intp)
    values, inverse = np.unique(labels[labelled], return_inverse=True)
    codes[labelled] = inverse.reshape(-1)
    return codes, values


def group_means(X, codes, n_groups):
    """Size and mean of each group of rows, from one sparse product.

    ``codes`` holds each row's group ``0..n_groups-1``, or ``-1`` for rows in
    no group. Returns ``(counts, means, grouped)``: the group sizes, their
    means (float64) and the boolean mask of grouped rows (``None`` when every
    row is grouped). ``O(n_samples * n_features)``, no copy of ``X``.
    """
    grouped = codes != -1
    if grouped.all():
        grouped, rows, row_codes = None, np.arange(X.shape[0]), codes
    else:
        rows = np.flatnonzero(grouped)
        row_codes = codes[rows]
    indicator = sparse.csr_array(
        (np.ones(rows.size, dtype=X.dtype), (row_codes, rows)),
        shape=(n_groups, X.shape[0]),
    )
    counts = np.bincount(row_codes, minlength=n_groups)
    means = (indicator @ X).astype(np.float64) / np.maximum(counts, 1)[:, None]
    return counts, means, grouped
