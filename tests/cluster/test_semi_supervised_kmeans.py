import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import accuracy_score

from skpoison.cluster import SemiSupervisedKMeans


def _line(values):
    return np.asarray(values, dtype=np.float64).reshape(-1, 1)


def test_seeded_hand_worked():
    # Seeds: class 0 at 0, class 1 at 12. Step 1 puts 0, 1, 2 with 0 and
    # 10, 11, 12 with 12, so the centres move to 1 and 11; step 2 changes
    # nothing. Inertia: 1 + 0 + 1 on each side.
    X = _line([0, 1, 2, 10, 11, 12])
    y = np.array([0, -1, -1, -1, -1, 1])
    model = SemiSupervisedKMeans().fit(X, y)
    assert_array_equal(model.classes_, [0, 1])
    assert_allclose(model.initial_centers_, [[0.0], [12.0]])
    assert_allclose(model.cluster_centers_, [[1.0], [11.0]])
    assert_array_equal(model.labels_, [0, 0, 0, 1, 1, 1])
    assert_array_equal(model.transduction_, model.labels_)
    assert model.n_iter_ == 2
    assert model.inertia_ == pytest.approx(4.0)
    assert_array_equal(model.predict(_line([-5, 5.9, 6.1, 50])), [0, 0, 1, 1])


def test_class_follows_its_seed():
    # Swapping the two seed labels swaps the classes of whole clusters while
    # the partition stays the same: the label attack's premise.
    X = _line([0, 1, 2, 10, 11, 12])
    y = np.array([1, -1, -1, -1, -1, 0])
    model = SemiSupervisedKMeans().fit(X, y)
    assert_allclose(model.cluster_centers_, [[11.0], [1.0]])
    assert_array_equal(model.labels_, [1, 1, 1, 0, 0, 0])


def test_constrained_keeps_labelled_rows():
    # Seeds: class 0 at 0, class 1 at mean(2, 10) = 6.
    # Seeded: row 2 (x=2) is nearer 0 and joins class 0; centres 1 and 9.5.
    # Constrained: row 2 stays in class 1; centres 0.5 and (2+9+10)/3 = 7.
    X = _line([0, 1, 2, 9, 10])
    y = np.array([0, -1, 1, -1, 1])
    seeded = SemiSupervisedKMeans().fit(X, y)
    assert_array_equal(seeded.labels_, [0, 0, 0, 1, 1])
    assert_allclose(seeded.cluster_centers_, [[1.0], [9.5]])
    constrained = SemiSupervisedKMeans(method="constrained").fit(X, y)
    assert_array_equal(constrained.labels_, [0, 0, 1, 1, 1])
    assert_allclose(constrained.cluster_centers_, [[0.5], [7.0]])
    assert constrained.inertia_ == pytest.approx(0.25 * 2 + 25 + 4 + 9)


def test_empty_cluster_keeps_its_centre_and_class():
    # Class 2's seed is mean(-1, 11) = 5: no row is nearer to it than to 0 or
    # 10, so its cluster empties; it keeps centre 5 and cluster 2 stays class 2.
    X = _line([-1, 0, 1, 9, 10, 11])
    y = np.array([2, 0, -1, -1, 1, 2])
    model = SemiSupervisedKMeans().fit(X, y)
    assert_array_equal(model.classes_, [0, 1, 2])
    assert_allclose(model.cluster_centers_, [[0.0], [10.0], [5.0]])
    assert_array_equal(model.labels_, [0, 0, 0, 1, 1, 1])
    assert_array_equal(model.predict(_line([5.2])), [2])


def test_matches_sklearn_kmeans_from_same_centres(global_random_seed):
    X, y_true = make_blobs(
        300, centers=4, n_features=3, random_state=global_random_seed
    )
    rng = np.random.default_rng(global_random_seed)
    y = np.where(rng.random(300) < 0.2, y_true, -1)
    y[[np.flatnonzero(y_true == c)[0] for c in range(4)]] = range(4)
    model = SemiSupervisedKMeans(tol=0).fit(X, y)
    km = KMeans(4, init=model.initial_centers_, n_init=1, tol=0).fit(X)
    assert_allclose(model.cluster_centers_, km.cluster_centers_, rtol=1e-10)
    assert_array_equal(model.labels_, model.classes_[km.labels_])
    assert model.inertia_ == pytest.approx(km.inertia_)


def test_all_rows_labelled_and_float32(global_random_seed):
    centers = [[0, 0], [10, 0], [0, 10]]
    X, y = make_blobs(120, centers=centers, random_state=global_random_seed)
    model64 = SemiSupervisedKMeans().fit(X, y)
    assert model64.score(X, y) == accuracy_score(y, model64.predict(X))
    assert model64.score(X, y) > 0.95
    model32 = SemiSupervisedKMeans().fit(X.astype(np.float32), y)
    assert model32.cluster_centers_.dtype == np.float32
    assert_allclose(model32.cluster_centers_, model64.cluster_centers_, rtol=1e-4)
    distances = model64.transform(X[:5])
    expected = np.linalg.norm(X[:5, None] - model64.cluster_centers_, axis=2)
    assert_allclose(distances, expected)


def test_predict_row_order_and_subset_invariant(global_random_seed):
    X, y = make_blobs(80, centers=3, random_state=global_random_seed)
    model = SemiSupervisedKMeans().fit(X, y)
    order = np.random.default_rng(global_random_seed).permutation(80)
    assert_array_equal(model.predict(X[order]), model.predict(X)[order])
    assert_array_equal(model.predict(X[:7]), model.predict(X)[:7])
    assert_array_equal(model.fit_predict(X, y), model.labels_)


def test_string_labels_in_object_array():
    X = _line([0, 1, 2, 10, 11, 12])
    y = np.array(["a", -1, -1, -1, -1, "b"], dtype=object)
    model = SemiSupervisedKMeans().fit(X, y)
    assert_array_equal(model.classes_, ["a", "b"])
    assert_array_equal(model.labels_, ["a", "a", "a", "b", "b", "b"])


@pytest.mark.parametrize(
    "y, params, match",
    [
        ([-1, -1, -1, -1, -1, -1], {}, "no labelled rows"),
        ([0, 1, 2, -1, -1, -1], {"n_clusters": 2}, "smaller than the 3 classes"),
        ([0, -1, -1, -1, -1, 1], {"n_clusters": 3}, "class with no labelled row"),
        (np.array(["a", "-1", "b", "a", "b", "a"]), {}, "string '-1'"),
        (np.array(["a", 3, -1, -1, -1, 1], dtype=object), {}, "mix strings and"),
    ],
)
def test_bad_labels_raise(y, params, match):
    X = _line([0, 1, 2, 10, 11, 12])
    X_before = X.copy()
    y = np.asarray(y)
    y_before = y.copy()
    with pytest.raises(ValueError, match=match):
        SemiSupervisedKMeans(**params).fit(X, y)
    assert_array_equal(X, X_before)
    assert_array_equal(y, y_before)
