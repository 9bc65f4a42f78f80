import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.stats import chi2
from sklearn.cluster import KMeans
from sklearn.datasets import load_digits, load_iris
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import SubtleOutlierAttack


def _correlated(n, seed):
    rng = np.random.RandomState(seed)
    A = np.array([[2.0, 0.0, 0.0], [1.5, 0.5, 0.0], [0.3, -0.2, 1.0]])
    return rng.normal(size=(n, 3)) @ A.T + [1.0, -2.0, 3.0]


def _mahalanobis(points, X):
    # Independent of the attack: numpy's covariance and pseudo-inverse.
    diff = points - X.mean(axis=0)
    precision = np.linalg.pinv(np.cov(X, rowvar=False))
    return np.sqrt(np.einsum("ij,jk,ik->i", diff, precision, diff))


def test_band_radius_within_bounds(global_random_seed):
    X = _correlated(300, global_random_seed)
    attack = SubtleOutlierAttack(
        n_poison=500, method="band", radius=(2.5, 3.5), random_state=global_random_seed
    )
    X_res, _ = attack.fit_resample(X)
    r = _mahalanobis(X_res[300:], X)
    assert np.all(r >= 2.5 - 1e-8) and np.all(r <= 3.5 + 1e-8)
    assert attack.radius_ == (2.5, 3.5)


def test_band_is_uniform_in_volume():
    # In 2-D the shell between radii 1 and 2 has area proportional to
    # 4 - 1 = 3; the inner part, radii 1 to sqrt(2.5), to 2.5 - 1 = 1.5: half.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(500, 2)) * [3.0, 0.5]
    attack = SubtleOutlierAttack(
        n_poison=4000, method="band", radius=(1.0, 2.0), random_state=0
    )
    X_res, _ = attack.fit_resample(X)
    r = _mahalanobis(X_res[500:], X)
    assert np.mean(r < np.sqrt(2.5)) == pytest.approx(0.5, abs=0.03)


def test_default_band_uses_chi2_quantiles():
    X = _correlated(200, 0)
    attack = SubtleOutlierAttack(n_poison=10, method="band", random_state=0)
    attack.fit_resample(X)
    assert_allclose(
        attack.radius_, np.sqrt([chi2.ppf(0.95, df=3), chi2.ppf(0.999, df=3)])
    )


def test_scaled_follows_exaggerated_covariance(global_random_seed):
    X = _correlated(400, global_random_seed)
    attack = SubtleOutlierAttack(
        n_poison=8000, exaggeration=2.0, random_state=global_random_seed
    )
    X_res, _ = attack.fit_resample(X)
    new = X_res[400:]
    cov_X = np.cov(X, rowvar=False)
    assert_allclose(attack.covariance_, cov_X)
    assert_allclose(attack.location_, X.mean(axis=0))
    assert_allclose(np.cov(new, rowvar=False), 4.0 * cov_X, rtol=0.1, atol=0.2)
    # Standard error of the mean is at most 4 / sqrt(8000) = 0.045.
    assert_allclose(new.mean(axis=0), X.mean(axis=0), atol=0.25)
    # Pushed outward: the mean Mahalanobis radius doubles.
    ratio = _mahalanobis(new, X).mean() / _mahalanobis(X, X).mean()
    assert ratio == pytest.approx(2.0, rel=0.1)


def test_singular_covariance():
    # Feature 2 is constant, feature 3 = 2 * feature 0: rank 2 out of 4.
    rng = np.random.RandomState(0)
    base = rng.normal(size=(100, 2))
    X = np.column_stack([base[:, 0], base[:, 1], np.full(100, 5.0), 2 * base[:, 0]])
    for method in ("scaled", "band"):
        attack = SubtleOutlierAttack(
            n_poison=50, method=method, radius=(2.0, 3.0), random_state=0
        )
        X_res, _ = attack.fit_resample(X)
        new = X_res[100:]
        assert attack.rank_ == 2
        assert np.all(np.isfinite(new))
        assert_allclose(new[:, 2], 5.0, atol=1e-8)
        assert_allclose(new[:, 3], 2 * new[:, 0], atol=1e-8)
        if method == "band":
            r = _mahalanobis(new, X)
            assert np.all((r >= 2.0 - 1e-6) & (r <= 3.0 + 1e-6))


def test_digits_with_constant_pixels():
    X, _ = load_digits(return_X_y=True)
    X = X[:300]
    attack = SubtleOutlierAttack(n_poison=30, method="band", random_state=0)
    X_res, _ = attack.fit_resample(X)
    assert attack.rank_ < 64
    constant = X.std(axis=0) == 0
    assert constant.any()
    assert_allclose(
        X_res[300:, constant],
        np.broadcast_to(X[0, constant], (30, constant.sum())),
        atol=1e-8,
    )


def test_float32_labels_and_reproducibility():
    X = _correlated(40, 0).astype(np.float32)
    y = np.repeat([0, 1], 20)
    attack = SubtleOutlierAttack(n_poison=0.25, poison_label="nearest", random_state=2)
    X_res, y_res = attack.fit_resample(X, y)
    assert X_res.dtype == np.float32
    assert attack.n_poison_ == 10
    assert set(y_res[40:]) <= {0, 1}
    X_again, _ = clone_fit(attack, X, y)
    assert_array_equal(X_res, X_again)


def clone_fit(attack, X, y):
    from sklearn.base import clone

    return clone(attack).fit_resample(X, y)


def _bad_inputs():
    # Inputs every injection attack rejects: test_injection_inputs.py.
    X = _correlated(10, 0)
    return [
        ({"exaggeration": 0.0}, X, None, "exaggeration"),
        ({"method": "ring"}, X, None, "method"),
        ({"method": "band", "radius": (3.0, 2.0)}, X, None, "r_min"),
        ({"method": "band", "radius": (1.0, 2.0, 3.0)}, X, None, "pair"),
        ({"method": "band"}, np.ones((5, 3)), None, "covariance is zero"),
    ]


@pytest.mark.parametrize("params, X, y, match", _bad_inputs())
def test_bad_input_raises(params, X, y, match):
    X_before = X.copy()
    with pytest.raises(ValueError, match=match):
        SubtleOutlierAttack(**params).fit_resample(X, y)
    assert_array_equal(X, X_before)


def test_degrades_kmeans_silhouette_on_iris(global_random_seed):
    # 20% of points from the data's Gaussian fit, 1.5 times wider: they fill
    # the gaps between species, so k-means' clusters get less separated.
    X, _ = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    km = KMeans(3, n_init=10, random_state=0)
    clean = silhouette_score(X, km.fit_predict(X))
    attack = SubtleOutlierAttack(n_poison=0.2, random_state=global_random_seed)
    X_res, _ = attack.fit_resample(X)
    assert silhouette_score(X_res, km.fit_predict(X_res)) < clean - 0.02
