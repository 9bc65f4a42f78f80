"""The budget ``n_poison`` of every attack: counts, fractions, 0, numpy scalars."""

from functools import partial

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris
from sklearn.utils import get_tags

from skpoison.attacks import LabelFlipAttack, LabelShuffleAttack
from skpoison.base import BaseInjectionAttack, BaseLabelAttack
from skpoison.utils import _budget
from skpoison.utils.discovery import all_estimators

# Attacks with a required parameter get a cheap value for it.
_REQUIRED = {
    "BlackBoxAttack": {
        "victim": KMeans(n_clusters=2, n_init=1, random_state=0),
        "n_queries": 20,
    },
}
_CLASSES = [cls for _, cls in all_estimators("attack")]
ATTACKS = [partial(cls, **_REQUIRED.get(cls.__name__, {})) for cls in _CLASSES]
IDS = [cls.__name__ for cls in _CLASSES]
LABEL_ATTACKS = [a for a in ATTACKS if issubclass(a.func, BaseLabelAttack)]


def _iris():
    X, y = load_iris(return_X_y=True)
    y = y.copy()
    y[::3] = -1  # a third unlabelled, as a semi-supervised sample
    return X, y


def _targets(Attack):
    """y=None where the attack can do without labels, and the labels."""
    _, y = _iris()
    if get_tags(Attack()).target_tags.required:
        return [y]
    return [None, y]


@pytest.mark.parametrize("n_poison", [0, 0.0, np.int64(0), np.float32(0.0)])
@pytest.mark.parametrize("Attack", ATTACKS, ids=IDS)
def test_zero_budget_is_no_attack(Attack, n_poison):
    X, _ = _iris()
    for y in _targets(Attack):
        X_before = X.copy()
        y_before = None if y is None else y.copy()
        attack = Attack(n_poison=n_poison, random_state=0)
        X_res, y_res = attack.fit_resample(X, y)
        assert X_res.shape == X.shape
        assert_array_equal(X_res, X)
        assert X_res is not X  # the output never aliases the input
        if y is None:
            assert y_res is None
        else:
            assert_array_equal(y_res, y)
            assert y_res.dtype == y.dtype
        assert attack.n_poison_ == 0
        assert attack.n_changed_ == 0
        assert attack.poison_mask_.dtype == bool
        assert not attack.poison_mask_.any()
        assert attack.poison_mask_.shape == (X.shape[0],)
        assert_array_equal(attack.sample_indices_, np.arange(X.shape[0]))
        assert_array_equal(X, X_before)
        if y is not None:
            assert_array_equal(y, y_before)


@pytest.mark.parametrize("Attack", ATTACKS, ids=IDS)
def test_numpy_scalar_budgets_equal_python_ones(Attack):
    X, y = _iris()
    for numpy_value, python_value in [(np.float32(0.25), 0.25), (np.int64(3), 3)]:
        first = Attack(n_poison=numpy_value, random_state=0)
        second = Attack(n_poison=python_value, random_state=0)
        X_a, y_a = first.fit_resample(X, y)
        X_b, y_b = second.fit_resample(X, y)
        assert first.n_poison_ == second.n_poison_
        assert type(first.n_poison_) is int
        assert_array_equal(X_a, X_b)
        assert_array_equal(y_a, y_b)
    # a fraction counts the rows the attack may act on (labelled rows for
    # label attacks): 0.25 of 150 rows is 38, of 100 labelled rows 25.
    expected = 25 if issubclass(Attack.func, BaseLabelAttack) else 38
    assert first.n_poison_ == 3 and second.n_poison_ == 3
    attack = Attack(n_poison=np.float32(0.25), random_state=0).fit(X, y)
    assert attack.n_poison_ == expected


@pytest.mark.parametrize("n_poison", [True, False, np.bool_(True), "3", None])
@pytest.mark.parametrize("Attack", ATTACKS, ids=IDS)
def test_non_numeric_budget_is_rejected(Attack, n_poison):
    X, y = _iris()
    with pytest.raises(ValueError, match="n_poison"):
        Attack(n_poison=n_poison).fit_resample(X, y)


@pytest.mark.parametrize("n_poison", [np.nan, np.inf, np.float32(np.inf), -0.5, -1])
@pytest.mark.parametrize("Attack", ATTACKS, ids=IDS)
def test_bad_budget_values_are_rejected(Attack, n_poison):
    X, y = _iris()
    with pytest.raises(ValueError, match="n_poison"):
        Attack(n_poison=n_poison).fit_resample(X, y)


