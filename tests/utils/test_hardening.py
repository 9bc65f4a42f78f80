"""Issue 14's hostile-input findings, each reproduced in a few lines."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris, make_blobs

from skpoison.attacks import (
    CentroidNoiseAttack,
    GaussianNoiseAttack,
    LabelFlipAttack,
    MimicryAttack,
    SubtleOutlierAttack,
    UniformOutlierAttack,
)
from skpoison.cluster import KMeansMinusMinus, SemiSupervisedKMeans
from skpoison.datasets import make_outlier_blobs
from skpoison.defences import DBSCANOutlierRemover, KMeansNoiseRemover
from skpoison.metrics import (
    ClusterShiftDisplay,
    assignment_change_rate,
    centroid_shift,
    cluster_accuracy,
    clustering_report,
    coassociation_distance,
    get_scorer,
    mean_within_cluster_std,
)
from skpoison.model_selection import evaluate_attack
from skpoison.preprocessing import MaskLabels
from skpoison.utils._labels import encode_labels
from skpoison.utils.discovery import all_estimators
from skpoison.utils.estimator_checks import classify_outcome

X, Y = make_blobs(60, centers=3, n_features=4, random_state=0)
UNIT = X / np.abs(X).max()
TOO_LARGE = "too large to compute with"


@pytest.mark.parametrize("scale", [1e153, 1e200, 1e300])
def test_seed_shift_on_huge_data_is_a_clear_error_not_a_hang(scale):
    attack = LabelFlipAttack(n_poison=2, strategy="seed_shift", random_state=0)
    outcome, detail = classify_outcome(
        lambda: attack.fit_resample(UNIT * scale, Y), time_limit=10
    )
    assert outcome == "clear error" and TOO_LARGE in detail


@pytest.mark.parametrize(
    "attack",
    [
        GaussianNoiseAttack(random_state=0),
        CentroidNoiseAttack(random_state=0),
        UniformOutlierAttack(random_state=0),
        SubtleOutlierAttack(random_state=0),
        SubtleOutlierAttack(method="band", random_state=0),
        MimicryAttack(random_state=0),
    ],
    ids=lambda a: type(a).__name__,
)
@pytest.mark.parametrize("scale", [1e200, 5e307])
def test_huge_data_is_refused_before_computing(attack, scale):
    with pytest.raises(ValueError, match=TOO_LARGE):
        attack.fit_resample(UNIT * scale)


@pytest.mark.parametrize(
    "estimator",
    [DBSCANOutlierRemover(), KMeansMinusMinus(3, n_init=1, random_state=0)],
    ids=lambda e: type(e).__name__,
)
def test_detectors_on_huge_data_name_the_cause(estimator):
    method = getattr(estimator, "fit_resample", None) or estimator.fit
    with pytest.raises(ValueError, match=TOO_LARGE):
        method(UNIT * 1e300)


def test_semi_supervised_kmeans_refuses_data_near_the_float_limit():
    with pytest.raises(ValueError, match=TOO_LARGE):
        SemiSupervisedKMeans(random_state=0).fit(UNIT * 1.5e308, Y)


@pytest.mark.parametrize(
    "attack",
    [
        GaussianNoiseAttack(scale=1e308, random_state=0),
        UniformOutlierAttack(expansion=1e308, random_state=0),
        CentroidNoiseAttack(noise_scale=1e308, random_state=0),
        SubtleOutlierAttack(method="band", radius=(1e200, 1e300), random_state=0),
    ],
    ids=lambda a: type(a).__name__,
)
def test_huge_factors_raise_instead_of_returning_nan(attack):
    with pytest.raises(ValueError, match=type(attack).__name__):
        attack.fit_resample(X)


def test_vanishing_expansion_for_outside_only_is_explained():
    attack = UniformOutlierAttack(outside_only=True, expansion=1e-300)
    with pytest.raises(ValueError, match="expansion=1e-300 is too small"):
        attack.fit_resample(X)


@pytest.mark.parametrize("func", [mean_within_cluster_std, clustering_report])
def test_internal_metrics_refuse_huge_data(func):
    with pytest.raises(ValueError, match=TOO_LARGE):
        func(UNIT * 1e300, Y)


def test_centroid_shift_on_huge_centres():
    C = np.array([[0.0, 0.0], [1.0, 1.0]])
    with pytest.raises(ValueError, match=TOO_LARGE):
        centroid_shift(C * 1e300, C)


@pytest.mark.parametrize(
    "column",
    [
        pd.date_range("2024-01-01", periods=60),
        pd.to_timedelta(np.arange(60), unit="s"),
        np.array(["u", "v"] * 30),
    ],
    ids=["datetime", "timedelta", "string"],
)
@pytest.mark.parametrize(
    "estimator",
    [
        UniformOutlierAttack(random_state=0),
        LabelFlipAttack(random_state=0),
        DBSCANOutlierRemover(),
        MaskLabels(random_state=0),
    ],
    ids=lambda e: type(e).__name__,
)
def test_non_numeric_column_is_named(estimator, column):
    frame = pd.DataFrame(X, columns=list("abcd")).assign(odd=column)
    with pytest.raises(ValueError, match="non-numeric column.*'odd'"):
        estimator.fit_resample(frame, Y)


def test_numeric_category_column_still_works():
    frame = pd.DataFrame(X, columns=list("abcd")).assign(k=pd.Categorical(Y))
    X_res, _ = UniformOutlierAttack(n_poison=3, random_state=0).fit_resample(frame)
    assert X_res.shape == (63, 5)


def test_bool_labels_stay_booleans_beside_the_injected_minus_one():
    _, y_res = UniformOutlierAttack(n_poison=2, random_state=0).fit_resample(X, Y == 0)
    assert y_res.dtype == object
    assert [type(v) for v in y_res[:60]] == [bool] * 60
    assert list(y_res[60:]) == [-1, -1] and type(y_res[60]) is int


def test_masked_bool_labels_feed_the_label_consumers():
    _, y_masked = MaskLabels(0.5, random_state=0).fit_resample(X, Y == 0)
    model = SemiSupervisedKMeans(random_state=0).fit(X, y_masked)
    assert set(model.classes_.tolist()) == {False, True}
    _, y_flipped = LabelFlipAttack(n_poison=3, random_state=0).fit_resample(X, y_masked)
    changed = y_flipped != y_masked
    assert changed.sum() == 3
    assert all(isinstance(v, bool) for v in y_flipped[changed])


STR = np.array(["setosa", "versicolor", "virginica"], dtype=object)[Y]
STR_UNL = STR.copy()
STR_UNL[::4] = -1


@pytest.mark.parametrize(
    "func", [cluster_accuracy, assignment_change_rate, coassociation_distance]
)
def test_label_metrics_take_strings_with_minus_one_and_mixed_types(func):
    # Renaming the labels never changes the score.
    assert func(Y, STR) == func(Y, Y)
    mixed = np.array(["a", 1, None], dtype=object)[Y]
    assert func(Y, mixed) == func(Y, Y)
    assert np.isfinite(func(STR_UNL, Y))


def test_encode_labels_orders_mixed_types_and_round_trips():
    labels = np.array(["b", 1, None, "a", -1, 2.5, "b"], dtype=object)
    classes, codes = encode_labels(labels)
    assert classes.tolist() == [-1, 1, 2.5, "a", "b", None]
    assert classes[codes].tolist() == labels.tolist()


def test_internal_metrics_and_display_take_mixed_labels():
    mixed = np.array(["a", 1, "c"], dtype=object)[Y]
    assert mean_within_cluster_std(X, mixed) == mean_within_cluster_std(X, Y)
    report = clustering_report(X, mixed, STR_UNL)
    assert report["silhouette"] == clustering_report(X, Y)["silhouette"]
    import matplotlib.pyplot as plt

    display = ClusterShiftDisplay.from_predictions(X, Y, STR_UNL)
    plt.close("all")
    assert len(display.poisoned_labels) == 60
    with pytest.raises(ValueError, match="1-D"):
        ClusterShiftDisplay.from_predictions(X, np.column_stack([Y, Y]), Y)


def test_matching_many_labels_is_linear_not_a_dense_table():
    labels = np.arange(20000)
    assert assignment_change_rate(labels, labels) == 0.0
    assert cluster_accuracy(labels, labels[::-1]) == 1.0
    # A hand-worked case on the sparse path: 3 rows change of 20003.
    ref = np.concatenate([labels, [0, 1, 2]])
    new = np.concatenate([labels, [5, 6, 7]])
    assert assignment_change_rate(ref, new) == pytest.approx(3 / 20003)


def test_sparse_matching_equals_the_dense_hungarian():
    from skpoison.metrics import _clustering

    rng = np.random.RandomState(0)
    a, b = rng.randint(40, size=500), rng.randint(30, size=500)
    dense = _clustering._matched_count(a, b, noise_a=False, noise_b=False)
    old = _clustering._DENSE_MATCHING_MAX
    _clustering._DENSE_MATCHING_MAX = 0
    try:
        sparse = _clustering._matched_count(a, b, noise_a=False, noise_b=False)
    finally:
        _clustering._DENSE_MATCHING_MAX = old
    assert sparse == dense


def test_attack_seeds_an_unseeded_detector():
    def run():
        attack = MimicryAttack(detector=KMeansNoiseRemover(3), random_state=0)
        return attack.fit_resample(X)[0]

    np.testing.assert_array_equal(run(), run())


def test_user_set_detector_seed_is_kept_and_unset_one_is_seeded():
    attack = MimicryAttack(
        detector=KMeansNoiseRemover(3, random_state=7), random_state=0
    ).fit(X)
    assert attack.detector_.random_state == 7
    seeds = [
        MimicryAttack(detector=KMeansNoiseRemover(3), random_state=0)
        .fit(X)
        .detector_.random_state
        for _ in range(2)
    ]
    assert seeds[0] is not None and seeds[0] == seeds[1]


@pytest.mark.parametrize("wrapped", [False, True], ids=["bare", "in_pipeline"])
def test_evaluate_attack_without_y_names_the_missing_target(wrapped):
    from imblearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    estimator = SemiSupervisedKMeans()
    if wrapped:
        estimator = make_pipeline(StandardScaler(), estimator)
    with pytest.raises(ValueError, match="SemiSupervisedKMeans needs the target y"):
        evaluate_attack(estimator, UniformOutlierAttack(), X)


def test_silhouette_scorer_on_a_model_without_predict():
    from sklearn.cluster import DBSCAN

    with pytest.raises(ValueError, match="no predict method"):
        get_scorer("silhouette")(DBSCAN().fit(X), X)


@pytest.mark.parametrize(
    "box", [(np.nan, np.nan), (1.0,), ("a", "b"), (5.0, -5.0), (-1e308, 1e308)]
)
def test_make_outlier_blobs_center_box(box):
    with pytest.raises(ValueError, match="center_box"):
        make_outlier_blobs(center_box=box, random_state=0)


@pytest.mark.parametrize("bad", [5, [5], "nope"])
def test_all_estimators_type_filter(bad):
    with pytest.raises(ValueError, match="type_filter"):
        all_estimators(bad)


@pytest.mark.parametrize("budget", [np.float32(0.25), np.float64(0.25), np.int64(3)])
def test_numpy_scalar_budgets(budget):
    attack = UniformOutlierAttack(n_poison=budget, random_state=0)
    X_res, _ = attack.fit_resample(X)
    assert X_res.shape[0] == 60 + (3 if budget == 3 else 15)


@pytest.mark.parametrize("budget", [10**12, 1e12, 2**63])
def test_budget_beyond_memory_is_a_clear_error(budget):
    attack = UniformOutlierAttack(n_poison=budget, random_state=0)
    outcome, detail = classify_outcome(lambda: attack.fit_resample(X))
    assert outcome == "clear error", detail


def test_iris_still_correct():
    Xi, yi = load_iris(return_X_y=True)
    X_res, y_res = LabelFlipAttack(n_poison=5, random_state=0).fit_resample(Xi, yi)
    assert (y_res != yi).sum() == 5
    np.testing.assert_array_equal(X_res, Xi)
