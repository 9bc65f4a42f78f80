"""Gaussian noise: perturb existing rows with noise scaled to each feature."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Real

import numpy as np

from skpoison.base import BaseAttack
from skpoison.utils._budget import Count, Fraction
from skpoison.utils._docstring import (
    Substitution,
    _budget_attributes_docstring,
    _fitted_input_attributes_docstring,
    _random_state_docstring,
)
from skpoison.utils._param_validation import Interval
from skpoison.utils._stats import feature_mean_std


@Substitution(
    random_state=_random_state_docstring,
    budget_attributes=_budget_attributes_docstring,
    fitted_input_attributes=_fitted_input_attributes_docstring,
)
class GaussianNoiseAttack(BaseAttack):
    """Perturb existing rows with Gaussian noise scaled to each feature's spread.

    ``n_poison`` rows chosen at random (all rows by default) get independent
    Gaussian noise added: on feature ``j`` the noise has standard deviation
    ``scale * std_j``, where ``std_j`` is the standard deviation of feature
    ``j`` over the input rows. No row is added; labels are unchanged. This is
    the "Gaussian noise" attack of the randomized-injection study: clusters
    become less compact and harder to separate.

    Read more in the :ref:`User Guide <gaussian_noise_attack>`.

    Parameters
    ----------
    n_poison : int or float, default=1.0
        How many existing rows to perturb. An int is a count (at most the
        number of rows); a float is a fraction in ``[0, 1]`` of the rows,
        rounded to the nearest count and at least one. ``0`` means no attack.

    scale : float, default=0.1
        Noise standard deviation as a multiple of each feature's standard
        deviation. A constant feature (zero spread) gets no noise. Ignored
        when ``noise_std`` is given.

    noise_std : float, default=None
        If given, one absolute noise standard deviation for every feature, in
        the units of ``X`` (the randomized-injection study adds noise of
        standard deviation 0.2 cm to each iris measurement). ``None`` scales
        the noise to each feature's spread (``scale``).

    {random_state}

    Attributes
    ----------
    sample_indices_ : ndarray of shape (n_samples,)
        ``arange(n_samples)``: every output row is the input row at the same
        position (perturbed or not).

    poison_mask_ : ndarray of bool, shape (n_samples,)
        True for the perturbed rows.

    {budget_attributes}

    noise_std_ : ndarray of shape (n_features,)
        The standard deviation of the noise added on each feature,
        ``scale * std_j``, or ``noise_std`` on every feature.

    {fitted_input_attributes}

    See Also
    --------
    UniformOutlierAttack : Inject points uniform in an expanded bounding box.
    SubtleOutlierAttack : Inject points that follow the data's covariance.

    Notes
    -----
    The spread is the population standard deviation of each feature
    (``ddof=0``), measured on the clean input before any noise is added. The
    attack is ``O(n_samples * n_features)``: one chunked read pass for the spread,
    one write of the output and the random draws. When every row is perturbed
    the noise array itself becomes the output, so ``X`` is read but never
    copied.

    References
    ----------
    .. [1] B. Biggio, I. Pillai, S. Rota Bulo, D. Ariu, M. Pelillo and
       F. Roli, "Is data clustering in adversarial settings secure?",
       Proceedings of the 2013 ACM Workshop on Artificial Intelligence and
       Security (AISec), 2013. Random noise is the non-adversarial baseline
       against which crafted poisoning of clustering is measured.

    Examples
    --------
    >>> import numpy as np
    >>> from skpoison.attacks import GaussianNoiseAttack
    >>> X = np.array([[0.0, 0.0], [1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])
    >>> attack = GaussianNoiseAttack(n_poison=2, scale=0.5, random_state=0)
    >>> X_res, _ = attack.fit_resample(X)
    >>> X_res.shape, int(attack.poison_mask_.sum())
    ((4, 2), 2)
    >>> attack.noise_std_.round(3)
    array([0.559, 1.118])
    """

    _parameter_constraints: dict = {
        "n_poison": [Count(0), Fraction(0, 1, closed="both")],
        "scale": [Interval(Real, 0, None, closed="left")],
        "noise_std": [Interval(Real, 0, None, closed="left"), None],
        "random_state": ["random_state"],
    }

    def __init__(self, n_poison=1.0, *, scale=0.1, noise_std=None, random_state=None):
        self.n_poison = n_poison
        self.scale = scale
        self.noise_std = noise_std
        self.random_state = random_state

    def _poison(self, X, y, random_state):
        n, d = X.shape
        m = self.n_poison_
        if self.noise_std is None:
            _, std = feature_mean_std(X)
            self.noise_std_ = self.scale * std
        else:
            self.noise_std_ = np.full(d, float(self.noise_std))

        noise = random_state.standard_normal(size=(m, d))
        noise *= self.noise_std_
        if m == n:
            # Every row is perturbed: the noise array becomes the output.
            rows = np.arange(n)
            noise += X
            X_res = noise.astype(X.dtype, copy=False)
        else:
            rows = np.sort(random_state.choice(n, size=m, replace=False))
            X_res = X.copy()
            X_res[rows] += noise.astype(X.dtype, copy=False)
        y_res = None if y is None else y.copy()
        return self._altered(X_res, y_res, rows)
