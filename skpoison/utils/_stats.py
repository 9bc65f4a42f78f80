"""Chunked per-feature statistics shared by several estimators.

Each helper reads ``X`` once, in chunks small enough for their temporaries to
stay in cache, accumulates in float64 and never copies ``X``.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from scipy import linalg
from scipy.stats import chi2

__all__ = [
    "CHUNK_ELEMENTS",
    "covariance_factor",
    "feature_mean_std",
    "feature_min_max",
    "mean_covariance",
    "shifted_sums",
    "tail_draws",
]

# Elements per chunk for the chunked statistics: 256 KB of float64, small
# enough for the temporaries of a chunk to stay in cache.
CHUNK_ELEMENTS = 2**15


def shifted_sums(X, mask=None):
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
    step = max(1, CHUNK_ELEMENTS // max(d, 1))
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


def feature_mean_std(X):
    """Per-feature mean and standard deviation (ddof=0), in float64, one pass."""
    n = X.shape[0]
    shift, s1, s2, _ = shifted_sums(X)
    offset = s1 / n
    return shift + offset, np.sqrt(np.maximum(s2 / n - offset**2, 0.0))


def feature_min_max(X):
    """Per-feature minimum and maximum in one chunked pass over ``X``.

    Each chunk is small enough to stay in cache between its two reductions,
    so ``X`` is read from memory once.
    """
    step = max(1, CHUNK_ELEMENTS // max(X.shape[1], 1))
    low, high = X[0].copy(), X[0].copy()
    for start in range(0, X.shape[0], step):
        chunk = X[start : start + step]
        np.minimum(low, chunk.min(axis=0), out=low)
        np.maximum(high, chunk.max(axis=0), out=high)
    return low, high


def mean_covariance(X):
    """Mean and covariance (ddof=1) of the rows of ``X``, in float64.

    One chunked pass accumulates the Gram matrix of ``X - shift`` (``shift``
    the mean of the first chunk, close to the mean, which keeps the shifted
    formula accurate); no centred copy of ``X`` is made.
    """
    n, d = X.shape
    # Chunks of ~1 MB: large enough for an efficient matrix product.
    step = max(1, 4 * CHUNK_ELEMENTS // max(d, 1))
    shift = X[:step].mean(axis=0, dtype=np.float64)
    s1 = np.zeros(d)
    gram = np.zeros((d, d))
    for start in range(0, n, step):
        dev = X[start : start + step] - shift
        s1 += dev.sum(axis=0)
        gram += dev.T @ dev
    offset = s1 / n
    covariance = (gram - n * np.outer(offset, offset)) / max(n - 1, 1)
    return shift + offset, covariance


def covariance_factor(covariance):
    """Factor ``A`` with ``A @ A.T == covariance`` on its support, and the rank.

    The eigendecomposition is used rather than a Cholesky factorisation so that
    singular covariances (constant features, collinear features, fewer rows
    than features) work: eigenvalues below a relative tolerance, including the
    small negative ones that rounding produces, are treated as zero and their
    directions dropped. ``A`` has one column per kept direction.
    """
    eigvals, eigvecs = linalg.eigh(covariance)
    eps = np.finfo(np.float64).eps
    tol = max(eigvals.max(initial=0.0), 0.0) * covariance.shape[0] * eps
    keep = eigvals > tol
    eigvecs = eigvecs[:, keep]
    # Eigenvectors are defined up to sign: fix it (largest entry positive) so
    # that tiny rounding differences in the covariance do not flip the output.
    top = np.abs(eigvecs).argmax(axis=0)
    eigvecs *= np.sign(eigvecs[top, np.arange(eigvecs.shape[1])])
    return eigvecs * np.sqrt(eigvals[keep]), int(keep.sum())


def tail_draws(n, rank, threshold, random_state):
    """Draw ``n`` standard normal vectors with a squared norm above ``threshold``.

    The vectors have ``rank`` dimensions.
    The squared norm of a standard normal vector is chi-squared with ``rank``
    degrees of freedom and independent of its direction, so the conditioned
    draw is exact: a uniform direction, and a squared radius drawn by
    inverting the chi-squared distribution on its upper tail (the survival
    function keeps tails down to 1e-300 accurate).
    """
    z = random_state.standard_normal(size=(n, rank))
    norm = np.sqrt(np.einsum("ij,ij->i", z, z))
    norm[norm == 0] = 1.0
    tail = chi2.sf(threshold, df=rank)
    r2 = chi2.isf(tail * random_state.uniform(size=n), df=rank)
    return z * (np.sqrt(r2) / norm)[:, None]
