"""DBSCAN clean-up with eps at the knee of the k-distance curve."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from sklearn.cluster import DBSCAN
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_random_state

from skpoison.base import BaseDefence
from skpoison.defences._knee import _kneedle_index
from skpoison.utils._budget import Count, Fraction, resolve_budget
from skpoison.utils._param_validation import Interval

__all__ = ["DBSCANOutlierRemover"]


class DBSCANOutlierRemover(BaseDefence):
    """Remove DBSCAN noise, with eps at the knee of the k-distance curve.

    The usual automatic clean-up before k-means: ``min_samples`` defaults to
    ``2 * n_features``, and ``eps`` to the knee of the sorted k-distance curve
    (the distance of each row to its ``min_samples``-th nearest row, the row
    itself included, exactly DBSCAN's core-point test), found with Kneedle
    (Satopää et al., 2011). DBSCAN's noise rows (label ``-1``) are removed.

    Read more in the :ref:`User Guide <dbscan_outlier_remover>`.

    Parameters
    ----------
    eps : float or None, default=None
        DBSCAN's neighbourhood radius. ``None`` takes the knee of the sorted
        k-distance curve.

    min_samples : int or None, default=None
        Rows (the row itself included) a neighbourhood needs for its centre to
        be a core point. ``None`` uses ``2 * n_features`` (at least 2).

    knee_sensitivity : float, default=1.0
        Kneedle's sensitivity ``S``: larger values demand a sharper bend
        before a knee is declared. When the curve has no knee (it is straight
        or constant: a uniform density), ``eps_`` is its largest value, so
        nothing is flagged.

    max_samples : int, float or None, default=None
        Scalable mode. ``None`` runs scikit-learn's :class:`~sklearn.cluster.DBSCAN`
        on all rows (exact, but super-linear: see Notes). An int (or a
        fraction of the rows) computes the k-distance curve of that many
        sampled rows only (against all rows), and finds DBSCAN's noise
        without running DBSCAN: rows within ``eps_`` of a sampled core row are
        not noise, and only the remaining few are tested exactly. The noise
        found is exactly DBSCAN's for ``eps_``; only ``eps_`` is estimated.

    metric : str, default="euclidean"
        Distance, as in :class:`~sklearn.neighbors.NearestNeighbors`.

    algorithm : {"auto", "ball_tree", "kd_tree", "brute"}, default="auto"
        Neighbour search algorithm, as in
        :class:`~sklearn.neighbors.NearestNeighbors`.

    n_jobs : int or None, default=None
        Parallel jobs for the neighbour searches.

    random_state : int, RandomState instance or None, default=None
        Draws the sample when ``max_samples`` is set.

    Attributes
    ----------
    eps_ : float
        The radius used (the knee, or ``eps``).

    min_samples_ : int
        The ``min_samples`` used.

    k_distances_ : ndarray of shape (n_curve,)
        The sorted k-distance curve (of the sampled rows with
        ``max_samples``).

    detector_ : DBSCAN
        DBSCAN with ``eps_`` and ``min_samples_``. It is fitted on the rows
        when ``max_samples`` is None; in scalable mode DBSCAN itself is not
        run and ``detector_`` is left unfitted, ready to refit.

    outlier_mask_ : ndarray of bool, shape (n_samples,)
        True for the removed rows (DBSCAN noise).

    sample_indices_ : ndarray of shape (n_samples_new,)
        Indices of the kept rows.

    n_features_in_ : int
        Number of features seen during ``fit_resample``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit_resample``. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    OutlierRemover : Remove the rows any detector flags.
    KMeansNoiseRemover : Remove the rows whose neighbourhood ball is emptiest.
    skpoison.attacks.MimicryAttack : Attack that blinds this clean-up.

    Notes
    -----
    With ``max_samples=None`` the cost is a full k-nearest-neighbour search
    plus DBSCAN: about O(n^2 d) time in more than a few dimensions (trees do
    not help there), and DBSCAN keeps every eps-neighbourhood in memory, which
    for dense data can reach O(n^2). The scalable mode costs
    O(m n d) for ``m = max_samples``, plus an exact test of the rows no
    sampled core row covers, and O(n * min_samples) memory.

    The knee adapts to the data it sees, so injected rows move ``eps_``: this
    is what :class:`skpoison.attacks.MimicryAttack` exploits.

    References
    ----------
    .. [1] M. Ester, H.-P. Kriegel, J. Sander and X. Xu, "A density-based
       algorithm for discovering clusters in large spatial databases with
       noise", KDD 1996.
    .. [2] V. Satopää, J. Albrecht, D. Irwin and B. Raghavan, "Finding a
       'Kneedle' in a haystack: detecting knee points in system behavior",
       ICDCS Workshops 2011.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.preprocessing import MinMaxScaler
    >>> from skpoison.defences import DBSCANOutlierRemover
    >>> X = MinMaxScaler().fit_transform(load_iris().data)
    >>> remover = DBSCANOutlierRemover()
    >>> X_clean, _ = remover.fit_resample(X)
    >>> round(remover.eps_, 3), remover.min_samples_, int(remover.outlier_mask_.sum())
    (0.242, 8, 3)
    """

    _parameter_constraints: dict = {
        **BaseDefence._parameter_constraints,
        "eps": [Interval(Real, 0, None, closed="neither"), None],
        "min_samples": [Interval(Integral, 1, None, closed="left"), None],
        "knee_sensitivity": [Interval(Real, 0, None, closed="left")],
        "max_samples": [
            Count(1),
            Fraction(0, 1, closed="right"),
            None,
        ],
        "metric": [str],
        "algorithm": [str],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        eps=None,
        min_samples=None,
        *,
        knee_sensitivity=1.0,
        max_samples=None,
        metric="euclidean",
        algorithm="auto",
        n_jobs=None,
        random_state=None,
    ):
        self.eps = eps
        self.min_samples = min_samples
        self.knee_sensitivity = knee_sensitivity
        self.max_samples = max_samples
        self.metric = metric
        self.algorithm = algorithm
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _outlier_mask(self, X, y):
        n_samples, n_features = X.shape
        min_samples = (
            max(2, 2 * n_features) if self.min_samples is None else self.min_samples
        )
        if min_samples > n_samples:
            raise ValueError(
                f"min_samples={min_samples} exceeds the {n_samples} rows: no row "
                "could be a core point. Pass a smaller min_samples (the default "
                "is 2 * n_features) or more rows."
            )
        self.min_samples_ = int(min_samples)

        n_curve = n_samples
        if self.max_samples is not None:
            n_curve = min(
                resolve_budget(
                    self.max_samples, n_samples, can_exceed=True, name="max_samples"
                ),
                n_samples,
            )
        sampled = n_curve < n_samples

        nn = NearestNeighbors(
            n_neighbors=self.min_samples_,
            metric=self.metric,
            algorithm=self.algorithm,
            n_jobs=self.n_jobs,
        ).fit(X)
        if sampled:
            rng = check_random_state(self.random_state)
            rows = np.sort(rng.choice(n_samples, size=n_curve, replace=False))
        else:
            rows = np.arange(n_samples)
        # The query rows are rows of X, so each one is its own first neighbour:
        # column -1 is the distance to the min_samples-th row, itself included.
        k_dist = nn.kneighbors(X[rows], return_distance=True)[0][:, -1]
        self.k_distances_ = np.sort(k_dist)
        self.eps_ = float(self.eps) if self.eps is not None else self._knee_eps()

        self.detector_ = DBSCAN(
            eps=self.eps_,
            min_samples=self.min_samples_,
            metric=self.metric,
            algorithm=self.algorithm,
            n_jobs=self.n_jobs,
        )
        if not sampled:
            return self.detector_.fit_predict(X) == -1
        return _dbscan_noise(X, nn, rows, k_dist, self.eps_)

    def _knee_eps(self):
        curve = self.k_distances_
        knee = _kneedle_index(curve, sensitivity=self.knee_sensitivity)
        eps = curve[-1] if knee is None else curve[knee]
        # DBSCAN needs eps > 0 (all-duplicate data has a zero curve).
        return float(max(eps, np.finfo(np.float64).tiny))


def _dbscan_noise(X, nn, rows, k_dist, eps):
    """DBSCAN's noise for ``eps``, from the core status of sampled ``rows``.

    A row is noise iff it is not a core point and no core point lies within
    ``eps`` of it. Sampled rows whose k-distance is at most ``eps`` are core
    points; every row within ``eps`` of one of them is not noise. The rows
    left are few; for them the test is done exactly: their own core status,
    then the core status of their (fewer than min_samples) eps-neighbours.
    """
    n_samples = X.shape[0]
    noise = np.ones(n_samples, dtype=bool)
    core_rows = rows[k_dist <= eps]
    if core_rows.size:
        cover = NearestNeighbors(
            n_neighbors=1, metric=nn.metric, algorithm=nn.algorithm, n_jobs=nn.n_jobs
        ).fit(X[core_rows])
        nearest = cover.kneighbors(X, return_distance=True)[0][:, 0]
        noise[nearest <= eps] = False
    candidates = np.flatnonzero(noise)
    if candidates.size == 0:
        return noise
    own = nn.kneighbors(X[candidates], return_distance=True)[0][:, -1]
    noise[candidates[own <= eps]] = False
    candidates = candidates[own > eps]
    if candidates.size == 0:
        return noise
    neighbourhoods = nn.radius_neighbors(
        X[candidates], radius=eps, return_distance=False
    )
    neighbours = np.unique(np.concatenate(neighbourhoods))
    neighbour_k = nn.kneighbors(X[neighbours], return_distance=True)[0][:, -1]
    is_core = np.zeros(n_samples, dtype=bool)
    is_core[neighbours[neighbour_k <= eps]] = True
    for candidate, hood in zip(candidates, neighbourhoods, strict=True):
        if is_core[hood].any():
            noise[candidate] = False
    return noise
