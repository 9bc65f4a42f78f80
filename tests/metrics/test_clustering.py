import itertools

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris
from sklearn.metrics import (
    adjusted_mutual_info_score,
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    rand_score,
    silhouette_score,
)

from skpoison.metrics import (
    CentroidShift,
    assignment_change_rate,
    centroid_shift,
    cluster_accuracy,
    clustering_report,
    coassociation_distance,
    mean_within_cluster_std,
)


# --------------------------------------------------------------------------
# Brute-force references (small inputs only).
def _brute_accuracy(y_true, y_pred):
    """Best injective map of predicted clusters to classes, by search."""
    classes = list(np.unique(y_true))
    clusters = [c for c in np.unique(y_pred) if c != -1]
    # Pad with "no class" slots so surplus clusters can stay unmatched.
    slots = classes + [None] * len(clusters)
    best = 0
    for targets in itertools.permutations(slots, len(clusters)):
        mapping = dict(zip(clusters, targets, strict=True))
        hits = sum(
            1
            for t, p in zip(y_true, y_pred, strict=True)
            if p != -1 and mapping[p] is not None and mapping[p] == t
        )
        best = max(best, hits)
    return best / len(y_true)


def _brute_change_rate(labels_ref, labels):
    ref = [c for c in np.unique(labels_ref) if c != -1]
    new = [c for c in np.unique(labels) if c != -1]
    slots = ref + [None] * len(new)
    best = 0
    for targets in itertools.permutations(slots, len(new)):
        mapping = dict(zip(new, targets, strict=True))
        mapping[-1] = -1
        same = sum(
            1
            for a, b in zip(labels_ref, labels, strict=True)
            if mapping[b] is not None and mapping[b] == a
        )
        best = max(best, same)
    return 1 - best / len(labels_ref)


def _brute_coassociation(labels_ref, labels):
    a = np.asarray(labels_ref)
    b = np.asarray(labels)
    A = (a[:, None] == a[None, :]).astype(float)
    B = (b[:, None] == b[None, :]).astype(float)
    return np.linalg.norm(A - B, "fro")


def _random_labels(rng, n, k, noise=False):
    labels = rng.integers(0, k, size=n)
    if noise:
        labels[rng.random(n) < 0.2] = -1
    return labels


# --------------------------------------------------------------------------
# cluster_accuracy
def test_cluster_accuracy_by_hand():
    # Clusters 5 -> class 0 (2 rows), 7 -> class 1 (2 rows); class 2's rows
    # are in cluster 7 (already taken) and noise: 4 of 6 right.
    assert cluster_accuracy([0, 0, 1, 1, 2, 2], [5, 5, 7, 7, 7, -1]) == pytest.approx(
        4 / 6
    )
    # Renaming the clusters changes nothing.
    assert cluster_accuracy([0, 0, 1, 1], [1, 1, 0, 0]) == 1.0
    # One cluster for two classes: only one class can be matched.
    assert cluster_accuracy([0, 0, 1, 1], [3, 3, 3, 3]) == 0.5
    # Four clusters for two classes: two clusters stay unmatched.
    assert cluster_accuracy([0, 0, 0, 1, 1, 1], [0, 0, 1, 2, 2, 3]) == pytest.approx(
        4 / 6
    )
    # Noise is never right, even when y_true has -1 rows.
    assert cluster_accuracy([-1, -1, 1, 1], [-1, -1, 0, 0]) == 0.5


@pytest.mark.parametrize("noise", [False, True])
def test_cluster_accuracy_matches_brute_force(global_random_seed, noise):
    rng = np.random.default_rng(global_random_seed)
    for _ in range(20):
        n = int(rng.integers(1, 15))
        y_true = _random_labels(rng, n, int(rng.integers(1, 4)))
        y_pred = _random_labels(rng, n, int(rng.integers(1, 5)), noise=noise)
        assert cluster_accuracy(y_true, y_pred) == pytest.approx(
            _brute_accuracy(y_true, y_pred)
        )


