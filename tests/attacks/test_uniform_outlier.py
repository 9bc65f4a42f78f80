import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import UniformOutlierAttack

X_HAND = np.array([[0.0, 0.0], [1.0, 10.0], [2.0, 5.0], [4.0, 1.0]])


def test_box_by_hand():
    # Ranges 4 and 10; expansion 0.5 adds 2 and 5 on each side.
    attack = UniformOutlierAttack(n_poison=200, expansion=0.5, random_state=0)
    X_res, _ = attack.fit_resample(X_HAND)
    assert_allclose(attack.low_, [-2.0, -5.0])
    assert_allclose(attack.high_, [6.0, 15.0])
    new = X_res[4:]
    assert new.shape == (200, 2)
    assert np.all((new >= [-2.0, -5.0]) & (new <= [6.0, 15.0]))
    # Uniform over the box: the means are near the box centre (2, 5) and some
    # points fall outside the data's own box.
    assert abs(new[:, 0].mean() - 2.0) < 0.6
    assert abs(new[:, 1].mean() - 5.0) < 1.5
    outside = np.any((new < [0.0, 0.0]) | (new > [4.0, 10.0]), axis=1)
    assert 0 < outside.sum() < 200
    assert_array_equal(X_res[:4], X_HAND)
    assert_array_equal(attack.sample_indices_, [0, 1, 2, 3] + [-1] * 200)
    assert_array_equal(attack.poison_mask_, [False] * 4 + [True] * 200)


def test_outside_only_lies_in_the_shell(global_random_seed):
    attack = UniformOutlierAttack(
        n_poison=3000, expansion=0.5, outside_only=True, random_state=global_random_seed
    )
    X_res, _ = attack.fit_resample(X_HAND)
    new = X_res[4:]
    outside = np.any((new < [0.0, 0.0]) | (new > [4.0, 10.0]), axis=1)
    assert outside.all()
    assert np.all((new >= [-2.0, -5.0]) & (new <= [6.0, 15.0]))
    # Uniform in the shell: the outer box has area 8 * 20 = 160, the inner
    # one 40, so the shell is 120. The part of the shell with feature 0 inside
    # [0, 4] has area 4 * 10 = 40 (feature 1 in the two 5-wide margins): 1/3.
    share = np.mean((new[:, 0] >= 0) & (new[:, 0] <= 4))
    assert share == pytest.approx(1 / 3, abs=0.03)
    # Left and right margins of feature 0 are equally likely.
    left, right = np.mean(new[:, 0] < 0), np.mean(new[:, 0] > 4)
    assert left == pytest.approx(right, abs=0.04)


def test_outside_only_in_higher_dimension():
    X = np.random.RandomState(0).uniform(size=(50, 6))
    attack = UniformOutlierAttack(n_poison=500, expansion=0.1, outside_only=True)
    X_res, _ = attack.set_params(random_state=0).fit_resample(X)
    new = X_res[50:]
    lo, hi = X.min(axis=0), X.max(axis=0)
    assert np.all(np.any((new < lo) | (new > hi), axis=1))
    assert np.all((new >= attack.low_) & (new <= attack.high_))


def test_constant_feature_stays_constant():
    X = np.column_stack([np.arange(5.0), np.full(5, 2.0)])
    for outside_only in (False, True):
        attack = UniformOutlierAttack(
            n_poison=50, outside_only=outside_only, random_state=0
        )
        X_res, _ = attack.fit_resample(X)
        assert_array_equal(X_res[5:, 1], 2.0)
        if outside_only:
            assert np.all((X_res[5:, 0] < 0) | (X_res[5:, 0] > 4))


def test_far_outliers_with_large_expansion():
    # expansion=10: the outer box is 21 times wider than the data per feature,
    # so hardly any point falls inside the data's 2-D box (1/441 chance).
    attack = UniformOutlierAttack(n_poison=100, expansion=10.0, random_state=0)
    X_res, _ = attack.fit_resample(X_HAND)
    inside = np.all((X_res[4:] >= 0) & (X_res[4:] <= [4.0, 10.0]), axis=1)
    assert inside.sum() <= 3


def test_labels_dtype_and_reproducibility():
    X = X_HAND.astype(np.float32)
    y = np.array([0, 1, 1, 0], dtype=np.int32)
    X_res, y_res = UniformOutlierAttack(n_poison=0.5, random_state=1).fit_resample(X, y)
    assert X_res.dtype == np.float32
    assert_array_equal(y_res, [0, 1, 1, 0, -1, -1])
    X_again, _ = UniformOutlierAttack(n_poison=0.5, random_state=1).fit_resample(X, y)
    assert_array_equal(X_res, X_again)
    _, y_lab = UniformOutlierAttack(n_poison=2, poison_label=7).fit_resample(X, y)
    assert_array_equal(y_lab[4:], [7, 7])
    # n_poison may exceed 1 for injections: 1.5 * 4 rows = 6 rows.
    X_many, _ = UniformOutlierAttack(n_poison=1.5, random_state=0).fit_resample(X)
    assert X_many.shape == (10, 2)


def _bad_inputs():
    # Inputs every injection attack rejects: test_injection_inputs.py.
    X = X_HAND
    return [
        ({"expansion": -0.1}, X, None, "expansion"),
        ({"expansion": 0.0, "outside_only": True}, X, None, "expansion"),
        ({"outside_only": True}, np.ones((4, 2)), None, "non-constant"),
    ]


@pytest.mark.parametrize("params, X, y, match", _bad_inputs())
def test_bad_input_raises(params, X, y, match):
    X_before = X.copy()
    with pytest.raises(ValueError, match=match):
        UniformOutlierAttack(**params).fit_resample(X, y)
    assert_array_equal(X, X_before)


def test_degrades_kmeans_on_iris(global_random_seed):
    # 10% of far outliers (box widened by 5 ranges per side) capture at least
    # one k-means centre: species are merged and ARI on the clean rows drops,
    # while the silhouette over all rows rises (the outliers form a far,
    # "well separated" cluster): false confidence.
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    km = KMeans(3, n_init=10, random_state=0)
    clean = km.fit_predict(X)
    attack = UniformOutlierAttack(expansion=5.0, random_state=global_random_seed)
    X_res, _ = attack.fit_resample(X)
    poisoned = km.fit_predict(X_res)
    assert adjusted_rand_score(y, poisoned[:150]) < adjusted_rand_score(y, clean) - 0.1
    assert silhouette_score(X_res, poisoned) > silhouette_score(X, clean)
