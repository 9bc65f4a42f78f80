import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris

from skpoison.attacks import UniformOutlierAttack
from skpoison.model_selection import evaluate_attack, robustness_curve
from skpoison.model_selection._evaluate import RESULT_COLUMNS
from skpoison.utils._param_validation import InvalidParameterError

X_IRIS, Y_IRIS = load_iris(return_X_y=True)
# A small sweep: 3 values x 2 repeats.
SWEEP = dict(param_range=[0.05, 0.2, 0.5], n_repeats=2, random_state=0)


def _curve(**kwargs):
    return robustness_curve(
        KMeans(3, n_init=2),
        UniformOutlierAttack(),
        X_IRIS,
        Y_IRIS,
        as_frame=False,
        **{**SWEEP, **kwargs},
    )


def _assert_same(a, b):
    assert list(a) == list(b)
    for name in a:
        assert_array_equal(a[name], b[name], err_msg=name)


def test_curve_rows_and_columns():
    curve = _curve()
    assert list(curve) == ["param_value", *RESULT_COLUMNS]
    assert_array_equal(curve["param_value"], [0.05, 0.05, 0.2, 0.2, 0.5, 0.5])
    assert_array_equal(curve["repeat"], [0, 1, 0, 1, 0, 1])
    # Budget resolved per value: 5 %, 20 %, 50 % of 150 rows.
    assert_array_equal(curve["n_poison"], [8, 8, 30, 30, 75, 75])
    # The same seeds at every value (common random numbers) ...
    assert_array_equal(curve["seed"][0::2], curve["seed"][0])
    assert curve["seed"][0] != curve["seed"][1]
    # ... so the clean runs are identical across values.
    assert_array_equal(curve["clean_silhouette"][0::2], curve["clean_silhouette"][0])


def test_curve_value_matches_evaluate_attack():
    curve = _curve()
    single = evaluate_attack(
        KMeans(3, n_init=2),
        UniformOutlierAttack(n_poison=0.2),
        X_IRIS,
        Y_IRIS,
        n_repeats=2,
        random_state=0,
        as_frame=False,
    )
    rows = curve["param_value"] == 0.2
    for name in RESULT_COLUMNS:
        assert_array_equal(curve[name][rows], single[name], err_msg=name)


def test_stronger_attack_hurts_more():
    # 50 % uniform outliers move iris's centres further, blur its clusters
    # more and change more co-memberships than 5 % do.
    curve = _curve()
    weak = curve["param_value"] == 0.05
    strong = curve["param_value"] == 0.5
    for name in (
        "centroid_shift_mean",
        "poisoned_mean_within_cluster_std",
        "coassociation_distance",
    ):
        assert curve[name][strong].mean() > curve[name][weak].mean(), name


def test_nested_param_name_and_frame():
    pd = pytest.importorskip("pandas")
    from imblearn.pipeline import make_pipeline

    attack = make_pipeline(UniformOutlierAttack())
    curve = robustness_curve(
        KMeans(3, n_init=2),
        attack,
        X_IRIS,
        param_name="uniformoutlierattack__n_poison",
        param_range=[3, 9],
        n_repeats=1,
        random_state=0,
    )
    assert isinstance(curve, pd.DataFrame)
    assert curve["n_poison"].tolist() == [3, 9]


def test_n_jobs_give_identical_results():
    # On a Dask cluster of worker processes: tests/test_scale_out.py.
    _assert_same(_curve(n_jobs=1), _curve(n_jobs=2))


def test_bad_input():
    with pytest.raises(ValueError, match="not a parameter of the attack"):
        _curve(param_name="strength")
    with pytest.raises(ValueError, match="param_range is empty"):
        _curve(param_range=[])
    with pytest.raises(InvalidParameterError, match="param_name"):
        _curve(param_name=3)
    with pytest.raises(InvalidParameterError, match="n_poison"):
        _curve(param_range=[0.1, -1.0])
    assert np.isfinite(_curve(param_range=[1])["poisoned_silhouette"]).all()


def test_callback_ticks_once_per_task():
    ticks = []
    curve = _curve(callback=ticks.append)
    # One tick per (value, repeat) task: 3 values x 2 repeats.
    assert ticks == [1] * 6
    _assert_same(curve, _curve())
    with pytest.raises(InvalidParameterError, match="callback"):
        _curve(callback=3)