def test_cluster_accuracy_string_labels():
    assert cluster_accuracy(["a", "a", "b", "b"], [2, 2, 9, 2]) == 0.75


# --------------------------------------------------------------------------
# assignment_change_rate
def test_assignment_change_rate_by_hand():
    assert assignment_change_rate([0, 0, 1, 1], [1, 1, 0, 0]) == 0.0
    assert assignment_change_rate([0, 0, 1, 1], [1, 1, 1, 0]) == 0.25
    # Noise in both is unchanged; becoming noise is a change.
    assert assignment_change_rate([-1, 0, 0, 1], [-1, 0, -1, 1]) == 0.25
    assert assignment_change_rate([0, 0, 0, 0], [0, 0, 1, 1]) == 0.5


@pytest.mark.parametrize("noise", [False, True])
def test_assignment_change_rate_matches_brute_force(global_random_seed, noise):
    rng = np.random.default_rng(global_random_seed)
    for _ in range(20):
        n = int(rng.integers(1, 15))
        a = _random_labels(rng, n, int(rng.integers(1, 4)), noise=noise)
        b = _random_labels(rng, n, int(rng.integers(1, 5)), noise=noise)
        assert assignment_change_rate(a, b) == pytest.approx(_brute_change_rate(a, b))


# --------------------------------------------------------------------------
# coassociation_distance
def test_coassociation_distance_by_hand():
    # Merging {0,1} and {2,3}: the 8 ordered cross pairs now co-occur.
    assert coassociation_distance([0, 0, 1, 1], [5, 5, 5, 5], normalize=False) == (
        pytest.approx(np.sqrt(8))
    )
    # Out of 4 * 3 ordered pairs.
    assert coassociation_distance([0, 0, 1, 1], [5, 5, 5, 5]) == pytest.approx(
        np.sqrt(8 / 12)
    )
    # Renaming is free.
    assert coassociation_distance([0, 0, 1, 2], [7, 7, 2, 1]) == 0.0
    # Every pair together vs every row alone: the maximum, 1.
    assert coassociation_distance([0, 0, 0], [0, 1, 2]) == pytest.approx(1.0)
    assert coassociation_distance([3], [4]) == 0.0


@pytest.mark.parametrize("noise", [False, True])
def test_coassociation_distance_matches_brute_force(global_random_seed, noise):
    rng = np.random.default_rng(global_random_seed)
    for _ in range(20):
        n = int(rng.integers(2, 30))
        a = _random_labels(rng, n, int(rng.integers(1, 5)), noise=noise)
        b = _random_labels(rng, n, int(rng.integers(1, 5)), noise=noise)
        brute = _brute_coassociation(a, b)
        assert coassociation_distance(a, b, normalize=False) == pytest.approx(brute)
        assert coassociation_distance(a, b) == pytest.approx(
            brute / np.sqrt(n * (n - 1))
        )
        # The normalised squared distance is the share of disagreeing pairs.
        assert coassociation_distance(a, b) ** 2 == pytest.approx(1 - rand_score(a, b))


def test_coassociation_distance_large_counts_exact():
    # Two clusters of 10**6 rows each merged: 2 * 10**12 ordered cross pairs
    # change (their squares would overflow int32 and lose digits in float32).
    a = np.repeat([0, 1], 10**6)
    b = np.zeros(2 * 10**6, dtype=int)
    assert coassociation_distance(a, b, normalize=False) == pytest.approx(np.sqrt(2e12))


# --------------------------------------------------------------------------
# centroid_shift
def test_centroid_shift_by_hand():
    shift = centroid_shift([[0, 0], [10, 0]], [[10, 3], [0, 1]])
    assert isinstance(shift, CentroidShift)
    assert shift.mean == pytest.approx(2.0)
    assert shift.max == pytest.approx(3.0)
    # Extra centres are ignored: only the closest one is matched.
    shift = centroid_shift([[0, 0]], [[100, 0], [0, 4]])
    assert (shift.mean, shift.max) == (4.0, 4.0)


