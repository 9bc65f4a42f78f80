import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.cluster import DBSCAN, KMeans
from sklearn.datasets import load_iris
from sklearn.feature_selection import f_classif
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import CentroidNoiseAttack


def _two_classes(seed=0, n=100):
    # Feature 0 separates the classes (means 0 and 10); feature 1 is noise with
    # a larger spread than feature 0 has within a class.
    rng = np.random.RandomState(seed)
    y = np.repeat([0, 1], n // 2)
    X = np.column_stack(
        [10.0 * y + rng.normal(scale=0.5, size=n), rng.normal(scale=3.0, size=n)]
    )
    return X, y


def test_noise_larger_on_discriminative_feature(global_random_seed):
    X, y = _two_classes(global_random_seed)
    attack = CentroidNoiseAttack(n_poison=2000, random_state=global_random_seed)
    X_res, y_res = attack.fit_resample(X, y)
    new = X_res[100:]
    assert new[:, 0].var() > 10 * new[:, 1].var()
    assert_allclose(attack.feature_weights_[0], 1.0)
    assert attack.feature_weights_[1] < 0.05
    # Around the data centre (the mean of all rows).
    assert_allclose(attack.center_, X.mean(axis=0))
    assert_allclose(new.mean(axis=0), X.mean(axis=0), atol=0.5)
    assert_array_equal(y_res[100:], -1)
    assert attack.clusterer_ is None


def test_noise_std_by_hand():
    # Four rows: feature 0 is 0, 0, 2, 2 (std 1) and feature 1 is 0, 4, 0, 4
    # (std 2). With y = 0, 0, 1, 1 only feature 0 separates the classes; its
    # within-class spread is 0, so its F statistic is infinite and feature 1's
    # is 0: weights (1, 0) and noise std (noise_scale * 1, 0).
    X = np.array([[0.0, 0.0], [0.0, 4.0], [2.0, 0.0], [2.0, 4.0]])
    y = np.array([0, 0, 1, 1])
    attack = CentroidNoiseAttack(n_poison=5, noise_scale=3.0, random_state=0)
    X_res, _ = attack.fit_resample(X, y)
    assert_array_equal(attack.f_scores_, [np.inf, 0.0])
    assert_allclose(attack.noise_std_, [3.0, 0.0])
    assert_allclose(X_res[4:, 1], 2.0)
    # Fixed weights: rescaled to a maximum of 1; None: uniform.
    attack = CentroidNoiseAttack(n_poison=5, feature_weights=[2.0, 1.0])
    attack.fit_resample(X)
    assert_allclose(attack.feature_weights_, [1.0, 0.5])
    assert_allclose(attack.noise_std_, [1.0, 1.0])
    attack = CentroidNoiseAttack(n_poison=5, feature_weights=None, noise_scale=0.5)
    attack.fit_resample(X)
    assert_allclose(attack.noise_std_, [0.5, 1.0])
    assert attack.f_scores_ is None


def test_f_scores_match_anova_ignoring_unlabelled():
    X, y = _two_classes(1)
    X = np.column_stack([X, np.random.RandomState(1).normal(size=100)])
    y = y.copy()
    y[::3] = -1
    attack = CentroidNoiseAttack(n_poison=3, random_state=0)
    attack.fit_resample(X, y)
    labelled = y != -1
    expected, _ = f_classif(X[labelled], y[labelled])
    assert_allclose(attack.f_scores_, expected)
    assert_allclose(attack.feature_weights_, expected / expected.max())


def test_clusterer_groups_without_y():
    X, y = _two_classes(2)
    attack = CentroidNoiseAttack(n_poison=3, n_clusters=2, random_state=0)
    attack.fit_resample(X)
    assert isinstance(attack.clusterer_, KMeans)
    expected, _ = f_classif(X, attack.clusterer_.labels_)
    assert_allclose(attack.f_scores_, expected)
    assert attack.feature_weights_.argmax() == 0
    # A clusterer with noise labels: -1 rows are ignored.
    attack = CentroidNoiseAttack(n_poison=3, clusterer=DBSCAN(eps=2.0))
    attack.fit_resample(X)
    labels = attack.clusterer_.labels_
    keep = labels != -1
    expected, _ = f_classif(X[keep], labels[keep])
    assert_allclose(attack.f_scores_, expected)


def test_single_labelled_class_falls_back_to_clusterer():
    X, _ = _two_classes(3)
    y = np.full(100, -1)
    y[:10] = 0
    attack = CentroidNoiseAttack(n_poison=3, n_clusters=2, random_state=0)
    attack.fit_resample(X, y)
    assert isinstance(attack.clusterer_, KMeans)


def test_float32_and_reproducible():
    X, y = _two_classes(0)
    X = X.astype(np.float32)
    X_a, _ = CentroidNoiseAttack(random_state=5).fit_resample(X)
    X_b, _ = CentroidNoiseAttack(random_state=5).fit_resample(X)
    assert X_a.dtype == np.float32
    assert X_a.shape == (110, 2)
    assert_array_equal(X_a, X_b)


def _bad_inputs():
    # Inputs every injection attack rejects: test_injection_inputs.py.
    X, _ = _two_classes(0, n=10)
    return [
        ({"noise_scale": -1.0}, X, None, "noise_scale"),
        ({"feature_weights": [1.0]}, X, None, "one finite"),
        ({"feature_weights": [-1.0, 1.0]}, X, None, "non-negative"),
        ({"feature_weights": [0.0, 0.0]}, X, None, "not all zero"),
        (
            {"n_clusters": 2, "clusterer": KMeans(2)},
            X,
            None,
            "both clusterer and n_clusters",
        ),
        ({"n_clusters": 20}, X, None, "n_clusters=20"),
    ]


@pytest.mark.parametrize("params, X, y, match", _bad_inputs())
def test_bad_input_raises(params, X, y, match):
    X_before = X.copy()
    with pytest.raises(ValueError, match=match):
        CentroidNoiseAttack(**params).fit_resample(X, y)
    assert_array_equal(X, X_before)


def test_degrades_kmeans_silhouette_on_iris(global_random_seed):
    # 20% of rows at the centre, spread along the petal features: the gap
    # between setosa and the other species fills up and the silhouette drops.
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    km = KMeans(3, n_init=10, random_state=0)
    clean = silhouette_score(X, km.fit_predict(X))
    attack = CentroidNoiseAttack(n_poison=0.2, random_state=global_random_seed)
    X_res, _ = attack.fit_resample(X, y)
    assert silhouette_score(X_res, km.fit_predict(X_res)) < clean - 0.03
    # The petal features (2, 3) separate the species best.
    assert set(np.argsort(attack.feature_weights_)[-2:]) == {2, 3}
