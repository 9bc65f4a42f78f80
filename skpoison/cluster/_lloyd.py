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
  left out of the centre sums (``argpartition``, no sort); bounds on each
  row's distance, carried between iterations, spare measuring most rows
  (:class:`FarthestRows`).

If the kernel cannot be imported (a future scikit-learn), an equivalent
chunked numpy step is used instead.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import os

import numpy as np
from threadpoolctl import threadpool_limits

from skpoison.utils._arrays import chunk_rows, max_sq_norm

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
    step = chunk_rows(n_features)
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


def _lloyd_step(X, centers, labels, n_threads, update_centers=True, ones=None):
    """One assignment (and update) step over ``X`` from ``centers``.

    Fills ``labels`` (int32) in place and returns the mean of the rows of
    each cluster (zero for an empty one) and the cluster sizes. ``ones``:
    unit sample weights of the rows (allocated here when not given).
    """
    if _sklearn_lloyd_step is None or X.shape[0] == 0:
        return _numpy_lloyd_step(X, centers, labels, update_centers)
    k = centers.shape[0]
    if ones is None:
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
    # The summed unit weights are the cluster sizes, exact below 2**24 rows
    # in float32. scikit-learn moves one far row into each empty cluster,
    # leaving it a weight of 1: only then are the sizes counted again.
    if X.shape[0] < 2**24 and weights.min() > 1:
        return means, np.rint(weights).astype(np.intp)
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
    step = chunk_rows(X.shape[1])
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
    step = chunk_rows(X.shape[1])
    for start in range(0, X.shape[0], step):
        diff = X[start : start + step] - centers[labels[start : start + step]]
        out[start : start + step] = np.einsum("ij,ij->i", diff, diff)
    return out


def inertia(X, centers, labels):
    """Sum of squared distances of rows to their assigned centre (float64)."""
    total = 0.0
    step = chunk_rows(X.shape[1])
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
    step = chunk_rows(X.shape[1])
    for start in range(0, X.shape[0], step):
        dev = X[start : start + step] - mean
        sq += np.einsum("ij,ij->j", dev, dev)
    return float(np.mean(sq / X.shape[0]))


class FarthestRows:
    """Find the rows farthest from their centre without measuring every row.

    The ``n_trim`` rows farthest from their assigned centre, iteration after
    iteration. A pass over ``X`` for these distances costs more than
    scikit-learn's whole Lloyd step (whose distances are not returned).
    Between iterations each row keeps bounds on its distance instead, as in
    Hamerly's k-means: a centre moving by ``s`` moves the distance of its
    rows by at most ``s``, and the distance to the nearest centre drops by
    at most the largest move. Only rows whose upper bound reaches the
    ``n_trim``-th largest lower bound can be among the farthest; only those
    are measured. The result is the set a full pass would give (up to ties).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), float32 or float64
    n_trim : int, 0 < n_trim < n_samples
    """

    def __init__(self, X, n_trim):
        self.X = X
        self.n_trim = n_trim
        self._upper = None  # bounds on the distance (not squared), float64
        self._lower = None
        self.far_X = None  # the rows of the last `find`, copied from X
        # Rounding: a computed squared distance is within a relative
        # ``n_features * eps`` of the exact one, and scikit-learn's step may
        # pick a centre that ties the nearest one up to ``eps * |x|^2``.
        eps = float(np.finfo(X.dtype).eps)
        self._rel = 4 * max(X.shape[1], 1) * eps
        self._abs = 16 * eps * float(max_sq_norm(X))
        self.n_measured_ = 0

    def find(self, centers, labels):
        """Return the ``n_trim`` rows farthest from ``centers[labels]`` (sorted).

        Their values are kept as ``far_X`` (the caller takes them out of the
        centre sums without gathering them from ``X`` a second time).
        """
        n_samples = self.X.shape[0]
        if self._upper is None:
            rows = None
        else:
            cut = n_samples - self.n_trim
            threshold = np.partition(self._lower, cut)[cut]
            rows = np.flatnonzero(self._upper >= threshold)
            # Gathering a quarter of the rows costs about a pass over all of
            # them (at 1e6 x 50); it also bounds the gathered copy.
            if 4 * rows.shape[0] > n_samples:
                rows = None
        if rows is None:
            dist = sq_dist_to_assigned(self.X, centers, labels)
            self._upper, self._lower = self._bounds(dist)
            self.n_measured_ = n_samples
            cut = n_samples - self.n_trim
            # Sorted, so that gathering them reads X in order.
            far = np.sort(np.argpartition(dist, cut)[cut:])
            self.far_X = self.X[far]
            return far
        # One gather of the rows to measure (at most a quarter of X), in order;
        # the farthest are then taken from it, not from X again.
        X_rows = self.X[rows]
        dist = sq_dist_to_assigned(X_rows, centers, labels[rows])
        self._upper[rows], self._lower[rows] = self._bounds(dist)
        self.n_measured_ = rows.shape[0]
        cut = rows.shape[0] - self.n_trim
        local = np.sort(np.argpartition(dist, cut)[cut:])
        self.far_X = X_rows[local]
        return rows[local]

    def moved(self, old_centers, new_centers, labels):
        """Widen the bounds by how far each centre moved."""
        shift = np.sqrt(
            np.sum(
                (new_centers.astype(np.float64) - old_centers) ** 2,
                axis=1,
            )
        )
        shift *= 1 + self._rel
        self._upper += shift[labels]
        self._lower -= shift.max()

    def _bounds(self, sq_dist):
        sq_dist = sq_dist.astype(np.float64)
        upper = np.sqrt(sq_dist + self._abs) * (1 + self._rel)
        lower = np.sqrt(np.maximum(sq_dist - self._abs, 0)) * (1 - self._rel)
        return upper, lower


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
    ones = np.ones(X.shape[0], dtype=X.dtype)
    centers = np.array(centers, dtype=X.dtype, order="C")
    farthest = FarthestRows(X, n_trim) if n_trim else None
    strict = False
    n_iter = 0
    # As scikit-learn does: the kernel calls BLAS on small chunks, one
    # chunk per OpenMP thread, so BLAS itself must not spawn threads.
    with threadpool_limits(limits=1, user_api="blas"):
        while n_iter < max_iter:
            n_iter += 1
            means, counts = _lloyd_step(X, centers, labels, n_threads, ones=ones)
            if not plain:
                sums = means * counts[:, None].astype(X.dtype)
                counts = counts.copy()
                if n_trim:
                    far = farthest.find(centers, labels)
                    far_labels = labels[far]
                    sums -= _cluster_sums(farthest.far_X, far_labels, k)
                    counts -= np.bincount(far_labels, minlength=k)
                if fixed is not None:
                    sums += fixed_sums
                    counts += fixed_counts
                filled = counts > 0
                means = np.zeros_like(sums)
                means[filled] = sums[filled] / counts[filled, None].astype(X.dtype)
            empty = counts == 0
            means[empty] = centers[empty]
            if n_trim:
                farthest.moved(centers, means, labels)
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
            _lloyd_step(X, centers, labels, n_threads, update_centers=False, ones=ones)
    return centers, labels, n_iter