@pytest.mark.parametrize("Attack", ATTACKS, ids=IDS)
def test_alterations_cannot_exceed_their_rows(Attack):
    X, y = _iris()
    # BlackBoxAttack injects by default (mode="inject").
    if issubclass(Attack.func, BaseInjectionAttack) or Attack()._budget_rows(X, y)[1]:
        pytest.skip("injections may add more rows than the data has")
    n_available = 100 if issubclass(Attack.func, BaseLabelAttack) else 150
    with pytest.raises(ValueError, match="n_poison"):
        Attack(n_poison=1.5).fit_resample(X, y)
    with pytest.raises(ValueError, match=f"exceeds the {n_available} "):
        Attack(n_poison=n_available + 1).fit_resample(X, y)
    attack = Attack(n_poison=n_available, random_state=0).fit(X, y)
    assert attack.n_poison_ == n_available


@pytest.mark.parametrize(
    "Attack", [c for c in ATTACKS if issubclass(c.func, BaseInjectionAttack)]
)
@pytest.mark.parametrize("n_poison", [10**12, 1e10])
def test_budget_too_large_to_materialise_is_a_clear_error(Attack, n_poison):
    X, y = _iris()
    with pytest.raises(ValueError, match="more than this machine's memory"):
        Attack(n_poison=n_poison).fit_resample(X, y)


def test_memory_check_counts_output_bytes(monkeypatch):
    # 150 clean + 100 injected rows of 4 float64 features: 8000 bytes.
    from skpoison.attacks import UniformOutlierAttack

    X, _ = _iris()
    monkeypatch.setattr(_budget, "_memory_bytes", lambda: 8000)
    UniformOutlierAttack(n_poison=100, random_state=0).fit_resample(X)
    with pytest.raises(ValueError, match=r"251 rows of 4 float64 features"):
        UniformOutlierAttack(n_poison=101).fit_resample(X)
    # float32 rows take half the room
    UniformOutlierAttack(n_poison=350).fit_resample(X.astype(np.float32))


@pytest.mark.parametrize("Attack", ATTACKS, ids=IDS)
def test_n_changed_counts_the_poisoned_rows(Attack):
    X, y = _iris()
    for target in _targets(Attack):
        attack = Attack(n_poison=10, random_state=0)
        attack.fit_resample(X, target)
        assert attack.n_poison_ == 10
        assert attack.n_changed_ == attack.poison_mask_.sum() <= 10


def test_shuffle_reports_the_budget_and_the_changed_labels_apart():
    # Seed 0 permutes the five labels [0, 0, 1, 1, 0] so that one of them
    # keeps its own class: the budget is 5 rows, 4 labels changed.
    X = np.zeros((6, 1))
    y = np.array([0, 0, 1, 1, -1, 0])
    attack = LabelShuffleAttack(n_poison=1.0, random_state=0)
    _, y_res = attack.fit_resample(X, y)
    assert attack.n_poison_ == attack.n_shuffled_ == 5
    assert attack.n_changed_ == np.count_nonzero(y_res != y) == 4
    assert_array_equal(attack.poison_mask_, y_res != y)


@pytest.mark.parametrize("Attack", LABEL_ATTACKS)
def test_label_attacks_need_labels_and_say_so(Attack):
    assert get_tags(Attack()).target_tags.required
    X, _ = _iris()
    with pytest.raises(ValueError, match="requires y"):
        Attack().fit_resample(X)


@pytest.mark.parametrize(
    "Attack", [c for c in ATTACKS if not issubclass(c.func, BaseLabelAttack)]
)
def test_other_attacks_run_without_labels(Attack):
    assert not get_tags(Attack()).target_tags.required


@pytest.mark.parametrize("Attack", LABEL_ATTACKS)
def test_label_budget_counts_labelled_rows_only(Attack):
    X = np.arange(12, dtype=float).reshape(6, 2)
    y = np.array([0, 1, -1, -1, 1, 0])
    attack = Attack(n_poison=0.5, random_state=0)
    _, y_res = attack.fit_resample(X, y)
    assert attack.n_poison_ == 2  # half of the four labelled rows
    assert_array_equal(y_res[[2, 3]], [-1, -1])
    assert_array_equal(attack.classes_, [0, 1])
    # no labelled row: nothing to act on, unless the budget is 0
    unlabelled = np.full(6, -1)
    with pytest.raises(ValueError, match="found no labelled rows"):
        clone(attack).fit_resample(X, unlabelled)
    _, y_res = clone(attack).set_params(n_poison=0).fit_resample(X, unlabelled)
    assert_array_equal(y_res, unlabelled)


def test_label_flip_changes_exactly_its_budget():
    X, y = _iris()
    attack = LabelFlipAttack(n_poison=0.3, random_state=0)
    _, y_res = attack.fit_resample(X, y)
    assert attack.n_poison_ == attack.n_changed_ == 30
    assert np.count_nonzero(y_res != y) == 30
