"""Gaussian tails: inject points from the tails of a Gaussian fitted to the data."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Real

import numpy as np
from scipy.stats import chi2

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
from skpoison.utils._stats import covariance_factor, mean_covariance, tail_draws

__all__ = ["GaussianTailOutlierAttack"]


@Substitution(
    n_poison=_n_poison_injection_docstring,
    poison_label=_poison_label_docstring,
    clip=_clip_docstring,
    random_state=_random_state_docstring,
    attributes=_injection_attributes_docstring,
)
class GaussianTailOutlierAttack(BaseInjectionAttack):
    """Inject points drawn from the tails of a Gaussian fitted to the data.

    A Gaussian with the data's mean and covariance (times ``inflation``) is
    the reference distribution; the injected points are draws of it
    *conditioned on lying in its tails*: their squared Mahalanobis distance
    to the mean exceeds the ``1 - tail`` quantile of the chi-squared
    distribution. The points keep the data's correlations and follow the
    Gaussian density beyond the threshold, so most of them sit just outside
    the bulk of the data. This is the distribution-based family of
    Steinbuss & Böhm's catalogue of artificial outliers [1]_, with the
    Gaussian reference distribution of Hempstalk et al. [2]_ restricted to
    its tails.

    Read more in the :ref:`User Guide <outlier_catalogue>`.

    Parameters
    ----------
    {n_poison}

    tail : float, default=0.05
        Probability mass of the tail region under the reference Gaussian:
        points have a squared Mahalanobis distance above
        ``chi2.ppf(1 - tail, rank_)``. Smaller values push the points
        further out. Must be in ``(0, 1]``; ``tail=1`` draws from the whole
        Gaussian.

    inflation : float, default=1.0
        Factor applied to the covariance of the reference Gaussian (values
        above 1 widen it, as the "inflated covariance" generators do).

    {poison_label}

    {clip}

    {random_state}

    Attributes
    ----------
    {attributes}

    location_ : ndarray of shape (n_features,)
        Mean of the input rows.

    covariance_ : ndarray of shape (n_features, n_features)
        Covariance of the reference Gaussian: the data's (``ddof=1``) times
        ``inflation``.

    rank_ : int
        Rank of the covariance; the points stay in the data's affine span.

    threshold_ : float
        The squared Mahalanobis distance the points exceed,
        ``chi2.ppf(1 - tail, rank_)``.

    See Also
    --------
    SubtleOutlierAttack : Points uniform in a Mahalanobis band.
    MixtureTailOutlierAttack : Tails of a fitted Gaussian mixture.
    UniformOutlierAttack : Points uniform in an expanded bounding box.

    Notes
    -----
    The squared norm of a standard normal vector in ``k`` dimensions is
    chi-squared with ``k`` degrees of freedom and independent of its
    direction. A point is ``mu + A @ (r * u)`` with ``A @ A.T`` the
    covariance, ``u`` a uniform direction and ``r**2`` drawn from the
    chi-squared distribution restricted to ``[threshold_, inf)`` by inverse
    transform sampling: an exact draw of the conditioned Gaussian, with no
    rejection. Unlike :class:`SubtleOutlierAttack` (``method="band"``),
    which is uniform in the volume of a bounded band, the radial density here
    decreases like the Gaussian's, so there is no outer limit and most points
    lie near the threshold. The mean and covariance take one chunked pass,
    ``O(n_samples * n_features**2)``.

    References
    ----------
    .. [1] G. Steinbuss and K. Böhm, "Generating artificial outliers in the
       absence of genuine ones - a survey", ACM Transactions on Knowledge
       Discovery from Data 15(2), 2021.
    .. [2] K. Hempstalk, E. Frank and I. H. Witten, "One-class classification
       by combining density and class probability estimation", ECML PKDD
       2008 (artificial data from a Gaussian reference distribution fitted
       to the target class).

    Examples
    --------
    >>> import numpy as np
    >>> from skpoison.attacks import GaussianTailOutlierAttack
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(500, 2))
    >>> attack = GaussianTailOutlierAttack(n_poison=50, tail=0.01, random_state=0)
    >>> X_res, _ = attack.fit_resample(X)
    >>> round(attack.threshold_, 2)
    9.21
    >>> diff = X_res[500:] - attack.location_
    >>> d2 = np.einsum("ij,ij->i", diff @ np.linalg.inv(attack.covariance_), diff)
    >>> bool(d2.min() >= attack.threshold_ - 1e-9)
    True
    """

    _parameter_constraints: dict = {
        **BaseInjectionAttack._parameter_constraints,
        "tail": [Interval(Real, 0, 1, closed="right")],
        "inflation": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(
        self,
        n_poison=0.1,
        *,
        tail=0.05,
        inflation=1.0,
        poison_label=-1,
        clip=False,
        random_state=None,
    ):
        self.n_poison = n_poison
        self.tail = tail
        self.inflation = inflation
        self.poison_label = poison_label
        self.clip = clip
        self.random_state = random_state

    def _generate(self, X, y, n_new, random_state):
        X = np.ascontiguousarray(X)
        self.location_, covariance = mean_covariance(X)
        self.covariance_ = self.inflation * covariance
        factor, self.rank_ = covariance_factor(self.covariance_)
        if self.rank_ == 0:
            raise ValueError(
                "GaussianTailOutlierAttack needs data that varies: all rows are "
                "identical, so the fitted Gaussian has no tails."
            )
        self.threshold_ = float(chi2.isf(self.tail, df=self.rank_))
        z = tail_draws(n_new, self.rank_, self.threshold_, random_state)
        X_new = z @ factor.T
        X_new += self.location_
        return X_new.astype(X.dtype, copy=False)
