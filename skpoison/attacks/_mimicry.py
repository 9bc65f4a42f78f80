"""Mimicry (the cuckoo's egg): blind an outlier-removal step, or turn it around."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from sklearn.base import clone
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.neighbors import NearestNeighbors

from skpoison.base import BaseInjectionAttack
from skpoison.defences import DBSCANOutlierRemover, detect_outliers, outlier_checker
from skpoison.utils._docstring import (
    Substitution,
    _clip_docstring,
    _injection_attributes_docstring,
    _n_poison_injection_docstring,
    _poison_label_docstring,
    _random_state_docstring,
)
from skpoison.utils._param_validation import (
    HasMethods,
    Interval,
    StrOptions,
)
from skpoison.utils._validation import seed_unset_random_states

__all__ = ["MimicryAttack"]

# Rows of the data used to measure the spread of genuine neighbourhoods.
_SPREAD_QUERIES = 500
# Spread multiplier of "auto": mimic genuine density, or be ten times denser.
_CONCEAL_SPREAD = 1.0
_REVERSAL_SPREAD = 0.1


@Substitution(
    n_poison=_n_poison_injection_docstring,
    poison_label=_poison_label_docstring,
    clip=_clip_docstring,
    random_state=_random_state_docstring,
    attributes=_injection_attributes_docstring,
)
class MimicryAttack(BaseInjectionAttack):
    """Inject look-alike rows around the outliers so that a detector keeps them.

    The cuckoo's egg: a pipeline that purges outliers before clustering
    trusts its detector. The attack runs the detector itself, groups the rows
    it flags, and injects rows around each group with the spread of genuine
    neighbourhoods, so that the region looks as dense as normal data. The
    detector then stops flagging the genuine outliers, which survive the
    clean-up and pull the centroids, while internal scores of the clustering
    may even improve.

    With ``reversal=True`` (contextual reversal) the injected rows are made
    denser than the genuine data and the whole budget goes to the outlier
    regions: detectors that adapt to the data (the knee of a k-distance
    curve, a contamination share, local density ratios) may then flag genuine
    inliers instead, and purge them.

    Read more in the :ref:`User Guide <mimicry_attack>`.

    Parameters
    ----------
    {n_poison}

    detector : estimator object or None, default=None
        The attacker's outlier detector: an estimator whose ``fit_predict``
        marks outliers ``-1`` (as for :class:`~skpoison.defences.OutlierRemover`),
        or a skpoison defence (it records ``outlier_mask_``). ``None`` uses
        :class:`~skpoison.defences.DBSCANOutlierRemover` (DBSCAN with eps at
        the knee of the k-distance curve). It is cloned.

    n_groups : "auto", int or estimator object, default="auto"
        How the flagged rows are grouped. ``"auto"`` links flagged rows closer
        than two genuine neighbourhood radii (single linkage), and injects
        around every flagged row of a group; each group gets a budget, is
        checked against the detector, and groups still flagged are topped up
        (see Notes). An int groups them with k-means into that many groups
        and injects around each group centre in one go, as the original
        study did (it used one group per class). An estimator with
        ``fit_predict`` (cloned) groups them by its labels, with its own seed:
        the original study's grouping is
        ``KMeans(n_clusters=3, random_state=42)``. Like an int, it injects
        around each group centre in one go.

    spread : "auto" or float, default="auto"
        Size of the injected clouds, as a multiple of the per-feature spread
        of genuine neighbourhoods (the root mean square offset of a row to its
        ``min_samples`` nearest rows). ``"auto"`` is 1.0 (look as dense as
        genuine data), or 0.1 with ``reversal=True`` (ten times denser).
        Ignored when ``cloud_std`` is given.

    cloud_std : float, default=None
        If given, the standard deviation of the injected clouds on every
        feature, in the units of ``X`` (a fixed spread, as in the original
        study, which used the mean within-cluster standard deviation of the
        clean k-means clustering, 0.0976 on min-max scaled iris). ``None``
        measures the spread from the data (``spread``).

    budget_split : {{"size", "even"}}, default="size"
        How a one-shot placement (an int or estimator ``n_groups``, or
        ``reversal=True``) shares the budget over the groups: in proportion
        to the number of flagged rows in each group, or evenly (the original
        study's ``n_poison / n_groups`` rows per group).

    reversal : bool, default=False
        Contextual reversal: inject the whole budget at once, proportionally
        to group sizes, without the verification rounds, with the denser
        spread of ``spread="auto"``.

    max_rounds : int, default=10
        Verification rounds of the concealment mode (``n_groups="auto"``).

    {poison_label}

    {clip}

    {random_state}

    Attributes
    ----------
    detector_ : estimator object
        The attacker's detector, fitted on the clean rows.

    flagged_before_ : ndarray of bool, shape (n_samples,)
        Rows the detector flags on the clean data.

    flagged_after_ : ndarray of bool, shape (n_samples,)
        Genuine rows the detector (refitted on the poisoned data) flags. Pass
        both masks to :func:`skpoison.metrics.concealment_rate` and
        :func:`skpoison.metrics.eviction_rate`.

    outliers_ : ndarray of int
        Indices of the rows flagged on the clean data (``flagged_before_``).

    n_planted_ : int
        Outliers the attack planted itself because the detector flagged no
        row (0 or 1; see Notes).

    groups_ : ndarray of int, shape (n_targets,)
        Group of each target (the flagged rows, or the planted outlier).

    group_centers_ : ndarray of shape (`n_groups_`, n_features)
        Mean of the targets of each group.

    n_groups_ : int
        Number of groups.

    n_per_group_ : ndarray of int, shape (`n_groups_`,)
        Injected rows around each group.

    spread_ : ndarray of shape (n_features,)
        Per-feature standard deviation of the injected clouds.

    n_rounds_ : int
        Detector runs spent on verification rounds and fallbacks (0 with
        ``reversal=True`` or an int ``n_groups``).

    {attributes}

    See Also
    --------
    skpoison.defences.DBSCANOutlierRemover : The clean-up attacked by default.
    skpoison.defences.OutlierRemover : Remove the rows any detector flags.
    skpoison.metrics.concealment_rate : Share of outliers no longer flagged.
    skpoison.metrics.eviction_rate : Share of inliers newly flagged.

    Notes
    -----
    Concealment with ``n_groups="auto"`` spends the budget in verified
    rounds. The first round gives every group half the budget, evenly, but
    at most the detector's ``min_samples`` (or ``n_neighbors``, else
    ``2 * n_features``) rows. After each round the detector is refitted on
    the poisoned data: the clouds of groups whose targets are still flagged
    are doubled; when none is flagged, every cloud is doubled (more rows also
    move thresholds that adapt to the data, so each step is checked). After
    ``max_rounds`` rounds what is left of the budget is shared among the
    groups in proportion to what they hold. If targets are still flagged, the
    attack also tries one-shot clouds around 1, 2 and 3 k-means group centres
    (the original study's placement, which at small budgets works by moving
    the detector's threshold rather than by density) and keeps whichever
    leaves the fewest targets flagged. ``flagged_after_`` reports the final
    outcome. The output always has exactly ``n_poison`` injected rows.

    When the detector flags no row there is nothing to conceal. As the
    original study suggests, the attack then plants one outlier of its own
    (the genuine row farthest from the mean, pushed half as far again; it is
    the first injected row and counts in the budget) and conceals that.

    References
    ----------
    .. [1] The mimicry-based data poisoning attack of the original skpoison
       study (the cuckoo's egg; contextual reversal is its open idea).
    .. [2] S. Chawla and A. Gionis, "k-means--: A unified approach to
       clustering and outlier detection", SIAM SDM 2013 (why outliers pull
       k-means centres).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.preprocessing import MinMaxScaler
    >>> from skpoison.attacks import MimicryAttack
    >>> from skpoison.metrics import concealment_rate
    >>> X = MinMaxScaler().fit_transform(load_iris().data)
    >>> attack = MimicryAttack(n_poison=40, random_state=0)
    >>> X_poisoned, _ = attack.fit_resample(X)
    >>> X_poisoned.shape
    (190, 4)
    >>> len(attack.outliers_)
    3
    >>> concealment_rate(attack.flagged_before_, attack.flagged_after_)
    1.0
    """

    _parameter_constraints: dict = {
        **BaseInjectionAttack._parameter_constraints,
        "detector": [
            HasMethods(["fit_predict"]),
            HasMethods(["fit_resample"]),
            None,
        ],
        "n_groups": [
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
            HasMethods(["fit_predict"]),
        ],
        "spread": [StrOptions({"auto"}), Interval(Real, 0, None, closed="neither")],
        "cloud_std": [Interval(Real, 0, None, closed="neither"), None],
        "budget_split": [StrOptions({"size", "even"})],
        "reversal": ["boolean"],
        "max_rounds": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        n_poison=0.1,
        *,
        detector=None,
        n_groups="auto",
        spread="auto",
        cloud_std=None,
        budget_split="size",
        reversal=False,
        max_rounds=10,
        poison_label=-1,
        clip=False,
        random_state=None,
    ):
        self.n_poison = n_poison
        self.detector = detector
        self.n_groups = n_groups
        self.spread = spread
        self.cloud_std = cloud_std
        self.budget_split = budget_split
        self.reversal = reversal
        self.max_rounds = max_rounds
        self.poison_label = poison_label
        self.clip = clip
        self.random_state = random_state

    def _generate(self, X, y, n_new, random_state):
        detector = DBSCANOutlierRemover() if self.detector is None else self.detector
        # The attack's random_state seeds a detector left unseeded, so one
        # seed fixes the whole run; the same seeded detector checks each plan.
        self._seeded_detector = seed_unset_random_states(detector, random_state)
        self.detector_, flagged = detect_outliers(self._seeded_detector, X)
        self.flagged_before_ = flagged
        self.outliers_ = np.flatnonzero(flagged)
        inliers = X[~flagged]
        if inliers.shape[0] < 2:
            raise ValueError(
                f"The detector left {inliers.shape[0]} of the {X.shape[0]} rows "
                "unflagged: there is no normal data to mimic."
            )
        min_need = _min_samples(self.detector_, X.shape[1])
        if self.spread == "auto":
            factor = _REVERSAL_SPREAD if self.reversal else _CONCEAL_SPREAD
        else:
            factor = float(self.spread)
        unit = _neighbourhood_spread(inliers, min_need, random_state)
        if self.cloud_std is None:
            self.spread_ = (factor * unit).astype(X.dtype)
        else:
            self.spread_ = np.full(X.shape[1], self.cloud_std, dtype=X.dtype)
        self._bounds = (X.min(axis=0), X.max(axis=0)) if self.clip else None

        planted = np.empty((0, X.shape[1]), dtype=X.dtype)
        if self.outliers_.size:
            targets = X[self.outliers_]
        else:
            mean = inliers.mean(axis=0)
            scale = inliers.std(axis=0)
            scale[scale == 0] = 1.0
            far = inliers[np.argmax(np.sum(((inliers - mean) / scale) ** 2, axis=1))]
            planted = (far + 0.5 * (far - mean))[None, :].astype(X.dtype)
            targets = planted
        self.n_planted_ = planted.shape[0]
        budget = n_new - self.n_planted_

        radius = float(np.sqrt(np.sum(unit**2)))
        target_rows = (
            self.outliers_
            if self.outliers_.size
            else X.shape[0] + np.arange(self.n_planted_)
        )
        self.n_rounds_ = 0
        self._check = outlier_checker(self._seeded_detector, X)
        plan = self._plan(
            X, planted, targets, budget, min_need, radius, self.n_groups, random_state
        )
        if self.n_groups == "auto" and not self.reversal:
            # Fallback: one-shot clouds around 1, 2 or 3 group centres (the
            # original study's placement) when the verified rounds left
            # targets flagged; keep whichever leaves the fewest flagged.
            for n_groups in range(1, min(3, targets.shape[0]) + 1):
                if not plan[-1][target_rows].any():
                    break
                other = self._plan(
                    X,
                    planted,
                    targets,
                    budget,
                    min_need,
                    radius,
                    n_groups,
                    random_state,
                )
                self.n_rounds_ += 1
                if other[-1][target_rows].sum() < plan[-1][target_rows].sum():
                    plan = other
        groups, per_target, clouds, injected, flags = plan
        self.groups_ = groups
        self.n_groups_ = int(groups.max()) + 1
        self.group_centers_ = clouds.centers
        self.n_per_group_ = clouds.counts.copy()
        self.flagged_after_ = flags[: X.shape[0]]
        del self._check
        return injected

    def _plan(
        self, X, planted, targets, budget, min_need, radius, n_groups, random_state
    ):
        """Group, inject and check; return the plan and the detector's flags."""
        groups, per_target = self._group(targets, radius, random_state, n_groups)
        centers = np.stack(
            [targets[groups == g].mean(axis=0) for g in range(int(groups.max()) + 1)]
        ).astype(X.dtype)
        clouds = _Clouds(
            targets, groups, centers, per_target, self.spread_, random_state
        )
        clouds.bounds = self._bounds
        if self.reversal or not per_target:
            sizes = np.bincount(groups)
            if self.budget_split == "even":
                sizes = np.ones_like(sizes)
            clouds.grow(_share(budget, sizes))
        else:
            self._conceal(X, planted, targets, groups, clouds, budget, min_need)
        injected = np.concatenate([planted, clouds.rows()])
        flags = self._check(injected)
        return groups, per_target, clouds, injected, flags

    def _group(self, targets, radius, random_state, n_groups):
        """Group labels of the targets, and whether clouds centre on targets."""
        n_targets = targets.shape[0]
        if hasattr(n_groups, "fit_predict"):
            labels = clone(n_groups).fit_predict(targets)
            return np.unique(labels, return_inverse=True)[1].astype(np.intp), False
        if n_groups != "auto":
            n_groups = min(n_groups, n_targets)
            if n_groups == 1:
                return np.zeros(n_targets, dtype=np.intp), False
            labels = KMeans(
                n_clusters=n_groups, n_init=10, random_state=random_state
            ).fit_predict(targets)
            return labels.astype(np.intp), False
        if n_targets == 1:
            return np.zeros(1, dtype=np.intp), True
        labels = AgglomerativeClustering(
            n_clusters=None,
            distance_threshold=max(2.0 * radius, np.finfo(np.float64).tiny),
            linkage="single",
        ).fit_predict(targets)
        return labels.astype(np.intp), True

    def _conceal(self, X, planted, targets, groups, clouds, budget, min_need):
        """Spend ``budget`` in verified rounds, growing the clouds that fail."""
        n_groups = int(groups.max()) + 1
        target_rows = (
            self.outliers_
            if self.outliers_.size
            else X.shape[0] + np.arange(planted.shape[0])
        )
        # First round: half the budget, evenly, at most min_need per group.
        want = np.full(n_groups, min(min_need, max(1, budget // (2 * n_groups))))
        for _ in range(self.max_rounds):
            remaining = budget - clouds.counts.sum()
            if remaining <= 0:
                break
            clouds.grow(_cap(want, remaining))
            flags = self._check(np.concatenate([planted, clouds.rows()]))
            self.n_rounds_ += 1
            failing = np.zeros(n_groups, dtype=bool)
            failing[groups[flags[target_rows]]] = True
            if failing.any():
                # Double the clouds still flagged.
                want = np.where(failing, np.maximum(clouds.counts, 1), 0)
            else:
                # All concealed: double every cloud, keeping proportions, and
                # check again (more rows can also move the detector's threshold).
                remaining = budget - clouds.counts.sum()
                want = _share(min(remaining, clouds.counts.sum()), clouds.counts)
        remaining = budget - clouds.counts.sum()
        if remaining > 0:
            weights = clouds.counts if clouds.counts.any() else np.ones(n_groups)
            clouds.grow(_share(remaining, weights))


class _Clouds:
    """Gaussian clouds around the targets, grown group by group."""

    def __init__(self, targets, groups, centers, per_target, spread, rng):
        self.targets = targets
        self.members = [np.flatnonzero(groups == g) for g in range(len(centers))]
        self.centers = centers
        self.per_target = per_target
        self.spread = spread
        self.rng = rng
        self.counts = np.zeros(len(centers), dtype=np.intp)
        self.bounds = None
        self._rows = [[] for _ in range(len(centers))]

    def grow(self, extra):
        for g, m in enumerate(extra):
            if m <= 0:
                continue
            if self.per_target:
                members = self.members[g]
                start = self.counts[g]
                # Round-robin over the targets of the group.
                owners = members[(start + np.arange(m)) % members.size]
                centres = self.targets[owners]
            else:
                centres = np.broadcast_to(self.centers[g], (m, self.centers.shape[1]))
            noise = self.rng.standard_normal((m, self.spread.shape[0]))
            rows = (centres + noise * self.spread).astype(self.targets.dtype)
            if self.bounds is not None:
                rows = np.clip(rows, *self.bounds)
            self._rows[g].append(rows)
            self.counts[g] += m

    def rows(self):
        blocks = [block for rows in self._rows for block in rows]
        if not blocks:
            return np.empty((0, self.targets.shape[1]), dtype=self.targets.dtype)
        return np.concatenate(blocks)


def _share(total, weights):
    """Split ``total`` rows in proportion to ``weights`` (largest remainders)."""
    weights = np.asarray(weights, dtype=np.float64)
    exact = total * weights / weights.sum()
    counts = np.floor(exact).astype(np.intp)
    short = total - counts.sum()
    counts[np.argsort(-(exact - counts), kind="stable")[:short]] += 1
    return counts


def _cap(want, available):
    """Grant ``want`` in group order until ``available`` rows are used."""
    granted = np.minimum(want, np.maximum(available - np.cumsum(want) + want, 0))
    return granted.astype(np.intp)


def _min_samples(detector, n_features):
    """Rows a neighbourhood needs to look dense to ``detector``."""
    for name in ("min_samples_", "min_samples", "n_neighbors_", "n_neighbors"):
        value = getattr(detector, name, None)
        if isinstance(value, Integral) and value > 0:
            return int(value)
    return max(2, 2 * n_features)


def _neighbourhood_spread(inliers, k, random_state):
    """Per-feature RMS offset of genuine rows to their ``k`` nearest rows."""
    n = inliers.shape[0]
    k = max(1, min(k, n - 1))
    m = min(n, _SPREAD_QUERIES)
    queries = np.arange(n) if m == n else random_state.choice(n, size=m, replace=False)
    nn = NearestNeighbors(n_neighbors=k + 1).fit(inliers)
    idx = nn.kneighbors(inliers[queries], return_distance=False)[:, 1:]
    offsets = inliers[idx] - inliers[queries][:, None, :]
    return np.sqrt(np.mean(offsets.astype(np.float64) ** 2, axis=(0, 1)))
