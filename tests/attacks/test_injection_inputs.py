"""Bad inputs shared by the attacks that add or perturb rows.

The NaN / infinity / empty / one-row / mismatched-``y`` errors and their
messages are asserted for every resampler by
``skpoison.utils.estimator_checks.check_bad_input_raises`` (run from
``tests/test_common.py``); here the same inputs only check that a raised error
leaves the input untouched. Sparse and non-numeric input and a non-positive
``n_poison`` are not covered there. Parameter-specific errors are tested in
each attack's own module.
"""

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from scipy import sparse

from skpoison.attacks import (
    BridgeAttack,
    CentroidNoiseAttack,
    GaussianNoiseAttack,
    SubtleOutlierAttack,
    UniformOutlierAttack,
)

ATTACKS = [
    BridgeAttack,
    CentroidNoiseAttack,
    GaussianNoiseAttack,
    SubtleOutlierAttack,
    UniformOutlierAttack,
]


def _data():
    # Eight rows, two features, two well separated groups of four.
    X = np.column_stack([np.repeat([0.0, 10.0], 4), np.tile([0.0, 1.0, 3.0, 4.0], 2)])
    y = np.repeat([0, 1], 4)
    return X, y


def _common_bad_inputs():
    X, y = _data()
    nan, inf, neg_inf = X.copy(), X.copy(), X.copy()
    nan[1, 1] = np.nan
    inf[2, 0] = np.inf
    neg_inf[2, 0] = -np.inf
    # Only -inf gets its message checked: the common check uses +inf.
    return {
        "nan": (nan, None, None),
        "inf": (inf, None, None),
        "-inf": (neg_inf, None, "infinity"),
        "empty": (X[:0], None, None),
        "one row": (X[:1], None, None),
        "mismatched y": (X, y[:-1], None),
    }


@pytest.mark.parametrize("case", list(_common_bad_inputs()))
@pytest.mark.parametrize("Attack", ATTACKS)
def test_input_unchanged_after_error(Attack, case):
    X, y, match = _common_bad_inputs()[case]
    X_before = X.copy()
    y_before = None if y is None else y.copy()
    with pytest.raises(ValueError, match=match):
        Attack(random_state=0).fit_resample(X, y)
    assert_array_equal(X, X_before)
    if y is not None:
        assert_array_equal(y, y_before)


@pytest.mark.parametrize("Attack", ATTACKS)
def test_sparse_input_raises(Attack):
    X, _ = _data()
    X_sparse = sparse.csr_matrix(X)
    with pytest.raises(TypeError, match="dense data is required"):
        Attack(random_state=0).fit_resample(X_sparse)
    assert_array_equal(X_sparse.toarray(), X)


@pytest.mark.parametrize("n_rows", [4, 8])
@pytest.mark.parametrize("Attack", ATTACKS)
def test_non_numeric_input_raises(Attack, n_rows):
    text = np.array([["a", "b"]] * n_rows, dtype=object)
    text_before = text.copy()
    with pytest.raises(ValueError, match="could not convert"):
        Attack(random_state=0).fit_resample(text)
    assert_array_equal(text, text_before)


@pytest.mark.parametrize("n_poison", [-1, -0.1, -0.5, -1.0])
@pytest.mark.parametrize("Attack", ATTACKS)
def test_negative_n_poison_raises(Attack, n_poison):
    X, _ = _data()
    X_before = X.copy()
    with pytest.raises(ValueError, match="n_poison"):
        Attack(n_poison=n_poison, random_state=0).fit_resample(X)
    assert_array_equal(X, X_before)


@pytest.mark.parametrize("Attack", ATTACKS)
def test_string_classes_beside_unlabelled_rows(Attack):
    # String classes with the integer -1 for unlabelled rows (object array):
    # grouping by y uses the labelled rows only, and the labels pass through.
    X, _ = _data()
    y = np.array(["a", "a", -1, "a", "b", -1, "b", "b"], dtype=object)
    y_before = y.copy()
    X_res, y_res = Attack(random_state=0).fit_resample(X, y)
    assert y_res.dtype == object
    assert list(y_res[:8]) == list(y_before)
    assert_array_equal(y, y_before)
    if Attack is BridgeAttack:
        attack = Attack(random_state=0).fit(X, y)
        assert sorted(attack.clusters_) == ["a", "b"]
