"""OutlierRemover over PyOD detectors (outliers 1, inliers 0)."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.neighbors import LocalOutlierFactor
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from skpoison.attacks import MimicryAttack
from skpoison.defences import OutlierRemover

X_CANCER = StandardScaler().fit_transform(load_breast_cancer().data)


class _PyODLike:
    """A hand-made detector with PyOD's convention: labels_ 1 for outliers."""

    def __init__(self, threshold=3.0):
        self.threshold = threshold

    def get_params(self, deep=True):
        return {"threshold": self.threshold}

    def set_params(self, **params):
        self.threshold = params.get("threshold", self.threshold)
        return self

    def fit(self, X, y=None):
        self.labels_ = (np.abs(X).max(axis=1) > self.threshold).astype(int)
        return self


def test_pyod_convention_by_hand():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 5.0], [1.0, 1.0]])
    remover = OutlierRemover(_PyODLike(threshold=3.0), convention="pyod")
    X_res, _ = remover.fit_resample(X)
    assert_array_equal(remover.outlier_mask_, [False, False, True, False])
    assert_array_equal(X_res, X[[0, 1, 3]])
    assert remover.n_outliers_ == 1


def test_pyod_convention_errors():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 5.0]])
    with pytest.raises(ValueError, match="flagged all"):
        OutlierRemover(_PyODLike(threshold=-1.0), convention="pyod").fit(X)

    class NoLabels(_PyODLike):
        def fit(self, X, y=None):
            return self

    with pytest.raises(ValueError, match="set no labels_"):
        OutlierRemover(NoLabels(), convention="pyod").fit(X)

    class MinusOne(_PyODLike):
        def fit(self, X, y=None):
            self.labels_ = np.array([1, -1, 1])
            return self

    with pytest.raises(ValueError, match="other than 0 and 1"):
        OutlierRemover(MinusOne(), convention="pyod").fit(X)
    with pytest.raises(ValueError, match="no fit_predict"):
        OutlierRemover(_PyODLike()).fit(X)


def test_sklearn_convention_unchanged():
    lof = LocalOutlierFactor(n_neighbors=20, contamination=0.05)
    remover = OutlierRemover(lof).fit(X_CANCER)
    assert_array_equal(remover.outlier_mask_, clone(lof).fit_predict(X_CANCER) == -1)
    assert remover.get_params()["convention"] == "sklearn"


# A real PyOD detector ------------------------------------------------------

pyod_lof = pytest.importorskip(
    "pyod.models.lof",
    reason="PyOD is an optional test dependency (pip install pyod, or the "
    "'test' extra): the PyOD adapter is tested against a real PyOD detector.",
)


def test_real_pyod_lof_matches_sklearn_lof():
    # PyOD's LOF thresholds scikit-learn's local outlier factor at the
    # contamination quantile: the same 29 rows of breast cancer as
    # scikit-learn's LocalOutlierFactor with the same contamination.
    detector = pyod_lof.LOF(n_neighbors=20, contamination=0.05)
    remover = OutlierRemover(detector, convention="pyod")
    X_res, _ = remover.fit_resample(X_CANCER)
    expected = LocalOutlierFactor(n_neighbors=20, contamination=0.05).fit_predict(
        X_CANCER
    )
    assert_array_equal(remover.outlier_mask_, expected == -1)
    assert remover.n_outliers_ == 29
    assert X_res.shape == (569 - 29, 30)
    assert_array_equal(remover.outlier_mask_, remover.detector_.labels_ == 1)
    # The detector passed in is cloned, never fitted.
    assert not hasattr(detector, "labels_")


def test_real_pyod_detector_with_sklearn_convention_is_refused():
    from pyod.models.knn import KNN

    with pytest.raises(ValueError, match="convention='pyod'"):
        OutlierRemover(KNN()).fit(X_CANCER)


def test_mimicry_attacks_a_pyod_defended_pipeline():
    from pyod.models.knn import KNN

    X = MinMaxScaler().fit_transform(load_iris().data)
    defence = OutlierRemover(KNN(n_neighbors=5, contamination=0.02), convention="pyod")
    attack = MimicryAttack(n_poison=40, detector=defence, random_state=0)
    attack.fit(X)
    assert attack.outliers_.size == 3
    # The 3 genuine outliers are concealed; a contamination-based detector
    # still flags 2 % of the rows, so genuine inliers are flagged instead.
    assert not attack.flagged_after_[attack.outliers_].any()
    assert attack.flagged_after_.sum() >= 3
    # A raw PyOD detector is read with its own convention, too.
    raw = MimicryAttack(n_poison=40, detector=KNN(contamination=0.02), random_state=0)
    raw.fit(X)
    assert_array_equal(raw.flagged_before_, attack.flagged_before_)
