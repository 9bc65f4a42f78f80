"""Subtle outliers: inject points that follow the data's covariance."""

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
from skpoison.utils._param_validation import Interval, StrOptions
from skpoison.utils._stats import covariance_factor, mean_covariance

# Quantiles of the chi-squared distribution that bound the default band: the
# points sit just beyond the bulk of a Gaussian with the data's covariance.
_DEFAULT_BAND_QUANTILES = (0.95, 0.999)


@Substitution(
    n_poison=_n_poison_injection_docstring,
    poison_label=_poison_label_docstring,
    clip=_clip_docstring,
    random_state=_random_state_docstring,
    attributes=_injection_attributes_docstring,
)
class SubtleOutlierAttack(BaseInjectionAttack):
    """Inject points that follow the data's covariance, pushed away from its mean.

    The attack estimates the mean ``mu`` and covariance ``Sigma`` of the data
    and injects points shaped like the data itself, so that they are hard to
    tell apart from genuine rows feature by feature:

    - ``method="scaled"`` draws from ``N(mu, exaggeration**2 * Sigma)``: a
      Gaussian with the data's correlation structure, spread ``exaggeration``
      times wider than the data;
    - ``method="band"`` draws uniformly in the ellipsoidal shell of
      Mahalanobis radius ``[r_min, r_max]`` around ``mu``: just beyond the
      bulk of the data, in every direction, and never inside it.

    Read more in the :ref:`User Guide <subtle_outlier_attack>`.

    Parameters
    ----------
    {n_poison}

    exaggeration : float, default=1.5
        For ``method="scaled"``, how much wider than the data the injected
        points spread (the standard deviation multiplier along every principal
        axis). ``1.0`` draws from the data's own Gaussian fit. Ignored by
        ``method="band"``.

    method : {{"scaled", "band"}}, default="scaled"
        How the injected points are drawn; see above.

    radius : tuple of (float, float) or None, default=None
        For ``method="band"``, the Mahalanobis radii ``(r_min, r_max)`` of the
        shell, ``0 <= r_min <= r_max``. ``None`` uses the square roots of the
        0.95 and 0.999 quantiles of the chi-squared distribution with ``k``
        degrees of freedom (``k`` the rank of the covariance): the band that a
        Gaussian with the data's covariance leaves almost empty. Ignored by
        ``method="scaled"``.

    {poison_label}

    {clip}

    {random_state}

    Attributes
    ----------
    {attributes}

    location_ : ndarray of shape (n_features,)
        The mean of the input rows.

    covariance_ : ndarray of shape (n_features, n_features)
        The covariance of the input rows (``ddof=1``).

    rank_ : int
        The numerical rank of ``covariance_``: the number of directions the
        injected points vary along.

    radius_ : tuple of (float, float) or None
        The band radii used by ``method="band"``, ``None`` otherwise.

    See Also
    --------
    UniformOutlierAttack : Outliers uniform in an expanded bounding box.
    CentroidNoiseAttack : Points around the data centre, noisier along the
        discriminative features.

    Notes
    -----
    The covariance is factored by its eigendecomposition, not a Cholesky
    factorisation, so singular covariances are fine: eigenvalues below
    ``n_features * eps * max_eigenvalue`` (and the tiny negative ones rounding
    produces) are set to zero and their directions dropped. Data with constant
    features (as the blank border pixels of the digits dataset) or collinear
    features therefore give points that stay in the data's affine span, and
    the Mahalanobis radius is measured with the pseudo-inverse of the
    covariance. In ``method="band"`` the direction is a standard normal
    vector in the ``rank_`` kept directions, normalised; the radius is drawn
    so that the points are uniform in the shell's volume,
    ``r = (r_min**k + U * (r_max**k - r_min**k)) ** (1 / k)``; the point is
    ``mu + r * A @ direction`` with ``A @ A.T == Sigma``. In high dimension
    the volume concentrates near ``r_max``.

    The mean and covariance take ``O(n_samples * n_features**2)`` arithmetic
    (one matrix product, chunked) and no copy of ``X``.

    References
    ----------
    .. [1] H. Steinbuss and K. Bohm, "Generating artificial outliers in the
       absence of genuine ones - a survey", ACM Transactions on Knowledge
       Discovery from Data 15(2), 2021 (distribution-based generation of
       artificial outliers).

    .. [2] P. C. Mahalanobis, "On the generalised distance in statistics",
       Proceedings of the National Institute of Sciences of India 2(1), 1936.

    Examples
    --------
    >>> import numpy as np
    >>> from skpoison.attacks import SubtleOutlierAttack
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(200, 3))
    >>> attack = SubtleOutlierAttack(
    ...     n_poison=20, method="band", radius=(3.0, 4.0), random_state=0
    ... )
    >>> X_res, _ = attack.fit_resample(X)
    >>> X_res.shape, attack.rank_
    ((220, 3), 3)
    >>> diff = X_res[200:] - attack.location_
    >>> d2 = np.einsum("ij,ij->i", diff @ np.linalg.inv(attack.covariance_), diff)
    >>> bool(np.all((np.sqrt(d2) >= 3.0 - 1e-9) & (np.sqrt(d2) <= 4.0 + 1e-9)))
    True
    """

    _parameter_constraints: dict = {
        **BaseInjectionAttack._parameter_constraints,
        "exaggeration": [Interval(Real, 0, None, closed="neither")],
        "method": [StrOptions({"scaled", "band"})],
        "radius": [tuple, None],
    }

    def __init__(
        self,
        n_poison=0.1,
        *,
        exaggeration=1.5,
        method="scaled",
        radius=None,
        poison_label=-1,
        clip=False,
        random_state=None,
    ):
        self.n_poison = n_poison
        self.exaggeration = exaggeration
        self.method = method
        self.radius = radius
        self.poison_label = poison_label
        self.clip = clip
        self.random_state = random_state

    def _generate(self, X, y, n_new, random_state):
        self.location_, self.covariance_ = mean_covariance(X)
        factor, self.rank_ = covariance_factor(self.covariance_)
        self.radius_ = None
        z = random_state.standard_normal(size=(n_new, self.rank_))
        if self.method == "scaled":
            z *= self.exaggeration
        else:
            if self.rank_ == 0:
                raise ValueError(
                    "SubtleOutlierAttack(method='band') needs data that varies: "
                    "all rows are identical, so the covariance is zero and no "
                    "Mahalanobis band exists."
                )
            r_min, r_max = self.radius_ = self._band(self.rank_)
            u = random_state.uniform(size=n_new)
            k = self.rank_
            r = (r_min**k + u * (r_max**k - r_min**k)) ** (1.0 / k)
            z *= (r / np.sqrt(np.einsum("ij,ij->i", z, z)))[:, None]
        X_new = z @ factor.T
        X_new += self.location_
        return X_new.astype(X.dtype, copy=False)

    def _band(self, rank):
        if self.radius is None:
            return tuple(
                float(np.sqrt(chi2.ppf(q, df=rank))) for q in _DEFAULT_BAND_QUANTILES
            )
        radius = self.radius
        if (
            len(radius) != 2
            or not all(isinstance(r, Real) and np.isfinite(r) for r in radius)
            or not 0 <= radius[0] <= radius[1]
        ):
            raise ValueError(
                "radius must be a pair (r_min, r_max) of finite numbers with "
                f"0 <= r_min <= r_max; got {radius!r}."
            )
        return float(radius[0]), float(radius[1])
