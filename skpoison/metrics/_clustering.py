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
from scipy.special import gammaln
from sklearn import config_context
from sklearn.metrics import (
    mutual_info_score,
    pair_confusion_matrix,
    pairwise_distances,
    silhouette_score,
)
from sklearn.utils import check_array, check_consistent_length, check_random_state

from skpoison.utils._labels import encode_labels
from skpoison.utils._param_validation import Interval, validate_params
from skpoison.utils._validation import check_finite_arithmetic

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
# MiB of pairwise distances the sampled silhouette holds at once.
_SILHOUETTE_WORKING_MEMORY = 1

# Up to this many clusters, per-cluster sums use a dense one-hot GEMM.
_ONEHOT_MAX = 64


def _check_labels(**labels):
    """Validate label vectors: 1-D, same length, at least one row.

    Labels may be numbers, booleans, strings, or an object array mixing them
    (e.g. string classes with the integer ``-1``); they are encoded by
    :func:`skpoison.utils._labels.encode_labels`, which handles mixed types.
    """
    arrays = []
    for name, value in labels.items():
        array = np.asarray(value)
        if array.ndim != 1:
            raise ValueError(
                f"{name} must be 1-D (one label per row), got shape {array.shape}."
            )
        if array.shape[0] == 0:
            raise ValueError(f"{name} is empty.")
        if array.dtype.kind in "fc" and not np.isfinite(array).all():
            raise ValueError(f"{name} contains NaN or infinity.")
        if array.dtype.kind == "O" and any(
            isinstance(v, float) and not np.isfinite(v) for v in array
        ):
            raise ValueError(f"{name} contains NaN or infinity.")
        if array.dtype.kind not in "biufOUS":
            raise ValueError(
                f"{name} must hold numbers, booleans or strings, got dtype "
                f"{array.dtype}."
            )
        arrays.append(array)
    check_consistent_length(*arrays)
    return arrays


def _noise_mask(labels):
    """Return True where a label is the noise marker, the integer ``-1``."""
    kind = labels.dtype.kind
    if kind in "iuf":
        return labels == -1
    if kind == "O":
        return np.fromiter(
            (
                not isinstance(v, (str, bool, np.bool_)) and v is not None and v == -1
                for v in labels
            ),
            dtype=bool,
            count=labels.shape[0],
        )
    return np.zeros(labels.shape[0], dtype=bool)


def _as_1d(labels, name):
    """Ravel a single-column label array; other shapes are left to _check_labels."""
    array = np.asarray(labels)
    if array.ndim == 2 and array.shape[1] == 1:
        return array.ravel()
    return array


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
    return encode_labels(labels)


def _contingency(codes_a, codes_b, n_a, n_b):
    """Sparse contingency table ``n_ij`` (int64) of two code vectors."""
    table = sparse.coo_array(
        (np.ones(codes_a.shape[0], dtype=np.int64), (codes_a, codes_b)),
        shape=(n_a, n_b),
    ).tocsr()
    table.sum_duplicates()
    return table


# Up to this many cells, the matching runs on the dense contingency table.
_DENSE_MATCHING_MAX = 1 << 20


def _matched_total(table):
    """Largest total count of a one-to-one matching of a contingency table.

    A few clusters: the Hungarian algorithm on the dense ``K_a x K_b`` table.
    Many (e.g. one label per row): the table has at most ``n`` non-zero cells,
    so the matching runs on the sparse table
    (:func:`scipy.sparse.csgraph.min_weight_full_bipartite_matching`), in
    ``O(n)`` memory. Zero cells add nothing to a matching, so each row gets a
    private zero-weight dummy column, which makes a full matching of the rows
    always exist without changing the optimum.
    """
    table = sparse.csr_array(table)
    n_a, n_b = table.shape
    if n_a * n_b <= _DENSE_MATCHING_MAX:
        dense = table.toarray()
        rows, cols = linear_sum_assignment(dense, maximize=True)
        return int(dense[rows, cols].sum())
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    coo = table.tocoo()
    weights = coo.data.astype(np.float64)
    ceiling = float(weights.max()) + 1.0
    # Minimising (ceiling - count) over a full matching of the rows maximises
    # the matched count; dummy edges cost `ceiling` (they match nothing).
    graph = sparse.csr_array(
        (
            np.concatenate([ceiling - weights, np.full(n_a, ceiling)]),
            (
                np.concatenate([coo.row, np.arange(n_a)]),
                np.concatenate([coo.col, n_b + np.arange(n_a)]),
            ),
        ),
        shape=(n_a, n_b + n_a),
    )
    rows, cols = min_weight_full_bipartite_matching(graph)
    real = cols < n_b
    return int(table[rows[real], cols[real]].sum())


