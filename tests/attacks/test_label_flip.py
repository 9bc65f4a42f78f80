import tracemalloc

import numpy as np
import pytest
from imblearn.pipeline import make_pipeline
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, load_iris, make_blobs
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import LabelFlipAttack
from skpoison.cluster import SemiSupervisedKMeans
from skpoison.preprocessing import MaskLabels


def _masked(y, rng, share=0.5):
    y = y.copy()
    y[rng.random(y.shape[0]) > share] = -1
    return y


@pytest.mark.parametrize("strategy", ["random", "seed_shift"])
@pytest.mark.parametrize("n_poison, expected", [(7, 7), (0.25, 10)])
def test_budget_exact_and_only_labelled_rows(
    strategy, n_poison, expected, global_random_seed
):
    rng = np.random.default_rng(global_random_seed)
    X = rng.normal(size=(80, 3))
    y = np.repeat([0, 1, 2, 3], 20)
    y[rng.permutation(80)[:40]] = -1  # 40 labelled rows
    X_before, y_before = X.copy(), y.copy()
    attack = LabelFlipAttack(
        n_poison, strategy=strategy, random_state=global_random_seed
    )
    X_res, y_res = attack.fit_resample(X, y)
    changed = y_res != y
    assert attack.n_poison_ == expected == changed.sum()
    assert_array_equal(attack.poison_mask_, changed)
    assert (y[changed] != -1).all()  # unlabelled rows are never touched
    assert (y_res[changed] != -1).all()
    assert attack.flip_counts_.sum() == expected
    assert (np.diag(attack.flip_counts_) == 0).all()
    assert_array_equal(X_res, X)
    assert_array_equal(X, X_before)
    assert_array_equal(y, y_before)


def test_seed_shift_swaps_two_clusters():
    # Three labelled rows a side; four flips leave each label with one own
    # row and two of the other side, so each seed mean crosses the middle and
    # the two clusters exchange their classes.
    X = np.array([[0.0], [0.2], [0.4], [0.6], [5.0], [5.2], [5.4], [5.6]])
    y = np.array([0, 0, 0, -1, 1, 1, 1, -1])
    attack = LabelFlipAttack(4, strategy="seed_shift")
    _, y_res = attack.fit_resample(X, y)
    assert attack.target_map_ == {0: 1, 1: 0}
    assert_array_equal(attack.flip_counts_, [[0, 2], [2, 0]])
    model = SemiSupervisedKMeans().fit(X, y_res)
    assert_array_equal(model.labels_, [1, 1, 1, 1, 0, 0, 0, 0])


def test_seed_shift_keeps_float32_data_float32():
    # Its surrogate fits run on X as given: no float64 copy of float32 data
    # (one made the peak 3.4x X on these data).
    X, y = make_blobs(10_000, 50, centers=4, random_state=0)
    _, y_masked = MaskLabels(0.2, random_state=0).fit_resample(X, y)
    X32 = X.astype(np.float32)
    attack = LabelFlipAttack(0.2, strategy="seed_shift", random_state=0)
    tracemalloc.start()
    try:
        X_res, y_res = attack.fit_resample(X32, y_masked)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert X_res.dtype == np.float32
    assert peak / X32.nbytes < 1.5
    # The same flips as on the float64 data.
    _, y_res64 = clone(attack).fit_resample(X, y_masked)
    assert_array_equal(y_res, y_res64)


def _poisoned_accuracy(X, y, ratio, strategy, seed):
    _, y_masked = MaskLabels(0.2, random_state=seed).fit_resample(X, y)
    attack = LabelFlipAttack(ratio, strategy=strategy, random_state=seed)
    _, y_poisoned = attack.fit_resample(X, y_masked)
    return np.mean(SemiSupervisedKMeans().fit(X, y_poisoned).labels_ == y)


@pytest.mark.parametrize("loader, ratio", [(load_iris, 0.4), (load_breast_cancer, 0.3)])
def test_seed_shift_beats_random(loader, ratio):
    # Standardised features, 20% of the labels kept (stratified), accuracy of
    # the seeded model on all rows against the true labels, three seeds.
    X, y = loader(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    seeds = range(3)
    targeted = np.mean(
        [_poisoned_accuracy(X, y, ratio, "seed_shift", s) for s in seeds]
    )
    random = np.mean([_poisoned_accuracy(X, y, ratio, "random", s) for s in seeds])
    assert targeted < 0.4
    assert random > 0.6
    clean = np.mean(
        [
            SemiSupervisedKMeans()
            .fit(X, MaskLabels(0.2, random_state=s).fit_resample(X, y)[1])
            .score(X, y)
            for s in seeds
        ]
    )
    assert clean > 0.8


def test_string_labels_with_unlabelled_rows():
    X = np.array([[0.0], [0.1], [0.2], [5.0], [5.1], [5.2]])
    y = np.array(["a", "a", -1, "b", "b", -1], dtype=object)
    attack = LabelFlipAttack(2, strategy="random", random_state=0)
    _, y_res = attack.fit_resample(X, y)
    assert attack.poison_mask_.sum() == 2
    assert set(y_res[[2, 5]]) == {-1}
    assert_array_equal(attack.classes_, ["a", "b"])


@pytest.mark.parametrize(
    "params, y, match",
    [
        ({}, None, "requires y"),
        ({}, [-1, -1, -1, -1, -1, -1], "no labelled rows"),
        ({}, [0, 0, 0, -1, -1, -1], "at least two classes"),
        ({"n_poison": 5}, [0, 0, 1, 1, -1, -1], "exceeds the 4 labelled rows"),
        ({"n_poison": 1.5}, [0, 0, 1, 1, -1, -1], "n_poison"),
        ({}, np.array(["a", "b", "-1", "a", "b", "a"]), "string '-1'"),
    ],
)
@pytest.mark.parametrize("strategy", ["random", "seed_shift"])
def test_bad_input_raises(params, y, match, strategy):
    X = np.arange(12.0).reshape(6, 2)
    X_before = X.copy()
    y = None if y is None else np.asarray(y)
    y_before = None if y is None else y.copy()
    with pytest.raises(ValueError, match=match):
        LabelFlipAttack(strategy=strategy, **params).fit_resample(X, y)
    assert_array_equal(X, X_before)
    if y is not None:
        assert_array_equal(y, y_before)


def test_grid_search_scores_held_out_folds_on_full_labels():
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    pipe = make_pipeline(
        MaskLabels(0.2, random_state=0),
        LabelFlipAttack(strategy="seed_shift", random_state=0),
        SemiSupervisedKMeans(),
    )
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    search = GridSearchCV(pipe, {"labelflipattack__n_poison": [0.1, 0.7]}, cv=cv)
    search.fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert scores[0] > 0.7 > 0.4 > scores[1]
    # The held-out score is the accuracy of the poisoned model on the test
    # fold's full labels: the resamplers act only while fitting.
    train, test = next(cv.split(X, y))
    fitted = pipe.set_params(labelflipattack__n_poison=0.7).fit(X[train], y[train])
    expected = np.mean(fitted.predict(X[test]) == y[test])
    assert search.cv_results_["split0_test_score"][1] == pytest.approx(expected)
