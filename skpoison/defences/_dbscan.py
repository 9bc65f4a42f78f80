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
        ``None`` computes the k-distance of every row (exact eps and exact
        noise, see Notes). An int (or a fraction of the rows) computes the
        k-distance curve of that many sampled rows only (against all rows),
        and finds DBSCAN's noise from them: rows within ``eps_`` of a sampled
        core row are not noise, and only the remaining few are tested
        exactly. The noise found is exactly DBSCAN's for ``eps_``; only
        ``eps_`` is estimated.

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
        DBSCAN with ``eps_`` and ``min_samples_``, unfitted: its noise is
        found without running it (see Notes); fit it to get DBSCAN's
        clusters.

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
    DBSCAN's noise needs only k-nearest-neighbour queries, never the
    eps-neighbourhoods DBSCAN holds (up to O(n^2) memory on dense data). A
    row is a core row when its ``min_samples``-th nearest row, itself
    included, is within ``eps`` (DBSCAN's count reaches ``min_samples``). A
    row that is not core has fewer than ``min_samples`` rows within ``eps``,
    all among its ``min_samples`` nearest: it is noise unless one of them is
    a core row. So the clean-up is one k-nearest-neighbour query of every row
    (which also gives the knee's k-distance curve) plus one of the non-core
    rows, in chunks: a tree search (KD or ball tree) in low dimension,
    scikit-learn's chunked brute force above 15 features, as DBSCAN itself
    chooses. Memory is O(n * min_samples) at most. Distances within rounding
    of ``eps`` are re-tested with DBSCAN's own radius query, so the noise is
    DBSCAN's exactly (``DBSCAN(eps_, min_samples_).fit(X).labels_ == -1``).

    The scalable mode (``max_samples``) costs O(m n d) for
    ``m = max_samples`` plus an exact test of the rows no sampled core row
    covers.

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

        # The neighbour model DBSCAN itself builds (same algorithm choice).
        nn = NearestNeighbors(
            metric=self.metric, algorithm=self.algorithm, n_jobs=self.n_jobs
        ).fit(X)
        if sampled:
            rng = check_random_state(self.random_state)
            rows = np.sort(rng.choice(n_samples, size=n_curve, replace=False))
            k_dist = nn.kneighbors(X[rows], n_neighbors=self.min_samples_)[0][:, -1]
        else:
            rows = None
            k_dist = k_distances(nn, X, self.min_samples_)
        self.k_distances_ = np.sort(k_dist)
        self.eps_ = float(self.eps) if self.eps is not None else self._knee_eps()

        self.detector_ = DBSCAN(
            eps=self.eps_,
            min_samples=self.min_samples_,
            metric=self.metric,
            algorithm=self.algorithm,
            n_jobs=self.n_jobs,
        )
        if sampled:
            return _dbscan_noise(X, nn, rows, k_dist, self.eps_, self.min_samples_)
        return dbscan_noise(X, nn, k_dist, self.eps_, self.min_samples_)

    def _knee_eps(self):
        curve = self.k_distances_
        knee = _kneedle_index(curve, sensitivity=self.knee_sensitivity)
        eps = curve[-1] if knee is None else curve[knee]
        # DBSCAN needs eps > 0 (all-duplicate data has a zero curve).
        return float(max(eps, np.finfo(np.float64).tiny))


# Rows per neighbour query: bounds the (chunk, min_samples) result arrays.
_QUERY_ROWS = 2**15


def k_distances(nn, X, k):
    """Distance of each row of ``X`` to its ``k``-th nearest row of ``nn``.

    ``X`` holds rows of the fitted data, so each row is its own first
    neighbour: DBSCAN's count, the row itself included. Queried in chunks,
    so only ``O(chunk * k)`` neighbours are held at a time.
    """
    out = np.empty(X.shape[0], dtype=np.float64)
    for start in range(0, X.shape[0], _QUERY_ROWS):
        stop = start + _QUERY_ROWS
        out[start:stop] = nn.kneighbors(X[start:stop], n_neighbors=k)[0][:, -1]
    return out


def _boundary(nn, X, eps):
    """Radii ``lo <= eps <= hi`` outside which a computed distance is decided.

    Distances from a k-nearest-neighbour query and DBSCAN's radius test are
    computed in floating point (trees compare squared distances; the brute
    Euclidean search expands ``|x|^2 - 2 x.y + |y|^2``), so a distance within
    rounding of ``eps`` is re-tested with DBSCAN's own radius query.
    """
    rel = 1e-5 if X.dtype == np.float32 else 1e-9
    slack = 0.0
    if nn._fit_method == "brute":
        r_sq = 0.0
        for start in range(0, X.shape[0], _QUERY_ROWS):
            chunk = X[start : start + _QUERY_ROWS].astype(np.float64, copy=False)
            r_sq = max(r_sq, float(np.einsum("ij,ij->i", chunk, chunk).max()))
        slack = (1e-6 if X.dtype == np.float32 else 1e-12) * 4 * r_sq
    lo = np.sqrt(max(eps**2 * (1 - rel) - slack, 0.0))
    hi = np.sqrt(eps**2 * (1 + rel) + slack)
    return lo, hi


def _in_radius(nn, X, rows, radius):
    """Neighbourhoods (within ``radius``) of ``X[rows]``, as DBSCAN finds them."""
    if rows.size == 0:
        return []
    return list(nn.radius_neighbors(X[rows], radius=radius, return_distance=False))


def dbscan_noise(X, nn, k_dist, eps, min_samples, *, neighbours=None):
    """DBSCAN's noise (``labels_ == -1``) from the k-distances of all rows.

    A row is a core row when its ``min_samples``-th neighbour (itself
    included) is within ``eps`` (DBSCAN's count of its eps-neighbourhood
    reaches ``min_samples``). A row that is not core has fewer than
    ``min_samples`` rows within ``eps``, all of them among its
    ``min_samples`` nearest: it is noise unless one of those is a core row.
    So one k-nearest-neighbour query of the non-core rows decides the rest.
    Distances within rounding of ``eps`` are re-tested with DBSCAN's radius
    query, so the result is DBSCAN's exactly.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    nn : fitted NearestNeighbors on ``X`` (as DBSCAN builds it)
    k_dist : ndarray of shape (n_samples,)
        Distance of each row to its ``min_samples``-th nearest row.
    eps : float
    min_samples : int
    neighbours : callable or None
        ``neighbours(rows) -> (dist, ind)``: the ``min_samples`` nearest
        rows of ``X[rows]``. Default: a chunked query of ``nn``.

    Returns
    -------
    noise : ndarray of bool, shape (n_samples,)
    """
    lo, hi = _boundary(nn, X, eps)
    core = k_dist <= lo
    unsure = np.flatnonzero((k_dist > lo) & (k_dist <= hi))
    for row, hood in zip(unsure, _in_radius(nn, X, unsure, eps), strict=True):
        core[row] = hood.size >= min_samples
    noise = ~core
    candidates = np.flatnonzero(noise)
    if candidates.size == 0 or not core.any():
        return noise
    if neighbours is None:

        def neighbours(rows):
            return nn.kneighbors(X[rows], n_neighbors=min_samples)

    recheck = []
    for start in range(0, candidates.size, _QUERY_ROWS):
        rows = candidates[start : start + _QUERY_ROWS]
        dist, ind = neighbours(rows)
        core_near = core[ind]
        covered = (core_near & (dist <= lo)).any(axis=1)
        noise[rows[covered]] = False
        maybe = ~covered & (
            (core_near & (dist <= hi)).any(axis=1) | (dist[:, -1] <= hi)
        )
        recheck.append(rows[maybe])
    recheck = np.concatenate(recheck)
    # Borderline: a core row q within rounding of eps. DBSCAN labels the
    # row when it is in q's own radius query.
    for row, hood in zip(recheck, _in_radius(nn, X, recheck, hi), strict=True):
        cores = hood[core[hood]]
        if any(row in h for h in _in_radius(nn, X, cores, eps)):
            noise[row] = False
    return noise


def _dbscan_noise(X, nn, rows, k_dist, eps, min_samples):
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
    own = nn.kneighbors(X[candidates], n_neighbors=min_samples)[0][:, -1]
    noise[candidates[own <= eps]] = False
    candidates = candidates[own > eps]
    if candidates.size == 0:
        return noise
    neighbourhoods = nn.radius_neighbors(
        X[candidates], radius=eps, return_distance=False
    )
    neighbours = np.unique(np.concatenate(neighbourhoods))
    neighbour_k = nn.kneighbors(X[neighbours], n_neighbors=min_samples)[0][:, -1]
    is_core = np.zeros(n_samples, dtype=bool)
    is_core[neighbours[neighbour_k <= eps]] = True
    for candidate, hood in zip(candidates, neighbourhoods, strict=True):
        if is_core[hood].any():
            noise[candidate] = False
    return noise