def test_centroid_shift_matches_brute_force(global_random_seed):
    rng = np.random.default_rng(global_random_seed)
    for _ in range(10):
        a = rng.normal(size=(4, 3))
        b = rng.normal(size=(4, 3))
        costs = [
            np.linalg.norm(a - b[list(p)], axis=1)
            for p in itertools.permutations(range(4))
        ]
        best = min(costs, key=np.sum)
        shift = centroid_shift(a, b)
        assert shift.mean == pytest.approx(best.mean())
        assert shift.max == pytest.approx(best.max())


# --------------------------------------------------------------------------
# mean_within_cluster_std
def test_mean_within_cluster_std_by_hand():
    X = np.array([[0, 0], [2, 0], [10, 1], [10, 5], [50, 50]], dtype=float)
    # Cluster 0: stds (1, 0); cluster 1: (0, 2); the -1 row is left out.
    assert mean_within_cluster_std(X, [0, 0, 1, 1, -1]) == pytest.approx(0.75)


def test_mean_within_cluster_std_matches_numpy(global_random_seed):
    rng = np.random.default_rng(global_random_seed)
    X = rng.normal(size=(60, 4))
    labels = rng.integers(0, 4, size=60)
    expected = np.mean([X[labels == k].std(axis=0).mean() for k in np.unique(labels)])
    assert mean_within_cluster_std(X, labels) == pytest.approx(expected)
    X32 = X.astype(np.float32)
    assert mean_within_cluster_std(X32, labels) == pytest.approx(expected, rel=1e-5)


# --------------------------------------------------------------------------
# clustering_report
def test_clustering_report_matches_sklearn():
    X, y = load_iris(return_X_y=True)
    labels = KMeans(3, n_init=3, random_state=0).fit_predict(X)
    report = clustering_report(X, labels, y)
    assert report["silhouette"] == pytest.approx(silhouette_score(X, labels))
    assert report["calinski_harabasz"] == pytest.approx(
        calinski_harabasz_score(X, labels)
    )
    assert report["davies_bouldin"] == pytest.approx(davies_bouldin_score(X, labels))
    assert report["mean_within_cluster_std"] == pytest.approx(
        mean_within_cluster_std(X, labels)
    )
    assert report["adjusted_rand"] == pytest.approx(adjusted_rand_score(y, labels))
    assert report["adjusted_mutual_info"] == pytest.approx(
        adjusted_mutual_info_score(y, labels)
    )
    assert report["cluster_accuracy"] == pytest.approx(cluster_accuracy(y, labels))
    assert set(clustering_report(X, labels)) == {
        "silhouette",
        "calinski_harabasz",
        "davies_bouldin",
        "mean_within_cluster_std",
    }


def test_clustering_report_samples_silhouette():
    X, _ = load_iris(return_X_y=True)
    labels = KMeans(3, n_init=3, random_state=0).fit_predict(X)
    report = clustering_report(X, labels, sample_size=50, random_state=3)
    assert report["silhouette"] == pytest.approx(
        silhouette_score(X, labels, sample_size=50, random_state=3)
    )
    assert report["silhouette"] != pytest.approx(silhouette_score(X, labels))
    # Fixed default seed: the same report twice.
    again = clustering_report(X, labels, sample_size=50)
    assert again == clustering_report(X, labels, sample_size=50)


def test_clustering_report_silhouette_sample_with_one_cluster_is_nan():
    # 100 rows in one cluster, 1 row alone: a 10-row sample that misses the
    # lone row holds one cluster, where the silhouette is undefined.
    X, _ = load_iris(return_X_y=True)
    X = X[:101]
    labels = np.zeros(101, dtype=int)
    labels[100] = 1
    report = clustering_report(X, labels, sample_size=10, random_state=0)
    rows = np.random.RandomState(0).permutation(101)[:10]
    assert 100 not in rows  # the case under test
    assert np.isnan(report["silhouette"])
    # The statistics over all the rows are still defined.
    assert np.isfinite(report["calinski_harabasz"])


