import numpy as np
import pytest
from numpy.testing import assert_array_equal

from skpoison.attacks import LabelShuffleAttack


def _data(rng):
    X = rng.normal(size=(60, 2))
    y = np.repeat([0, 1, 2], 20)
    y[rng.permutation(60)[:20]] = -1  # 40 labelled rows
    return X, y


@pytest.mark.parametrize("n_poison, expected", [(12, 12), (0.5, 20), (1.0, 40)])
def test_shuffle_permutes_labels_of_chosen_rows(n_poison, expected, global_random_seed):
    rng = np.random.default_rng(global_random_seed)
    X, y = _data(rng)
    X_before, y_before = X.copy(), y.copy()
    attack = LabelShuffleAttack(n_poison, random_state=global_random_seed)
    X_res, y_res = attack.fit_resample(X, y)
    shuffled = attack.shuffled_mask_
    assert attack.n_shuffled_ == expected == shuffled.sum()
    assert (y[shuffled] != -1).all()
    # the chosen rows' labels are a permutation of their own labels
    assert_array_equal(np.sort(y_res[shuffled]), np.sort(y[shuffled]))
    assert_array_equal(y_res[~shuffled], y[~shuffled])
    # poison_mask_ marks the labels that actually changed
    assert_array_equal(attack.poison_mask_, y_res != y)
    # n_poison_ is the resolved budget, n_changed_ the labels that changed
    assert attack.n_poison_ == expected
    assert attack.n_changed_ == attack.poison_mask_.sum() <= expected
    assert_array_equal(X_res, X)
    assert_array_equal(X, X_before)
    assert_array_equal(y, y_before)


def test_full_shuffle_changes_many_labels():
    # Three balanced classes: a uniform permutation of 40 rows keeps on
    # average a third of the labels; far fewer than 40 change only by chance.
    rng = np.random.default_rng(0)
    X, y = _data(rng)
    changed = [
        LabelShuffleAttack(1.0, random_state=s).fit_resample(X, y)[1] != y
        for s in range(20)
    ]
    assert 0.5 < np.mean([c.sum() / 40 for c in changed]) < 0.8


def test_same_seed_same_output():
    X, y = _data(np.random.default_rng(1))
    first = LabelShuffleAttack(10, random_state=3).fit_resample(X, y)[1]
    second = LabelShuffleAttack(10, random_state=3).fit_resample(X, y)[1]
    assert_array_equal(first, second)


@pytest.mark.parametrize(
    "params, y, match",
    [
        ({}, None, "requires y"),
        ({}, [-1, -1, -1, -1, -1, -1], "no labelled rows"),
        ({"n_poison": 5}, [0, 0, 1, 1, -1, -1], "exceeds the 4 labelled rows"),
        ({"n_poison": 1.5}, [0, 0, 1, 1, -1, -1], "n_poison"),
        ({}, np.array(["a", 1, -1, "b", -1, "a"], dtype=object), "mix strings"),
    ],
)
def test_bad_input_raises(params, y, match):
    X = np.arange(12.0).reshape(6, 2)
    X_before = X.copy()
    y = None if y is None else np.asarray(y)
    with pytest.raises(ValueError, match=match):
        LabelShuffleAttack(**params).fit_resample(X, y)
    assert_array_equal(X, X_before)
