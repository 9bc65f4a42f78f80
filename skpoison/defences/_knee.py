"""Kneedle: the knee of a sorted k-distance curve (Satopää et al., 2011).

Only the case the DBSCAN clean-up needs is implemented: a convex, increasing
curve sampled at equally spaced positions (the sorted k-distances), offline.
The choice of knee follows the reference implementation of the method (the
``kneed`` package, ``KneeLocator(curve="convex", direction="increasing")``)
so that the eps of the original study is reproduced without depending on it.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np


def _kneedle_index(y, *, sensitivity=1.0):
    """Index of the knee of a convex, increasing curve ``y`` (x = 0..n-1).

    The steps of Kneedle, vectorised:

    1. scale x and y to [0, 1];
    2. turn the convex increasing curve into a concave increasing one by
       reflecting it (``flip(1 - y)``) and take the difference curve
       ``y' - x``;
    3. each local maximum ``i`` of the difference curve gets a threshold
       ``diff[i] - sensitivity * mean(step of x)``; after a local minimum,
       detection pauses until the next local maximum;
    4. the knee is the most recent local maximum before the first point
       where the difference curve falls below the threshold in force (in
       reflected order, hence the knee nearest the top of the original curve,
       as ``kneed`` returns offline).

    Parameters
    ----------
    y : ndarray of shape (n,)
        Sorted (non-decreasing) values, e.g. k-distances.
    sensitivity : float, default=1.0
        Kneedle's ``S``: larger values need a more pronounced knee.

    Returns
    -------
    index : int or None
        Position of the knee in ``y``, or None when the curve has no knee
        (fewer than 3 points, constant up to rounding, or never bends
        enough).
    """
    y = np.asarray(y, dtype=np.float64)
    n = y.shape[0]
    if n < 3:
        return None
    span = y[-1] - y[0]
    # A curve flat up to rounding (evenly spaced rows) has no knee.
    tol = np.sqrt(np.finfo(np.float64).eps) * np.max(np.abs(y))
    if not np.isfinite(span) or span <= tol:
        return None
    # The same floating-point operations as the reference implementation, so
    # that ties between neighbouring points of the difference curve (frequent
    # with duplicated k-distances) are resolved identically. Done in place,
    # with a few arrays of n alive at a time: the curve has a value per row.
    x_norm = np.flip(1.0 - np.arange(n) / (n - 1))
    step = sensitivity * np.abs(np.diff(x_norm).mean())
    y_norm = y - y.min()
    y_norm /= y.max() - y.min()
    np.subtract(y_norm.max(), y_norm, out=y_norm)
    diff = np.subtract(np.flip(y_norm), x_norm, out=x_norm)
    del y_norm

    # Local extrema, each point compared with both neighbours (the ends
    # with themselves).
    is_max = np.ones(n, dtype=bool)
    is_max[1:] &= diff[1:] >= diff[:-1]
    is_max[:-1] &= diff[:-1] >= diff[1:]
    is_min = np.ones(n, dtype=bool)
    is_min[1:] &= diff[1:] <= diff[:-1]
    is_min[:-1] &= diff[:-1] <= diff[1:]
    maxima = np.flatnonzero(is_max)
    if maxima.size == 0:
        return None

    # The latest local maximum (minimum) at or before each position; its
    # threshold is in force there, unless a local minimum came after it
    # (detection is off from a local minimum until the next local maximum).
    last_max = np.full(n, -1, dtype=np.intp)
    last_max[maxima] = maxima
    np.maximum.accumulate(last_max, out=last_max)
    last_min = np.full(n, -1, dtype=np.intp)
    last_min[is_min] = np.flatnonzero(is_min)
    np.maximum.accumulate(last_min, out=last_min)
    # Position i tests the next point: diff[i + 1] < threshold[i], for i from
    # the first maximum to n - 2 (where last_max[i] >= 0).
    first, stop = maxima[0], n - 1
    below = last_max[first:stop] > last_min[first:stop]
    del last_min
    threshold = diff[last_max[first:stop]]
    threshold -= step
    below &= diff[first + 1 :] < threshold
    if not below.any():
        return None
    return int(n - 1 - last_max[first + np.argmax(below)])
