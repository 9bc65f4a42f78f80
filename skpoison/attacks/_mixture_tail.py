"""Mixture tails: inject points in the tails of a Gaussian mixture fitted to X."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from scipy.stats import chi2
from sklearn.mixture import GaussianMixture

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
from skpoison.utils._stats import covariance_factor, tail_draws

__all__ = ["MixtureTailOutlierAttack"]


def _mahalanobis_sq(X, mean, covariance):
    """Squared Mahalanobis distance of the rows of ``X`` (pseudo-inverse)."""
    diff = X - mean
    return np.einsum("ij,ij->i", diff @ np.linalg.pinv(covariance), diff)


@Substitution(
    n_poison=_n_poison_injection_docstring,
    poison_label=_poison_label_docstring,
    clip=_clip_docstring,
    random_state=_random_state_docstring,
    attributes=_injection_attributes_docstring,
)
class MixtureTailOutlierAttack(BaseInjectionAttack):
    """Inject points in the tails of a Gaussian mixture fitted to the data.

    A :class:`~sklearn.mixture.GaussianMixture` learns where the data lie;
    the injected points are drawn from its components' tails and kept only
    outside the core of every component. A component is picked with its
    mixture weight; the point is a draw of that Gaussian (its covariance
    times ``inflation``) conditioned on a squared Mahalanobis distance above
    the ``1 - tail`` chi-squared quantile; it is rejected if it falls inside
    that quantile of any component. The points surround each cluster closely
    without entering any of them.

    This is the original study's learned outlier generator done in closed
    form. The study trained a neural generator whose loss pushed its
    samples to a standardised distance between 1.5 and 3.5 from the mean of
    the data: a shell just outside a single learned density. A fitted
    density model gives that shell directly, per cluster, with no training
    loop: the tails of the fitted mixture. Steinbuss & Böhm [1]_ group such
    generators, which learn a model of the genuine data and sample where it
    gives little mass, with the generative-model approaches (for example the
    adversarial generators of Liu et al. [2]_).

    Read more in the :ref:`User Guide <outlier_catalogue>`.

    Parameters
    ----------
    {n_poison}

    n_components : int, default=3
        Number of mixture components.

    tail : float, default=0.05
        Probability mass of each component's tail region, in ``(0, 1)``:
        points have a squared Mahalanobis distance above
        ``chi2.ppf(1 - tail, n_features)`` to every component.

    inflation : float, default=1.0
        Factor applied to the covariances the points are drawn from (the
        core each point must avoid is that of the fitted covariances).
        Values above 1 spread the points further from the clusters.

    max_batches : int, default=100
        Rejection batches before giving up with a ``ValueError``.

    {poison_label}

    {clip}

    {random_state}

    Attributes
    ----------
    {attributes}

    mixture_ : GaussianMixture
        The fitted mixture (``covariance_type="full"``).

    threshold_ : float
        The squared Mahalanobis distance the points exceed to every
        component.

    components_ : ndarray of int, shape (`n_poison_`,)
        The component each injected point was drawn from.

    acceptance_rate_ : float
        Share of the tail draws kept (outside every component's core).

    See Also
    --------
    GaussianTailOutlierAttack : Tails of a single Gaussian.
    LowDensityOutlierAttack : Low-density regions of a kernel density estimate.

    Notes
    -----
    Each tail draw is exact (see :class:`GaussianTailOutlierAttack`); only
    the draws that land in another component's core are rejected, so with
    well separated components nearly every draw is kept. Fitting the mixture
    is ``O(n_samples * n_components * n_features**2)`` per EM iteration.

    References
    ----------
    .. [1] G. Steinbuss and K. Böhm, "Generating artificial outliers in the
       absence of genuine ones - a survey", ACM Transactions on Knowledge
       Discovery from Data 15(2), 2021.
    .. [2] Y. Liu, Z. Li, C. Zhou, Y. Jiang, J. Sun, M. Wang and X. He,
       "Generative adversarial active learning for unsupervised outlier
       detection", IEEE Transactions on Knowledge and Data Engineering
       32(8), 2020.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> from skpoison.attacks import MixtureTailOutlierAttack
    >>> X, _ = make_blobs(n_samples=300, centers=3, random_state=0)
    >>> attack = MixtureTailOutlierAttack(n_poison=30, random_state=0)
    >>> X_res, _ = attack.fit_resample(X)
    >>> X_res.shape, round(attack.threshold_, 2)
    ((330, 2), 5.99)
    >>> sorted(set(attack.components_.tolist()))
    [0, 1, 2]
    """

    _parameter_constraints: dict = {
        **BaseInjectionAttack._parameter_constraints,
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "tail": [Interval(Real, 0, 1, closed="neither")],
        "inflation": [Interval(Real, 0, None, closed="neither")],
        "max_batches": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        n_poison=0.1,
        *,
        n_components=3,
        tail=0.05,
        inflation=1.0,
        max_batches=100,
        poison_label=-1,
        clip=False,
        random_state=None,
    ):
        self.n_poison = n_poison
        self.n_components = n_components
        self.tail = tail
        self.inflation = inflation
        self.max_batches = max_batches
        self.poison_label = poison_label
        self.clip = clip
        self.random_state = random_state

    def _generate(self, X, y, n_new, random_state):
        n, d = X.shape
        if self.n_components > n:
            raise ValueError(
                f"n_components={self.n_components} exceeds the {n} rows of X."
            )
        self.mixture_ = GaussianMixture(
            n_components=self.n_components,
            covariance_type="full",
            random_state=random_state.randint(np.iinfo(np.int32).max),
        ).fit(X)
        self.threshold_ = float(chi2.isf(self.tail, df=d))
        means = self.mixture_.means_
        covariances = self.mixture_.covariances_
        factors = [covariance_factor(self.inflation * c) for c in covariances]
        weights = self.mixture_.weights_ / self.mixture_.weights_.sum()

        kept, comps, n_kept, n_drawn, n_ok = [], [], 0, 0, 0
        for _ in range(self.max_batches):
            need = n_new - n_kept
            if need <= 0:
                break
            m = 2 * need
            comp = random_state.choice(self.n_components, size=m, p=weights)
            cand = np.empty((m, d))
            for k, (factor, rank) in enumerate(factors):
                rows = np.flatnonzero(comp == k)
                # The tail of the inflated Gaussian beyond the fitted core.
                z = tail_draws(
                    rows.size, rank, self.threshold_ / self.inflation, random_state
                )
                cand[rows] = means[k] + z @ factor.T
            outside = np.ones(m, dtype=bool)
            for k in range(self.n_components):
                outside &= (
                    _mahalanobis_sq(cand, means[k], covariances[k]) > self.threshold_
                )
            n_drawn += m
            n_ok += int(outside.sum())
            take = np.flatnonzero(outside)[:need]
            kept.append(cand[take])
            comps.append(comp[take])
            n_kept += take.size
        self.acceptance_rate_ = n_ok / n_drawn if n_drawn else 1.0
        if n_kept < n_new:
            raise ValueError(
                f"MixtureTailOutlierAttack kept only {n_kept} of {n_new} points "
                f"outside every component's core in {self.max_batches} batches: "
                "the components overlap too much. Use fewer components, a "
                "smaller tail or a larger inflation."
            )
        self.components_ = np.concatenate(comps).astype(np.intp)
        return np.concatenate(kept).astype(X.dtype, copy=False)
