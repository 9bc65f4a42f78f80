"""Bridge attack: inject points between the two closest clusters."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from sklearn.metrics import pairwise_distances, pairwise_distances_argmin_min

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
from skpoison.utils._stats import feature_mean_std


@Substitution(
    n_poison=_n_poison_injection_docstring,
    poison_label=_poison_label_docstring,
    clip=_clip_docstring,
    random_state=_random_state_docstring,
    attributes=_injection_attributes_docstring,
)
class BridgeAttack(BaseInjectionAttack):
    """Inject points between the two closest clusters to blur or merge them.

    The attack groups the rows (by ``y`` when it has at least two labelled
    classes, otherwise with a clusterer it fits), picks the two groups whose
    centroids are closest, and injects points between them:

    - ``strategy="interpolate"`` draws random pairs of members, one from each
      cluster, and places a point at ``a + alpha * (b - a)`` with ``alpha``
      uniform in ``alpha``, plus small Gaussian noise. The points fill the
      region between the clusters as a thick cloud: k-means centroids are
      pulled towards each other and the boundary between the two clusters
      blurs.
    - ``strategy="shortest_link"`` finds the two closest members ``a`` and
      ``b`` of the two clusters and places the points evenly along the segment
      from ``a`` to ``b``, the bridging attack of Biggio et al. [1]_. A few
      points suffice to join the clusters into one for single-linkage and
      density-based clusterers (DBSCAN), whose merges depend on the shortest
      gap, while k-means barely moves.

    Read more in the :ref:`User Guide <bridge_attack>`.

    Parameters
    ----------
    {n_poison}

    strategy : {{"interpolate", "shortest_link"}}, default="interpolate"
        Where the points go; see above.

    n_clusters : int, default=None
        Number of clusters of the default clusterer,
        ``KMeans(n_clusters, n_init=1)``, used when ``y`` has fewer than two
        labelled classes. ``None`` means 3. Cannot be combined with
        ``clusterer``.

    clusterer : estimator with ``fit_predict``, default=None
        Clusterer (cloned) that groups the rows when ``y`` has fewer than two
        labelled classes. Rows it labels ``-1`` (noise, for DBSCAN) are
        ignored. ``None`` uses k-means as above.

    alpha : tuple of (float, float), default=(0.3, 0.7)
        For ``strategy="interpolate"``, the range of the interpolation weight
        ``alpha`` between the member of the first cluster (``alpha=0``) and the
        member of the second (``alpha=1``); ``0 <= low <= high <= 1``.

    noise : float or "auto", default="auto"
        Standard deviation of the Gaussian noise added to every injected point,
        as a multiple of each feature's standard deviation. ``"auto"`` means
        0.05 for ``"interpolate"`` (the points look less like exact mixtures)
        and 0 for ``"shortest_link"`` (jitter only loosens the chain). Set it
        to 0 for points exactly on the segments.

    {poison_label}

    {clip}

    {random_state}

    Attributes
    ----------
    {attributes}

    clusters_ : ndarray of shape (2,)
        The labels (classes of ``y``, or the clusterer's labels) of the two
        bridged clusters.

    cluster_labels_ : ndarray
        Every group found, in the order of ``cluster_centers_``.

    cluster_centers_ : ndarray of shape (n_groups, n_features)
        Mean of the rows of each group; the bridged pair is the one with the
        closest centres.

    link_ : ndarray of shape (2,) or None
        For ``strategy="shortest_link"``, the input rows at the two ends of
        the bridge (the closest members of the two clusters); ``None``
        otherwise.

    clusterer_ : estimator or None
        The fitted clusterer, or ``None`` when ``y`` gave the groups.

    noise_ : float
        The noise level used, with ``"auto"`` resolved.

    See Also
    --------
    CentroidNoiseAttack : Points around the data centre, along discriminative
        features.
    UniformOutlierAttack : Outliers uniform in an expanded bounding box.

    Notes
    -----
    The two closest clusters are those with the closest centroids, the
    quantity k-means depends on. For single-linkage or DBSCAN the clusters
    with the smallest gap between members would be the weakest pair, but
    finding it needs the shortest link of every pair of clusters; the
    centroid criterion is cheap and the two usually agree for compact
    clusters.

    ``"shortest_link"`` finds the two closest members exactly with
    :func:`sklearn.metrics.pairwise_distances_argmin_min` between the two
    clusters, which works in chunks (no ``n x n`` matrix). The search first
    prunes, by their projection on the axis between the two centres, the
    members that cannot be part of the closest pair; for separated clusters
    few remain, while for overlapping ones the cost grows to the product of
    the two cluster sizes. ``"interpolate"``
    is ``O(n_samples * n_features)`` plus the clusterer.

    When the default k-means is used it runs a single k-means++
    initialisation (``n_init=1``) seeded from ``random_state``.

    References
    ----------
    .. [1] B. Biggio, I. Pillai, S. Rota Bulo, D. Ariu, M. Pelillo and
       F. Roli, "Is data clustering in adversarial settings secure?",
       Proceedings of the 2013 ACM Workshop on Artificial Intelligence and
       Security (AISec), 2013.

    Examples
    --------
    >>> import numpy as np
    >>> from skpoison.attacks import BridgeAttack
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [4.0, 0.0], [4.0, 1.0],
    ...               [20.0, 0.0], [20.0, 1.0]])
    >>> y = np.array([0, 0, 1, 1, 2, 2])
    >>> attack = BridgeAttack(n_poison=3, strategy="shortest_link")
    >>> X_res, y_res = attack.fit_resample(X, y)
    >>> attack.clusters_
    array([0, 1])
    >>> X_res[6:]
    array([[1., 0.],
           [2., 0.],
           [3., 0.]])
    >>> y_res[6:]
    array([-1, -1, -1])
    """

    _parameter_constraints: dict = {
        **BaseInjectionAttack._parameter_constraints,
        "strategy": [StrOptions({"interpolate", "shortest_link"})],
        "n_clusters": [Interval(Integral, 1, None, closed="left"), None],
        "clusterer": [HasMethods(["fit_predict"]), None],
        "alpha": [tuple],
        "noise": [Interval(Real, 0, None, closed="left"), StrOptions({"auto"})],
    }

    def __init__(
        self,
        n_poison=0.1,
        *,
        strategy="interpolate",
        n_clusters=None,
        clusterer=None,
        alpha=(0.3, 0.7),
        noise="auto",
        poison_label=-1,
        clip=False,
        random_state=None,
    ):
        self.n_poison = n_poison
        self.strategy = strategy
        self.n_clusters = n_clusters
        self.clusterer = clusterer
        self.alpha = alpha
        self.noise = noise
        self.poison_label = poison_label
        self.clip = clip
        self.random_state = random_state

    def _generate(self, X, y, n_new, random_state):
        low, high = self._alpha_range()
        codes, label_values, self.clusterer_ = cluster_labels(
            X, y, self.clusterer, self.n_clusters, random_state, "BridgeAttack"
        )
        if label_values.size < 2:
            raise ValueError(
                f"BridgeAttack needs at least two clusters to bridge; found "
                f"{label_values.size}."
            )
        _, self.cluster_centers_, _ = group_means(X, codes, label_values.size)
        first, second = _closest_pair(self.cluster_centers_)
        self.cluster_labels_ = label_values
        self.clusters_ = label_values[[first, second]]

        members_a = np.flatnonzero(codes == first)
        members_b = np.flatnonzero(codes == second)
        self.link_ = None
        if self.strategy == "interpolate":
            a = members_a[random_state.randint(members_a.size, size=n_new)]
            b = members_b[random_state.randint(members_b.size, size=n_new)]
            t = random_state.uniform(low, high, size=n_new)[:, None]
            # a + t * (b - a), in X's dtype, with two temporaries.
            X_new = X[b]
            X_a = X[a]
            X_new -= X_a
            X_new *= t
            X_new += X_a
        else:
            i, j = _closest_members(
                X[members_a], X[members_b], *self.cluster_centers_[[first, second]]
            )
            self.link_ = np.array([members_a[i], members_b[j]])
            start, end = X[self.link_].astype(np.float64)
            t = (np.arange(1, n_new + 1) / (n_new + 1))[:, None]
            X_new = start + t * (end - start)
        noise = self.noise
        if isinstance(noise, str):  # "auto"
            noise = 0.05 if self.strategy == "interpolate" else 0.0
        self.noise_ = noise
        if noise > 0:
            _, std = feature_mean_std(X)
            jitter = random_state.standard_normal(size=X_new.shape)
            jitter *= noise * std
            X_new += jitter.astype(X_new.dtype, copy=False)
        return X_new.astype(X.dtype, copy=False)

    def _alpha_range(self):
        alpha = self.alpha
        if (
            len(alpha) != 2
            or not all(isinstance(a, Real) for a in alpha)
            or not 0 <= alpha[0] <= alpha[1] <= 1
        ):
            raise ValueError(
                "alpha must be a pair (low, high) with 0 <= low <= high <= 1; "
                f"got {alpha!r}."
            )
        return float(alpha[0]), float(alpha[1])


def _closest_pair(centers):
    """Return the indices ``(i, j)``, ``i < j``, of the two closest centres."""
    dist = pairwise_distances(centers)
    np.fill_diagonal(dist, np.inf)
    i, j = np.unravel_index(np.argmin(dist), dist.shape)
    return (int(i), int(j)) if i < j else (int(j), int(i))


def _closest_members(X_a, X_b, center_a, center_b, n_candidates=256):
    """Return ``(i, j)`` such that ``X_a[i]``, ``X_b[j]`` is the closest pair.

    Exact, without an ``n_a x n_b`` matrix, and usually far cheaper than the
    full chunked search: the members are projected on the axis from one
    centre to the other. A first search among the members of each cluster
    that reach furthest towards the other gives a distance ``D``; since two
    points are at least as far apart as their projections, only members of
    ``X_a`` whose projection is within ``D`` of the nearest projection of
    ``X_b`` (and vice versa) can do better. The exact chunked search runs on
    those. For overlapping clusters nothing is pruned and the cost is that of
    the full search.
    """
    axis = np.asarray(center_b, dtype=np.float64) - center_a
    norm = np.linalg.norm(axis)
    keep_a, keep_b = np.arange(X_a.shape[0]), np.arange(X_b.shape[0])
    if norm > 0:
        proj_a, proj_b = X_a @ (axis / norm), X_b @ (axis / norm)
        k_a = min(n_candidates, proj_a.size)
        k_b = min(n_candidates, proj_b.size)
        front_a = np.argpartition(-proj_a, k_a - 1)[:k_a]
        front_b = np.argpartition(proj_b, k_b - 1)[:k_b]
        _, dist = pairwise_distances_argmin_min(X_a[front_a], X_b[front_b])
        # A little slack: the distances above are computed with rounding.
        bound = dist.min() * (1 + 1e-6) + 1e-12
        keep_a = np.flatnonzero(proj_a >= proj_b.min() - bound)
        keep_b = np.flatnonzero(proj_b <= proj_a.max() + bound)
    idx, dist = pairwise_distances_argmin_min(X_a[keep_a], X_b[keep_b])
    i = int(np.argmin(dist))
    return int(keep_a[i]), int(keep_b[idx[i]])
