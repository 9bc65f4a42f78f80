"""Remove the rows that an outlier detector flags (scikit-learn or PyOD)."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.base import clone

from skpoison.base import BaseDefence
from skpoison.utils._docstring import Substitution, _fitted_input_attributes_docstring
from skpoison.utils._param_validation import HasMethods, StrOptions

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

    PyOD detectors follow another convention: ``fit(X)`` sets ``labels_``,
    ``1`` for outliers and ``0`` for inliers (their ``fit_predict`` is
    deprecated). Pass ``convention="pyod"`` to use them; the rows with
    ``labels_ == 1`` are dropped.

    Read more in the :ref:`User Guide <outlier_remover>`.

    Parameters
    ----------
    detector : estimator object
        An unsupervised estimator with a ``fit_predict`` method that returns
        ``-1`` for the rows to remove. It is cloned, never fitted in place.
        The detector only sees ``X``: labels are never passed to it.

    convention : {{"sklearn", "pyod"}}, default="sklearn"
        How the detector marks outliers. ``"sklearn"``: ``fit_predict(X)``
        returns ``-1`` for outliers. ``"pyod"``: ``fit(X)`` sets ``labels_``
        with ``1`` for outliers and ``0`` for inliers, as every detector of
        the PyOD library does (its threshold comes from the detector's
        ``contamination``). A PyOD detector with ``"sklearn"`` raises a
        ``ValueError`` rather than silently flagging nothing.

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

    A PyOD detector (``pip install pyod``)::

        from pyod.models.knn import KNN
        OutlierRemover(KNN(contamination=0.05), convention="pyod")
    """

    _parameter_constraints: dict = {
        **BaseDefence._parameter_constraints,
        "detector": [HasMethods(["fit_predict"]), HasMethods(["fit"])],
        "convention": [StrOptions({"sklearn", "pyod"})],
    }

    def __init__(self, detector, *, convention="sklearn"):
        self.detector = detector
        self.convention = convention

    def _outlier_mask(self, X, y):
        self.detector_ = clone(self.detector)
        if self.convention == "pyod":
            mask = _flags_from_pyod(self.detector_, X)
        else:
            _check_sklearn_detector(self.detector_)
            labels = self.detector_.fit_predict(X)
            mask = _flags_from_labels(self.detector_, labels, X)
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


def _is_pyod(detector):
    return type(detector).__module__.split(".")[0] == "pyod"


def _check_sklearn_detector(detector):
    """Refuse detectors that do not mark outliers ``-1`` in ``fit_predict``."""
    if _is_pyod(detector):
        raise ValueError(
            f"{type(detector).__name__} is a PyOD detector: it marks outliers 1 "
            "and inliers 0, so fit_predict == -1 would flag nothing. Use "
            "OutlierRemover(detector, convention='pyod')."
        )
    if not hasattr(detector, "fit_predict"):
        raise ValueError(
            f"{type(detector).__name__} has no fit_predict: with "
            "convention='sklearn' the detector's fit_predict must return -1 for "
            "outliers. Use convention='pyod' for a detector that sets labels_ "
            "(1 for outliers) in fit."
        )


def _flags_from_pyod(detector, X):
    """Fit a PyOD-style detector; its ``labels_`` (1 = outlier) as a mask."""
    detector.fit(X)
    labels = getattr(detector, "labels_", None)
    if labels is None:
        raise ValueError(
            f"{type(detector).__name__} set no labels_ in fit: with "
            "convention='pyod' the detector must set labels_ (1 for outliers, "
            "0 for inliers), as PyOD detectors do."
        )
    labels = np.asarray(labels)
    if labels.shape != (X.shape[0],):
        raise ValueError(
            f"{type(detector).__name__}.labels_ has shape {labels.shape}; "
            f"expected one label per row, shape ({X.shape[0]},)."
        )
    if not np.isin(labels, (0, 1)).all():
        raise ValueError(
            f"{type(detector).__name__}.labels_ holds values other than 0 and 1 "
            f"({np.unique(labels)[:5]}): it does not follow the PyOD convention."
        )
    mask = labels == 1
    if mask.all():
        raise ValueError(
            f"The detector {detector!r} flagged all {X.shape[0]} rows as outliers "
            "(labels_ == 1 for every row), so nothing would be left. Lower its "
            "contamination."
        )
    return mask


def detect_outliers(detector, X):
    """Fit a clone of ``detector`` on ``X``; return ``(fitted, outlier_mask)``.

    Parameters
    ----------
    detector : estimator object
        An estimator whose ``fit_predict`` marks outliers ``-1`` (scikit-learn's
        detectors, :class:`~sklearn.cluster.DBSCAN`), a PyOD detector
        (``labels_ == 1`` after ``fit``), or a skpoison defence (a resampler
        that records ``outlier_mask_``).
    X : array-like of shape (n_samples, n_features)
        The rows to screen.

    Returns
    -------
    fitted : estimator object
        The fitted clone of ``detector``.
    outlier_mask : ndarray of bool of shape (n_samples,)
        True for the rows the detector flags.

    Raises
    ------
    ValueError
        When the detector flags every row, or follows no known convention.

    See Also
    --------
    OutlierRemover : Remove the rows a detector flags, inside a pipeline.
    outlier_checker : The flags again and again, as rows are added.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.neighbors import LocalOutlierFactor
    >>> from skpoison.defences import detect_outliers
    >>> X = np.r_[np.random.RandomState(0).normal(size=(50, 2)), [[9.0, 9.0]]]
    >>> fitted, mask = detect_outliers(LocalOutlierFactor(n_neighbors=10), X)
    >>> bool(mask[-1])
    True
    """
    fitted = clone(detector)
    if _is_pyod(fitted):
        return fitted, _flags_from_pyod(fitted, X)
    if hasattr(fitted, "fit_predict"):
        return fitted, _flags_from_labels(fitted, fitted.fit_predict(X), X)
    fitted.fit_resample(X)
    if not hasattr(fitted, "outlier_mask_"):
        raise ValueError(
            f"{type(detector).__name__} has no fit_predict and records no "
            "outlier_mask_: it cannot be used as an outlier detector."
        )
    return fitted, np.asarray(fitted.outlier_mask_, dtype=bool)
