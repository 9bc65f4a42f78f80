"""The original study's own settings, expressed with skpoison's parameters.

Each test runs the setting on the notebook's data and checks the behaviour
the notebook reports (Poison-Cluster/poison-cluster).
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.cluster import KMeans
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.metrics import calinski_harabasz_score, silhouette_score
from sklearn.preprocessing import MinMaxScaler

from skpoison.attacks import (
    BridgeAttack,
    CentroidNoiseAttack,
    GaussianNoiseAttack,
    MimicryAttack,
    SubtleOutlierAttack,
    UniformOutlierAttack,
)
from skpoison.defences import DBSCANOutlierRemover

X_IRIS = load_iris().data
# The randomized-injection notebook's one-sided far box (cm).
FAR_BOX = ((10.0, 5.0, 10.0, 5.0), (15.0, 10.0, 15.0, 10.0))


def _kmeans():
    return KMeans(n_clusters=3, n_init=10, random_state=0)


def test_gaussian_noise_absolute_std_on_every_feature():
    attack = GaussianNoiseAttack(noise_std=0.2, random_state=0)
    X_res, _ = attack.fit_resample(X_IRIS)
    assert_array_equal(attack.noise_std_, [0.2] * 4)
    noise = X_res - X_IRIS
    # Same spread on every feature, whatever the feature's own spread
    # (petal length varies 4 times as much as sepal width): the sample
    # standard deviation of 150 draws is within 0.2 * 4 / sqrt(300) of 0.2.
    assert_allclose(noise.std(axis=0), 0.2, atol=0.05)
    # The notebook: noise makes k-means clusters less compact (0.553 -> 0.516).
    clean = silhouette_score(X_IRIS, _kmeans().fit_predict(X_IRIS))
    noisy = silhouette_score(X_res, _kmeans().fit_predict(X_res))
    assert noisy < clean - 0.02


def test_gaussian_noise_default_still_scales_by_spread():
    attack = GaussianNoiseAttack(scale=0.5, random_state=0).fit(X_IRIS)
    assert_allclose(attack.noise_std_, 0.5 * X_IRIS.std(axis=0))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_uniform_far_box_forms_one_tight_cluster(seed):
    attack = UniformOutlierAttack(n_poison=5, bounds=FAR_BOX, random_state=seed)
    X_res, _ = attack.fit_resample(X_IRIS)
    new = X_res[-5:]
    assert np.all((new >= FAR_BOX[0]) & (new <= FAR_BOX[1]))
    assert_array_equal(attack.low_, FAR_BOX[0])
    labels = _kmeans().fit_predict(X_res)
    # The 5 points are one cluster of their own, and silhouette rises
    # (the notebook: 0.553 -> 0.679).
    assert np.unique(labels[-5:]).size == 1
    assert np.sum(labels == labels[-1]) == 5
    clean = silhouette_score(X_IRIS, _kmeans().fit_predict(X_IRIS))
    assert silhouette_score(X_res, labels) > clean + 0.1


def test_uniform_bounds_scalar_and_errors():
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    X_res, _ = UniformOutlierAttack(
        n_poison=50, bounds=(2.0, 3.0), random_state=0
    ).fit_resample(X)
    assert np.all((X_res[2:] >= 2.0) & (X_res[2:] <= 3.0))
    with pytest.raises(ValueError, match="low must not exceed high"):
        UniformOutlierAttack(bounds=(3.0, 2.0)).fit_resample(X)
    with pytest.raises(ValueError, match="one value per feature"):
        UniformOutlierAttack(bounds=((0, 1, 2), 3.0)).fit_resample(X)
    with pytest.raises(ValueError, match="pair"):
        UniformOutlierAttack(bounds=(0.0, 1.0, 2.0)).fit_resample(X)


@pytest.mark.parametrize(
    "attack",
    [
        UniformOutlierAttack(n_poison=30, expansion=1.0),
        SubtleOutlierAttack(n_poison=30),
        CentroidNoiseAttack(n_poison=30),
        BridgeAttack(n_poison=30),
        MimicryAttack(n_poison=30),
    ],
    ids=lambda a: type(a).__name__,
)
def test_clip_keeps_injected_rows_in_the_data_range(attack):
    X = MinMaxScaler().fit_transform(load_breast_cancer().data)[:200]
    attack.set_params(clip=True, random_state=0)
    X_res, _ = attack.fit_resample(X)
    new = X_res[attack.poison_mask_]
    assert new.shape[0] == 30
    assert np.all((new >= X.min(axis=0)) & (new <= X.max(axis=0)))


def test_clip_off_by_default_mimicry_leaves_the_range():
    # 1-13 % of the mimicry rows fall outside [0, 1] on scaled breast cancer.
    X = MinMaxScaler().fit_transform(load_breast_cancer().data)
    attack = MimicryAttack(n_poison=60, n_groups=2, random_state=0)
    X_res, _ = attack.fit_resample(X)
    new = X_res[attack.poison_mask_]
    assert np.any((new < 0) | (new > 1))
    X_clip, _ = attack.set_params(clip=True).fit_resample(X)
    new = X_clip[X.shape[0] :]
    assert np.all((new >= X.min(axis=0)) & (new <= X.max(axis=0)))


def test_mimicry_notebook_placement_on_iris():
    # The mimicry notebook: min-max scaled iris, DBSCAN clean-up flags 3
    # rows; 3 k-means groups (random_state=42) of the flagged rows, 49 rows
    # each with standard deviation 0.0976, clipped to [0, 1].
    X = MinMaxScaler().fit_transform(X_IRIS)
    grouping = KMeans(n_clusters=3, random_state=42)
    attack = MimicryAttack(
        n_poison=147,
        n_groups=grouping,
        cloud_std=0.0976,
        budget_split="even",
        clip=True,
        random_state=0,
    )
    X_res, _ = attack.fit_resample(X)
    assert attack.outliers_.size == 3
    assert_array_equal(attack.n_per_group_, [49, 49, 49])
    assert_allclose(attack.spread_, 0.0976)
    assert attack.n_rounds_ == 0
    # The grouping is the given estimator's, on the flagged rows.
    expected = KMeans(n_clusters=3, random_state=42).fit_predict(X[attack.outliers_])
    assert_array_equal(np.unique(expected, return_inverse=True)[1], attack.groups_)
    assert X_res.min() >= 0 and X_res.max() <= 1
    # The clean-up no longer flags the outliers; the poisoned clustering
    # scores better than the clean one (the notebook: silhouette 0.489 ->
    # 0.513, Calinski-Harabasz 366 -> 489).
    assert not attack.flagged_after_.any()
    remover = DBSCANOutlierRemover()
    X_clean, _ = remover.fit_resample(X)
    lab = KMeans(3, random_state=42).fit_predict(X_clean)
    X_pois, _ = DBSCANOutlierRemover().fit_resample(X_res)
    lab_p = KMeans(3, random_state=42).fit_predict(X_pois)
    assert silhouette_score(X_pois, lab_p) > silhouette_score(X_clean, lab)
    assert calinski_harabasz_score(X_pois, lab_p) > calinski_harabasz_score(
        X_clean, lab
    )


def test_mimicry_budget_split_size_vs_even():
    X = MinMaxScaler().fit_transform(load_breast_cancer().data)
    size = MimicryAttack(n_poison=60, n_groups=2, random_state=0).fit(X)
    even = MimicryAttack(
        n_poison=60, n_groups=2, budget_split="even", random_state=0
    ).fit(X)
    assert_array_equal(even.n_per_group_, [30, 30])
    groups = np.bincount(size.groups_)
    # Proportional to the group sizes, to the nearest row.
    assert_allclose(size.n_per_group_, 60 * groups / groups.sum(), atol=0.5)
    assert size.n_per_group_.sum() == 60 and groups[0] != groups[1]
