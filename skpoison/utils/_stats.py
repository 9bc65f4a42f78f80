"""Chunked per-feature statistics shared by several estimators.

Each helper reads ``X`` once, in chunks small enough for their temporaries to
stay in cache, accumulates in float64 and never copies ``X``.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

__all__ = ["CHUNK_ELEMENTS", "feature_mean_std", "shifted_sums"]

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
