"""Centroid noise: inject points around the data centre, noisier where it matters."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.cluster import KMeans

from skpoison.attacks._gaussian_noise import _CHUNK_ELEMENTS, _feature_mean_std
from skpoison.base import BaseInjectionAttack
from skpoison.utils._docstring import (
    Substitution,
    _injection_attributes_docstring,
    _n_poison_injection_docstring,
    _poison_label_docstring,
    _random_state_docstring,
)
from skpoison.utils._param_validation import HasMethods, Interval, StrOptions

# Clusters of the default k-means when neither y nor n_clusters says otherwise.
_DEFAULT_N_CLUSTERS = 3


def _cluster_labels(X, y, clusterer, n_clusters, random_state, owner):
    """Group labels for the attack: from ``y`` when usable, else a clusterer.

    ``y`` is used when it has at least two labelled classes (``-1`` rows are
    ignored). Otherwise ``clusterer`` (cloned) or a default
    ``KMeans(n_clusters, n_init=1)`` is fitted on ``X``. Returns the labels
    (``-1`` for rows in no group) and the fitted clusterer, or ``None`` when
    ``y`` was used.
    """
    if clusterer is not None and n_clusters is not None:
        raise ValueError(
            f"{owner} got both clusterer and n_clusters; set the number of "
            "clusters on the clusterer itself."
        )
    if y is not None:
        labelled = y[y != -1]
        if np.unique(labelled).size >= 2:
            return np.where(y == -1, -1, _codes(y)), None
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
    labels = np.asarray(clusterer.fit_predict(X))
    return labels, clusterer


def _codes(y):
    """Integer codes ``0..K-1`` of the labelled classes (``-1`` rows get any)."""
    _, codes = np.unique(y, return_inverse=True)
    return codes.reshape(-1)


def _group_statistics(X, labels):
    """Size, mean and within-group sum of squares of each group of rows.

    Rows labelled ``-1`` belong to no group. Returns ``(groups, counts, means,
    within_ss)`` where ``within_ss[j]`` sums the squared deviations of feature
    ``j`` from each row's group mean. Group sums come from one sparse product,
    squared deviations are accumulated in chunks: ``O(n_samples * n_features)``
    with no copy of ``X``.
    """
    valid = labels != -1
    groups, codes = np.unique(labels[valid], return_inverse=True)
    rows = np.flatnonzero(valid)
    indicator = sparse.csr_array(
        (np.ones(rows.size, dtype=X.dtype), (codes, rows)),
        shape=(groups.size, X.shape[0]),
    )
    counts = np.bincount(codes, minlength=groups.size)
    means = (indicator @ X).astype(np.float64) / counts[:, None]
    full_codes = np.full(X.shape[0], -1)
    full_codes[rows] = codes
    within_ss = np.zeros(X.shape[1])
    step = max(1, _CHUNK_ELEMENTS // max(X.shape[1], 1))
    for start in range(0, X.shape[0], step):
        chunk_codes = full_codes[start : start + step]
        keep = chunk_codes != -1
        dev = X[start : start + step][keep] - means[chunk_codes[keep]]
        within_ss += np.einsum("ij,ij->j", dev, dev)
    return groups, counts, means, within_ss


def _f_scores(counts, means, within_ss):
    """Per-feature ANOVA F statistic: between- over within-group variance.

    A feature whose groups have no spread but different means gets ``inf``; a
    constant feature gets ``0``.
    """
    n_groups, n_rows = counts.size, counts.sum()
    grand = counts @ means / n_rows
    between = counts @ (means - grand) ** 2 / (n_groups - 1)
    within = within_ss / max(n_rows - n_groups, 1)
    scores = np.zeros_like(between)
    np.divide(between, within, out=scores, where=within > 0)
    scores[(within <= 0) & (between > 0)] = np.inf
    return scores


@Substitution(
    n_poison=_n_poison_injection_docstring,
    poison_label=_poison_label_docstring,
    random_state=_random_state_docstring,
    attributes=_injection_attributes_docstring,
)
class CentroidNoiseAttack(BaseInjectionAttack):
    """Inject points around the data centre, with more noise on discriminative features.

    The injected points are drawn from a Gaussian centred on the mean of the
    data, with standard deviation ``noise_scale * w_j * std_j`` on feature
    ``j``: ``std_j`` is the feature's spread and ``w_j`` in ``[0, 1]`` its
    weight. With ``feature_weights="auto"`` the weights follow how well each
    feature separates the groups of the data (a per-feature ANOVA F statistic,
    between-group over within-group variance), so the points spread along the
    directions that separate the clusters and fill the gaps between them,
    where they hurt a clusterer most, while staying near the centre on the
    features that do not matter.

    Read more in the :ref:`User Guide <centroid_noise_attack>`.

    Parameters
    ----------
    {n_poison}

    noise_scale : float, default=1.0
        Standard deviation of the injected points on the most discriminative
        feature, as a multiple of that feature's standard deviation.

    feature_weights : "auto", None or array-like of shape (n_features,), \
            default="auto"
        Relative noise per feature, rescaled so that the largest weight is 1.
        ``"auto"`` uses the per-feature F statistic of the groups (from ``y``
        or the clusterer); ``None`` gives every feature the same weight
        (isotropic noise relative to each feature's spread); an array gives
        the weights directly (non-negative, not all zero).

    n_clusters : int, default=None
        Number of clusters of the default clusterer,
        ``KMeans(n_clusters, n_init=1)``, used when ``feature_weights="auto"``
        and ``y`` has fewer than two labelled classes. ``None`` means 3.
        Cannot be combined with ``clusterer``.

    clusterer : estimator with ``fit_predict``, default=None
        Clusterer (cloned) that groups the rows when ``y`` has fewer than two
        labelled classes. Rows it labels ``-1`` (noise, for DBSCAN) are
        ignored. ``None`` uses k-means as above.

    {poison_label}

    {random_state}

    Attributes
    ----------
    {attributes}

    center_ : ndarray of shape (n_features,)
        The mean of the input rows, around which points are injected.

    f_scores_ : ndarray of shape (n_features,) or None
        Per-feature F statistic of the groups (``feature_weights="auto"``),
        ``inf`` where the groups have no within-group spread.

    feature_weights_ : ndarray of shape (n_features,)
        The weights used, rescaled to a maximum of 1.

    noise_std_ : ndarray of shape (n_features,)
        Standard deviation of the injected points on each feature.

    clusterer_ : estimator or None
        The fitted clusterer, or ``None`` when ``y`` (or fixed weights)
        made one unnecessary.

    See Also
    --------
    BridgeAttack : Inject points between the two closest clusters.
    SubtleOutlierAttack : Points that follow the data's covariance.

    Notes
    -----
    Groups come from ``y`` whenever it has at least two labelled classes
    (rows labelled ``-1`` are ignored), since an attacker who knows the classes
    knows which features separate them; pass ``y=None`` to make the attack
    rely on the clusterer. The default k-means runs a single k-means++
    initialisation (``n_init=1``): the weights only need a rough grouping, and
    one run keeps the attack cheap.

    If every feature has an F statistic of 0 (no feature separates the
    groups, or a single group was found) the weights fall back to uniform; if
    some features have an infinite F statistic they get weight 1 and the
    others 0.

    References
    ----------
    .. [1] B. Biggio, I. Pillai, S. Rota Bulo, D. Ariu, M. Pelillo and
       F. Roli, "Is data clustering in adversarial settings secure?",
       Proceedings of the 2013 ACM Workshop on Artificial Intelligence and
       Security (AISec), 2013.

    .. [2] R. A. Fisher, "Statistical Methods for Research Workers", Oliver
       and Boyd, 1925 (the analysis of variance and its F ratio).

    Examples
    --------
    >>> import numpy as np
    >>> from skpoison.attacks import CentroidNoiseAttack
    >>> rng = np.random.RandomState(0)
    >>> # feature 0 separates the two classes, feature 1 does not
    >>> X = np.column_stack([np.repeat([0.0, 10.0], 50), rng.normal(size=100)])
    >>> X[:, 0] += rng.normal(scale=0.5, size=100)
    >>> y = np.repeat([0, 1], 50)
    >>> attack = CentroidNoiseAttack(n_poison=20, random_state=0)
    >>> X_res, y_res = attack.fit_resample(X, y)
    >>> X_res.shape, attack.feature_weights_.round(2)
    ((120, 2), array([1., 0.]))
    """

    _parameter_constraints: dict = {
        **BaseInjectionAttack._parameter_constraints,
        "noise_scale": [Interval(Real, 0, None, closed="left")],
        "feature_weights": [StrOptions({"auto"}), "array-like", None],
        "n_clusters": [Interval(Integral, 1, None, closed="left"), None],
        "clusterer": [HasMethods(["fit_predict"]), None],
    }

    def __init__(
        self,
        n_poison=0.1,
        *,
        noise_scale=1.0,
        feature_weights="auto",
        n_clusters=None,
        clusterer=None,
        poison_label=-1,
        random_state=None,
    ):
        self.n_poison = n_poison
        self.noise_scale = noise_scale
        self.feature_weights = feature_weights
        self.n_clusters = n_clusters
        self.clusterer = clusterer
        self.poison_label = poison_label
        self.random_state = random_state

    def _generate(self, X, y, n_new, random_state):
        # DataFrames arrive F-ordered: a C-ordered view or copy makes the
        # statistics, and so the output, identical bit for bit to ndarray input.
        X = np.ascontiguousarray(X)
        self.center_, std = _feature_mean_std(X)
        self.f_scores_ = None
        self.clusterer_ = None
        weights = self.feature_weights
        if isinstance(weights, str):  # "auto"
            labels, self.clusterer_ = _cluster_labels(
                X,
                y,
                self.clusterer,
                self.n_clusters,
                random_state,
                "CentroidNoiseAttack",
            )
            _, counts, means, within_ss = _group_statistics(X, labels)
            if counts.size < 2:
                # One group (or none): no feature separates anything.
                self.f_scores_ = np.zeros(X.shape[1])
            else:
                self.f_scores_ = _f_scores(counts, means, within_ss)
            weights = self.f_scores_
        elif weights is None:
            weights = np.ones(X.shape[1])
        else:
            weights = np.asarray(weights, dtype=np.float64)
            if (
                weights.shape != (X.shape[1],)
                or not np.all(np.isfinite(weights))
                or np.any(weights < 0)
                or not np.any(weights > 0)
            ):
                raise ValueError(
                    "feature_weights must hold one finite, non-negative weight per "
                    f"feature ({X.shape[1]}), not all zero; got shape "
                    f"{weights.shape}."
                )
        self.feature_weights_ = _rescale(weights)
        self.noise_std_ = self.noise_scale * self.feature_weights_ * std
        X_new = random_state.standard_normal(size=(n_new, X.shape[1]))
        X_new *= self.noise_std_
        X_new += self.center_
        return X_new.astype(X.dtype, copy=False)


def _rescale(weights):
    """Weights rescaled to a maximum of 1 (infinite ones win, all-zero → uniform)."""
    if np.isinf(weights).any():
        return np.isinf(weights).astype(np.float64)
    top = weights.max()
    if top <= 0:
        return np.ones_like(weights, dtype=np.float64)
    return weights / top
