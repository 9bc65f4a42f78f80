import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.spatial.distance import cdist
from sklearn.cluster import DBSCAN, AgglomerativeClustering, KMeans
from sklearn.datasets import load_iris, make_blobs
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import BridgeAttack

# Three clusters of two points: centres (0, 0.5), (4, 0.5) and (20, 0.5). The
# closest pair is the first two (4 apart); their closest members are (0, 0)
# and (4, 0) (and (0, 1), (4, 1): ties go to the first).
X_HAND = np.array(
    [[0.0, 0.0], [0.0, 1.0], [4.0, 0.0], [4.0, 1.0], [20.0, 0.0], [20.0, 1.0]]
)
Y_HAND = np.array([10, 10, 20, 20, 30, 30])


def test_shortest_link_by_hand():
    attack = BridgeAttack(n_poison=3, strategy="shortest_link", noise=0.0)
    X_res, y_res = attack.fit_resample(X_HAND, Y_HAND)
    assert_array_equal(attack.clusters_, [10, 20])
    assert_array_equal(attack.link_, [0, 2])
    # Evenly spaced at 1/4, 2/4, 3/4 of the segment from (0, 0) to (4, 0).
    assert_allclose(X_res[6:], [[1.0, 0.0], [2.0, 0.0], [3.0, 0.0]])
    assert_array_equal(y_res[6:], [-1, -1, -1])
    assert_allclose(attack.cluster_centers_, [[0, 0.5], [4, 0.5], [20, 0.5]])
    assert attack.clusterer_ is None


def test_interpolate_points_lie_between_the_pair(global_random_seed):
    attack = BridgeAttack(
        n_poison=200, alpha=(0.3, 0.7), noise=0.0, random_state=global_random_seed
    )
    X_res, _ = attack.fit_resample(X_HAND, Y_HAND)
    new = X_res[6:]
    assert attack.link_ is None
    # x = 0 + alpha * (4 - 0) with alpha in [0.3, 0.7]; y between the members.
    assert np.all((new[:, 0] >= 1.2 - 1e-12) & (new[:, 0] <= 2.8 + 1e-12))
    assert np.all((new[:, 1] >= 0.0) & (new[:, 1] <= 1.0))
    # Nearer the bridged pair than the third cluster, and spread over the range.
    assert np.ptp(new[:, 0]) > 1.2


def test_unlabelled_rows_ignored_and_noise_added():
    y = Y_HAND.copy()
    y[[1, 3]] = -1
    attack = BridgeAttack(n_poison=50, noise=0.1, random_state=0)
    X_res, _ = attack.fit_resample(X_HAND, y)
    assert_array_equal(attack.cluster_labels_, [10, 20, 30])
    assert_allclose(attack.cluster_centers_, [[0, 0], [4, 0], [20, 0.5]])
    # Noise 0.1 * std of each feature: rows leave the segment (y != 0).
    assert np.std(X_res[6:, 1]) > 0


def test_closest_pair_found_by_clusterer(global_random_seed):
    centers = np.array([[0.0, 0.0], [6.0, 0.0], [0.0, 20.0]])
    X, _ = make_blobs(
        n_samples=90, centers=centers, cluster_std=0.5, random_state=global_random_seed
    )
    attack = BridgeAttack(
        n_poison=10, strategy="shortest_link", random_state=global_random_seed
    )
    X_res, _ = attack.fit_resample(X)
    assert isinstance(attack.clusterer_, KMeans)
    labels = attack.clusterer_.labels_
    found = attack.cluster_centers_[
        np.searchsorted(np.unique(labels), attack.clusters_)
    ]
    assert_allclose(np.sort(found[:, 0]), [0.0, 6.0], atol=0.5)
    assert_allclose(found[:, 1], 0.0, atol=0.5)
    # link_ is the closest pair of members, checked by brute force.
    a = np.flatnonzero(labels == attack.clusters_[0])
    b = np.flatnonzero(labels == attack.clusters_[1])
    D = cdist(X[a], X[b])
    i, j = np.unravel_index(D.argmin(), D.shape)
    assert_array_equal(attack.link_, [a[i], b[j]])


def _big_clusters(labels, size=20):
    counts = np.unique(labels[labels != -1], return_counts=True)[1]
    return int((counts >= size).sum())


