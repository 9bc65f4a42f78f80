"""Synthetic datasets for examples and tests."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from sklearn.datasets import make_blobs
from sklearn.utils import check_random_state

from skpoison.utils._param_validation import Interval, validate_params

__all__ = ["make_outlier_blobs"]


@validate_params(
    {
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "n_outliers": [Interval(Integral, 0, None, closed="left")],
        "n_features": [Interval(Integral, 1, None, closed="left")],
        "centers": [Interval(Integral, 1, None, closed="left")],
        "cluster_std": [Interval(Real, 0, None, closed="neither")],
        "center_box": [tuple],
        "outlier_distance": [Interval(Real, 0, None, closed="neither")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_outlier_blobs(
    n_samples=100,
    n_outliers=5,
    *,
    n_features=2,
    centers=3,
    cluster_std=1.0,
    center_box=(-10.0, 10.0),
    outlier_distance=5.0,
    shuffle=True,
    random_state=None,
):
    """Generate isotropic Gaussian blobs plus a few genuine outliers.

    ``n_samples - n_outliers`` rows come from
    :func:`sklearn.datasets.make_blobs`. Each outlier is placed at a random
    direction from a random blob centre, at a distance between
    ``outlier_distance`` and ``1.5 * outlier_distance`` times
    ``cluster_std``, and at least ``outlier_distance * cluster_std`` away from
    every centre. With the default ``outlier_distance=5`` an outlier is more
    than five standard deviations from every blob: a genuine outlier that
    any sensible detector should flag, which is what the mimicry attack
    (:class:`~skpoison.attacks.MimicryAttack`) tries to hide.

    Read more in the :ref:`User Guide <report_datasets>`.

    Parameters
    ----------
    n_samples : int, default=100
        Total number of rows, outliers included.

    n_outliers : int, default=5
        Number of outliers, at most ``n_samples - centers``.

    n_features : int, default=2
        Number of features.

    centers : int, default=3
        Number of blobs.

    cluster_std : float, default=1.0
        Standard deviation of each blob.

    center_box : tuple of float (min, max), default=(-10.0, 10.0)
        Bounding box of the blob centres.

    outlier_distance : float, default=5.0
        Minimum distance of an outlier from every centre, in units of
        ``cluster_std``.

    shuffle : bool, default=True
        Shuffle the rows; otherwise the outliers come last.

    random_state : int, RandomState instance or None, default=None
        Controls the blobs and the outliers. Pass an int for reproducible
        output.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The rows.

    y : ndarray of shape (n_samples,)
        The blob of each row; an outlier gets the blob it was drawn from.

    is_outlier : ndarray of shape (n_samples,), dtype=bool
        True for the outliers.

    Raises
    ------
    ValueError
        ``n_outliers`` leaves fewer inliers than blobs.

    See Also
    --------
    sklearn.datasets.make_blobs : The blobs without outliers.
    load_dataset : Bundled datasets and CSV files.

    Examples
    --------
    >>> from skpoison.datasets import make_outlier_blobs
    >>> X, y, is_outlier = make_outlier_blobs(60, n_outliers=4, random_state=0)
    >>> X.shape, int(is_outlier.sum()), sorted(set(y.tolist()))
    ((60, 2), 4, [0, 1, 2])
    """
    n_inliers = n_samples - n_outliers
    if n_inliers < centers:
        raise ValueError(
            f"n_outliers={n_outliers} leaves {n_inliers} inlier(s) for "
            f"{centers} blob(s); use n_outliers <= n_samples - centers."
        )
    rng = check_random_state(random_state)
    low, high = _check_center_box(center_box)
    centre_points = rng.uniform(low, high, size=(centers, n_features))
    X_in, y_in = make_blobs(
        n_samples=n_inliers,
        centers=centre_points,
        cluster_std=cluster_std,
        shuffle=False,
        random_state=rng,
    )

    min_dist = outlier_distance * cluster_std
    X_out = np.empty((n_outliers, n_features))
    y_out = np.empty(n_outliers, dtype=y_in.dtype)
    filled = 0
    for _ in range(100):
        if filled == n_outliers:
            break
        m = n_outliers - filled
        origin = rng.randint(centers, size=m)
        direction = rng.normal(size=(m, n_features))
        direction /= np.linalg.norm(direction, axis=1, keepdims=True)
        radius = rng.uniform(min_dist, 1.5 * min_dist, size=(m, 1))
        candidates = centre_points[origin] + radius * direction
        dist = np.sqrt(
            ((candidates[:, None, :] - centre_points[None, :, :]) ** 2).sum(axis=2)
        )
        ok = (dist >= min_dist).all(axis=1)
        n_ok = int(ok.sum())
        X_out[filled : filled + n_ok] = candidates[ok]
        y_out[filled : filled + n_ok] = origin[ok]
        filled += n_ok
    if filled < n_outliers:
        raise ValueError(
            "Could not place the outliers far enough from every centre; "
            "lower outlier_distance or widen center_box."
        )

    X = np.vstack([X_in, X_out])
    y = np.concatenate([y_in, y_out])
    is_outlier = np.zeros(n_samples, dtype=bool)
    is_outlier[n_inliers:] = True
    if shuffle:
        order = rng.permutation(n_samples)
        X, y, is_outlier = X[order], y[order], is_outlier[order]
    return X, y, is_outlier


def _check_center_box(center_box):
    """Return ``(low, high)`` of a finite box, or raise a clear ``ValueError``."""
    if len(center_box) != 2 or not all(
        isinstance(v, Real) and not isinstance(v, bool) for v in center_box
    ):
        raise ValueError(
            f"center_box must be a pair of numbers (min, max), got {center_box!r}."
        )
    low, high = (float(v) for v in center_box)
    if not (np.isfinite(low) and np.isfinite(high) and low <= high):
        raise ValueError(
            f"center_box must be finite with min <= max, got {center_box!r}."
        )
    if not np.isfinite(high - low):
        raise ValueError(
            f"center_box={center_box!r} is too wide to draw from: its width "
            "overflows float64."
        )
    return low, high
