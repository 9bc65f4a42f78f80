"""Outlier flags of any detector, checked once or round after round."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from skpoison.defences._dbscan import DBSCANRounds
from skpoison.defences._outlier_remover import detect_outliers

__all__ = ["detect_outliers", "outlier_checker"]


def outlier_checker(detector, X):
    """Return ``check(X_extra)``: the rows a fresh fit on ``X`` plus ``X_extra`` flags.

    Attacks that plant rows and verify them against a detector round after
    round (:class:`~skpoison.attacks.MimicryAttack`) call ``check`` with the
    rows planted so far. The result is the outlier mask of a clone of
    ``detector`` fitted on ``np.concatenate([X, X_extra])``, every row
    ``True`` when the detector flags them all. For the exact DBSCAN clean-up
    (:class:`DBSCANOutlierRemover` without ``max_samples``) the neighbours of
    ``X`` are searched once, here, and each call searches only those
    involving ``X_extra``; the flags are those of a fresh fit. Other
    detectors are refitted on every call.

    Parameters
    ----------
    detector : estimator object
        An outlier detector as accepted by :func:`detect_outliers`.
    X : ndarray of shape (n_samples, n_features)
        The clean rows, already validated.

    Returns
    -------
    check : callable
        ``check(X_extra) -> ndarray of bool of shape (n_samples + len(X_extra),)``.

    See Also
    --------
    detect_outliers : The flags of one fit.

    Examples
    --------
    >>> import numpy as np
    >>> from skpoison.defences import DBSCANOutlierRemover, outlier_checker
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(200, 2))
    >>> check = outlier_checker(DBSCANOutlierRemover(), X)
    >>> far = np.array([[8.0, 8.0]])
    >>> bool(check(far)[-1])  # a lone far row is flagged
    True
    >>> bool(check(np.repeat(far, 5, axis=0))[-1])  # five together are not
    False
    """
    if DBSCANRounds.applies_to(detector):
        return DBSCANRounds(detector, X).flags
    return lambda X_extra: _flags(detector, np.concatenate([X, X_extra]))


def _flags(detector, X):
    """Outlier mask of a fresh fit; every row when the detector flags all."""
    try:
        return detect_outliers(detector, X)[1]
    except ValueError as exc:
        if "flagged all" not in str(exc):
            raise
        return np.ones(X.shape[0], dtype=bool)
