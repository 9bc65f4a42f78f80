import warnings

import numpy as np
import pytest
from scipy.spatial.distance import cdist
from sklearn.base import clone
from sklearn.cluster import DBSCAN
from sklearn.datasets import load_digits, load_iris, make_blobs
from sklearn.preprocessing import MinMaxScaler

from skpoison.attacks import MimicryAttack
from skpoison.defences import DBSCANOutlierRemover
from skpoison.report import _defence
from skpoison.report._defence import SampledDBSCAN
from skpoison.report._sweep import ReportConfig, _make_attack, _make_defence


def _reference(X, defence):
    """DBSCAN on the sample; a row is kept iff a core row of it is within eps."""
    rows = defence.sample_rows_
    db = DBSCAN(eps=defence.eps_, min_samples=defence.min_samples_).fit(X[rows])
    cores = X[rows][db.core_sample_indices_]
    # Distances from differences (scipy), not from scikit-learn's expansion.
    removed = cdist(X, cores).min(axis=1) > defence.eps_
    return removed, db.labels_ == -1


def test_small_data_is_the_exact_clean_up():
    X = MinMaxScaler().fit_transform(load_iris().data)
    defence = SampledDBSCAN(max_rows=150).fit(X)
    exact = DBSCANOutlierRemover().fit(X)
    np.testing.assert_array_equal(defence.outlier_mask_, exact.outlier_mask_)
    assert defence.eps_ == exact.eps_ and defence.min_samples_ == 8
    np.testing.assert_array_equal(defence.sample_rows_, np.arange(150))


@pytest.mark.parametrize("grouped", [False, True])
def test_sampled_clean_up_is_dbscan_on_the_sample_extended(monkeypatch, grouped):
    # Blobs with uniform noise: the noise rows are removed, and the decision
    # is exactly the stated rule, with and without the grouped search.
    monkeypatch.setattr(_defence, "_MIN_GROUPED", 50 if grouped else 10**9)
    X, _ = make_blobs(4000, 5, centers=4, random_state=0)
    X = np.r_[X, np.random.RandomState(1).uniform(-15, 15, (200, 5))]
    defence = SampledDBSCAN(max_rows=1000, random_state=0).fit(X)
    assert defence.sample_rows_.size == 1000
    removed, sample_noise = _reference(X, defence)
    np.testing.assert_array_equal(defence.outlier_mask_, removed)
    # On the sample, it is DBSCAN's noise.
    np.testing.assert_array_equal(
        defence.outlier_mask_[defence.sample_rows_], sample_noise
    )
    # Seed 0 puts the sample's knee low: most uniform rows are removed.
    assert defence.outlier_mask_[-200:].mean() > 0.9
    assert defence.outlier_mask_[:-200].mean() < 0.01


def test_sampled_clean_up_on_digits(monkeypatch):
    # Real data in 64 dimensions (brute force), grouped search of the cores.
    monkeypatch.setattr(_defence, "_MIN_GROUPED", 100)
    X = MinMaxScaler().fit_transform(load_digits().data)
    defence = SampledDBSCAN(min_samples=5, max_rows=600, random_state=0).fit(X)
    removed, _ = _reference(X, defence)
    np.testing.assert_array_equal(defence.outlier_mask_, removed)
    assert 0 < removed.sum() < X.shape[0]


def test_appended_rows_keep_most_of_the_sample():
    X, _ = make_blobs(3000, 4, centers=3, random_state=0)
    far = np.full((150, 4), 30.0)
    clean = SampledDBSCAN(max_rows=500, random_state=7).fit(X)
    poisoned = SampledDBSCAN(max_rows=500, random_state=7).fit(np.r_[X, far])
    in_x = poisoned.sample_rows_[poisoned.sample_rows_ < 3000]
    # Appended rows only take the places of the clean rows with the largest
    # draws: the clean rows sampled in the poisoned run were sampled before.
    assert np.isin(in_x, clean.sample_rows_).all()
    assert in_x.size >= 500 - 2 * 500 * 150 / 3150
    # Same seed, same result; a clone refits identically.
    again = clone(poisoned).fit(np.r_[X, far])
    np.testing.assert_array_equal(again.outlier_mask_, poisoned.outlier_mask_)


def test_report_uses_the_sampled_clean_up_on_large_data():
    config = ReportConfig(["mimicry"], [0.1], [0.5], defence="none")
    config.dbscan_sample = 1000
    attack = _make_attack("mimicry", 3, None, config)
    assert isinstance(attack, MimicryAttack)
    assert isinstance(attack.detector, SampledDBSCAN)
    assert attack.detector.max_rows == 1000
    assert isinstance(_make_defence("dbscan", 3, 0, None, 1000), SampledDBSCAN)
    assert isinstance(_make_defence("dbscan", 3, 0), DBSCANOutlierRemover)
    # The attack runs its verification rounds against it.
    X, _ = make_blobs(1500, 2, centers=3, random_state=0)
    X = np.r_[X, [[12.0, 12.0], [-12.0, 12.0]]]
    attack.set_params(n_poison=30, random_state=0).fit_resample(X)
    assert attack.flagged_before_[-2:].all()
    assert attack.n_rounds_ >= 1


def test_duplicated_rows(monkeypatch):
    # Many identical rows: k-means finds fewer distinct groups of core rows
    # than asked for; the search still decides every row exactly.
    monkeypatch.setattr(_defence, "_MIN_GROUPED", 20)
    rng = np.random.RandomState(0)
    X = np.r_[np.repeat(rng.normal(size=(3, 2)), 300, axis=0), [[9.0, 9.0]]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        defence = SampledDBSCAN(max_rows=400, random_state=0).fit(X)
    removed, _ = _reference(X, defence)
    np.testing.assert_array_equal(defence.outlier_mask_, removed)
    assert removed[-1] and not removed[:-1].any()
