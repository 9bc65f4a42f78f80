import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from skpoison.cluster import KMeansMinusMinus

# Two unit squares and one far row: by hand, the centres are the squares'
# middles (0.5, 0.5) and (10.5, 10.5), each square row is at squared distance
# 0.5 from its centre (inertia 8 * 0.5 = 4), and the far row is the outlier.
X_HAND = np.array(
    [
        [0.0, 0.0],
        [0.0, 1.0],
        [1.0, 0.0],
        [1.0, 1.0],
        [10.0, 10.0],
        [10.0, 11.0],
        [11.0, 10.0],
        [11.0, 11.0],
        [50.0, -50.0],
    ]
)


def test_hand_worked_case(global_random_seed):
    km = KMeansMinusMinus(n_clusters=2, n_outliers=1, random_state=global_random_seed)
    labels = km.fit_predict(X_HAND)
    assert labels[-1] == -1
    assert_array_equal(km.outlier_mask_, [False] * 8 + [True])
    first = labels[0]
    assert set(labels[:4]) == {first} and set(labels[4:8]) == {1 - first}
    assert_allclose(km.cluster_centers_[first], [0.5, 0.5])
    assert_allclose(km.cluster_centers_[1 - first], [10.5, 10.5])
    assert km.inertia_ == pytest.approx(4.0)
    assert km.n_outliers_ == 1


def test_given_init_converges_by_hand():
    # From centres on rows 0 and 4, one iteration reaches the squares'
    # middles; the next sees no shift.
    km = KMeansMinusMinus(n_clusters=2, n_outliers=1, init=X_HAND[[0, 4]], tol=0).fit(
        X_HAND
    )
    assert_allclose(km.cluster_centers_, [[0.5, 0.5], [10.5, 10.5]])
    assert km.n_iter_ == 2
    assert_array_equal(km.labels_, [0, 0, 0, 0, 1, 1, 1, 1, -1])


def test_plain_kmeans_would_be_pulled_by_the_outlier():
    km = KMeans(n_clusters=2, n_init=10, random_state=0).fit(X_HAND)
    # k-means gives the far row a centre of its own (or drags one): the
    # squares share a centre, unlike k-means--.
    assert len(set(km.labels_[:8])) == 1


CENTERS = [[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]]


def test_no_outliers_is_kmeans(global_random_seed):
    X, y = make_blobs(n_samples=200, centers=CENTERS, random_state=global_random_seed)
    km = KMeansMinusMinus(n_clusters=3, n_outliers=0, random_state=0).fit(X)
    assert (km.labels_ >= 0).all()
    assert adjusted_rand_score(y, km.labels_) > 0.95
    ref = KMeans(n_clusters=3, n_init=10, random_state=0).fit(X)
    assert km.inertia_ == pytest.approx(ref.inertia_, rel=1e-6)


def test_fraction_of_outliers_and_recovery(global_random_seed):
    rng = np.random.default_rng(global_random_seed)
    X, y = make_blobs(n_samples=200, centers=CENTERS, random_state=global_random_seed)
    far = rng.uniform(-60, 60, size=(10, 2))
    far = far[np.abs(far).max(axis=1) > 30][:10]
    X_all = np.concatenate([X, far])
    km = KMeansMinusMinus(n_clusters=3, n_outliers=far.shape[0], random_state=0)
    labels = km.fit_predict(X_all)
    assert (labels[200:] == -1).all()
    assert adjusted_rand_score(y, labels[:200]) > 0.95
    frac = KMeansMinusMinus(n_clusters=3, n_outliers=0.05, random_state=0).fit(X)
    assert frac.n_outliers_ == 10 and (frac.labels_ == -1).sum() == 10


def test_predict_assigns_nearest_centre_and_never_minus_one():
    km = KMeansMinusMinus(n_clusters=2, n_outliers=1, random_state=0).fit(X_HAND)
    pred = km.predict(np.array([[0.2, 0.2], [10.0, 10.2], [50.0, -50.0]]))
    first = km.labels_[0]
    assert_array_equal(pred, [first, 1 - first, pred[2]])
    assert (pred >= 0).all()


def test_float32_kept():
    km = KMeansMinusMinus(n_clusters=2, n_outliers=1, random_state=0)
    km.fit(X_HAND.astype(np.float32))
    assert km.cluster_centers_.dtype == np.float32


def test_input_not_modified():
    X = X_HAND.copy()
    KMeansMinusMinus(n_clusters=2, n_outliers=1, random_state=0).fit(X)
    assert_array_equal(X, X_HAND)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"n_clusters": 2, "n_outliers": 9}, "nothing would be left"),
        ({"n_clusters": 2, "n_outliers": 12}, "nothing would be left"),
        ({"n_clusters": 5, "n_outliers": 5}, "fewer than n_clusters=5"),
        ({"n_clusters": 2, "init": np.zeros((3, 2))}, "init has shape"),
        ({"n_clusters": 2, "n_outliers": 1.5}, "n_outliers"),
    ],
)
def test_bad_parameters_raise(params, match):
    with pytest.raises(ValueError, match=match):
        KMeansMinusMinus(**params).fit(X_HAND)


def test_nan_raises():
    X = X_HAND.copy()
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        KMeansMinusMinus(n_clusters=2).fit(X)


def test_fit_allocates_less_than_its_input():
    # k-means++ seeding and the trimmed Lloyd loop work chunk by chunk: the
    # fit's own allocations stay below X (a full (n, d) temporary per seed
    # draw made them 1.1x X).
    import tracemalloc

    X = np.random.default_rng(0).normal(size=(20000, 50))
    tracemalloc.start()
    try:
        KMeansMinusMinus(8, n_init=2, random_state=0).fit(X)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 0.75 * X.nbytes
