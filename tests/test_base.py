"""The fit_resample template: budgets, labels of injected rows, containers, targets."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from sklearn.utils import get_tags

from skpoison.base import BaseAttack, BaseDefence, BaseInjectionAttack, BaseLabelAttack
from skpoison.utils.estimator_checks import check_resampler


class _CornerAttack(BaseInjectionAttack):
    """Inject copies of the bounding box's upper corner (deterministic)."""

    def __init__(self, n_poison=0.1, *, poison_label=-1, random_state=None):
        self.n_poison = n_poison
        self.poison_label = poison_label
        self.random_state = random_state

    def _generate(self, X, y, n_new, random_state):
        return np.repeat(X.max(axis=0, keepdims=True) + 1, n_new, axis=0)


class _NeedsLabels(BaseAttack):
    def __init__(self, n_poison=1, *, random_state=None):
        self.n_poison = n_poison
        self.random_state = random_state

    def _poison(self, X, y, random_state):
        n_rows = self._resolve_n_poison(X.shape[0])
        return self._altered(X.copy(), y.copy(), np.arange(n_rows))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags


class _DropFirst(BaseDefence):
    def _outlier_mask(self, X, y):
        mask = np.zeros(X.shape[0], dtype=bool)
        mask[0] = True
        return mask


class _DropAll(BaseDefence):
    def _outlier_mask(self, X, y):
        return np.ones(X.shape[0], dtype=bool)


X4 = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0], [1.0, 2.0]])


@pytest.mark.parametrize(
    "n_poison, expected",
    [(1, 1), (3, 3), (0.5, 2), (2.0, 8), (0.01, 1), (0.6, 2)],
)
def test_budget_count_or_fraction(n_poison, expected):
    attack = _CornerAttack(n_poison=n_poison)
    X_res, _ = attack.fit_resample(X4)
    assert attack.n_poison_ == expected
    assert X_res.shape == (4 + expected, 2)
    assert_array_equal(X_res[:4], X4)
    assert_array_equal(X_res[4:], np.tile([[2.0, 3.0]], (expected, 1)))
    assert_array_equal(attack.sample_indices_, [0, 1, 2, 3] + [-1] * expected)
    assert_array_equal(attack.poison_mask_, [False] * 4 + [True] * expected)


@pytest.mark.parametrize("n_poison", [-1, -0.5, np.int64(-2), np.float32(-0.1)])
def test_budget_must_not_be_negative(n_poison):
    with pytest.raises(ValueError, match="n_poison"):
        _CornerAttack(n_poison=n_poison).fit_resample(X4)


def test_alteration_budget_cannot_exceed_rows():
    y = np.array([0, 0, 1, 1])
    with pytest.raises(ValueError, match="exceeds the 4 rows"):
        _NeedsLabels(n_poison=5).fit_resample(X4, y)
    with pytest.raises(ValueError, match="fraction above 1"):
        _NeedsLabels(n_poison=1.5)._resolve_n_poison(4)


def test_poison_label_keeps_integer_dtype():
    y = np.array([3, 3, 7, 7], dtype=np.int32)
    _, y_res = _CornerAttack(n_poison=2).fit_resample(X4, y)
    assert y_res.dtype == np.int32
    assert_array_equal(y_res, [3, 3, 7, 7, -1, -1])


def test_poison_label_with_string_classes():
    y = np.array(["a", "a", "b", "b"])
    _, y_res = _CornerAttack(n_poison=1).fit_resample(X4, y)
    assert y_res.dtype == object
    assert list(y_res) == ["a", "a", "b", "b", -1]
    _, y_res = _CornerAttack(n_poison=1, poison_label="fake").fit_resample(X4, y)
    assert list(y_res) == ["a", "a", "b", "b", "fake"]


def test_poison_label_nearest_copies_the_closest_clean_row():
    # the corner (2, 3) is nearest to row 3, (1, 2)
    y = np.array([0, 1, 2, 3])
    _, y_res = _CornerAttack(n_poison=2, poison_label="nearest").fit_resample(X4, y)
    assert_array_equal(y_res, [0, 1, 2, 3, 3, 3])


def test_unlabelled_string_target_is_accepted_and_mixed_types_are_not():
    y = np.array(["a", "b", -1, -1], dtype=object)
    _, y_res = _CornerAttack(n_poison=1).fit_resample(X4, y)
    assert list(y_res) == ["a", "b", -1, -1, -1]
    with pytest.raises(ValueError, match="mix strings and numbers"):
        _CornerAttack(n_poison=1).fit_resample(X4, np.array(["a", 1, -1, 2], object))


