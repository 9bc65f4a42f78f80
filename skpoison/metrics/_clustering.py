"""Clustering metrics for comparing a clean and a poisoned model.

Every metric works from label vectors or cluster centres and never builds an
``n_samples x n_samples`` matrix: label comparisons go through the (sparse)
contingency table, whose size is the number of clusters, so memory is
``O(n_samples)`` and time is one sort of the labels.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from collections import namedtuple
from numbers import Integral

import numpy as np
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist
from sklearn.metrics import (
    adjusted_mutual_info_score,
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    silhouette_score,
)
from sklearn.utils import check_array, check_consistent_length
from sklearn.utils.validation import column_or_1d

from skpoison.utils._param_validation import Interval, validate_params

__all__ = [
    "CentroidShift",
    "assignment_change_rate",
    "centroid_shift",
    "clustering_report",
    "cluster_accuracy",
    "coassociation_distance",
    "mean_within_cluster_std",
]

CentroidShift = namedtuple("CentroidShift", ["mean", "max"])
CentroidShift.__doc__ = """Distance between optimally matched cluster centres.

Attributes
----------
mean : float
    Mean distance over the matched pairs of centres.
max : float
    Largest distance over the matched pairs of centres.
"""

# Rows above which clustering_report computes the silhouette on a sample.
_SILHOUETTE_SAMPLE_SIZE = 3_000


def _check_labels(**labels):
    """Validate label vectors: 1-D, same length, at least one row."""
    arrays = []
    for name, value in labels.items():
        array = np.asarray(value)
        if array.ndim != 1:
            raise ValueError(f"{name} must be 1-D, got shape {array.shape}.")
        if array.shape[0] == 0:
            raise ValueError(f"{name} is empty.")
        if array.dtype.kind == "f" and not np.isfinite(array).all():
            raise ValueError(f"{name} contains NaN or infinity.")
        arrays.append(array)
    check_consistent_length(*arrays)
    return arrays


def _encode(labels):
    """Return ``(classes, codes)`` with integer codes ``0..K-1``.

    Integer labels in a compact range (the usual cluster labels) are encoded
    with one ``bincount`` in ``O(n)``; anything else goes through a sort.
    """
    labels = np.asarray(labels)
    if labels.dtype.kind in "iu" and labels.size:
        low, high = int(labels.min()), int(labels.max())
        if high - low <= max(labels.size, 1024):
            offset = labels - low
            present = np.bincount(offset, minlength=high - low + 1) > 0
            lookup = np.cumsum(present) - 1
            classes = np.flatnonzero(present) + low
            return classes.astype(labels.dtype), lookup[offset]
    classes, codes = np.unique(labels, return_inverse=True)
    return classes, codes.reshape(-1)


def _contingency(codes_a, codes_b, n_a, n_b):
    """Sparse contingency table ``n_ij`` (int64) of two code vectors."""
    table = sparse.coo_array(
        (np.ones(codes_a.shape[0], dtype=np.int64), (codes_a, codes_b)),
        shape=(n_a, n_b),
    ).tocsr()
    table.sum_duplicates()
    return table


def _dense_matching(table):
    """Best one-to-one matching of rows and columns of a contingency table.

    Returns ``(rows, cols)`` maximising the matched counts (Hungarian
    algorithm on the dense ``K_a x K_b`` table; ``K`` is a number of
    clusters, small).
    """
    dense = table.toarray() if sparse.issparse(table) else np.asarray(table)
    rows, cols = linear_sum_assignment(dense, maximize=True)
    return rows, cols, dense


def _matched_count(labels_a, labels_b, *, noise_a, noise_b):
    """Count the rows whose labels agree under the best one-to-one matching.

    Rows labelled ``-1`` in a vector flagged as having noise are never matched
    to a cluster; a row that is noise in both vectors counts as agreeing when
    both vectors have noise.
    """
    valid = np.ones(labels_a.shape[0], dtype=bool)
    if noise_a:
        valid &= labels_a != -1
    if noise_b:
        valid &= labels_b != -1
    both_noise = 0
    if noise_a and noise_b:
        both_noise = int(np.count_nonzero((labels_a == -1) & (labels_b == -1)))
    if not valid.any():
        return both_noise
    classes_a, codes_a = _encode(labels_a[valid])
    classes_b, codes_b = _encode(labels_b[valid])
    table = _contingency(codes_a, codes_b, classes_a.size, classes_b.size)
    rows, cols, dense = _dense_matching(table)
    return int(dense[rows, cols].sum()) + both_noise


@validate_params(
    {"y_true": ["array-like"], "y_pred": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def cluster_accuracy(y_true, y_pred):
    """Accuracy of cluster labels under the best one-to-one label matching.

    Cluster labels are arbitrary, so each predicted cluster is matched to at
    most one class, and each class to at most one cluster, so as to maximise
    the number of correctly labelled rows (the Hungarian algorithm,
    :func:`scipy.optimize.linear_sum_assignment`, on the contingency table).
    The accuracy is the share of rows whose cluster is matched to their class.

    The numbers of clusters and classes may differ: the surplus clusters (or
    classes) stay unmatched and their rows count as errors, so splitting a
    class over two clusters costs accuracy. A predicted label ``-1`` is noise
    (DBSCAN, :class:`~skpoison.cluster.KMeansMinusMinus`): it is never matched
    and its rows always count as errors. ``y_true`` labels are all classes.

    Read more in the :ref:`User Guide <evaluation_metrics>`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground-truth class labels.
    y_pred : array-like of shape (n_samples,)
        Cluster labels to evaluate; ``-1`` is noise.

    Returns
    -------
    accuracy : float
        In ``[0, 1]``; 1 when the clusters are the classes up to renaming.

    See Also
    --------
    assignment_change_rate : The same matching between two clusterings.
    sklearn.metrics.adjusted_rand_score : A chance-adjusted pair agreement.

    References
    ----------
    .. [1] H. W. Kuhn, "The Hungarian method for the assignment problem",
       Naval Research Logistics Quarterly 2, 1955.

    Examples
    --------
    >>> from skpoison.metrics import cluster_accuracy
    >>> cluster_accuracy([0, 0, 1, 1, 2, 2], [5, 5, 7, 7, 7, -1])
    0.666...
    """
    y_true, y_pred = _check_labels(y_true=y_true, y_pred=y_pred)
    matched = _matched_count(y_true, y_pred, noise_a=False, noise_b=True)
    return float(matched / y_true.shape[0])


@validate_params(
    {"labels_ref": ["array-like"], "labels": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def assignment_change_rate(labels_ref, labels):
    """Share of rows whose cluster changed, after matching the cluster labels.

    The clusters of ``labels`` are matched one-to-one to those of
    ``labels_ref`` so as to keep as many rows as possible in "the same"
    cluster (Hungarian algorithm on the contingency table); the rate is the
    share of rows that still changed. Noise (``-1``) is its own state: a row
    that is noise in both clusterings did not change, a row that becomes (or
    stops being) noise did.

    Read more in the :ref:`User Guide <evaluation_metrics>`.

    Parameters
    ----------
    labels_ref : array-like of shape (n_samples,)
        Reference cluster labels (the clean model's, on the clean rows).
    labels : array-like of shape (n_samples,)
        Cluster labels to compare (the poisoned model's, on the same rows).

    Returns
    -------
    rate : float
        In ``[0, 1]``; 0 when both clusterings agree up to renaming.

    See Also
    --------
    cluster_accuracy : The same matching against ground-truth classes.
    coassociation_distance : A matching-free comparison of two clusterings.

    Examples
    --------
    >>> from skpoison.metrics import assignment_change_rate
    >>> assignment_change_rate([0, 0, 1, 1], [1, 1, 0, 0])
    0.0
    >>> assignment_change_rate([0, 0, 1, 1], [1, 1, 1, 0])
    0.25
    """
    labels_ref, labels = _check_labels(labels_ref=labels_ref, labels=labels)
    matched = _matched_count(labels_ref, labels, noise_a=True, noise_b=True)
    return float(1.0 - matched / labels_ref.shape[0])


@validate_params(
    {
        "labels_ref": ["array-like"],
        "labels": ["array-like"],
        "normalize": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def coassociation_distance(labels_ref, labels, *, normalize=True):
    """Compute the Frobenius distance between two co-association matrices.

    The co-association (co-membership) matrix of a clustering has
    ``A[i, j] = 1`` when rows ``i`` and ``j`` share a cluster and 0 otherwise.
    Biggio et al. (2013) measure how much a poisoning attack changed a
    clustering by ``||A - B||_F``. Both matrices are binary with ones on the
    diagonal, so with cluster sizes ``a_k``, ``b_l`` and the contingency table
    ``n_kl``::

        ||A - B||_F^2 = sum_k a_k^2 + sum_l b_l^2 - 2 sum_kl n_kl^2

    (the diagonal contributes ``n`` to each of the three sums, hence nothing
    to the difference). It is computed from the contingency table, in
    ``O(n_samples)`` memory; the ``n x n`` matrices are never built.

    ``-1`` is treated as an ordinary label (all noise rows form one group), as
    in :func:`sklearn.metrics.adjusted_rand_score`.

    Read more in the :ref:`User Guide <evaluation_metrics>`.

    Parameters
    ----------
    labels_ref : array-like of shape (n_samples,)
        Reference cluster labels (the clean model's, on the clean rows).
    labels : array-like of shape (n_samples,)
        Cluster labels to compare (the poisoned model's, on the same rows).
    normalize : bool, default=True
        Divide by the largest possible value ``sqrt(n (n - 1))`` (every
        off-diagonal pair disagrees), giving a number in ``[0, 1]`` that is
        comparable across dataset sizes. Its square is the share of pairs of
        rows on which the clusterings disagree, i.e. ``1 -`` the Rand index
        (:func:`sklearn.metrics.rand_score`). With ``False`` the raw
        Frobenius norm is returned.

    Returns
    -------
    distance : float
        0 when both clusterings agree up to renaming.

    See Also
    --------
    assignment_change_rate : Share of rows that changed cluster.
    sklearn.metrics.rand_score : ``1 - normalized distance ** 2``.

    References
    ----------
    .. [1] B. Biggio, I. Pillai, S. Rota Bulò, D. Ariu, M. Pelillo and F. Roli,
       "Is data clustering in adversarial settings secure?", AISec 2013.

    Examples
    --------
    >>> from skpoison.metrics import coassociation_distance
    >>> coassociation_distance([0, 0, 1, 1], [0, 0, 1, 1])
    0.0
    >>> # Merging the two clusters: 8 ordered pairs of 12 change.
    >>> print(round(coassociation_distance([0, 0, 1, 1], [0, 0, 0, 0]) ** 2, 4))
    0.6667
    >>> print(coassociation_distance([0, 0, 1, 1], [0, 0, 0, 0], normalize=False))
    2.828...
    """
    labels_ref, labels = _check_labels(labels_ref=labels_ref, labels=labels)
    n = labels_ref.shape[0]
    classes_a, codes_a = _encode(labels_ref)
    classes_b, codes_b = _encode(labels)
    sizes_a = np.bincount(codes_a, minlength=classes_a.size).astype(np.int64)
    sizes_b = np.bincount(codes_b, minlength=classes_b.size).astype(np.int64)
    table = _contingency(codes_a, codes_b, classes_a.size, classes_b.size)
    joint = table.data.astype(np.int64)
    # Exact integer arithmetic (Python ints) so huge n cannot overflow.
    squared = (
        int(np.dot(sizes_a, sizes_a))
        + int(np.dot(sizes_b, sizes_b))
        - 2 * int(np.dot(joint, joint))
    )
    if normalize:
        if n < 2:
            return 0.0
        return float(np.sqrt(squared / (n * (n - 1))))
    return float(np.sqrt(squared))


@validate_params(
    {"centers_ref": ["array-like"], "centers": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def centroid_shift(centers_ref, centers):
    """Distance between optimally matched cluster centres.

    Each centre of ``centers`` is matched to at most one centre of
    ``centers_ref`` so that the total Euclidean distance of the matched pairs
    is smallest (Hungarian algorithm on the ``k x k'`` distance matrix). With
    different numbers of centres, only ``min(k, k')`` pairs are matched and
    the surplus centres are ignored.

    Read more in the :ref:`User Guide <evaluation_metrics>`.

    Parameters
    ----------
    centers_ref : array-like of shape (n_clusters_ref, n_features)
        Reference centres (the clean model's ``cluster_centers_``).
    centers : array-like of shape (n_clusters, n_features)
        Centres to compare (the poisoned model's ``cluster_centers_``).

    Returns
    -------
    shift : CentroidShift
        Named tuple ``(mean, max)`` of the matched distances, in the units of
        the features.

    See Also
    --------
    assignment_change_rate : How many rows changed cluster.

    Examples
    --------
    >>> from skpoison.metrics import centroid_shift
    >>> shift = centroid_shift([[0, 0], [10, 0]], [[10, 3], [0, 1]])
    >>> print(shift.mean, shift.max)
    2.0 3.0
    """
    centers_ref = check_array(centers_ref, input_name="centers_ref")
    centers = check_array(centers, input_name="centers")
    if centers_ref.shape[1] != centers.shape[1]:
        raise ValueError(
            f"centers_ref has {centers_ref.shape[1]} features but centers has "
            f"{centers.shape[1]}."
        )
    distances = cdist(centers_ref, centers)
    rows, cols = linear_sum_assignment(distances)
    matched = distances[rows, cols]
    return CentroidShift(float(matched.mean()), float(matched.max()))


def _cluster_groups(labels):
    """Codes of the non-noise rows: ``(valid_mask, codes, n_clusters)``."""
    valid = labels != -1
    _, codes = _encode(labels[valid])
    n_clusters = int(codes.max()) + 1 if codes.size else 0
    return valid, codes, n_clusters


@validate_params(
    {"X": ["array-like"], "labels": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def mean_within_cluster_std(X, labels):
    """Mean over clusters of the average per-feature standard deviation.

    For each cluster, the (population) standard deviation of each feature
    over the cluster's rows is averaged over the features; the result is the
    unweighted mean over the clusters. This is the compactness measure of the
    study that skpoison grew from: poisoning that pulls clusters apart or
    blurs them raises it. Rows labelled ``-1`` (noise) are left out.

    Read more in the :ref:`User Guide <evaluation_metrics>`.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data.
    labels : array-like of shape (n_samples,)
        Cluster label of each row; ``-1`` is noise.

    Returns
    -------
    std : float
        In the units of the features; 0 when every cluster is a single point.

    See Also
    --------
    clustering_report : All internal and external scores at once.

    Examples
    --------
    >>> from skpoison.metrics import mean_within_cluster_std
    >>> # Feature stds: cluster 0 (1, 0), cluster 1 (0, 2); means 0.5 and 1.
    >>> X = [[0, 0], [2, 0], [10, 1], [10, 5]]
    >>> print(mean_within_cluster_std(X, [0, 0, 1, 1]))
    0.75
    """
    X = check_array(X, dtype=(np.float64, np.float32), input_name="X")
    (labels,) = _check_labels(labels=column_or_1d(labels))
    check_consistent_length(X, labels)
    valid, codes, n_clusters = _cluster_groups(labels)
    if n_clusters == 0:
        raise ValueError("Every row is labelled -1 (noise): there is no cluster.")
    # Per-cluster sums in row chunks with a one-hot GEMM: a full-size
    # ``means[codes]`` gather (1 s at 1e6 x 50) and three n x d temporaries
    # made this 3 s and 3x X at 1e6 rows; chunked it is about 1 s and O(chunk).
    # The chunk bounds both the rows of X and the one-hot block (rows x k).
    width = max(X.shape[1], n_clusters, 1)
    chunk = max(1, (8 << 20) // (width * X.itemsize))
    rows = np.flatnonzero(valid) if not valid.all() else None
    n_valid = codes.size
    onehot = np.eye(n_clusters, dtype=X.dtype)

    def blocks():
        for start in range(0, n_valid, chunk):
            stop = min(start + chunk, n_valid)
            Xc = X[start:stop] if rows is None else X[rows[start:stop]]
            yield Xc, codes[start:stop]

    counts = np.bincount(codes, minlength=n_clusters).astype(X.dtype)
    sums = np.zeros((n_clusters, X.shape[1]), dtype=X.dtype)
    for Xc, c in blocks():
        sums += onehot[c].T @ Xc
    means = sums / counts[:, None]
    # Squared deviations from each row's own cluster mean: numerically safer
    # than E[x^2] - E[x]^2.
    sq = np.zeros_like(sums)
    for Xc, c in blocks():
        dev = Xc - means[c]
        dev *= dev
        sq += onehot[c].T @ dev
    variances = sq / counts[:, None]
    return float(np.sqrt(variances).mean(axis=1).mean())


def _internal_scores(X, labels, sample_size, random_state):
    """Silhouette, Calinski-Harabasz, Davies-Bouldin and mean std (NaN if undefined)."""
    valid = labels != -1
    Xv, lv = X[valid], labels[valid]
    n_clusters = np.unique(lv).size
    scores = dict.fromkeys(
        ["silhouette", "calinski_harabasz", "davies_bouldin"], float("nan")
    )
    if 2 <= n_clusters <= Xv.shape[0] - 1:
        sample = sample_size if Xv.shape[0] > sample_size else None
        scores["silhouette"] = float(
            silhouette_score(Xv, lv, sample_size=sample, random_state=random_state)
        )
        scores["calinski_harabasz"] = float(calinski_harabasz_score(Xv, lv))
        scores["davies_bouldin"] = float(davies_bouldin_score(Xv, lv))
    scores["mean_within_cluster_std"] = (
        mean_within_cluster_std(Xv, lv) if n_clusters else float("nan")
    )
    return scores


def _external_scores(y_true, labels):
    """ARI, AMI and cluster accuracy of ``labels`` against ``y_true``."""
    return {
        "adjusted_rand": float(adjusted_rand_score(y_true, labels)),
        "adjusted_mutual_info": float(adjusted_mutual_info_score(y_true, labels)),
        "cluster_accuracy": cluster_accuracy(y_true, labels),
    }


@validate_params(
    {
        "X": ["array-like"],
        "labels": ["array-like"],
        "y_true": ["array-like", None],
        "sample_size": [Interval(Integral, 2, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def clustering_report(
    X, labels, y_true=None, *, sample_size=_SILHOUETTE_SAMPLE_SIZE, random_state=0
):
    """Compute the internal and external scores of a clustering, in one dict.

    Internal scores judge the clusters from the data alone; external scores
    compare them to ground-truth classes. Poisoning can fool internal scores:
    distant injected noise forms its own tight cluster and the silhouette
    *rises* while the clustering of the genuine rows gets worse. Read both.

    Internal scores (computed on the rows not labelled ``-1``; NaN when there
    are fewer than 2 or as many clusters as rows):

    - ``"silhouette"``: :func:`sklearn.metrics.silhouette_score`, higher is
      better. It costs ``O(n^2)`` time, so above ``sample_size`` rows it is
      computed on a random sample of ``sample_size`` rows drawn with
      ``random_state`` (fixed by default, so reports are reproducible).
    - ``"calinski_harabasz"``: higher is better.
    - ``"davies_bouldin"``: lower is better.
    - ``"mean_within_cluster_std"``: :func:`mean_within_cluster_std`, lower
      is more compact.

    External scores (only when ``y_true`` is given; all rows, ``-1``
    predictions count as errors for the accuracy):

    - ``"adjusted_rand"``: :func:`sklearn.metrics.adjusted_rand_score`.
    - ``"adjusted_mutual_info"``:
      :func:`sklearn.metrics.adjusted_mutual_info_score`.
    - ``"cluster_accuracy"``: :func:`cluster_accuracy`.

    Read more in the :ref:`User Guide <evaluation_metrics>`.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data the labels belong to.
    labels : array-like of shape (n_samples,)
        Cluster label of each row; ``-1`` is noise.
    y_true : array-like of shape (n_samples,), default=None
        Ground-truth classes for the external scores.
    sample_size : int, default=3_000
        Above this many rows, the silhouette is computed on a sample.
    random_state : int, RandomState instance or None, default=0
        Draws the silhouette sample.

    Returns
    -------
    report : dict
        Score name to float, in the order listed above.

    See Also
    --------
    skpoison.model_selection.evaluate_attack : The report for a clean and a
        poisoned model side by side.

    Examples
    --------
    >>> from sklearn.cluster import KMeans
    >>> from sklearn.datasets import load_iris
    >>> from skpoison.metrics import clustering_report
    >>> X, y = load_iris(return_X_y=True)
    >>> labels = KMeans(3, n_init=10, random_state=0).fit_predict(X)
    >>> report = clustering_report(X, labels, y)
    >>> list(report)
    ['silhouette', 'calinski_harabasz', 'davies_bouldin',
     'mean_within_cluster_std', 'adjusted_rand', 'adjusted_mutual_info',
     'cluster_accuracy']
    >>> print(round(report["silhouette"], 2), round(report["cluster_accuracy"], 2))
    0.55 0.89
    """
    X = check_array(X, dtype=(np.float64, np.float32), input_name="X")
    (labels,) = _check_labels(labels=column_or_1d(labels))
    check_consistent_length(X, labels)
    report = _internal_scores(X, labels, sample_size, random_state)
    if y_true is not None:
        (y_true,) = _check_labels(y_true=column_or_1d(y_true))
        check_consistent_length(labels, y_true)
        report.update(_external_scores(y_true, labels))
    return report
