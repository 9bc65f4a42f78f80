"""Seeded and constrained k-means (Basu, Banerjee & Mooney, 2002)."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from numbers import Integral, Real

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
)
from sklearn.metrics import pairwise_distances_argmin
from sklearn.metrics.pairwise import euclidean_distances
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data
from threadpoolctl import threadpool_limits

from skpoison.utils._labels import labelled_classes, unlabelled_mask
from skpoison.utils._param_validation import Interval, StrOptions, _fit_context

__all__ = ["SemiSupervisedKMeans"]

# Rows per chunk of the assignment step: the chunk of X (about 2 MB of
# float64) stays in cache while its distances and centre sums are computed.
_CHUNK_ELEMENTS = 2**16
# Below this many rows per thread, the iterations run in the calling thread.
_PARALLEL_MIN_ROWS = 20_000


def _chunk_rows(n_features):
    return max(64, _CHUNK_ELEMENTS // max(n_features, 1))


def _n_threads():
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _assign_block(X, centers_t, c_sq, forced, labels, lo, hi, update_centers):
    """Run the assignment step on rows ``lo:hi``: fill ``labels``, return sums.

    Each chunk of rows is read once while it is in cache: one product for the
    distances, the argmin, and one product of the chunk with the one-hot rows
    of its labels for the centre sums (in the dtype of ``X``).
    """
    k = centers_t.shape[1]
    step = _chunk_rows(X.shape[1])
    sums_t = np.zeros((X.shape[1], k), dtype=X.dtype) if update_centers else None
    onehot = np.eye(k, dtype=X.dtype)
    for start in range(lo, hi, step):
        stop = min(start + step, hi)
        Xc = X[start:stop]
        dist = Xc @ centers_t
        dist += c_sq
        lab = dist.argmin(axis=1)
        if forced is not None:
            f = forced[start:stop]
            lab = np.where(f >= 0, f, lab)
        labels[start:stop] = lab
        if update_centers:
            sums_t += Xc.T @ onehot[lab]
    if not update_centers:
        return None, None
    return sums_t.T, np.bincount(labels[lo:hi], minlength=k)


def _assign(X, centers, forced, *, update_centers=True, executor=None, n_blocks=1):
    """One assignment step: labels, and the centre sums and counts.

    Distances are ``|c|^2 - 2 x.c`` (``|x|^2`` does not change the argmin),
    one single-threaded matrix product per chunk of rows that fits in cache.
    Rows with ``forced >= 0`` go to that cluster whatever their distances
    (constrained k-means). The centre sums are the product of each chunk with
    the one-hot rows of its labels, no larger than the chunk. With
    an ``executor``, contiguous blocks of rows run in parallel threads (numpy
    releases the GIL), as scikit-learn's OpenMP loop does.
    """
    n = X.shape[0]
    labels = np.empty(n, dtype=np.intp)
    c_sq = np.einsum("ij,ij->i", centers, centers)
    bounds = np.linspace(0, n, n_blocks + 1).astype(np.intp)
    # -2 C^T once: the distances are then one product and one addition.
    args = (X, np.ascontiguousarray(-2 * centers.T), c_sq, forced, labels)
    blocks = [(bounds[i], bounds[i + 1]) for i in range(n_blocks)]
    if executor is None:
        results = [_assign_block(*args, lo, hi, update_centers) for lo, hi in blocks]
    else:
        futures = [
            executor.submit(_assign_block, *args, lo, hi, update_centers)
            for lo, hi in blocks
        ]
        results = [f.result() for f in futures]
    if not update_centers:
        return labels, None, None
    sums = sum(r[0] for r in results)
    counts = sum(r[1] for r in results)
    return labels, sums, counts


def _lloyd(X, centers, forced, max_iter, tol):
    """Lloyd iterations from ``centers``; an empty cluster keeps its centre.

    The loop mirrors :class:`sklearn.cluster.KMeans` (``algorithm="lloyd"``):
    stop when the labels no longer change, or when the squared centre shift
    is at most ``tol``; in the latter case a last assignment step makes the
    labels match the final centres. BLAS runs single-threaded on cache-sized
    chunks, and large inputs are split over threads.
    """
    n_threads = max(1, min(_n_threads(), X.shape[0] // _PARALLEL_MIN_ROWS))
    with ExitStack() as stack:
        stack.enter_context(threadpool_limits(limits=1, user_api="blas"))
        executor = None
        if n_threads > 1:
            executor = stack.enter_context(ThreadPoolExecutor(n_threads))
        labels_old = None
        strict = False
        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            labels, sums, counts = _assign(
                X, centers, forced, executor=executor, n_blocks=n_threads
            )
            nonempty = counts > 0
            new_centers = centers.copy()
            new_centers[nonempty] = sums[nonempty] / counts[nonempty, None].astype(
                X.dtype
            )
            shift = float(((new_centers - centers) ** 2).sum())
            centers = new_centers
            if labels_old is not None and np.array_equal(labels, labels_old):
                strict = True
                break
            if shift <= tol:
                break
            labels_old = labels
        if not strict:
            labels, _, _ = _assign(
                X,
                centers,
                forced,
                update_centers=False,
                executor=executor,
                n_blocks=n_threads,
            )
    return centers, labels, n_iter


def _inertia(X, centers, labels):
    """Sum of squared distances of rows to their assigned centre, chunked."""
    total = 0.0
    step = _chunk_rows(X.shape[1])
    for start in range(0, X.shape[0], step):
        diff = X[start : start + step] - centers[labels[start : start + step]]
        # per-chunk sums in X's dtype, the total in float64
        total += float(np.einsum("ij,ij->", diff, diff))
    return total


def _mean_variance(X):
    """Mean over features of the feature variances, chunked, in float64."""
    mean = X.mean(axis=0, dtype=np.float64)
    sq = np.zeros(X.shape[1], dtype=np.float64)
    step = _chunk_rows(X.shape[1])
    for start in range(0, X.shape[0], step):
        dev = X[start : start + step] - mean
        sq += np.einsum("ij,ij->j", dev, dev)
    return float(np.mean(sq / X.shape[0]))


class SemiSupervisedKMeans(
    ClassNamePrefixFeaturesOutMixin, TransformerMixin, ClassifierMixin, BaseEstimator
):
    """Seeded k-means: start at the class means of a labelled sample.

    Seeded-KMeans and Constrained-KMeans of Basu, Banerjee & Mooney (2002).
    ``fit(X, y)`` takes ``y == -1`` for unlabelled rows. The initial centre of
    cluster ``h`` is the mean of the labelled rows of class ``classes_[h]``;
    Lloyd iterations then run over all rows, labelled or not. Cluster ``h``
    keeps class ``classes_[h]`` for its whole life, so the estimator is a
    semi-supervised classifier: :meth:`predict` returns class labels and
    :meth:`score` is accuracy.

    Because the labels ride along with the centres, whoever controls the
    labelled sample controls which cluster gets which class: flipping seed
    labels can misclassify whole clusters while the clustering itself looks
    unchanged (see :class:`skpoison.attacks.LabelFlipAttack`).

    Read more in the :ref:`User Guide <semi_supervised_kmeans>`.

    Parameters
    ----------
    n_clusters : int, default=None
        Number of clusters. ``None`` uses one cluster per class with labelled
        rows. An int must equal that number of classes: it is a check that
        every class you expect has labelled seed rows. A value larger than
        the classes seen raises a ``ValueError`` (a cluster without labelled
        rows would have no class to predict; extra unseeded clusters are not
        supported), as does a smaller value.

    method : {"seeded", "constrained"}, default="seeded"
        ``"seeded"``: the labelled rows only give the initial centres and are
        then assigned like any other row (Seeded-KMeans). ``"constrained"``:
        labelled rows stay in their class's cluster in every assignment step
        (Constrained-KMeans).

    cluster_labelled : bool, default=True
        Whether the labelled rows take part in the clustering. True (Basu et
        al.): the Lloyd iterations run over all rows. False: the labelled
        rows are a seed sample kept apart, as in the original study's
        notebooks: they only give the initial centres, and the iterations,
        ``inertia_`` and ``n_iter_`` use the unlabelled rows alone (at least
        one is needed). The labelled rows then get the class of their nearest
        final centre in ``labels_``, as :meth:`predict` would give them. With
        ``cluster_labelled=False`` the two ``method`` values coincide.

    max_iter : int, default=300
        Maximum number of Lloyd iterations.

    tol : float, default=1e-4
        Relative tolerance: the iterations stop when the squared shift of
        the centres is at most ``tol`` times the mean feature variance, as in
        :class:`sklearn.cluster.KMeans`. They also stop when no label changes.

    random_state : int, RandomState instance or None, default=None
        Not used: the algorithm is deterministic given the labelled seeds.
        Accepted so that the estimator can sit in sweeps that set
        ``random_state`` on every step.

    Attributes
    ----------
    classes_ : ndarray of shape (n_clusters,)
        The classes of the labelled rows, sorted; cluster ``h`` is class
        ``classes_[h]``.

    initial_centers_ : ndarray of shape (n_clusters, n_features)
        Mean of the labelled rows of each class: the seeds.

    cluster_centers_ : ndarray of shape (n_clusters, n_features)
        Final centres, in the dtype of ``X``.

    labels_ : ndarray of shape (n_samples,)
        Class label (``classes_[h]`` of its cluster ``h``) of every training
        row, labelled or not.

    transduction_ : ndarray of shape (n_samples,)
        Same as ``labels_``: the labels the model gives the training rows,
        named as in :class:`sklearn.semi_supervised.LabelSpreading`. With
        ``method="constrained"`` it equals ``y`` on the labelled rows.

    n_iter_ : int
        Number of Lloyd iterations run.

    inertia_ : float
        Sum of squared distances of the training rows to their cluster's
        centre (the unlabelled rows only with ``cluster_labelled=False``).

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``. Defined only when `X` has
        feature names that are all strings.

    See Also
    --------
    sklearn.cluster.KMeans : Unsupervised k-means; ``init`` takes given centres.
    sklearn.semi_supervised.LabelSpreading : Graph-based semi-supervised
        classifier with the same ``-1`` convention.
    skpoison.preprocessing.MaskLabels : Hide most labels to simulate a small
        labelled sample.
    skpoison.attacks.LabelFlipAttack : Poison the labelled seed sample.

    Notes
    -----
    Labels: numeric targets and object targets mark unlabelled rows with the
    integer ``-1``, so string classes go in an object array such as
    ``np.array(["a", -1, "b"], dtype=object)``. A string-dtype array has no
    unlabelled rows; a string ``"-1"`` in it raises a ``ValueError``. When
    every row is labelled the estimator is still well defined (a nearest
    class-mean start followed by k-means).

    Empty clusters: unlike :class:`sklearn.cluster.KMeans`, which moves the
    centre of an empty cluster to a far row, an empty cluster here keeps its
    previous centre, so that cluster ``h`` always remains class
    ``classes_[h]``. With ``method="constrained"`` a cluster is never empty.

    Cost: each iteration is one chunked matrix product ``X @ C.T`` plus the
    centre sums, ``O(n_samples * n_clusters * n_features)`` time and
    ``O(n_clusters * chunk)`` extra memory; computations stay in the dtype of
    ``X`` (float32 stays float32).

    References
    ----------
    .. [1] S. Basu, A. Banerjee and R. J. Mooney, "Semi-supervised clustering
       by seeding", Proceedings of the 19th International Conference on
       Machine Learning (ICML), pp. 27-34, 2002.

    Examples
    --------
    >>> import numpy as np
    >>> from skpoison.cluster import SemiSupervisedKMeans
    >>> X = np.array([[0.0], [1.0], [2.0], [10.0], [11.0], [12.0]])
    >>> y = np.array([0, -1, -1, -1, -1, 1])
    >>> model = SemiSupervisedKMeans().fit(X, y)
    >>> model.initial_centers_.ravel()
    array([ 0., 12.])
    >>> model.cluster_centers_.ravel()
    array([ 1., 11.])
    >>> model.labels_
    array([0, 0, 0, 1, 1, 1])
    >>> model.predict([[3.0], [9.0]])
    array([0, 1])
    """

    _parameter_constraints: dict = {
        "n_clusters": [Interval(Integral, 1, None, closed="left"), None],
        "method": [StrOptions({"seeded", "constrained"})],
        "cluster_labelled": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_clusters=None,
        *,
        method="seeded",
        cluster_labelled=True,
        max_iter=300,
        tol=1e-4,
        random_state=None,
    ):
        self.n_clusters = n_clusters
        self.method = method
        self.cluster_labelled = cluster_labelled
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Seed the centres with the labelled class means and run k-means.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data, labelled and unlabelled rows.

        y : array-like of shape (n_samples,)
            Class labels, ``-1`` for unlabelled rows. At least one row must
            be labelled.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X, y = validate_data(
            self,
            X,
            y,
            dtype=[np.float64, np.float32],
            order="C",
            y_numeric=False,
            multi_output=False,
        )
        unlabelled = unlabelled_mask(y)
        labelled = ~unlabelled
        if not labelled.any():
            raise ValueError(
                "SemiSupervisedKMeans found no labelled rows: every y is -1. "
                "At least one row of each class must be labelled to seed its "
                "cluster."
            )
        if y.dtype.kind != "O":
            check_classification_targets(y[labelled])
        classes, class_index = labelled_classes(y, labelled)
        n_classes = classes.shape[0]
        if self.n_clusters is not None and self.n_clusters != n_classes:
            if self.n_clusters < n_classes:
                raise ValueError(
                    f"n_clusters={self.n_clusters} is smaller than the "
                    f"{n_classes} classes with labelled rows; each class seeds "
                    "its own cluster. Use n_clusters=None."
                )
            raise ValueError(
                f"n_clusters={self.n_clusters} but only {n_classes} classes "
                f"have labelled rows ({list(classes)}): a class with no "
                "labelled row has no seed. Label at least one row of every "
                "class, or use n_clusters=None."
            )

        X_lab = X[labelled]
        initial = np.empty((n_classes, X.shape[1]), dtype=X.dtype)
        for h in range(n_classes):
            initial[h] = X_lab[class_index == h].mean(axis=0, dtype=np.float64)

        X_fit = X
        if not self.cluster_labelled:
            if not unlabelled.any():
                raise ValueError(
                    "cluster_labelled=False clusters the unlabelled rows only, "
                    "but every row of y is labelled: mark the rows to cluster "
                    "with -1."
                )
            X_fit = X[unlabelled]
        forced = None
        if self.method == "constrained" and self.cluster_labelled:
            forced = np.full(X.shape[0], -1, dtype=np.intp)
            forced[labelled] = class_index
        tol = self.tol * _mean_variance(X_fit) if self.tol > 0 else 0.0
        centers, clusters, n_iter = _lloyd(
            X_fit, initial.copy(), forced, self.max_iter, tol
        )
        inertia = _inertia(X_fit, centers, clusters)
        if not self.cluster_labelled:
            fit_clusters = clusters
            clusters = np.empty(X.shape[0], dtype=np.intp)
            clusters[unlabelled] = fit_clusters
            clusters[labelled] = pairwise_distances_argmin(X_lab, centers)

        self.classes_ = classes
        self.initial_centers_ = initial
        self.cluster_centers_ = centers
        self.labels_ = classes[clusters]
        self.transduction_ = self.labels_.copy()
        self.n_iter_ = n_iter
        self.inertia_ = inertia
        return self

    @property
    def _n_features_out(self):
        """Number of columns of :meth:`transform`: one per cluster."""
        return self.cluster_centers_.shape[0]

    def fit_predict(self, X, y):
        """Fit and return the class label of every training row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.

        y : array-like of shape (n_samples,)
            Class labels, ``-1`` for unlabelled rows.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            ``labels_``.
        """
        return self.fit(X, y).labels_

    def predict(self, X):
        """Class of the nearest centre for each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            New data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted class labels.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        centers = self.cluster_centers_.astype(X.dtype, copy=False)
        return self.classes_[pairwise_distances_argmin(X, centers)]

    def transform(self, X):
        """Euclidean distance of each row to each cluster centre.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            New data.

        Returns
        -------
        distances : ndarray of shape (n_samples, n_clusters)
            Column ``h`` is the distance to the centre of class
            ``classes_[h]``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        return euclidean_distances(X, self.cluster_centers_.astype(X.dtype))

    def score(self, X, y, sample_weight=None):
        """Return the accuracy of :meth:`predict` on ``X`` against ``y``.

        The clusters carry class labels, so this is plain accuracy, not an
        accuracy after matching clusters to classes: a poisoned seed that
        renames whole clusters shows up here.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Test rows.
        y : array-like of shape (n_samples,)
            True class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            Share of rows whose predicted class equals ``y``.
        """
        return super().score(X, y, sample_weight=sample_weight)