def test_continuous_target_is_rejected():
    with pytest.raises(ValueError, match="Unknown label type"):
        _CornerAttack(n_poison=1).fit_resample(X4, [0.1, 0.2, 0.3, 0.4])


def test_required_target():
    with pytest.raises(ValueError, match="requires y"):
        _NeedsLabels().fit_resample(X4)


def test_containers_follow_the_input():
    X_list = X4.tolist()
    X_res, y_res = _CornerAttack(n_poison=1).fit_resample(X_list, [0, 0, 1, 1])
    assert isinstance(X_res, list) and isinstance(y_res, list)
    assert X_res[-1] == [2.0, 3.0] and y_res[-1] == -1

    X_df = pd.DataFrame(X4, columns=["a", "b"])
    y_df = pd.DataFrame({"target": [0, 0, 1, 1]})
    X_res, y_res = _CornerAttack(n_poison=1).fit_resample(X_df, y_df)
    assert list(X_res.columns) == ["a", "b"]
    assert isinstance(y_res, pd.DataFrame) and list(y_res.columns) == ["target"]
    assert y_res["target"].tolist() == [0, 0, 1, 1, -1]

    y_col = np.array([[0], [0], [1], [1]])
    _, y_res = _CornerAttack(n_poison=1).fit_resample(X4, y_col)
    assert y_res.shape == (5, 1)


def test_float32_is_kept_and_input_untouched():
    X = X4.astype(np.float32)
    X_before = X.copy()
    X_res, _ = _CornerAttack(n_poison=2).fit_resample(X)
    assert X_res.dtype == np.float32
    assert_array_equal(X, X_before)


def test_defence_keeps_rows_in_order():
    defence = _DropFirst()
    X_res, y_res = defence.fit_resample(X4, [5, 6, 7, 8])
    assert_array_equal(X_res, X4[1:])
    assert_array_equal(y_res, [6, 7, 8])
    assert_array_equal(defence.sample_indices_, [1, 2, 3])
    assert_array_equal(defence.outlier_mask_, [True, False, False, False])


def test_defence_that_removes_everything_is_an_error():
    with pytest.raises(ValueError, match="flagged all 4 rows"):
        _DropAll().fit_resample(X4)


def test_fit_sets_the_fitted_attributes():
    attack = _CornerAttack(n_poison=1).fit(X4)
    assert attack.n_features_in_ == 2
    assert_array_equal(attack.sample_indices_, [0, 1, 2, 3, -1])


class _NextClass(BaseLabelAttack):
    """Give the first ``n_poison`` labelled rows the next class (deterministic)."""

    def __init__(self, n_poison=0.1, *, random_state=None):
        self.n_poison = n_poison
        self.random_state = random_state

    def _relabel(self, X, y, rows, class_index, n_poison, random_state):
        new_index = class_index.copy()
        new_index[:n_poison] = (class_index[:n_poison] + 1) % self.classes_.size
        return new_index


def test_label_attack_template():
    y = np.array([0, -1, 1, 1, -1, 0])
    attack = _NextClass(n_poison=0.5)
    X6 = np.arange(12.0).reshape(6, 2)
    X_res, y_res = attack.fit_resample(X6, y)
    # 0.5 of the four labelled rows: rows 0 and 2 move to the next class
    assert_array_equal(y_res, [1, -1, 0, 1, -1, 0])
    assert_array_equal(attack.poison_mask_, [True, False, True, False, False, False])
    assert attack.n_poison_ == attack.n_changed_ == 2
    assert_array_equal(attack.classes_, [0, 1])
    assert_array_equal(X_res, X6)
    assert get_tags(attack).target_tags.required
    with pytest.raises(ValueError, match="requires y"):
        _NextClass().fit_resample(X6)
    check_resampler(_NextClass(n_poison=3))


def test_old_style_attack_resolving_its_own_budget_still_works():
    # A subclass of BaseAttack written before the template resolved budgets.
    y = np.array([0, 0, 1, 1])
    attack = _NeedsLabels(n_poison=0.5)
    X_res, _ = attack.fit_resample(X4, y)
    assert attack.n_poison_ == attack.n_changed_ == 2
    assert_array_equal(attack.poison_mask_, [True, True, False, False])