def _discs(seed, n=200):
    # Two discs of radius 1.5, centres 10 apart, filled uniformly: dense up to
    # their edges, with no stray point (a stray closest member would start the
    # bridge away from its cluster).
    rng = np.random.RandomState(seed)
    radius = 1.5 * np.sqrt(rng.uniform(size=n))
    angle = rng.uniform(0, 2 * np.pi, size=n)
    y = np.repeat([0, 1], n // 2)
    X = np.column_stack([radius * np.cos(angle) + 10.0 * y, radius * np.sin(angle)])
    return X, y


def test_strategies_against_linkage_and_kmeans(global_random_seed):
    # Two discs 7 apart at their edges. 25 points along the shortest link are
    # spaced about 0.27 apart, below DBSCAN's eps and the single-linkage cut
    # (0.8): both join the discs into one cluster. The same 25 points
    # interpolated between random members spread over a wide region, too thin
    # to connect. K-means is the other way round: interpolated points sit in
    # the middle (alpha in [0.3, 0.7]) and pull the centroids further.
    X, y = _discs(global_random_seed)
    dbscan = DBSCAN(eps=0.8, min_samples=3)
    single = AgglomerativeClustering(
        n_clusters=None, distance_threshold=0.8, linkage="single"
    )
    km = KMeans(2, n_init=10, random_state=0)
    clean_centres = np.sort(km.fit(X).cluster_centers_[:, 0])
    assert _big_clusters(dbscan.fit_predict(X)) == 2
    assert _big_clusters(single.fit_predict(X)) == 2

    shift = {}
    for strategy in ("shortest_link", "interpolate"):
        attack = BridgeAttack(
            n_poison=25, strategy=strategy, random_state=global_random_seed
        )
        X_res, _ = attack.fit_resample(X, y)
        merged = strategy == "shortest_link"
        assert (_big_clusters(dbscan.fit_predict(X_res)) == 1) == merged
        assert (_big_clusters(single.fit_predict(X_res)) == 1) == merged
        centres = np.sort(km.fit(X_res).cluster_centers_[:, 0])
        shift[strategy] = np.abs(centres - clean_centres).mean()
    assert shift["interpolate"] > shift["shortest_link"]


def test_float32_and_reproducible():
    X = X_HAND.astype(np.float32)
    X_a, y_a = BridgeAttack(n_poison=4, random_state=1).fit_resample(X, Y_HAND)
    X_b, _ = BridgeAttack(n_poison=4, random_state=1).fit_resample(X, Y_HAND)
    assert X_a.dtype == np.float32
    assert_array_equal(X_a, X_b)
    assert_array_equal(y_a[6:], -1)


def _bad_inputs():
    # Inputs every injection attack rejects: test_injection_inputs.py.
    X, y = X_HAND, Y_HAND
    return [
        ({"alpha": (0.8, 0.2)}, X, y, "alpha"),
        ({"alpha": (0.2, 1.5)}, X, y, "alpha"),
        ({"strategy": "nearest"}, X, y, "strategy"),
        ({"noise": -0.1}, X, y, "noise"),
        ({"n_clusters": 1}, X, None, "two clusters"),
        ({"n_clusters": 2, "clusterer": KMeans(2)}, X, None, "both"),
        ({"clusterer": DBSCAN(eps=0.1)}, X, None, "two clusters"),
    ]


@pytest.mark.parametrize("params, X, y, match", _bad_inputs())
def test_bad_input_raises(params, X, y, match):
    X_before = X.copy()
    with pytest.raises(ValueError, match=match):
        BridgeAttack(**params).fit_resample(X, y)
    assert_array_equal(X, X_before)


def _species_centres(labels, centres, y):
    # The k-means centre of the cluster holding most rows of each species.
    return np.array(
        [centres[np.bincount(labels[y == k], minlength=3).argmax()] for k in range(3)]
    )


def test_degrades_kmeans_on_iris(global_random_seed):
    # Bridging versicolor and virginica (the closest pair of species) with 30%
    # of interpolated rows blurs their boundary: k-means' centres for the two
    # species move towards each other and the silhouette drops.
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    km = KMeans(3, n_init=10, random_state=0)
    clean = km.fit_predict(X)
    clean_centres = _species_centres(clean, km.cluster_centers_, y)
    attack = BridgeAttack(n_poison=0.3, random_state=global_random_seed)
    X_res, _ = attack.fit_resample(X, y)
    assert_array_equal(np.sort(attack.clusters_), [1, 2])
    poisoned = km.fit_predict(X_res)
    centres = _species_centres(poisoned[:150], km.cluster_centers_, y)
    gap_clean = np.linalg.norm(clean_centres[1] - clean_centres[2])
    gap = np.linalg.norm(centres[1] - centres[2])
    assert gap < gap_clean
    assert silhouette_score(X_res, poisoned) < silhouette_score(X, clean)


@pytest.mark.parametrize("offset", [0.0, 1.0, 3.0, 20.0])
def test_shortest_link_is_the_closest_pair(global_random_seed, offset):
    # Separated clusters (the search prunes) and overlapping ones (it cannot):
    # the link is always the closest pair found by brute force.
    rng = np.random.RandomState(global_random_seed)
    X = np.vstack(
        [rng.normal(size=(300, 3)), rng.normal(size=(400, 3)) + [offset, 0.5, 0.0]]
    )
    y = np.repeat([0, 1], [300, 400])
    attack = BridgeAttack(n_poison=5, strategy="shortest_link")
    X_res, _ = attack.fit_resample(X, y)
    D = cdist(X[:300], X[300:])
    i, j = np.unravel_index(D.argmin(), D.shape)
    assert_array_equal(np.sort(attack.link_), [i, 300 + j])
    # The bridge lies on the segment between the two members.
    start, end = X[attack.link_]
    t = (X_res[700:] - start) @ (end - start) / np.sum((end - start) ** 2)
    assert_allclose(t, np.arange(1, 6) / 6)
