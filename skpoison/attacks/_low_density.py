"""Low-density sampling: inject points where a density estimate of the data is low."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from sklearn.neighbors import KernelDensity

from skpoison.base import BaseInjectionAttack
from skpoison.utils._docstring import (
    Substitution,
    _clip_docstring,
    _injection_attributes_docstring,
    _n_poison_injection_docstring,
    _poison_label_docstring,
    _random_state_docstring,
)
from skpoison.utils._param_validation import Interval, StrOptions
from skpoison.utils._stats import feature_mean_std, feature_min_max

__all__ = ["LowDensityOutlierAttack"]

# Candidates per batch, as a multiple of the rows still needed.
_OVERSAMPLE = 4


@Substitution(
    n_poison=_n_poison_injection_docstring,
    poison_label=_poison_label_docstring,
    clip=_clip_docstring,
    random_state=_random_state_docstring,
    attributes=_injection_attributes_docstring,
)
class LowDensityOutlierAttack(BaseInjectionAttack):
    """Inject points where a kernel density estimate of the data is low.

    A Gaussian kernel density estimate is fitted to the standardised data.
    Its threshold is the ``density_quantile`` quantile of the log density of
    the genuine rows: a genuine row is below it with that probability.
    Candidates are drawn uniformly in the data's bounding box widened by
    ``expansion`` and kept only where the estimated density is below the
    threshold (rejection sampling). The injected points are thus uniform in
    the low-density region of the box: the gaps between clusters and the
    fringe around them, not only the corners that an expanded box favours.
    This is the density-based family of Steinbuss & Böhm's catalogue of
    artificial outliers [1]_.

    Read more in the :ref:`User Guide <outlier_catalogue>`.

    Parameters
    ----------
    {n_poison}

    density_quantile : float, default=0.05
        The threshold, as a quantile of the genuine rows' log densities, in
        ``(0, 1]``. Smaller values keep only emptier regions.

    bandwidth : float or {{"scott", "silverman"}}, default="scott"
        Bandwidth of the Gaussian kernel, on the standardised features (see
        :class:`~sklearn.neighbors.KernelDensity`).

    expansion : float, default=0.2
        Candidates are drawn in the bounding box widened on each side by
        ``expansion`` times each feature's range, as in
        :class:`UniformOutlierAttack`.

    max_samples : int, default=1000
        The density estimate uses at most this many rows, drawn at random,
        so that its cost stays linear in the number of rows.

    max_batches : int, default=100
        Rejection batches before giving up with a ``ValueError`` (the
        low-density region is then too small a part of the box).

    {poison_label}

    {clip}

    {random_state}

    Attributes
    ----------
    {attributes}

    density_ : KernelDensity
        The fitted density estimate, on standardised features.

    threshold_ : float
        The log density below which candidates are kept.

    low_ : ndarray of shape (n_features,)
        Lower corner of the candidate box.

    high_ : ndarray of shape (n_features,)
        Upper corner of the candidate box.

    acceptance_rate_ : float
        Share of the candidates drawn that fell below the threshold.

    scale_mean_ : ndarray of shape (n_features,)
        Feature means used to standardise before the density estimate.

    scale_std_ : ndarray of shape (n_features,)
        Feature standard deviations used to standardise (1 for a constant
        feature).

    See Also
    --------
    UniformOutlierAttack : Points uniform in the whole expanded box.
    GaussianTailOutlierAttack : Tails of a Gaussian fitted to the data.
    MixtureTailOutlierAttack : Tails of a fitted Gaussian mixture.

    Notes
    -----
    Features are standardised before the estimate (a constant feature keeps
    a unit scale), so that one bandwidth fits all of them. Each batch costs
    ``O(n_candidates * max_samples * n_features)`` for the density and
    ``O(n_candidates)`` memory; the threshold costs as much for the reference
    rows. In many dimensions nearly the whole box has a low density, and the
    points behave like :class:`UniformOutlierAttack`'s.

    References
    ----------
    .. [1] G. Steinbuss and K. Böhm, "Generating artificial outliers in the
       absence of genuine ones - a survey", ACM Transactions on Knowledge
       Discovery from Data 15(2), 2021.
    .. [2] B. W. Silverman, "Density Estimation for Statistics and Data
       Analysis", Chapman and Hall, 1986.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skpoison.attacks import LowDensityOutlierAttack
    >>> X = load_iris().data
    >>> attack = LowDensityOutlierAttack(n_poison=20, random_state=0)
    >>> X_res, _ = attack.fit_resample(X)
    >>> X_res.shape
    (170, 4)
    >>> scaled = (X_res[150:] - attack.scale_mean_) / attack.scale_std_
    >>> bool((attack.density_.score_samples(scaled) < attack.threshold_).all())
    True
    """

    _parameter_constraints: dict = {
        **BaseInjectionAttack._parameter_constraints,
        "density_quantile": [Interval(Real, 0, 1, closed="right")],
        "bandwidth": [
            Interval(Real, 0, None, closed="neither"),
            StrOptions({"scott", "silverman"}),
        ],
        "expansion": [Interval(Real, 0, None, closed="left")],
        "max_samples": [Interval(Integral, 1, None, closed="left")],
        "max_batches": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        n_poison=0.1,
        *,
        density_quantile=0.05,
        bandwidth="scott",
        expansion=0.2,
        max_samples=1000,
        max_batches=100,
        poison_label=-1,
        clip=False,
        random_state=None,
    ):
        self.n_poison = n_poison
        self.density_quantile = density_quantile
        self.bandwidth = bandwidth
        self.expansion = expansion
        self.max_samples = max_samples
        self.max_batches = max_batches
        self.poison_label = poison_label
        self.clip = clip
        self.random_state = random_state

    def _generate(self, X, y, n_new, random_state):
        X = np.ascontiguousarray(X)
        n, d = X.shape
        mean, std = feature_mean_std(X)
        std[std == 0] = 1.0
        self.scale_mean_, self.scale_std_ = mean, std
        rows = (
            np.arange(n)
            if n <= self.max_samples
            else random_state.choice(n, size=self.max_samples, replace=False)
        )
        reference = (X[rows] - mean) / std
        self.density_ = KernelDensity(bandwidth=self.bandwidth).fit(reference)
        self.threshold_ = float(
            np.quantile(self.density_.score_samples(reference), self.density_quantile)
        )
        low, high = feature_min_max(X)
        margin = self.expansion * (high - low)
        self.low_, self.high_ = low - margin, high + margin

        kept, n_drawn, n_kept, n_ok = [], 0, 0, 0
        for _ in range(self.max_batches):
            need = n_new - n_kept
            if need <= 0:
                break
            m = _OVERSAMPLE * need
            cand = self.low_ + random_state.uniform(size=(m, d)) * (
                self.high_ - self.low_
            )
            ok = self.density_.score_samples((cand - mean) / std) < self.threshold_
            n_drawn += m
            n_ok += int(ok.sum())
            kept.append(cand[ok][:need])
            n_kept += kept[-1].shape[0]
        self.acceptance_rate_ = n_ok / n_drawn if n_drawn else 1.0
        if n_kept < n_new:
            raise ValueError(
                f"LowDensityOutlierAttack found only {n_kept} of {n_new} points "
                f"below the density threshold in {self.max_batches} batches "
                f"(acceptance rate {self.acceptance_rate_:.2g}): the low-density "
                "region is too small a part of the box. Increase expansion or "
                "density_quantile, or max_batches."
            )
        X_new = np.concatenate(kept) if kept else np.empty((0, d))
        return X_new.astype(X.dtype, copy=False)