def _matched_count(labels_a, labels_b, *, noise_a, noise_b):
    """Count the rows whose labels agree under the best one-to-one matching.

    Rows labelled ``-1`` in a vector flagged as having noise are never matched
    to a cluster; a row that is noise in both vectors counts as agreeing when
    both vectors have noise.
    """
    valid = np.ones(labels_a.shape[0], dtype=bool)
    noise_mask_a = _noise_mask(labels_a) if noise_a else None
    noise_mask_b = _noise_mask(labels_b) if noise_b else None
    if noise_a:
        valid &= ~noise_mask_a
    if noise_b:
        valid &= ~noise_mask_b
    both_noise = 0
    if noise_a and noise_b:
        both_noise = int(np.count_nonzero(noise_mask_a & noise_mask_b))
    if not valid.any():
        return both_noise
    classes_a, codes_a = _encode(labels_a[valid])
    classes_b, codes_b = _encode(labels_b[valid])
    table = _contingency(codes_a, codes_b, classes_a.size, classes_b.size)
    return _matched_total(table) + both_noise


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
    to the difference): the number of ordered pairs of rows on which the
    clusterings disagree, read from
    :func:`sklearn.metrics.cluster.pair_confusion_matrix` in
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
    # The off-diagonal cells of the pair confusion matrix count the ordered
    # pairs of rows on which the two clusterings disagree: ||A - B||_F^2.
    # Integer codes: scikit-learn sorts the labels, which mixed types defeat.
    pairs = pair_confusion_matrix(_encode(labels_ref)[1], _encode(labels)[1])
    squared = int(pairs[0, 1]) + int(pairs[1, 0])
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
    for name, value in (("centers_ref", centers_ref), ("centers", centers)):
        check_finite_arithmetic(value, owner="centroid_shift", input_name=name)
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
    valid = ~_noise_mask(labels)
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
    check_finite_arithmetic(X, owner="mean_within_cluster_std")
    (labels,) = _check_labels(labels=_as_1d(labels, "labels"))
    check_consistent_length(X, labels)
    stats = _cluster_stats(X, labels)
    if stats is None:
        raise ValueError("Every row is labelled -1 (noise): there is no cluster.")
    return stats["mean_within_cluster_std"]


