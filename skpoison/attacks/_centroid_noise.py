"""Centroid noise: inject points around the data centre, noisier where it matters."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np

from skpoison.attacks._grouping import cluster_labels, group_means
from skpoison.base import BaseInjectionAttack
from skpoison.utils._docstring import (
    Substitution,
    _clip_docstring,
    _injection_attributes_docstring,
    _n_poison_injection_docstring,
    _poison_label_docstring,
    _random_state_docstring,
)
from skpoison.utils._param_validation import HasMethods, Interval, StrOptions
from skpoison.utils._stats import shifted_sums


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
    clip=_clip_docstring,
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

    {clip}

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
        clip=False,
        random_state=None,
    ):
        self.n_poison = n_poison
        self.noise_scale = noise_scale
        self.feature_weights = feature_weights
        self.n_clusters = n_clusters
        self.clusterer = clusterer
        self.poison_label = poison_label
        self.clip = clip
        self.random_state = random_state

    def _generate(self, X, y, n_new, random_state):
        self.f_scores_ = None
        self.clusterer_ = None
        weights = self.feature_weights
        if isinstance(weights, str):  # "auto"
            codes, label_values, self.clusterer_ = cluster_labels(
                X,
                y,
                self.clusterer,
                self.n_clusters,
                random_state,
                "CentroidNoiseAttack",
            )
            counts, means, grouped = group_means(X, codes, label_values.size)
            # One pass gives the spread of every feature and, through the
            # sum of squares of the grouped rows, the within-group spread.
            shift, s1, s2, s2_grouped = shifted_sums(X, grouped)
            if counts.size < 2:
                # One group (or none): no feature separates anything.
                self.f_scores_ = np.zeros(X.shape[1])
            else:
                s2_grouped = s2 if s2_grouped is None else s2_grouped
                within_ss = np.maximum(s2_grouped - counts @ (means - shift) ** 2, 0.0)
                self.f_scores_ = _f_scores(counts, means, within_ss)
            weights = self.f_scores_
        else:
            shift, s1, s2, _ = shifted_sums(X)
            weights = _check_weights(weights, X.shape[1])
        n = X.shape[0]
        self.center_ = shift + s1 / n
        std = np.sqrt(np.maximum(s2 / n - (s1 / n) ** 2, 0.0))
        self.feature_weights_ = _rescale(weights)
        self.noise_std_ = self.noise_scale * self.feature_weights_ * std
        X_new = random_state.standard_normal(size=(n_new, X.shape[1]))
        X_new *= self.noise_std_
        X_new += self.center_
        return X_new.astype(X.dtype, copy=False)


def _check_weights(weights, n_features):
    """User weights as a float array (``None``: uniform), checked."""
    if weights is None:
        return np.ones(n_features)
    weights = np.asarray(weights, dtype=np.float64)
    if (
        weights.shape != (n_features,)
        or not np.all(np.isfinite(weights))
        or np.any(weights < 0)
        or not np.any(weights > 0)
    ):
        raise ValueError(
            "feature_weights must hold one finite, non-negative weight per "
            f"feature ({n_features}), not all zero; got shape {weights.shape}."
        )
    return weights


def _rescale(weights):
    """Weights rescaled to a maximum of 1 (infinite ones win, all-zero → uniform)."""
    if np.isinf(weights).any():
        return np.isinf(weights).astype(np.float64)
    top = weights.max()
    if top <= 0:
        return np.ones_like(weights, dtype=np.float64)
    return weights / top
