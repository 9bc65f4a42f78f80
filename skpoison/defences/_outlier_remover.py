"""Remove the rows that any outlier detector flags with ``fit_predict == -1``."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.base import clone

from skpoison.base import BaseDefence
from skpoison.utils._docstring import Substitution, _fitted_input_attributes_docstring
from skpoison.utils._param_validation import HasMethods

__all__ = ["OutlierRemover"]


@Substitution(fitted_input_attributes=_fitted_input_attributes_docstring)
class OutlierRemover(BaseDefence):
    """Remove the rows that an outlier detector flags, before clustering.

    The detector is any estimator whose ``fit_predict(X)`` returns ``-1`` for
    outliers: scikit-learn's :class:`~sklearn.ensemble.IsolationForest`,
    :class:`~sklearn.neighbors.LocalOutlierFactor`,
    :class:`~sklearn.covariance.EllipticEnvelope`,
    :class:`~sklearn.svm.OneClassSVM`, the density clusterers
    :class:`~sklearn.cluster.DBSCAN`, :class:`~sklearn.cluster.HDBSCAN` and
    :class:`~sklearn.cluster.OPTICS` (noise is ``-1``), or
    :class:`skpoison.cluster.KMeansMinusMinus`. It is cloned and fitted on the
    rows passed to :meth:`fit_resample`; the rows it labels ``-1`` are dropped.

    Read more in the :ref:`User Guide <outlier_remover>`.

    Parameters
    ----------
    detector : estimator object
        An unsupervised estimator with a ``fit_predict`` method that returns
        ``-1`` for the rows to remove. It is cloned, never fitted in place.
        The detector only sees ``X``: labels are never passed to it.

    Attributes
    ----------
    detector_ : estimator object
        The fitted clone of ``detector``.

    outlier_mask_ : ndarray of bool, shape (n_samples,)
        True for each input row the detector flagged, and so removed.

    n_outliers_ : int
        Number of rows removed. It may be 0: when the detector flags nothing,
        every row is kept (no warning; check this attribute).

    sample_indices_ : ndarray of shape (n_samples_new,)
        Indices of the kept rows, in input order.

    {fitted_input_attributes}

    See Also
    --------
    DBSCANOutlierRemover : DBSCAN with eps at the knee of the k-distance curve.
    KMeansNoiseRemover : Remove the rows whose neighbourhood ball is emptiest.
    skpoison.attacks.MimicryAttack : Attack that blinds such a detector.

    Notes
    -----
    A detector that flags every row raises a ``ValueError``: nothing would be
    left to cluster. Such defences are themselves an attack surface: see
    :class:`skpoison.attacks.MimicryAttack` for an attack that conceals
    genuine outliers from the detector, or makes it purge genuine data.

    References
    ----------
    .. [1] F. T. Liu, K. M. Ting and Z.-H. Zhou, "Isolation forest", ICDM
       2008.
    .. [2] M. M. Breunig, H.-P. Kriegel, R. T. Ng and J. Sander, "LOF:
       identifying density-based local outliers", SIGMOD 2000.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.neighbors import LocalOutlierFactor
    >>> from skpoison.defences import OutlierRemover
    >>> X = np.array([[0.0, 0.0], [0.1, 0.0], [0.0, 0.1], [0.1, 0.1],
    ...               [0.05, 0.05], [5.0, 5.0]])
    >>> remover = OutlierRemover(LocalOutlierFactor(n_neighbors=3))
    >>> X_res, _ = remover.fit_resample(X)
    >>> X_res.shape
    (5, 2)
    >>> np.flatnonzero(remover.outlier_mask_)
    array([5])
    """

    _parameter_constraints: dict = {
        **BaseDefence._parameter_constraints,
        "detector": [HasMethods(["fit_predict"])],
    }

    def __init__(self, detector):
        self.detector = detector

    def _outlier_mask(self, X, y):
        self.detector_ = clone(self.detector)
        mask = _flags_from_labels(self.detector_, self.detector_.fit_predict(X), X)
        self.n_outliers_ = int(np.count_nonzero(mask))
        return mask


def _flags_from_labels(detector, labels, X):
    """Turn a detector's ``fit_predict`` output into an outlier mask.

    Raise a ``ValueError`` naming the detector when the output does not have
    one label per row, or when every row is flagged.
    """
    labels = np.asarray(labels)
    if labels.shape != (X.shape[0],):
        raise ValueError(
            f"{type(detector).__name__}.fit_predict returned an array of shape "
            f"{labels.shape}; expected one label per row, shape ({X.shape[0]},)."
        )
    mask = labels == -1
    if mask.all():
        raise ValueError(
            f"The detector {detector!r} flagged all {X.shape[0]} rows as outliers "
            "(fit_predict returned -1 for every row), so nothing would be left. "
            "Its settings do not suit the scale or size of X: for DBSCAN-like "
            "detectors eps is too small or min_samples too large; for "
            "contamination-based detectors contamination is too high."
        )
    return mask


def detect_outliers(detector, X):
    """Fit a clone of ``detector`` on ``X``; return ``(fitted, outlier_mask)``.

    ``detector`` is an estimator whose ``fit_predict`` marks outliers ``-1``,
    or a skpoison defence (a resampler that records ``outlier_mask_``).
    """
    fitted = clone(detector)
    if hasattr(fitted, "fit_predict"):
        return fitted, _flags_from_labels(fitted, fitted.fit_predict(X), X)
    fitted.fit_resample(X)
    if not hasattr(fitted, "outlier_mask_"):
        raise ValueError(
            f"{type(detector).__name__} has no fit_predict and records no "
            "outlier_mask_: it cannot be used as an outlier detector."
        )
    return fitted, np.asarray(fitted.outlier_mask_, dtype=bool)
