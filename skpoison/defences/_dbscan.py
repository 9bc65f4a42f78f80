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
from skpoison.utils._arrays import max_sq_norm
from skpoison.utils._budget import Count, Fraction, resolve_budget
from skpoison.utils._optional import import_optional
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

    algorithm : {"auto", "ball_tree", "kd_tree", "brute", "approximate"}, \
            default="auto"
        ``"approximate"`` finds the nearest neighbours with an HNSW graph
        (`faiss <https://github.com/facebookresearch/faiss>`_, optional
        dependency ``faiss-cpu``; Euclidean metric, ``max_samples=None``):
        faster at large sizes and in many dimensions, but the noise set is
        then approximate (see Notes). The others are exact: neighbour search
        algorithm, as in
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

    core_sample_indices_ : ndarray of shape (n_core_samples,) or None
        Indices of DBSCAN's core rows, as DBSCAN's own attribute (a row whose
        ``min_samples``-th distance is ``eps_`` within rounding is decided by
        DBSCAN's radius query of that row; from the approximate neighbours
        with ``algorithm="approximate"``). None with ``max_samples``, where
        the core status of most rows is not computed.

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
    chooses. The tree is queried in its own leaf order, so consecutive
    queries visit the same nodes (1.9-2.5x faster than in the rows' order at
    1e6 x 10). Memory is O(n * min_samples) at most. Distances within rounding
    of ``eps`` are re-tested with DBSCAN's own radius query, so the noise is
    DBSCAN's exactly (``DBSCAN(eps_, min_samples_).fit(X).labels_ == -1``).

    ``algorithm="approximate"`` replaces the exact searches by one search
    of an HNSW graph (no re-test at the boundary): the k-distances can only
    be overestimated, so a few rows may be flagged that DBSCAN keeps.

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
        min_samples = self._min_samples_for(n_features)
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
        if self.algorithm == "approximate":
            return self._approximate_mask(X, sampled)

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
            # The core status of the rows not sampled is not computed.
            self.core_sample_indices_ = None
            return _dbscan_noise(X, nn, rows, k_dist, self.eps_, self.min_samples_)
        noise, core = dbscan_noise(
            k_dist, self.eps_, self.min_samples_, _RowSearch(X, nn), return_core=True
        )
        self.core_sample_indices_ = np.flatnonzero(core)
        return noise

    def _knee_eps(self):
        return _knee_eps(self.k_distances_, self.knee_sensitivity)

    def _approximate_mask(self, X, sampled):
        """Noise from approximate nearest neighbours (faiss HNSW graph)."""
        if self.metric != "euclidean" or sampled:
            raise ValueError(
                "algorithm='approximate' supports metric='euclidean' and "
                f"max_samples=None only; got metric={self.metric!r}, "
                f"max_samples={self.max_samples!r}."
            )
        dist, ind = _approximate_neighbours(X, self.min_samples_, self.n_jobs)
        k_dist = dist[:, -1]
        self.k_distances_ = np.sort(k_dist)
        self.eps_ = float(self.eps) if self.eps is not None else self._knee_eps()
        self.detector_ = DBSCAN(eps=self.eps_, min_samples=self.min_samples_)
        core = k_dist <= self.eps_
        self.core_sample_indices_ = np.flatnonzero(core)
        found = ind >= 0
        covered = (found & core[np.where(found, ind, 0)] & (dist <= self.eps_)).any(1)
        return ~core & ~covered

    def _min_samples_for(self, n_features):
        if self.min_samples is None:
            return max(2, 2 * n_features)
        return self.min_samples


def _knee_eps(curve, sensitivity):
    """Eps at the knee of the sorted k-distance ``curve`` (its top if none)."""
    knee = _kneedle_index(curve, sensitivity=sensitivity)
    eps = curve[-1] if knee is None else curve[knee]
    # DBSCAN needs eps > 0 (all-duplicate data has a zero curve).
    return float(max(eps, np.finfo(np.float64).tiny))


# Rows per neighbour query: bounds the (chunk, min_samples) result arrays,
# which stay a small share of the data (1/16 of its rows, at least 1024 and
# at most 32 768 rows).
_QUERY_ROWS = 2**15


