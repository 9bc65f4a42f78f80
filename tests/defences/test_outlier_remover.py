import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import BaseEstimator, clone
from sklearn.cluster import DBSCAN
from sklearn.datasets import load_iris
from sklearn.ensemble import IsolationForest
from sklearn.neighbors import LocalOutlierFactor
from sklearn.preprocessing import MinMaxScaler

from skpoison.cluster import KMeansMinusMinus
from skpoison.defences import OutlierRemover


class _Constant(BaseEstimator):
    """A detector that gives every row the same label."""

    def __init__(self, label=1, length=None):
        self.label = label
        self.length = length

    def fit_predict(self, X, y=None):
        return np.full(X.shape[0] if self.length is None else self.length, self.label)


def test_hand_worked_lof():
    X = np.array(
        [[0.0, 0.0], [0.1, 0.0], [0.0, 0.1], [0.1, 0.1], [0.05, 0.05], [5.0, 5.0]]
    )
    y = np.array([0, 0, 1, 1, 0, 1])
    remover = OutlierRemover(LocalOutlierFactor(n_neighbors=3))
    X_res, y_res = remover.fit_resample(X, y)
    assert_array_equal(remover.outlier_mask_, [False] * 5 + [True])
    assert_array_equal(X_res, X[:5])
    assert_array_equal(y_res, y[:5])
    assert_array_equal(remover.sample_indices_, np.arange(5))
    assert remover.n_outliers_ == 1


@pytest.mark.parametrize(
    "detector",
    [
        IsolationForest(n_estimators=50, random_state=0),
        LocalOutlierFactor(n_neighbors=10),
        DBSCAN(eps=0.1, min_samples=5),
        KMeansMinusMinus(n_clusters=3, n_outliers=7, random_state=0),
    ],
    ids=lambda d: type(d).__name__,
)
def test_removes_exactly_the_rows_flagged_minus_one(detector):
    X = MinMaxScaler().fit_transform(load_iris().data)
    expected = clone(detector).fit_predict(X) == -1
    assert 0 < expected.sum() < X.shape[0]
    X_before = X.copy()
    remover = OutlierRemover(detector)
    X_res, y_res = remover.fit_resample(X)
    assert y_res is None
    assert_array_equal(remover.outlier_mask_, expected)
    assert_array_equal(X_res, X[~expected])
    assert_array_equal(X, X_before)
    # The detector passed in is cloned, never fitted.
    assert not hasattr(detector, "labels_") and not hasattr(detector, "offset_")
    assert type(remover.detector_) is type(detector)


def test_flags_nothing_keeps_every_row():
    X = np.arange(12.0).reshape(6, 2)
    remover = OutlierRemover(_Constant(label=1))
    X_res, _ = remover.fit_resample(X)
    assert_array_equal(X_res, X)
    assert remover.n_outliers_ == 0
    assert not remover.outlier_mask_.any()


def test_flags_everything_raises():
    X = np.arange(12.0).reshape(6, 2)
    with pytest.raises(ValueError, match="flagged all 6 rows.*nothing would be left"):
        OutlierRemover(_Constant(label=-1)).fit_resample(X)


def test_wrong_number_of_labels_raises():
    X = np.arange(12.0).reshape(6, 2)
    with pytest.raises(ValueError, match=r"expected one label per row, shape \(6,\)"):
        OutlierRemover(_Constant(length=4)).fit_resample(X)


def test_detector_without_fit_predict_is_rejected():
    from sklearn.preprocessing import StandardScaler

    X = np.arange(12.0).reshape(6, 2)
    with pytest.raises(ValueError, match="detector.*fit_predict"):
        OutlierRemover(StandardScaler()).fit_resample(X)