def test_clustering_report_noise_and_degenerate():
    X = np.array([[0.0, 0], [0, 1], [5, 5], [5, 6], [100, 100]])
    with_noise = clustering_report(X, [0, 0, 1, 1, -1])
    without = clustering_report(X[:4], [0, 0, 1, 1])
    assert with_noise == pytest.approx(without)
    single = clustering_report(X, [0, 0, 0, 0, 0])
    assert np.isnan(single["silhouette"])
    assert np.isnan(single["calinski_harabasz"])
    assert np.isnan(single["davies_bouldin"])
    assert single["mean_within_cluster_std"] > 0


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-10), (np.float32, 1e-5)])
@pytest.mark.parametrize("n_clusters", [2, 3, 7, 80])
def test_clustering_report_internal_matches_sklearn(
    global_random_seed, n_clusters, dtype, rtol
):
    # The chunked passes give scikit-learn's scores on the non-noise rows;
    # 80 clusters take the sparse-indicator path instead of the one-hot GEMM.
    rng = np.random.default_rng(global_random_seed)
    n = 1500
    X = rng.normal(size=(n, 4)) + 4 * rng.integers(0, 3, size=(n, 1))
    labels = rng.integers(-1, n_clusters, size=n)
    X = X.astype(dtype)
    valid = labels != -1
    # scikit-learn's float32 centroids are float32 means; compare with its
    # float64 result (our chunks are summed in float64).
    Xv, lv = X[valid].astype(np.float64), labels[valid]
    report = clustering_report(X, labels, sample_size=400, random_state=7)
    assert report["calinski_harabasz"] == pytest.approx(
        calinski_harabasz_score(Xv, lv), rel=rtol
    )
    assert report["davies_bouldin"] == pytest.approx(
        davies_bouldin_score(Xv, lv), rel=rtol
    )
    expected_std = np.mean([Xv[lv == k].std(axis=0).mean() for k in np.unique(lv)])
    assert report["mean_within_cluster_std"] == pytest.approx(expected_std, rel=rtol)
    # The silhouette sample is the one silhouette_score draws from the
    # non-noise rows.
    assert report["silhouette"] == pytest.approx(
        silhouette_score(X[valid], lv, sample_size=400, random_state=7), rel=rtol
    )


def test_clustering_report_internal_degenerate_match_sklearn():
    # Every cluster is one repeated point: no within-cluster spread.
    X = np.repeat([[0.0, 0.0], [3.0, 4.0], [6.0, 0.0]], 3, axis=0)
    labels = np.repeat([0, 1, 2], 3)
    report = clustering_report(X, labels)
    assert report["calinski_harabasz"] == calinski_harabasz_score(X, labels) == 1.0
    assert report["davies_bouldin"] == davies_bouldin_score(X, labels) == 0.0
    assert report["mean_within_cluster_std"] == 0.0
    # As many clusters as non-noise rows: the internal scores are undefined.
    report = clustering_report(X[:4], [0, 1, 2, -1])
    assert np.isnan(report["calinski_harabasz"])
    assert np.isnan(report["davies_bouldin"])
    # Only noise: nothing is defined.
    report = clustering_report(X[:4], [-1, -1, -1, -1])
    assert all(np.isnan(value) for value in report.values())


@pytest.mark.parametrize("n_classes, n_clusters", [(2, 2), (3, 5), (6, 4), (4, 30)])
@pytest.mark.parametrize("share", [0.2, 1.0])
def test_clustering_report_external_matches_sklearn(
    global_random_seed, n_classes, n_clusters, share
):
    # ARI and AMI from one contingency table; ``-1`` predictions are an
    # ordinary label there, as in scikit-learn. ``share`` is the fraction of
    # rows whose prediction is random (1.0: unrelated labellings, AMI ~ 0).
    rng = np.random.default_rng(global_random_seed)
    n = 3000
    y = rng.integers(0, n_classes, size=n)
    labels = y % n_clusters
    noisy = rng.random(n) < share
    labels[noisy] = rng.integers(-1, n_clusters, size=noisy.sum())
    report = clustering_report(rng.normal(size=(n, 2)), labels, y)
    assert report["adjusted_rand"] == pytest.approx(
        adjusted_rand_score(y, labels), rel=1e-10, abs=1e-13
    )
    assert report["adjusted_mutual_info"] == pytest.approx(
        adjusted_mutual_info_score(y, labels), rel=1e-10, abs=1e-13
    )
    assert report["cluster_accuracy"] == cluster_accuracy(y, labels)