def _query_rows(n_rows):
    return int(min(_QUERY_ROWS, max(1024, n_rows // 16)))


def tree_order(nn):
    """Return the rows of ``nn``'s fitted data in its tree's leaf order.

    Rows close in space visit the same tree nodes, so querying them one
    after another finds those nodes in cache: the k-distances of every row
    of 1e6 x 10 come 1.9-2.5x faster than in the rows' own order
    (``benchmarks/bench_query_order.py``). ``None`` for a brute-force model.
    Read-only: it is the tree's own index array.
    """
    # scikit-learn keeps the KDTree/BallTree it built in ``_tree``.
    tree = getattr(nn, "_tree", None)
    if not hasattr(tree, "get_arrays"):
        return None
    return tree.get_arrays()[1]


def _row_chunks(n_rows, rows=None):
    """Chunks of the indices ``rows`` (all ``n_rows`` rows, as slices, if None).

    Sized by :func:`_query_rows` for data of ``n_rows`` rows, so a query of
    one chunk holds ``O(chunk * k)`` neighbours.
    """
    step = _query_rows(n_rows)
    for start in range(0, n_rows if rows is None else rows.shape[0], step):
        if rows is None:
            yield slice(start, start + step)
        else:
            yield rows[start : start + step]


def k_distances(nn, X, k):
    """Distance of each row of ``X`` to its ``k``-th nearest row of ``nn``.

    ``X`` is the fitted data, so each row is its own first neighbour:
    DBSCAN's count, the row itself included. Queried in chunks in the tree's
    order (:func:`tree_order`), so only ``O(chunk * k)`` neighbours are held
    at a time.
    """
    out = np.empty(X.shape[0], dtype=np.float64)
    for rows in _row_chunks(X.shape[0], tree_order(nn)):
        out[rows] = nn.kneighbors(X[rows], n_neighbors=k)[0][:, -1]
    return out


def _approximate_neighbours(X, k, n_jobs):
    """Approximate ``k`` nearest rows of every row: faiss's HNSW graph.

    The graph (32 links per row) is built on one thread, so the same data
    give the same graph; the searches use ``n_jobs`` threads. Distances are
    Euclidean, computed in float32. Returns ``(dist, ind)`` of shape
    ``(n_samples, k)``, sorted; ``ind == -1`` (distance inf) where the search
    found fewer than ``k`` rows.
    """
    faiss = import_optional(
        "faiss",
        extra="approximate",
        caller="DBSCANOutlierRemover(algorithm='approximate')",
    )
    Xf = np.ascontiguousarray(X, dtype=np.float32)
    n = Xf.shape[0]
    index = faiss.IndexHNSWFlat(Xf.shape[1], 32)
    index.hnsw.efConstruction = 80
    index.hnsw.efSearch = max(64, 2 * k)
    threads = faiss.omp_get_max_threads()
    dist = np.empty((n, k), dtype=np.float64)
    ind = np.empty((n, k), dtype=np.intp)
    try:
        faiss.omp_set_num_threads(1)
        index.add(Xf)
        if n_jobs is not None:
            faiss.omp_set_num_threads(threads if n_jobs < 0 else max(1, n_jobs))
        for rows in _row_chunks(n):
            d_sq, found = index.search(Xf[rows], k)
            dist[rows] = np.sqrt(np.maximum(d_sq, 0))
            ind[rows] = found
    finally:
        faiss.omp_set_num_threads(threads)
    dist[ind < 0] = np.inf
    return dist, ind


class _RowSearch:
    """Neighbour queries of rows of ``X`` on DBSCAN's neighbour model ``nn``."""

    def __init__(self, X, nn):
        self.X = X
        self.nn = nn
        self.brute = nn._fit_method == "brute"
        self.dtype = X.dtype

    def kneighbors(self, rows, k):
        return self.nn.kneighbors(self.X[rows], n_neighbors=k)

    def radius(self, rows, radius):
        if rows.size == 0:
            return []
        hoods = self.nn.radius_neighbors(
            self.X[rows], radius=radius, return_distance=False
        )
        return list(hoods)

    def max_sq_norm(self):
        return max_sq_norm(self.X)


class _UnionSearch:
    """Neighbour queries on the rows of ``X`` followed by those of ``P``.

    Two neighbour models, one per block (``P``'s built with the method of
    ``X``'s, so pairwise distances are computed the same way): the
    ``k`` nearest rows of the union are the ``k`` nearest of the two lists.
    """

    def __init__(self, base, P, nn_P):
        self.base = base
        self.P = P
        self.nn_P = nn_P
        self.n = base.X.shape[0]
        self.brute = base.brute
        self.dtype = base.dtype

    def points(self, rows):
        out = np.empty((rows.size, self.P.shape[1]), dtype=self.base.X.dtype)
        in_x = rows < self.n
        out[in_x] = self.base.X[rows[in_x]]
        out[~in_x] = self.P[rows[~in_x] - self.n]
        return out

    def kneighbors(self, rows, k, Q=None):
        Q = self.points(rows) if Q is None else Q
        d_x, i_x = self.base.nn.kneighbors(Q, n_neighbors=min(k, self.n))
        d_p, i_p = self.nn_P.kneighbors(Q, n_neighbors=min(k, self.P.shape[0]))
        return _merge(d_x, i_x, d_p, i_p + self.n, k)

    def radius(self, rows, radius):
        if rows.size == 0:
            return []
        Q = self.points(rows)
        in_x = self.base.nn.radius_neighbors(Q, radius=radius, return_distance=False)
        in_p = self.nn_P.radius_neighbors(Q, radius=radius, return_distance=False)
        return [
            np.concatenate([a, b + self.n]) for a, b in zip(in_x, in_p, strict=True)
        ]

    def max_sq_norm(self):
        return max(self.base.max_sq_norm(), max_sq_norm(self.P))


def _merge(d_a, i_a, d_b, i_b, k):
    """Keep the ``k`` nearest of two neighbour lists, row by row."""
    dist = np.concatenate([d_a, d_b], axis=1)
    ind = np.concatenate([i_a, i_b], axis=1)
    order = np.argsort(dist, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(dist, order, 1), np.take_along_axis(ind, order, 1)


def _boundary(search, eps, dtype):
    """Radii ``lo <= eps <= hi`` outside which a computed distance is decided.

    Distances from a k-nearest-neighbour query and DBSCAN's radius test are
    computed in floating point (trees compare squared distances; the brute
    Euclidean search expands ``|x|^2 - 2 x.y + |y|^2``), so a distance within
    rounding of ``eps`` is re-tested with DBSCAN's own radius query.
    """
    rel = 1e-5 if dtype == np.float32 else 1e-9
    slack = 0.0
    if search.brute:
        unit = 1e-6 if dtype == np.float32 else 1e-12
        slack = unit * 4 * search.max_sq_norm()
    lo = np.sqrt(max(eps**2 * (1 - rel) - slack, 0.0))
    hi = np.sqrt(eps**2 * (1 + rel) + slack)
    return lo, hi


def dbscan_noise(k_dist, eps, min_samples, search, return_core=False):
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
    k_dist : ndarray of shape (n_samples,)
        Distance of each row to its ``min_samples``-th nearest row.
    eps : float
    min_samples : int
    search : _RowSearch or _UnionSearch
        Neighbour queries over the rows (``kneighbors(rows, k)``,
        ``radius(rows, r)``).
    return_core : bool, default=False
        Also return DBSCAN's core rows.

    Returns
    -------
    noise : ndarray of bool, shape (n_samples,)
    core : ndarray of bool, shape (n_samples,)
        Only with ``return_core``.
    """
    lo, hi = _boundary(search, eps, search.dtype)
    core = k_dist <= lo
    unsure = np.flatnonzero((k_dist > lo) & (k_dist <= hi))
    for row, hood in zip(unsure, search.radius(unsure, eps), strict=True):
        core[row] = hood.size >= min_samples
    noise = ~core
    candidates = np.flatnonzero(noise)
    if candidates.size == 0 or not core.any():
        return (noise, core) if return_core else noise
    recheck = []
    for rows in _row_chunks(k_dist.shape[0], candidates):
        dist, ind = search.kneighbors(rows, min_samples)
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
    for row, hood in zip(recheck, search.radius(recheck, hi), strict=True):
        cores = hood[core[hood]]
        if any(row in h for h in search.radius(cores, eps)):
            noise[row] = False
    return (noise, core) if return_core else noise


class DBSCANRounds:
    """The DBSCAN clean-up of ``X`` plus extra rows, ``X``'s neighbours once.

    For attacks that check the clean-up round after round on ``X`` plus the
    rows they inject (:class:`~skpoison.attacks.MimicryAttack`):
    ``flags(P)`` is the ``outlier_mask_`` of ``clone(remover)`` fitted on
    ``concatenate([X, P])``, but only the neighbours involving ``P`` are
    searched: the ``min_samples`` nearest rows of ``X`` are found once; a
    row of ``X`` whose nearest row of ``P`` is closer than its own k-distance
    gets its list merged with its nearest rows of ``P``.

    Parameters
    ----------
    remover : DBSCANOutlierRemover
        Its parameters are used (``max_samples`` must be None).
    X : ndarray of shape (n_samples, n_features)
        The clean rows, validated.
    """

    def __init__(self, remover, X):
        self.remover = remover
        self.X = X
        self.min_samples = min(remover._min_samples_for(X.shape[1]), X.shape[0])
        nn = NearestNeighbors(
            metric=remover.metric, algorithm=remover.algorithm, n_jobs=remover.n_jobs
        ).fit(X)
        self.search = _RowSearch(X, nn)
        # The distances of each row's k nearest rows of X (not their indices:
        # a round only needs the k-th distance of the union): O(n k) floats.
        n, k = X.shape[0], self.min_samples
        self.dist = np.empty((n, k))
        for rows in _row_chunks(n, tree_order(nn)):
            self.dist[rows] = nn.kneighbors(X[rows], n_neighbors=k)[0]

    @classmethod
    def applies_to(cls, detector):
        """Whether ``detector`` is a DBSCAN clean-up this class reproduces."""
        return (
            type(detector) is DBSCANOutlierRemover
            and detector.max_samples is None
            and detector.metric != "precomputed"
            and detector.algorithm != "approximate"
        )

    def flags(self, P):
        """Rows of ``concatenate([X, P])`` the clean-up removes."""
        X, n, k = self.X, self.X.shape[0], self.min_samples
        P = np.ascontiguousarray(P, dtype=X.dtype)
        if P.shape[0] == 0:
            k_dist = self.dist[:, -1].copy()
            search = self.search
        else:
            nn_P = NearestNeighbors(
                metric=self.remover.metric,
                algorithm=self.search.nn._fit_method,
                n_jobs=self.remover.n_jobs,
            ).fit(P)
            search = _UnionSearch(self.search, P, nn_P)
            k_dist = np.empty(n + P.shape[0])
            k_dist[:n] = self.dist[:, -1]
            nearest_p = np.empty(n)
            for rows in _row_chunks(n):
                nearest_p[rows] = nn_P.kneighbors(X[rows], n_neighbors=1)[0][:, 0]
            changed = np.flatnonzero(nearest_p < self.dist[:, -1])
            for rows in _row_chunks(n, changed):
                d_p = nn_P.kneighbors(X[rows], n_neighbors=min(k, P.shape[0]))[0]
                both = np.concatenate([self.dist[rows], d_p], axis=1)
                k_dist[rows] = np.partition(both, k - 1, axis=1)[:, k - 1]
            new = n + np.arange(P.shape[0])
            k_dist[n:] = search.kneighbors(new, k, Q=P)[0][:, -1]
        remover = self.remover
        if remover.eps is not None:
            eps = float(remover.eps)
        else:
            eps = _knee_eps(np.sort(k_dist), remover.knee_sensitivity)
        return dbscan_noise(k_dist, eps, k, search)


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
