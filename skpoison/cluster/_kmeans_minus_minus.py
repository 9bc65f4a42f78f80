"""k-means-- (Chawla & Gionis, 2013): k-means that sets its farthest rows aside."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.metrics import pairwise_distances_argmin_min
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from skpoison.cluster._lloyd import lloyd, mean_variance, sq_dist_to_assigned
from skpoison.utils._budget import Count, Fraction, resolve_budget
from skpoison.utils._param_validation import (
    Interval,
    StrOptions,
    _fit_context,
)
from skpoison.utils._validation import check_finite_arithmetic, check_numeric_frame

__all__ = ["KMeansMinusMinus"]


class KMeansMinusMinus(ClusterMixin, BaseEstimator):
    """K-means-- (k-means that ignores its ``n_outliers`` farthest rows).

    At every Lloyd iteration the rows are assigned to their nearest centre,
    the ``n_outliers`` rows farthest from their centre are set aside, and the
    centres are the means of the remaining rows (Chawla & Gionis, 2013). The
    rows set aside at convergence are the outliers: ``fit_predict`` labels
    them ``-1``, so the estimator doubles as an outlier detector for
    :class:`skpoison.defences.OutlierRemover`.

    Read more in the :ref:`User Guide <kmeans_minus_minus>`.

    Parameters
    ----------
    n_clusters : int, default=8
        Number of clusters.

    n_outliers : int or float, default=0.05
        Rows set aside at each iteration: an int is a count, a float in
        [0, 1) a fraction of the rows (rounded). ``0`` gives plain k-means.
        At least ``n_clusters`` rows must remain.

    init : {"k-means++", "random"} or array-like of shape \
            (n_clusters, n_features), default="k-means++"
        Initial centres. ``"k-means++"`` is k-means++ seeding in which each
        draw ignores the ``n_outliers`` rows farthest from the seeds chosen so
        far (plain k-means++ would favour exactly those rows); ``"random"``
        takes ``n_clusters`` random rows; an array gives the centres.

    n_init : int, default=10
        Number of initialisations; the run with the lowest inertia is kept.
        Given centres are used once. Several runs matter more than for
        k-means: k-means++ seeding favours far rows, so a seed often lands on
        an outlier, and a centre sitting on an outlier keeps it from being
        set aside.

    max_iter : int, default=300
        Maximum number of iterations of a run.

    tol : float, default=1e-4
        Convergence: the run stops when the squared centre shift is at most
        ``tol`` times the mean feature variance.

    random_state : int, RandomState instance or None, default=None
        Controls the initialisation.

    Attributes
    ----------
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
        Centres, in the dtype of ``X``.

    labels_ : ndarray of shape (n_samples,)
        Cluster of each training row; ``-1`` for the outliers.

    outlier_mask_ : ndarray of bool, shape (n_samples,)
        True for the ``n_outliers_`` training rows set aside.

    n_outliers_ : int
        The number of outliers, with a fractional ``n_outliers`` resolved.

    inertia_ : float
        Sum of squared distances of the non-outlier rows to their centre (the
        k-means-- objective).

    n_iter_ : int
        Iterations of the kept run.

    n_features_in_ : int
        Number of features seen during :meth:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :meth:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    sklearn.cluster.KMeans : K-means without outliers.
    skpoison.defences.OutlierRemover : Remove the rows a detector flags.

    Notes
    -----
    Each iteration is scikit-learn's own Lloyd step (the kernel of
    :class:`sklearn.cluster.KMeans`, O(n k d)) plus the selection of the
    farthest rows. That needs each row's distance to its centre, which the
    kernel does not return; bounds on those distances, carried between
    iterations (Hamerly-style), leave only the rows near the cut to be
    measured (``argpartition``, no sort). A centre that loses all its rows
    keeps its previous position.

    :meth:`predict` assigns every new row to its nearest centre and never
    returns ``-1``: "outlier" is defined relative to the training rows (the
    ``n_outliers`` farthest of them).

    References
    ----------
    .. [1] S. Chawla and A. Gionis, "k-means--: A unified approach to
       clustering and outlier detection", SIAM SDM 2013, pp. 189-197.

    Examples
    --------
    >>> import numpy as np
    >>> from skpoison.cluster import KMeansMinusMinus
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0],
    ...               [10.0, 10.0], [10.0, 11.0], [11.0, 10.0], [11.0, 11.0],
    ...               [50.0, -50.0]])
    >>> km = KMeansMinusMinus(n_clusters=2, n_outliers=1, random_state=0).fit(X)
    >>> km.labels_[-1]
    np.int64(-1)
    >>> np.sort(km.cluster_centers_[:, 0])
    array([ 0.5, 10.5])
    """

    _parameter_constraints: dict = {
        "n_clusters": [Interval(Integral, 1, None, closed="left")],
        "n_outliers": [
            Count(0),
            Fraction(0, 1, closed="left"),
        ],
        "init": [StrOptions({"k-means++", "random"}), "array-like"],
        "n_init": [Interval(Integral, 1, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_clusters=8,
        *,
        n_outliers=0.05,
        init="k-means++",
        n_init=10,
        max_iter=300,
        tol=1e-4,
        random_state=None,
    ):
        self.n_clusters = n_clusters
        self.n_outliers = n_outliers
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Compute the k-means-- clustering.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training rows.
        y : Ignored
            Not used, present for API consistency.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        check_numeric_frame(X, owner="KMeansMinusMinus")
        X = validate_data(
            self, X, dtype=[np.float64, np.float32], order="C", ensure_min_samples=2
        )
        check_finite_arithmetic(X, owner="KMeansMinusMinus")
        n_samples = X.shape[0]
        n_out = resolve_budget(
            self.n_outliers,
            n_samples,
            can_exceed=True,
            at_least_one=False,
            name="n_outliers",
        )
        if n_out >= n_samples:
            raise ValueError(
                f"n_outliers={self.n_outliers!r} sets aside {n_out} of the "
                f"{n_samples} rows: nothing would be left to cluster."
            )
        if n_samples - n_out < self.n_clusters:
            raise ValueError(
                f"n_samples={n_samples} minus n_outliers={n_out} leaves "
                f"{n_samples - n_out} rows, fewer than n_clusters={self.n_clusters}."
            )
        self.n_outliers_ = n_out
        given = not isinstance(self.init, str)
        if given:
            init = np.asarray(self.init, dtype=X.dtype)
            if init.shape != (self.n_clusters, X.shape[1]):
                raise ValueError(
                    f"init has shape {init.shape}; expected (n_clusters, "
                    f"n_features) = ({self.n_clusters}, {X.shape[1]})."
                )
        rng = check_random_state(self.random_state)
        tol = self.tol * mean_variance(X)

        best = None
        for _ in range(1 if given else self.n_init):
            if given:
                centers = init.copy()
            elif self.init == "k-means++":
                centers = _seed_trimmed(X, self.n_clusters, n_out, rng)
            else:
                rows = rng.choice(n_samples, size=self.n_clusters, replace=False)
                centers = X[rows].copy()
            run = _kmeans_minus_minus(X, centers, n_out, self.max_iter, tol)
            if best is None or run[2] < best[2]:
                best = run
        centers, labels, inertia, n_iter = best
        self.cluster_centers_ = centers
        self.labels_ = labels
        self.outlier_mask_ = labels == -1
        self.inertia_ = inertia
        self.n_iter_ = n_iter
        return self

    def predict(self, X):
        """Assign each row to its nearest centre (never ``-1``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            New rows.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Index of the nearest centre.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        return pairwise_distances_argmin_min(
            X, self.cluster_centers_.astype(X.dtype, copy=False)
        )[0]


def _seed_trimmed(X, n_clusters, n_out, rng):
    """k-means++ seeding whose draws ignore the ``n_out`` farthest rows."""
    n_samples = X.shape[0]
    seeds = [int(rng.randint(n_samples))]
    # Every row against one seed, chunked (no temporary the size of X).
    to_seed = np.zeros(n_samples, dtype=np.intp)
    closest = sq_dist_to_assigned(X, X[seeds], to_seed).astype(np.float64)
    for _ in range(1, n_clusters):
        weights = closest.copy()
        if n_out:
            cut = n_samples - n_out
            weights[np.argpartition(weights, cut)[cut:]] = 0
        total = weights.sum()
        if total > 0:
            seed = int(rng.choice(n_samples, p=weights / total))
        else:  # every candidate already coincides with a seed
            seed = int(rng.randint(n_samples))
        seeds.append(seed)
        np.minimum(closest, sq_dist_to_assigned(X, X[[seed]], to_seed), out=closest)
    return X[seeds].copy()


def _kmeans_minus_minus(X, centers, n_out, max_iter, tol):
    """One k-means-- run; return ``(centers, labels, inertia, n_iter)``.

    The shared Lloyd loop with trimming: at each step the ``n_out`` rows
    farthest from their centre (``argpartition``) are left out of the means.
    """
    centers, labels, n_iter = lloyd(
        X, centers, max_iter=max_iter, tol=tol, n_trim=n_out
    )
    labels = labels.astype(np.intp)
    dist = sq_dist_to_assigned(X, centers, labels)
    if n_out:
        cut = X.shape[0] - n_out
        labels[np.argpartition(dist, cut)[cut:]] = -1
    inertia = float(np.sum(dist[labels >= 0], dtype=np.float64))
    return centers, labels, inertia, n_iter
