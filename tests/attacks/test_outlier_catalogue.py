"""The artificial-outlier catalogue (Steinbuss & Böhm 2021): each generator
is tested for what makes it that method."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats
from sklearn.datasets import load_iris, make_blobs

from skpoison.attacks import (
    GaussianTailOutlierAttack,
    LowDensityOutlierAttack,
    MarginalOutlierAttack,
    MixtureTailOutlierAttack,
)

X_IRIS = load_iris().data


def _mahalanobis_sq(X, mean, cov):
    diff = X - mean
    return np.einsum("ij,ij->i", diff @ np.linalg.pinv(cov), diff)


# Gaussian tails -----------------------------------------------------------


def test_gaussian_tail_follows_the_truncated_chi_square():
    # Standard normal data in 3-D: the squared Mahalanobis radius of the
    # points is chi-squared(3) restricted to its top 5 %.
    X = np.random.RandomState(0).normal(size=(2000, 3))
    attack = GaussianTailOutlierAttack(n_poison=2000, tail=0.05, random_state=0)
    X_res, _ = attack.fit_resample(X)
    assert attack.rank_ == 3
    assert attack.threshold_ == pytest.approx(stats.chi2.ppf(0.95, 3))
    d2 = _mahalanobis_sq(X_res[2000:], attack.location_, attack.covariance_)
    assert d2.min() >= attack.threshold_ - 1e-9
    # The conditional CDF of chi2(3) beyond the threshold: uniform p-values.
    p = (stats.chi2.cdf(d2, 3) - 0.95) / 0.05
    assert stats.kstest(p, "uniform").pvalue > 0.01
    # Unlike a band uniform in volume, most points sit near the threshold.
    assert np.median(d2) < attack.threshold_ + 2.0


def test_gaussian_tail_keeps_the_correlations_and_inflation():
    attack = GaussianTailOutlierAttack(n_poison=3000, inflation=4.0, random_state=0)
    X_res, _ = attack.fit_resample(X_IRIS)
    assert_allclose(attack.covariance_, 4.0 * np.cov(X_IRIS.T))
    new = X_res[150:]
    # Petal length and width stay strongly correlated in the tails.
    assert np.corrcoef(new[:, 2], new[:, 3])[0, 1] > 0.8
    d2 = _mahalanobis_sq(new, X_IRIS.mean(axis=0), np.cov(X_IRIS.T))
    assert d2.min() >= 4.0 * stats.chi2.ppf(0.95, 4) - 1e-6


def test_gaussian_tail_constant_data_is_an_error():
    with pytest.raises(ValueError, match="no tails"):
        GaussianTailOutlierAttack().fit_resample(np.ones((5, 2)))


# Marginal sampling -------------------------------------------------------


def test_marginal_by_hand_and_values_are_genuine():
    X = np.array([[0.0, 0.0], [1.0, 10.0], [2.0, 20.0]])
    attack = MarginalOutlierAttack(n_poison=50, random_state=0)
    X_res, _ = attack.fit_resample(X)
    assert_array_equal(X_res[3:], X[attack.source_rows_, [0, 1]])
    # Rows mix features of different source rows: (0, 10) was never seen.
    seen = {tuple(r) for r in X}
    assert any(tuple(r) not in seen for r in X_res[3:])


def test_marginal_keeps_marginals_and_breaks_dependence():
    attack = MarginalOutlierAttack(n_poison=5000, random_state=0)
    X_res, _ = attack.fit_resample(X_IRIS)
    new = X_res[150:]
    for j in range(4):
        assert np.isin(new[:, j], X_IRIS[:, j]).all()
        assert stats.ks_2samp(new[:, j], X_IRIS[:, j]).pvalue > 0.01
    # Petal length and width: correlation 0.96 in the data, none here.
    assert np.corrcoef(X_IRIS[:, 2], X_IRIS[:, 3])[0, 1] > 0.9
    assert abs(np.corrcoef(new[:, 2], new[:, 3])[0, 1]) < 0.05


# Low density -------------------------------------------------------------


def test_low_density_points_are_below_the_threshold_and_fill_gaps():
    # Two blobs far apart: the gap between them has a low density, so some
    # injected points land between the blobs, none inside them.
    X, _ = make_blobs(
        n_samples=400, centers=[[0, 0], [10, 0]], cluster_std=0.5, random_state=0
    )
    attack = LowDensityOutlierAttack(n_poison=300, random_state=0)
    X_res, _ = attack.fit_resample(X)
    new = X_res[400:]
    scaled = (new - attack.scale_mean_) / attack.scale_std_
    assert (attack.density_.score_samples(scaled) < attack.threshold_).all()
    ref = attack.density_.score_samples((X - attack.scale_mean_) / attack.scale_std_)
    assert np.mean(ref < attack.threshold_) == pytest.approx(0.05, abs=0.01)
    centre_dist = np.minimum(
        np.linalg.norm(new - [0, 0], axis=1), np.linalg.norm(new - [10, 0], axis=1)
    )
    assert centre_dist.min() > 0.5
    assert np.any((new[:, 0] > 2) & (new[:, 0] < 8))
    assert 0 < attack.acceptance_rate_ < 1
    assert np.all((new >= attack.low_) & (new <= attack.high_))


def test_low_density_too_small_region_is_an_error():
    X = np.random.RandomState(0).uniform(size=(100, 2))
    attack = LowDensityOutlierAttack(
        n_poison=50,
        density_quantile=0.01,
        expansion=0.0,
        max_batches=1,
        bandwidth=5.0,
        random_state=0,
    )
    with pytest.raises(ValueError, match="below the density threshold"):
        attack.fit_resample(X)


def test_low_density_max_samples_bounds_the_estimate():
    X = np.random.RandomState(0).normal(size=(3000, 2))
    attack = LowDensityOutlierAttack(n_poison=10, max_samples=200, random_state=0)
    attack.fit(X)
    assert attack.density_.tree_.data.shape[0] == 200


# Mixture tails -----------------------------------------------------------


def test_mixture_tail_points_surround_every_cluster_outside_all_cores():
    X, _ = make_blobs(n_samples=600, centers=3, cluster_std=0.6, random_state=0)
    attack = MixtureTailOutlierAttack(n_poison=300, random_state=0)
    X_res, _ = attack.fit_resample(X)
    new = X_res[600:]
    mix = attack.mixture_
    for k in range(3):
        d2 = _mahalanobis_sq(new, mix.means_[k], mix.covariances_[k])
        assert d2.min() > attack.threshold_
    # Every component gets points near its weight, and each point is close to
    # the component it was drawn from: a shell per cluster, not one around
    # the whole data.
    counts = np.bincount(attack.components_, minlength=3) / 300
    assert_allclose(counts, mix.weights_, atol=0.1)
    d2_own = np.array(
        [
            _mahalanobis_sq(p[None], mix.means_[k], mix.covariances_[k])[0]
            for p, k in zip(new, attack.components_, strict=True)
        ]
    )
    assert np.median(d2_own) < attack.threshold_ + 3.0
    single = np.linalg.norm(new - X.mean(axis=0), axis=1)
    assert single.min() < np.linalg.norm(X - X.mean(axis=0), axis=1).max()


def test_mixture_tail_inflation_pushes_points_out():
    # In 2-D the squared radius of a Gaussian is exponential with mean 2 (in
    # units of the covariance used), and memoryless: beyond the threshold,
    # the excess of the fitted squared Mahalanobis distance is exponential
    # with mean 2, or 2 * inflation when drawn from the inflated covariance.
    X, _ = make_blobs(n_samples=300, centers=2, cluster_std=0.5, random_state=1)
    for inflation in (1.0, 4.0):
        attack = MixtureTailOutlierAttack(
            n_poison=400, n_components=2, inflation=inflation, random_state=0
        )
        new = attack.fit_resample(X)[0][300:]
        mix = attack.mixture_
        excess = (
            np.array(
                [
                    _mahalanobis_sq(p[None], mix.means_[k], mix.covariances_[k])[0]
                    for p, k in zip(new, attack.components_, strict=True)
                ]
            )
            - attack.threshold_
        )
        # Standard error of the mean of 400 exponentials: mean / 20.
        assert excess.mean() == pytest.approx(2 * inflation, rel=0.2)


def test_mixture_tail_too_many_components():
    with pytest.raises(ValueError, match="exceeds the 2 rows"):
        MixtureTailOutlierAttack(n_components=3).fit_resample(np.eye(2))


@pytest.mark.parametrize(
    "attack",
    [
        GaussianTailOutlierAttack(n_poison=20),
        MarginalOutlierAttack(n_poison=20),
        LowDensityOutlierAttack(n_poison=20),
        MixtureTailOutlierAttack(n_poison=20),
    ],
    ids=lambda a: type(a).__name__,
)
def test_same_seed_same_rows_float32_and_labels(attack):
    X = X_IRIS.astype(np.float32)
    y = load_iris().target
    attack.set_params(random_state=0)
    X1, y1 = attack.fit_resample(X, y)
    X2, _ = attack.fit_resample(X, y)
    assert X1.dtype == np.float32
    assert_array_equal(X1, X2)
    assert_array_equal(y1[150:], -1)
    assert_array_equal(X1[:150], X)
