import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.datasets import load_iris
from sklearn.preprocessing import MinMaxScaler

from skpoison.defences import KMeansNoiseRemover


def test_hand_worked_ball_counts():
    # Two squares of 4 rows (side 0.1) and an isolated row. With radius 0.5,
    # each square row has the 3 others of its square in its ball; the isolated
    # row has none, so it is removed first.
    X = np.array(
        [
            [0.0, 0.0],
            [0.1, 0.0],
            [0.0, 0.1],
            [0.1, 0.1],
            [3.0, 3.0],
            [3.1, 3.0],
            [3.0, 3.1],
            [3.1, 3.1],
            [9.0, 0.0],
        ]
    )
    remover = KMeansNoiseRemover(n_outliers=1, radius=0.5, random_state=0)
    X_res, _ = remover.fit_resample(X)
    assert_array_equal(remover.ball_counts_, [3] * 8 + [0])
    assert_array_equal(np.flatnonzero(remover.outlier_mask_), [8])
    assert_array_equal(X_res, X[:8])
    assert remover.radius_ == 0.5


def test_removes_injected_uniform_noise(global_random_seed):
    rng = np.random.default_rng(global_random_seed)
    X = MinMaxScaler().fit_transform(load_iris().data)
    noise = rng.uniform(-1.0, 2.0, size=(15, 4))
    X_all = np.concatenate([X, noise])
    remover = KMeansNoiseRemover(n_outliers=15, n_clusters=3, random_state=0)
    remover.fit_resample(X_all)
    # Most of the removed rows are the injected ones (precision and recall).
    assert remover.outlier_mask_[150:].sum() >= 10
    assert remover.outlier_mask_.sum() == 15
    assert remover.radius_ > 0


def test_reference_sample_keeps_counts_consistent():
    X = MinMaxScaler().fit_transform(load_iris().data)
    full = KMeansNoiseRemover(n_outliers=5, radius=0.2, random_state=0).fit(X)
    sampled = KMeansNoiseRemover(
        n_outliers=5, radius=0.2, max_samples=75, random_state=0
    ).fit(X)
    # Half the reference rows: about half the counts.
    ratio = sampled.ball_counts_.sum() / full.ball_counts_.sum()
    assert 0.35 < ratio < 0.65


def test_fraction_budget():
    X = MinMaxScaler().fit_transform(load_iris().data)
    remover = KMeansNoiseRemover(n_outliers=0.1, random_state=0).fit(X)
    assert remover.n_outliers_ == 15


def test_budget_leaving_no_row_raises():
    X = np.arange(12.0).reshape(6, 2)
    X_before = X.copy()
    with pytest.raises(ValueError, match="must leave at least one row"):
        KMeansNoiseRemover(n_outliers=6).fit_resample(X)
    assert_array_equal(X, X_before)
