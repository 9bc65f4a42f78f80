"""Gaussian noise: perturb existing rows with noise scaled to each feature."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np

from skpoison.base import BaseAttack
from skpoison.utils._docstring import (
    Substitution,
    _fitted_input_attributes_docstring,
    _random_state_docstring,
)
from skpoison.utils._param_validation import Interval, RealNotInt

# Elements per chunk for the chunked statistics: 256 KB of float64, small
# enough for the temporaries of a chunk to stay in cache.
_CHUNK_ELEMENTS = 2**15


def _shifted_sums(X, mask=None):
    """One chunked pass of sums of deviations from a shift, in float64.

    Returns ``(shift, s1, s2, s2_mask)``: ``shift`` is the mean of the first
    chunk, ``s1`` and ``s2`` the per-feature sums of ``X - shift`` and of its
    square over all rows, and ``s2_mask`` the sum of squares over the rows
    where ``mask`` is True (``None`` without a mask). Shifting by a value
    close to the mean keeps ``s2 - s1**2 / n`` accurate (the shifted-data
    variance algorithm); chunking keeps every temporary small, so ``X`` is
    read once and never copied.
    """
    n, d = X.shape
    step = max(1, _CHUNK_ELEMENTS // max(d, 1))
    shift = X[:step].mean(axis=0, dtype=np.float64)
    s1 = np.zeros(d)
    s2 = np.zeros(d)
    s2_mask = None if mask is None else np.zeros(d)
    for start in range(0, n, step):
        dev = X[start : start + step] - shift
        s1 += dev.sum(axis=0)
        s2 += np.einsum("ij,ij->j", dev, dev)
        if mask is not None:
            dev = dev[mask[start : start + step]]
            s2_mask += np.einsum("ij,ij->j", dev, dev)
    return shift, s1, s2, s2_mask


def _feature_mean_std(X):
    """Per-feature mean and standard deviation (ddof=0), in float64, one pass."""
    n = X.shape[0]
    shift, s1, s2, _ = _shifted_sums(X)
    offset = s1 / n
    return shift + offset, np.sqrt(np.maximum(s2 / n - offset**2, 0.0))


@Substitution(
    random_state=_random_state_docstring,
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
        number of rows); a float is a fraction in ``(0, 1]`` of the rows,
        rounded to the nearest count and at least one.

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

    n_poison_ : int
        The number of perturbed rows, with a fractional ``n_poison`` resolved.

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
        "n_poison": [
            Interval(Integral, 1, None, closed="left"),
            Interval(RealNotInt, 0, 1, closed="right"),
        ],
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
        # DataFrames arrive F-ordered: a C-ordered view or copy makes the
        # statistics, and so the output, identical bit for bit to ndarray input.
        X = np.ascontiguousarray(X)
        n, d = X.shape
        m = self._resolve_n_poison(n, can_exceed=False)
        if self.noise_std is None:
            _, std = _feature_mean_std(X)
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