def _cluster_stats(X, labels):
    """Per-cluster statistics of the non-noise rows, in two chunked passes.

    Returns None when every row is noise, else a dict with ``n_clusters``,
    ``n_samples`` (non-noise rows), ``calinski_harabasz`` and
    ``davies_bouldin`` (NaN unless ``2 <= n_clusters < n_samples``) and
    ``mean_within_cluster_std``.

    Pass 1 sums the rows of each cluster; pass 2 the squared deviations from
    each row's own centroid, per cluster and feature (the standard deviations
    and the Calinski-Harabasz within-cluster dispersion) and each row's
    Euclidean distance to its centroid (the Davies-Bouldin scatter). Each
    chunk of rows is cast to float64 (a float32 ``X`` is never copied whole):
    in float32 the Calinski-Harabasz between-cluster term, a small difference
    of centroids, lost ~1e-5 relative accuracy. Before this, scikit-learn's
    ``calinski_harabasz_score`` and ``davies_bouldin_score`` each looped
    over boolean masks of all rows and copied every cluster (about 1 s each at
    1e6 x 50), and the report copied ``X[labels != -1]`` first.
    """
    valid, codes, k = _cluster_groups(labels)
    if k == 0:
        return None
    n_valid, n_features = codes.size, X.shape[1]
    # A chunk bounds both the rows of X and the one-hot block (rows x k).
    chunk = max(1, (2 << 20) // (max(n_features, min(k, _ONEHOT_MAX), 1) * 8))
    rows = np.flatnonzero(valid) if not valid.all() else None

    def blocks():
        for start in range(0, n_valid, chunk):
            stop = min(start + chunk, n_valid)
            Xc = X[start:stop] if rows is None else X[rows[start:stop]]
            yield Xc.astype(np.float64, copy=False), codes[start:stop]

    if k <= _ONEHOT_MAX:
        # Per-cluster sums with a one-hot GEMM: a BLAS call per chunk.
        onehot = np.eye(k)

        def group_sum(values, c):
            return onehot[c].T @ values

    else:
        # Many clusters: a sparse indicator keeps the cost O(chunk x d).
        def group_sum(values, c):
            indicator = sparse.csr_array(
                (np.ones(c.size, dtype=values.dtype), (c, np.arange(c.size))),
                shape=(k, c.size),
            )
            return indicator @ values

    counts = np.bincount(codes, minlength=k).astype(np.float64)
    sums = np.zeros((k, n_features), dtype=np.float64)
    for Xc, c in blocks():
        sums += group_sum(Xc, c)
    centroids = sums / counts[:, None]
    # Squared deviations from each row's own centroid: numerically safer
    # than E[x^2] - E[x]^2.
    sq = np.zeros_like(sums)
    scatter = np.zeros(k, dtype=np.float64)
    for Xc, c in blocks():
        dev = Xc - centroids[c]
        dev *= dev
        sq += group_sum(dev, c)
        scatter += np.bincount(c, weights=np.sqrt(dev.sum(axis=1)), minlength=k)
    variances = sq / counts[:, None]
    stats = {
        "n_clusters": k,
        "n_samples": n_valid,
        "mean_within_cluster_std": float(np.sqrt(variances).mean(axis=1).mean()),
        "calinski_harabasz": float("nan"),
        "davies_bouldin": float("nan"),
    }
    if not 2 <= k <= n_valid - 1:
        return stats
    # Calinski-Harabasz, as sklearn.metrics.calinski_harabasz_score.
    mean = sums.sum(axis=0) / n_valid
    extra_disp = float(np.dot(counts, ((centroids - mean) ** 2).sum(axis=1)))
    intra_disp = float(sq.sum())
    stats["calinski_harabasz"] = (
        1.0
        if intra_disp == 0.0
        else extra_disp * (n_valid - k) / (intra_disp * (k - 1.0))
    )
    # Davies-Bouldin, as sklearn.metrics.davies_bouldin_score.
    intra_dists = scatter / counts
    centroid_distances = pairwise_distances(centroids)
    if np.allclose(intra_dists, 0) or np.allclose(centroid_distances, 0):
        stats["davies_bouldin"] = 0.0
    else:
        centroid_distances[centroid_distances == 0] = np.inf
        combined = intra_dists[:, None] + intra_dists
        stats["davies_bouldin"] = float(
            np.mean(np.max(combined / centroid_distances, axis=1))
        )
    return stats


def _internal_scores(X, labels, sample_size, random_state):
    """Silhouette, Calinski-Harabasz, Davies-Bouldin and mean std (NaN if undefined)."""
    scores = dict.fromkeys(
        ["silhouette", "calinski_harabasz", "davies_bouldin"], float("nan")
    )
    stats = _cluster_stats(X, labels)
    if stats is None:
        scores["mean_within_cluster_std"] = float("nan")
        return scores
    n_valid = stats["n_samples"]
    if 2 <= stats["n_clusters"] <= n_valid - 1:
        # The sample silhouette_score(sample_size=...) would draw, without
        # copying (and re-validating) all the non-noise rows first.
        rows = np.flatnonzero(~_noise_mask(labels))
        if n_valid > sample_size:
            rng = check_random_state(random_state)
            rows = rows[rng.permutation(n_valid)[:sample_size]]
        # Integer codes: scikit-learn's label encoder refuses mixed types.
        codes = _encode(labels[rows])[1]
        # Chunked distances: the default 1 GiB working memory would hold the
        # whole sample_size x sample_size block (72 MB at 3 000 rows), many
        # times a moderate X. Row chunks do not change the result.
        # A sample can miss every cluster but one (a huge cluster and a few
        # tiny ones): the sample's silhouette is then undefined (NaN).
        if 2 <= codes.max() + 1 <= rows.size - 1:
            with config_context(working_memory=_SILHOUETTE_WORKING_MEMORY):
                scores["silhouette"] = float(silhouette_score(X[rows], codes))
        scores["calinski_harabasz"] = stats["calinski_harabasz"]
        scores["davies_bouldin"] = stats["davies_bouldin"]
    scores["mean_within_cluster_std"] = stats["mean_within_cluster_std"]
    return scores


def _expected_mutual_info(a, b, n):
    """Compute the expected mutual information of labellings with marginals a, b.

    The sum of :func:`sklearn.metrics.adjusted_mutual_info_score` (Vinh et
    al., 2010) over every cell ``(i, j)`` and every count ``n_ij`` allowed by
    the hypergeometric distribution, vectorised, and with the counts farther
    than ``sqrt(200 min(a_i, b_j))`` from the mean ``a_i b_j / n`` left out:
    by Hoeffding's bound for sampling without replacement their total
    probability is below ``2 exp(-400)``, so they do not change the float64
    result, and the work drops from ``O(k^2 n / k)`` to ``O(k^2 sqrt(n / k))``.
    """
    if a.size == 1 or b.size == 1:
        return 0.0
    ai = np.repeat(a.astype(np.int64), b.size)
    bj = np.tile(b.astype(np.int64), a.size)
    half = np.ceil(np.sqrt(200.0 * np.minimum(ai, bj))).astype(np.int64) + 1
    mu = (ai * bj) // n
    lo = np.maximum.reduce([np.ones_like(ai), ai + bj - n, mu - half])
    hi = np.minimum.reduce([ai, bj, mu + half + 1])
    sizes = np.maximum(hi - lo + 1, 0)
    emi = 0.0
    const = gammaln(ai + 1) + gammaln(bj + 1) + gammaln(n - ai + 1)
    const += gammaln(n - bj + 1)
    log_a, log_b = np.log(ai), np.log(bj)
    # Cells in groups of at most ~1e6 terms.
    ends = np.cumsum(sizes)
    cell = 0
    while cell < sizes.size:
        base = ends[cell - 1] if cell else 0
        stop = max(cell + 1, int(np.searchsorted(ends, base + (1 << 20), "right")))
        block = np.arange(cell, stop)
        owner = np.repeat(block, sizes[block])
        offset = np.arange(owner.size) - np.repeat(
            np.cumsum(sizes[block]) - sizes[block], sizes[block]
        )
        nij = lo[owner] + offset
        ao, bo = ai[owner], bj[owner]
        # Same order of operations as scikit-learn's Cython loop.
        gln = const[owner] - (gammaln(nij + 1) + gammaln(n + 1))
        gln -= gammaln(ao - nij + 1)
        gln -= gammaln(bo - nij + 1)
        gln -= gammaln(n - ao - bo + nij + 1)
        term2 = (np.log(n) + np.log(nij)) - log_a[owner] - log_b[owner]
        emi += float(np.sum(nij / n * term2 * np.exp(gln)))
        cell = stop
    return emi


def _entropy_counts(counts):
    """Entropy of a labelling from its class counts (as sklearn's ``_entropy``)."""
    pi = counts[counts > 0].astype(np.float64)
    if pi.size == 1:
        return 0.0
    pi_sum = np.sum(pi)
    return float(-np.sum((pi / pi_sum) * (np.log(pi) - np.log(pi_sum))))


def _external_scores(y_true, labels):
    """ARI, AMI and cluster accuracy of ``labels`` against ``y_true``.

    ARI and AMI are those of :func:`sklearn.metrics.adjusted_rand_score` and
    :func:`sklearn.metrics.adjusted_mutual_info_score` (``-1`` is an ordinary
    label there), computed from one contingency table instead of the three
    ``np.unique`` sorts and two tables scikit-learn builds.
    """
    classes, codes_true = _encode(y_true)
    clusters, codes_pred = _encode(labels)
    table = _contingency(codes_true, codes_pred, classes.size, clusters.size)
    n = int(codes_true.size)
    n_c = np.bincount(codes_true, minlength=classes.size).astype(np.int64)
    n_k = np.bincount(codes_pred, minlength=clusters.size).astype(np.int64)
    # Adjusted Rand index from the pair confusion matrix (exact integers).
    sum_squares = int(np.dot(table.data, table.data))
    tp = sum_squares - n
    fp = int(np.dot(n_k, n_k)) - sum_squares
    fn = int(np.dot(n_c, n_c)) - sum_squares
    tn = n * n - fp - fn - sum_squares
    if fn == 0 and fp == 0:
        ari = 1.0
    else:
        ari = (
            2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))
        )
    # Adjusted mutual information, arithmetic normalisation.
    if classes.size == clusters.size == 1:
        ami = 1.0
    elif classes.size == 1 or clusters.size == 1:
        ami = 0.0
    else:
        mi = mutual_info_score(None, None, contingency=table)
        emi = _expected_mutual_info(n_c, n_k, n)
        normalizer = (_entropy_counts(n_c) + _entropy_counts(n_k)) / 2
        eps = np.finfo(np.float64).eps
        denominator = normalizer - emi
        denominator = (
            min(denominator, -eps) if denominator < 0 else max(denominator, eps)
        )
        numerator = mi - emi
        numerator = min(numerator, -eps) if numerator < 0 else max(numerator, eps)
        ami = float(numerator / denominator)
    # Cluster accuracy: only predicted -1 is noise.
    matched = _matched_count(y_true, labels, noise_a=False, noise_b=True)
    return {
        "adjusted_rand": float(ari),
        "adjusted_mutual_info": ami,
        "cluster_accuracy": float(matched / n),
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
    check_finite_arithmetic(X, owner="clustering_report")
    (labels,) = _check_labels(labels=_as_1d(labels, "labels"))
    check_consistent_length(X, labels)
    report = _internal_scores(X, labels, sample_size, random_state)
    if y_true is not None:
        (y_true,) = _check_labels(y_true=_as_1d(y_true, "y_true"))
        check_consistent_length(labels, y_true)
        report.update(_external_scores(y_true, labels))
    return report
