"""Uniform outliers: inject points uniform in an expanded bounding box."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Real

import numpy as np

from skpoison.base import BaseInjectionAttack
from skpoison.utils._docstring import (
    Substitution,
    _clip_docstring,
    _injection_attributes_docstring,
    _n_poison_injection_docstring,
    _poison_label_docstring,
    _random_state_docstring,
)
from skpoison.utils._param_validation import Interval
from skpoison.utils._stats import feature_min_max


def _check_bounds(bounds, n_features):
    """``(low, high)`` as float arrays of shape (n_features,), validated."""
    if len(bounds) != 2:
        raise ValueError(
            f"bounds must be a pair (low, high); got {len(bounds)} elements."
        )
    low, high = (
        np.broadcast_to(np.asarray(b, dtype=np.float64), (n_features,)).copy()
        if np.ndim(b) == 0 or np.shape(b) == (n_features,)
        else None
        for b in bounds
    )
    if low is None or high is None:
        raise ValueError(
            "bounds=(low, high) needs floats or arrays of shape "
            f"({n_features},), one value per feature of X."
        )
    if not (np.isfinite(low).all() and np.isfinite(high).all()):
        raise ValueError("bounds must be finite.")
    if np.any(low > high):
        raise ValueError(
            f"bounds: low must not exceed high on any feature; got low={low}, "
            f"high={high}."
        )
    return low, high


@Substitution(
    n_poison=_n_poison_injection_docstring,
    poison_label=_poison_label_docstring,
    clip=_clip_docstring,
    random_state=_random_state_docstring,
    attributes=_injection_attributes_docstring,
)
class UniformOutlierAttack(BaseInjectionAttack):
    """Inject points drawn uniformly in a box around the data's feature ranges.

    The bounding box of the data (each feature's minimum and maximum) is
    widened on each side by ``expansion`` times that feature's range, and the
    injected points are drawn uniformly in the widened box. This is the
    artificial-outlier generator of the outlier-detection literature, where
    the box is usually expanded by 10 to 20 percent [1]_; large values of
    ``expansion`` (say 2 to 10) give the "far outside the range" points of the
    randomized-injection study, which drag k-means centroids or form a cluster
    of their own. This is the "expanded hyper-rectangle" family of
    Steinbuss & Böhm's catalogue of artificial outliers [1]_; see
    :class:`GaussianTailOutlierAttack`, :class:`MarginalOutlierAttack`,
    :class:`LowDensityOutlierAttack` and :class:`MixtureTailOutlierAttack`
    for the other families. ``bounds`` replaces the box by one of your own.

    Read more in the :ref:`User Guide <uniform_outlier_attack>`.

    Parameters
    ----------
    {n_poison}

    expansion : float, default=0.2
        How far the box extends beyond the data on each side, as a fraction
        of each feature's range: feature ``j`` is sampled in
        ``[min_j - expansion * range_j, max_j + expansion * range_j]``.

    outside_only : bool, default=False
        If True, every injected point lies outside the original bounding box
        (in at least one feature) and inside the expanded one. Points are
        drawn uniformly in that shell directly, without rejection loops.
        Requires ``expansion > 0`` and at least one non-constant feature.

    bounds : tuple (low, high) or None, default=None
        A box of your own: each injected point is drawn uniformly with
        ``low[j] <= x[j] <= high[j]``, where ``low`` and ``high`` are floats
        (the same for every feature) or arrays of shape (n_features,). It
        need not contain the data: the randomized-injection study draws 5
        iris points in the one-sided far box ``low=(10, 5, 10, 5)``,
        ``high=(15, 10, 15, 10)``, where they form one tight cluster of
        their own. ``None`` uses the data's box widened by ``expansion``;
        ``expansion`` and ``outside_only`` are ignored when ``bounds`` is
        given.

    {poison_label}

    {clip}

    {random_state}

    Attributes
    ----------
    {attributes}

    data_min_ : ndarray of shape (n_features,)
        Per-feature minimum of the input.

    data_max_ : ndarray of shape (n_features,)
        Per-feature maximum of the input.

    low_ : ndarray of shape (n_features,)
        Lower corner of the expanded box.

    high_ : ndarray of shape (n_features,)
        Upper corner of the expanded box.

    See Also
    --------
    SubtleOutlierAttack : Outliers that follow the data's covariance.
    GaussianNoiseAttack : Perturb existing rows instead of adding new ones.

    Notes
    -----
    A constant feature has zero range, so its box does not widen: every
    injected point takes the constant value there. With ``outside_only=True``
    the points are drawn exactly uniformly in the expanded box minus the
    original one. That region is split into disjoint slabs: slab ``j`` holds
    the points whose first feature outside the original range is ``j``.
    A slab is picked with probability proportional to its volume, then each
    coordinate is sampled uniformly in its interval, all in one vectorised
    pass.

    The attack reads ``X`` once (minimum and maximum, in cache-sized chunks)
    and writes the output once: ``O(n_samples * n_features)``.

    References
    ----------
    .. [1] G. Steinbuss and K. Böhm, "Generating artificial outliers in the
       absence of genuine ones - a survey", ACM Transactions on Knowledge
       Discovery from Data 15(2), 2021.

    .. [2] D. M. J. Tax and R. P. W. Duin, "Uniform object generation for
       optimizing one-class classifiers", Journal of Machine Learning
       Research 2, 2001.

    Examples
    --------
    >>> import numpy as np
    >>> from skpoison.attacks import UniformOutlierAttack
    >>> X = np.array([[0.0, 0.0], [1.0, 10.0], [2.0, 5.0], [4.0, 1.0]])
    >>> attack = UniformOutlierAttack(n_poison=3, expansion=0.5, random_state=0)
    >>> X_res, _ = attack.fit_resample(X)
    >>> X_res.shape
    (7, 2)
    >>> attack.low_, attack.high_
    (array([-2., -5.]), array([ 6., 15.]))
    """

    _parameter_constraints: dict = {
        **BaseInjectionAttack._parameter_constraints,
        "expansion": [Interval(Real, 0, None, closed="left")],
        "outside_only": ["boolean"],
        "bounds": [tuple, None],
    }

    def __init__(
        self,
        n_poison=0.1,
        *,
        expansion=0.2,
        outside_only=False,
        bounds=None,
        poison_label=-1,
        clip=False,
        random_state=None,
    ):
        self.n_poison = n_poison
        self.expansion = expansion
        self.outside_only = outside_only
        self.bounds = bounds
        self.poison_label = poison_label
        self.clip = clip
        self.random_state = random_state

    def _generate(self, X, y, n_new, random_state):
        self.data_min_, self.data_max_ = feature_min_max(X)
        data_range = self.data_max_ - self.data_min_
        margin = self.expansion * data_range
        self.low_ = self.data_min_ - margin
        self.high_ = self.data_max_ + margin
        if self.bounds is not None:
            self.low_, self.high_ = _check_bounds(self.bounds, X.shape[1])

        u = random_state.uniform(size=(n_new, X.shape[1]))
        if self.bounds is not None:
            return (u * (self.high_ - self.low_) + self.low_).astype(X.dtype)
        if not self.outside_only:
            X_new = u * (self.high_ - self.low_) + self.low_
            return X_new.astype(X.dtype, copy=False)
        return self._sample_shell(u, margin, data_range, random_state).astype(
            X.dtype, copy=False
        )

    def _sample_shell(self, u, margin, data_range, random_state):
        """Uniform draws in the expanded box minus the original box."""
        n_new, d = u.shape
        outer = data_range + 2 * margin
        if self.expansion == 0 or not np.any(data_range > 0):
            raise ValueError(
                "outside_only=True needs room outside the data's box: use "
                "expansion > 0 and data with at least one non-constant feature."
            )
        # Fraction of each outer interval covered by the data's range;
        # constant features (outer width 0) are always "inside".
        inside = np.ones(d)
        np.divide(data_range, outer, out=inside, where=outer > 0)
        # Volume share of slab j: inside for features before j, outside at j.
        before = np.concatenate([[1.0], np.cumprod(inside)[:-1]])
        weights = before * (1.0 - inside)
        if not weights.sum() > 0:
            raise ValueError(
                f"expansion={self.expansion!r} is too small for outside_only=True: "
                "the margin around the data's box vanishes next to the data's "
                "range in floating point. Use a larger expansion."
            )
        slab = random_state.choice(d, size=n_new, p=weights / weights.sum())

        column = np.arange(d)
        in_prefix = column < slab[:, None]
        # Features before the slab: inside the data's range; after: anywhere
        # in the expanded interval.
        start = np.where(in_prefix, self.data_min_, self.low_)
        width = np.where(in_prefix, data_range, outer)
        X_new = start + u * width
        # Feature at the slab: in one of the two margins, [low, min) or
        # (max, high], each of width `margin`.
        rows = np.arange(n_new)
        m = margin[slab]
        v = u[rows, slab] * 2 * m
        X_new[rows, slab] = np.where(
            v < m, self.low_[slab] + v, self.high_[slab] - (v - m)
        )
        return X_new
