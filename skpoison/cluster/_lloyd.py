"""Lloyd iterations shared by the skpoison clusterers.

Each iteration runs scikit-learn's own Lloyd step (the chunked, OpenMP
``lloyd_iter_chunked_dense`` kernel behind :class:`sklearn.cluster.KMeans`,
``algorithm="lloyd"``), so an iteration costs what one of scikit-learn's
costs, float32 staying float32. Around that step the loop adds what our
clusterers need and :class:`~sklearn.cluster.KMeans` does not offer:

- an empty cluster keeps its previous centre (scikit-learn moves it to a far
  row, which would hand that row's region to another class);
- rows with fixed clusters (constrained k-means): the kernel runs on the free
  rows only, and the sums of the fixed rows, constant over the run, are added;
- trimming (k-means--): the ``n_trim`` rows farthest from their centre are
  left out of the centre sums (``argpartition``, no sort).

If the kernel cannot be imported (a future scikit-learn), an equivalent
chunked numpy step is used instead.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import os

import numpy as np
from threadpoolctl import threadpool_limits

try:  # scikit-learn's Lloyd step; its signature is stable since 1.1
    from sklearn.cluster._k_means_lloyd import (
        lloyd_iter_chunked_dense as _sklearn_lloyd_step,
    )
except ImportError:  # pragma: no cover - depends on the installed version
    _sklearn_lloyd_step = None
try:
    from sklearn.utils._openmp_helpers import _openmp_effective_n_threads
except ImportError:  # pragma: no cover - depends on the installed version
    _openmp_effective_n_threads = None

# Rows per chunk of the numpy passes: the chunk (about 2 MB of float64)
# stays in cache.
_CHUNK_ELEMENTS = 2**16


def _chunk_rows(n_features):
    return max(64, _CHUNK_ELEMENTS // max(n_features, 1))


def _n_threads():
    """OpenMP threads for the kernel, as scikit-learn's KMeans chooses them.

    Respects ``OMP_NUM_THREADS`` and ``threadpoolctl`` limits (the sweeps run
    each task on one thread, so that results do not depend on the machine).
    """
    if _openmp_effective_n_threads is not None:
        return _openmp_effective_n_threads()
    try:  # pragma: no cover - depends on the installed version
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _numpy_lloyd_step(X, centers, labels, update_centers=True):
    """Run the Lloyd step in chunked numpy: labels in place; means, counts.

    Distances are ``|c|^2 - 2 x.c`` (``|x|^2`` does not change the argmin),
    one matrix product per chunk of rows; the centre sums are the product of
    each chunk with the one-hot rows of its labels. Empty clusters get a zero
    mean (the caller keeps their previous centre).
    """
    k, n_features = centers.shape
    c_sq = np.einsum("ij,ij->i", centers, centers)
    neg2_ct = np.ascontiguousarray(-2 * centers.T)
    sums = np.zeros((k, n_features), dtype=X.dtype)
    onehot = np.eye(k, dtype=X.dtype)
    step = _chunk_rows(n_features)
    for start in range(0, X.shape[0], step):
        Xc = X[start : start + step]
        dist = Xc @ neg2_ct
        dist += c_sq
        lab = dist.argmin(axis=1)
        labels[start : start + step] = lab
        if update_centers:
            sums += onehot[lab].T @ Xc
    if not update_centers:
        return None, None
    counts = np.bincount(labels, minlength=k)
    means = np.zeros_like(sums)
    filled = counts > 0
    means[filled] = sums[filled] / counts[filled, None].astype(X.dtype)
    return means, counts


def _lloyd_step(X, centers, labels, n_threads, update_centers=True):
    """One assignment (and update) step over ``X`` from ``centers``.

    Fills ``labels`` (int32) in place and returns the mean of the rows of
    each cluster (zero for an empty one) and the cluster sizes.
    """
    if _sklearn_lloyd_step is None or X.shape[0] == 0:
        return _numpy_lloyd_step(X, centers, labels, update_centers)
    k = centers.shape[0]
    ones = np.ones(X.shape[0], dtype=X.dtype)
    if not update_centers:
        _sklearn_lloyd_step(
            X, ones, centers, None, None, labels, None, n_threads, update_centers=False
        )
        return None, None
    means = np.empty_like(centers)
    weights = np.empty(k, dtype=X.dtype)
    shift = np.empty(k, dtype=X.dtype)
    _sklearn_lloyd_step(X, ones, centers, means, weights, labels, shift, n_threads)
    counts = np.bincount(labels, minlength=k)
    if not counts.all():
        # scikit-learn relocated an empty cluster to a far row and took that
        # row out of its own cluster: recompute the means from the labels.
        means = _cluster_means(X, labels, counts)
    return means, counts


def _cluster_sums(X, labels, k):
    """Sum of the rows of each cluster (``labels`` in ``0..k-1``), chunked."""
    sums = np.zeros((k, X.shape[1]), dtype=X.dtype)
    onehot = np.eye(k, dtype=X.dtype)
    step = _chunk_rows(X.shape[1])
    for start in range(0, X.shape[0], step):
        sums += onehot[labels[start : start + step]].T @ X[start : start + step]
    return sums


def _cluster_means(X, labels, counts):
    sums = _cluster_sums(X, labels, counts.shape[0])
    filled = counts > 0
    sums[filled] /= counts[filled, None].astype(X.dtype)
    sums[~filled] = 0
    return sums


def sq_dist_to_assigned(X, centers, labels):
    """Squared distance of every row to ``centers[labels]``, chunked.

    Computed from the differences (not the ``|x|^2 - 2 x.c + |c|^2``
    expansion), in the dtype of ``X``.
    """
    out = np.empty(X.shape[0], dtype=X.dtype)
    step = _chunk_rows(X.shape[1])
    for start in range(0, X.shape[0], step):
        diff = X[start : start + step] - centers[labels[start : start + step]]
        out[start : start + step] = np.einsum("ij,ij->i", diff, diff)
    return out


def inertia(X, centers, labels):
    """Sum of squared distances of rows to their assigned centre (float64)."""
    total = 0.0
    step = _chunk_rows(X.shape[1])
    for start in range(0, X.shape[0], step):
        diff = X[start : start + step] - centers[labels[start : start + step]]
        total += float(np.einsum("ij,ij->", diff, diff))
    return total


def mean_variance(X):
    """Mean over features of the feature variances, chunked, in float64.

    The scale of ``tol`` in :class:`sklearn.cluster.KMeans`.
    """
    mean = X.mean(axis=0, dtype=np.float64)
    sq = np.zeros(X.shape[1], dtype=np.float64)
    step = _chunk_rows(X.shape[1])
    for start in range(0, X.shape[0], step):
        dev = X[start : start + step] - mean
        sq += np.einsum("ij,ij->j", dev, dev)
    return float(np.mean(sq / X.shape[0]))


def trimmed(X, centers, labels, n_trim):
    """Return the ``n_trim`` rows farthest from their assigned centre."""
    if n_trim == 0:
        return np.empty(0, dtype=np.intp)
    dist = sq_dist_to_assigned(X, centers, labels)
    cut = X.shape[0] - n_trim
    return np.argpartition(dist, cut)[cut:]


def lloyd(X, centers, *, max_iter, tol, fixed=None, n_trim=0):
    """Lloyd iterations from ``centers``; an empty cluster keeps its centre.

    The loop is scikit-learn's (``sklearn.cluster.KMeans``,
    ``algorithm="lloyd"``): stop when the labels no longer change, or when
    the squared centre shift is at most ``tol`` (absolute; with trimming only
    the shift decides); in the latter
    case a last assignment step makes the labels match the final centres.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), C-contiguous float32/64
        The rows assigned at each step (the free rows).
    centers : ndarray of shape (n_clusters, n_features), dtype of ``X``
        Initial centres (not modified).
    max_iter : int
    tol : float
        Absolute tolerance on the summed squared centre shift.
    fixed : tuple (X_fixed, labels_fixed) or None
        Rows whose cluster never changes (constrained k-means): they add to
        their cluster's mean at every step, and are never reassigned.
    n_trim : int
        k-means--: the ``n_trim`` rows of ``X`` farthest from their centre
        are left out of the means at every step.

    Returns
    -------
    centers : ndarray of shape (n_clusters, n_features)
    labels : ndarray of int32, shape (n_samples,)
        Nearest centre of each row of ``X`` (trimmed rows included).
    n_iter : int
    """
    k = centers.shape[0]
    n_threads = _n_threads()
    plain = fixed is None and n_trim == 0
    if fixed is not None:
        X_fixed, labels_fixed = fixed
        fixed_sums = _cluster_sums(X_fixed, labels_fixed, k)
        fixed_counts = np.bincount(labels_fixed, minlength=k)
    labels = np.full(X.shape[0], -1, dtype=np.int32)
    labels_old = labels.copy()
    centers = np.array(centers, dtype=X.dtype, order="C")
    strict = False
    n_iter = 0
    # As scikit-learn does: the kernel calls BLAS on small chunks, one
    # chunk per OpenMP thread, so BLAS itself must not spawn threads.
    with threadpool_limits(limits=1, user_api="blas"):
        while n_iter < max_iter:
            n_iter += 1
            means, counts = _lloyd_step(X, centers, labels, n_threads)
            if not plain:
                sums = means * counts[:, None].astype(X.dtype)
                counts = counts.copy()
                if n_trim:
                    far = trimmed(X, centers, labels, n_trim)
                    far_labels = labels[far]
                    sums -= _cluster_sums(X[far], far_labels, k)
                    counts -= np.bincount(far_labels, minlength=k)
                if fixed is not None:
                    sums += fixed_sums
                    counts += fixed_counts
                filled = counts > 0
                means = np.zeros_like(sums)
                means[filled] = sums[filled] / counts[filled, None].astype(X.dtype)
            empty = counts == 0
            means[empty] = centers[empty]
            shift = float(((means - centers) ** 2).sum())
            centers = means
            # With trimming, equal labels do not fix the trimmed rows: only
            # the shift decides (a fixed point has shift 0).
            if not n_trim and np.array_equal(labels, labels_old):
                strict = True
                break
            if shift <= tol:
                break
            labels_old[:] = labels
        if not strict:
            _lloyd_step(X, centers, labels, n_threads, update_centers=False)
    return centers, labels, n_iter
