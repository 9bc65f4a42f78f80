import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import GaussianNoiseAttack


def _data(n=8):
    return np.column_stack([np.arange(n, dtype=float), 10.0 * np.arange(n) ** 2])


def test_noise_std_is_scale_times_feature_std(global_random_seed):
    rng = np.random.RandomState(global_random_seed)
    X = rng.normal(size=(4000, 3)) * [1.0, 10.0, 0.1] + [5.0, -3.0, 0.0]
    attack = GaussianNoiseAttack(scale=0.5, random_state=global_random_seed)
    X_res, _ = attack.fit_resample(X)
    noise = X_res - X
    expected = 0.5 * X.std(axis=0)
    assert_allclose(attack.noise_std_, expected)
    assert_allclose(noise.std(axis=0), expected, rtol=0.05)
    assert_allclose(noise.mean(axis=0), 0.0, atol=0.1 * expected.max())
    assert attack.poison_mask_.all()
    assert attack.n_poison_ == 4000


def test_hand_checked_spread_and_counts():
    # Feature 0 is 0..3: std sqrt(1.25); feature 1 doubles it.
    X = np.array([[0.0, 0.0], [1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])
    attack = GaussianNoiseAttack(n_poison=2, scale=2.0, random_state=0)
    X_res, _ = attack.fit_resample(X)
    assert_allclose(attack.noise_std_, [2 * np.sqrt(1.25), 4 * np.sqrt(1.25)])
    changed = np.any(X_res != X, axis=1)
    assert changed.sum() == 2
    assert_array_equal(changed, attack.poison_mask_)
    assert_array_equal(attack.sample_indices_, np.arange(4))
    assert X_res.shape == X.shape


@pytest.mark.parametrize("n_poison, expected", [(0.25, 2), (0.3, 2), (3, 3), (1.0, 8)])
def test_budget_resolution(n_poison, expected):
    X = _data()
    attack = GaussianNoiseAttack(n_poison=n_poison, random_state=0)
    X_res, _ = attack.fit_resample(X)
    assert attack.n_poison_ == expected
    assert attack.poison_mask_.sum() == expected
    assert_array_equal(X_res[~attack.poison_mask_], X[~attack.poison_mask_])


def test_constant_feature_gets_no_noise():
    X = np.column_stack([np.arange(6.0), np.full(6, 3.0)])
    X_res, _ = GaussianNoiseAttack(scale=1.0, random_state=0).fit_resample(X)
    assert_array_equal(X_res[:, 1], 3.0)
    assert np.all(X_res[:, 0] != X[:, 0])


def test_labels_kept_float32_and_reproducible():
    X = _data().astype(np.float32)
    y = np.array([0, 0, 1, 1, 2, 2, -1, -1], dtype=np.int32)
    attack = GaussianNoiseAttack(n_poison=0.5, random_state=3)
    X_res, y_res = attack.fit_resample(X, y)
    assert X_res.dtype == np.float32
    assert_array_equal(y_res, y)
    assert y_res is not y
    X_again, _ = GaussianNoiseAttack(n_poison=0.5, random_state=3).fit_resample(X, y)
    assert_array_equal(X_res, X_again)
    X_other, _ = GaussianNoiseAttack(n_poison=0.5, random_state=4).fit_resample(X, y)
    assert not np.array_equal(X_res, X_other)


def _bad_inputs():
    # Inputs every injection attack rejects: test_injection_inputs.py.
    X = _data()
    return [
        ({"n_poison": 1.5}, X, None, "n_poison"),
        ({"n_poison": 9}, X, None, "exceeds the 8 rows"),
        ({"scale": -1.0}, X, None, "scale"),
    ]


@pytest.mark.parametrize("params, X, y, match", _bad_inputs())
def test_bad_input_raises(params, X, y, match):
    X_before = X.copy()
    with pytest.raises(ValueError, match=match):
        GaussianNoiseAttack(**params).fit_resample(X, y)
    assert_array_equal(X, X_before)


def test_input_not_modified():
    X = _data()
    y = np.arange(8) % 2
    X_before, y_before = X.copy(), y.copy()
    GaussianNoiseAttack(n_poison=0.5, random_state=0).fit_resample(X, y)
    GaussianNoiseAttack(random_state=0).fit_resample(X, y)
    assert_array_equal(X, X_before)
    assert_array_equal(y, y_before)


def test_degrades_kmeans_on_iris(global_random_seed):
    # Noise with the data's own spread on every row (scale=1) blurs the three
    # species: k-means loses at least 0.15 silhouette and 0.05 ARI.
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    km = KMeans(3, n_init=10, random_state=0)
    clean = km.fit_predict(X)
    attack = GaussianNoiseAttack(scale=1.0, random_state=global_random_seed)
    X_res, _ = attack.fit_resample(X)
    poisoned = km.fit_predict(X_res)
    assert silhouette_score(X_res, poisoned) < silhouette_score(X, clean) - 0.15
    assert adjusted_rand_score(y, poisoned) < adjusted_rand_score(y, clean) - 0.05
