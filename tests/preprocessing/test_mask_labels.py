import numpy as np
import pytest
from numpy.testing import assert_array_equal

from skpoison.preprocessing import MaskLabels


def _data():
    y = np.repeat([0, 1, 2], [10, 20, 30])
    X = np.arange(120, dtype=np.float64).reshape(60, 2)
    return X, y


def test_stratified_fraction_keeps_class_shares(global_random_seed):
    X, y = _data()
    X_before, y_before = X.copy(), y.copy()
    masker = MaskLabels(0.5, random_state=global_random_seed)
    X_res, y_res = masker.fit_resample(X, y)
    kept = masker.labelled_mask_
    assert_array_equal(np.bincount(y[kept], minlength=3), [5, 10, 15])
    assert_array_equal(y_res[kept], y[kept])
    assert (y_res[~kept] == -1).all()
    assert masker.n_labelled_ == 30
    assert_array_equal(X_res, X)
    assert_array_equal(masker.sample_indices_, np.arange(60))
    assert_array_equal(X, X_before)
    assert_array_equal(y, y_before)


def test_stratified_count_uses_largest_remainders():
    # 7 rows among classes of 10, 20, 30: exact shares 1.17, 2.33, 3.5; floors
    # 1, 2, 3 and the one left goes to the largest remainder (class 2).
    X, y = _data()
    masker = MaskLabels(7, random_state=0)
    _, y_res = masker.fit_resample(X, y)
    assert_array_equal(np.bincount(y_res[y_res != -1], minlength=3), [1, 2, 4])


def test_at_least_one_row_per_class():
    X, y = _data()
    _, y_res = MaskLabels(2, random_state=0).fit_resample(X, y)
    assert_array_equal(np.bincount(y_res[y_res != -1], minlength=3), [1, 1, 1])
    _, y_res = MaskLabels(0.01, random_state=0).fit_resample(X, y)
    assert_array_equal(np.bincount(y_res[y_res != -1], minlength=3), [1, 1, 1])


def test_unstratified_count_is_exact(global_random_seed):
    X, y = _data()
    masker = MaskLabels(4, stratify=False, random_state=global_random_seed)
    _, y_res = masker.fit_resample(X, y)
    assert (y_res != -1).sum() == 4
    assert masker.labelled_mask_.sum() == 4


def test_already_unlabelled_rows_stay_unlabelled():
    X, y = _data()
    y = y.copy()
    y[:5] = -1  # 5 of class 0's rows are unlabelled: 55 labelled rows remain
    masker = MaskLabels(11, random_state=0)
    _, y_res = masker.fit_resample(X, y)
    assert (y_res[:5] == -1).all()
    assert not masker.labelled_mask_[:5].any()
    # exact shares 11 * (5, 20, 30) / 55 = 1, 4, 6
    assert_array_equal(np.bincount(y_res[y_res != -1], minlength=3), [1, 4, 6])


def test_label_dtypes():
    X = np.zeros((4, 1))
    _, y_res = MaskLabels(2, random_state=0).fit_resample(
        X, np.array(["a", "a", "b", "b"])
    )
    assert y_res.dtype == object
    assert sorted(v for v in y_res if v != -1) == ["a", "b"]
    assert sum(v == -1 for v in y_res) == 2
    _, y_res = MaskLabels(2, random_state=0).fit_resample(
        X, np.array([0, 0, 1, 1], dtype=np.uint8)
    )
    assert y_res.dtype == np.int16 and (y_res == -1).sum() == 2


@pytest.mark.parametrize(
    "params, y, match",
    [
        ({}, None, "requires y"),
        ({}, np.full(60, -1), "no labelled rows"),
        ({"labelled_size": 61}, None, "exceeds the 60 labelled rows"),
        ({"labelled_size": 1.5}, None, "labelled_size"),
    ],
)
def test_bad_input_raises(params, y, match):
    X, y_full = _data()
    if y is None and match != "requires y":
        y = y_full
    X_before = X.copy()
    with pytest.raises(ValueError, match=match):
        MaskLabels(**params).fit_resample(X, y)
    assert_array_equal(X, X_before)