def test_clustering_report_external_large_counts_match_sklearn():
    # Large clusters: the expected mutual information leaves out the counts
    # of negligible hypergeometric probability; the result must not move.
    rng = np.random.default_rng(0)
    n = 60_000
    y = rng.integers(0, 3, size=n)
    labels = np.where(rng.random(n) < 0.3, rng.integers(0, 4, size=n), y)
    y_str = np.array(["a", "b", "c"])[y]
    report = clustering_report(np.zeros((n, 1)), labels, y_str)
    assert report["adjusted_mutual_info"] == pytest.approx(
        adjusted_mutual_info_score(y_str, labels), rel=1e-10
    )
    assert report["adjusted_rand"] == pytest.approx(
        adjusted_rand_score(y_str, labels), rel=1e-10
    )


def test_clustering_report_external_single_label():
    X = np.zeros((4, 1))
    # One class and one cluster: a perfect match (1.0); one side only: 0.0.
    same = clustering_report(X, [3, 3, 3, 3], [1, 1, 1, 1])
    assert (
        same["adjusted_mutual_info"]
        == 1.0
        == adjusted_mutual_info_score([1, 1, 1, 1], [3, 3, 3, 3])
    )
    assert same["adjusted_rand"] == 1.0
    split = clustering_report(X, [0, 0, 1, 1], [1, 1, 1, 1])
    assert split["adjusted_mutual_info"] == 0.0
    assert split["adjusted_rand"] == adjusted_rand_score([1, 1, 1, 1], [0, 0, 1, 1])


# --------------------------------------------------------------------------
# Input validation
@pytest.mark.parametrize(
    "func", [cluster_accuracy, assignment_change_rate, coassociation_distance]
)
def test_label_metrics_reject_bad_input(func):
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        func([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="must be 1-D"):
        func([[0, 1]], [[0, 1]])
    with pytest.raises(ValueError, match="is empty"):
        func([], [])
    with pytest.raises(ValueError, match="NaN or infinity"):
        func([0.0, np.nan], [0, 1])


def test_centroid_shift_rejects_bad_input():
    with pytest.raises(ValueError, match="features"):
        centroid_shift([[0, 0]], [[0, 0, 0]])
    with pytest.raises(ValueError, match="NaN"):
        centroid_shift([[0, np.nan]], [[0, 0]])


def test_mean_within_cluster_std_rejects_bad_input():
    with pytest.raises(ValueError, match="no cluster"):
        mean_within_cluster_std([[0.0], [1.0]], [-1, -1])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        mean_within_cluster_std([[0.0], [1.0]], [0, 0, 1])
    with pytest.raises(ValueError, match="infinity"):
        mean_within_cluster_std([[0.0], [np.inf]], [0, 1])


def test_clustering_report_rejects_bad_input():
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        clustering_report([[0.0], [1.0], [2.0]], [0, 1, 1], [0, 1])


def test_metrics_do_not_modify_input():
    labels = np.array([0, 0, 1, 1])
    other = np.array([1, 1, 1, -1])
    X = np.arange(8.0).reshape(4, 2)
    copies = labels.copy(), other.copy(), X.copy()
    cluster_accuracy(labels, other)
    assignment_change_rate(labels, other)
    coassociation_distance(labels, other)
    mean_within_cluster_std(X, other)
    clustering_report(X, labels, other)
    for before, after in zip(copies, (labels, other, X), strict=True):
        assert_allclose(before, after)
