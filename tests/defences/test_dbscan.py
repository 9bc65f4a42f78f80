import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.cluster import DBSCAN
from sklearn.datasets import load_breast_cancer, load_iris, make_blobs
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import MinMaxScaler

from skpoison.defences import DBSCANOutlierRemover


def test_minmax_iris_reproduces_the_original_clean_up():
    # The original study: MinMax-scaled iris, min_samples = 2 * 4 = 8, eps at
    # the knee (about 0.24), three outliers removed.
    X = MinMaxScaler().fit_transform(load_iris().data)
    remover = DBSCANOutlierRemover()
    X_res, _ = remover.fit_resample(X)
    assert remover.min_samples_ == 8
    assert remover.eps_ == pytest.approx(0.242, abs=0.001)
    assert remover.outlier_mask_.sum() == 3
    assert X_res.shape == (147, 4)
    expected = DBSCAN(eps=remover.eps_, min_samples=8).fit_predict(X) == -1
    assert_array_equal(remover.outlier_mask_, expected)
    assert np.all(np.diff(remover.k_distances_) >= 0)


def test_minmax_breast_cancer_flags_eight():
    X = MinMaxScaler().fit_transform(load_breast_cancer().data)
    remover = DBSCANOutlierRemover().fit(X)
    assert remover.min_samples_ == 60
    assert remover.outlier_mask_.sum() == 8


def test_k_distance_counts_the_row_itself():
    # 1-D rows 0, 1, 3: with min_samples=2 the k-distance of each row is the
    # distance to its nearest other row: 1, 1, 2.
    X = np.array([[0.0], [1.0], [3.0]])
    remover = DBSCANOutlierRemover(eps=1.5, min_samples=2).fit(X)
    assert_array_equal(remover.k_distances_, [1.0, 1.0, 2.0])
    # Row 2 is 2 away from its nearest row: noise for eps=1.5.
    assert_array_equal(remover.outlier_mask_, [False, False, True])


def test_parameters_override_the_defaults():
    X = MinMaxScaler().fit_transform(load_iris().data)
    remover = DBSCANOutlierRemover(eps=0.1, min_samples=4).fit(X)
    assert remover.eps_ == 0.1 and remover.min_samples_ == 4
    expected = DBSCAN(eps=0.1, min_samples=4).fit_predict(X) == -1
    assert_array_equal(remover.outlier_mask_, expected)
    assert remover.detector_.eps == 0.1


@pytest.mark.parametrize("max_samples", [40, 0.3, 150])
def test_scalable_mode_finds_exactly_dbscans_noise(max_samples, global_random_seed):
    rng = np.random.default_rng(global_random_seed)
    X, _ = make_blobs(
        n_samples=300, centers=3, n_features=3, random_state=global_random_seed
    )
    X = np.concatenate([X, rng.uniform(-15, 15, size=(15, 3))])
    remover = DBSCANOutlierRemover(max_samples=max_samples, random_state=0).fit(X)
    expected_curve = 40 if max_samples == 40 else 94 if max_samples == 0.3 else 150
    assert remover.k_distances_.shape == (expected_curve,)
    expected = (
        DBSCAN(eps=remover.eps_, min_samples=remover.min_samples_).fit_predict(X) == -1
    )
    assert expected.any()
    assert_array_equal(remover.outlier_mask_, expected)


def test_scalable_mode_eps_is_close_to_the_exact_one():
    X = MinMaxScaler().fit_transform(load_breast_cancer().data)
    exact = DBSCANOutlierRemover().fit(X).eps_
    sampled = DBSCANOutlierRemover(max_samples=300, random_state=0).fit(X).eps_
    assert sampled == pytest.approx(exact, rel=0.25)


def test_uniform_density_flags_nothing():
    # Evenly spaced rows: the k-distance curve is flat, no knee, so eps is its
    # largest value and every row is a core point.
    X = np.linspace(0, 1, 30)[:, None]
    remover = DBSCANOutlierRemover().fit(X)
    assert not remover.outlier_mask_.any()


def test_duplicated_rows_do_not_break_eps():
    X = np.ones((10, 2))
    remover = DBSCANOutlierRemover().fit(X)
    assert remover.eps_ > 0
    assert not remover.outlier_mask_.any()


def test_float32_is_kept():
    X = MinMaxScaler().fit_transform(load_iris().data).astype(np.float32)
    X_res, _ = DBSCANOutlierRemover().fit_resample(X)
    assert X_res.dtype == np.float32


def test_min_samples_above_the_row_count_raises():
    X = np.arange(12.0).reshape(3, 4)  # default min_samples = 8 > 3 rows
    with pytest.raises(ValueError, match="min_samples=8 exceeds the 3 rows"):
        DBSCANOutlierRemover().fit_resample(X)


def test_bad_eps_raises():
    X = np.arange(12.0).reshape(6, 2)
    with pytest.raises(ValueError, match="eps"):
        DBSCANOutlierRemover(eps=-1.0).fit_resample(X)


def _blobs_with_noise(seed):
    rng = np.random.default_rng(seed)
    X, _ = make_blobs(n_samples=400, centers=4, n_features=3, random_state=seed)
    return np.concatenate([X, rng.uniform(-15, 15, size=(30, 3))])


def _grid_with_duplicates():
    # Integer grid: many distances exactly equal to eps (ties at the
    # boundary), duplicated rows, and isolated rows at distance exactly 1.
    g = np.stack(np.meshgrid(np.arange(6), np.arange(6)), axis=-1).reshape(-1, 2)
    extra = [[0, 0], [0, 0], [3, 3], [10, 10], [11, 10], [20, 20], [21, 21]]
    return np.concatenate([g, extra]).astype(np.float64)


DATASETS = {
    "iris": lambda: MinMaxScaler().fit_transform(load_iris().data),
    # 30 features: the brute-force search (no tree).
    "breast_cancer": lambda: MinMaxScaler().fit_transform(load_breast_cancer().data),
    "blobs_noise": lambda: _blobs_with_noise(0),
    "grid_ties": _grid_with_duplicates,
    "iris_float32": lambda: load_iris().data.astype(np.float32),
}


@pytest.mark.parametrize("name", list(DATASETS))
@pytest.mark.parametrize("eps_at", ["knee", 0.2, 0.5, 0.8])
def test_noise_set_is_dbscans_exactly(name, eps_at, monkeypatch):
    X = DATASETS[name]()
    # The noise comes from k-nearest-neighbour queries, never from DBSCAN.
    monkeypatch.setattr(DBSCAN, "fit", None)
    auto = DBSCANOutlierRemover().fit(X)
    if eps_at == "knee":
        eps, min_samples = auto.eps_, auto.min_samples_
    else:
        # eps exactly one of the k-distances: a row sits on the boundary.
        curve = auto.k_distances_
        eps = float(curve[int(eps_at * (curve.size - 1))])
        min_samples = 3 if name == "grid_ties" else auto.min_samples_
    remover = DBSCANOutlierRemover(eps=eps, min_samples=min_samples).fit(X)
    monkeypatch.undo()
    dbscan = DBSCAN(eps=eps, min_samples=min_samples).fit(X)
    assert_array_equal(remover.outlier_mask_, dbscan.labels_ == -1)
    # The core rows too, but for rows whose k-distance is eps within
    # rounding: there DBSCAN's own answer depends on how its brute-force
    # radius query batches the rows (breast cancer at eps = a k-distance).
    core = np.zeros(len(X), dtype=bool)
    core[remover.core_sample_indices_] = True
    expected = np.zeros(len(X), dtype=bool)
    expected[dbscan.core_sample_indices_] = True
    k_dist = NearestNeighbors(n_neighbors=min_samples).fit(X).kneighbors(X)[0][:, -1]
    boundary = np.isclose(k_dist, eps, rtol=1e-6, atol=0)
    assert_array_equal(core[~boundary], expected[~boundary])
    assert (core != expected).sum() <= 1


def test_grid_ties_hand_worked():
    # Unit grid plus far rows, eps = 1 exactly and min_samples = 3: grid rows
    # have at least 3 rows within 1 (themselves and two grid neighbours);
    # (10, 10) and (11, 10) are each other's only neighbour: noise; so are
    # (20, 20) and (21, 21), sqrt(2) apart.
    X = _grid_with_duplicates()
    remover = DBSCANOutlierRemover(eps=1.0, min_samples=3).fit(X)
    assert_array_equal(np.flatnonzero(remover.outlier_mask_), [39, 40, 41, 42])
    # Every grid row and the duplicates are core rows; the far ones are not.
    assert_array_equal(remover.core_sample_indices_, np.arange(39))


def test_core_rows_not_computed_in_the_scalable_mode():
    X = _blobs_with_noise(0)
    remover = DBSCANOutlierRemover(max_samples=50, random_state=0).fit(X)
    assert remover.core_sample_indices_ is None


@pytest.mark.parametrize("name", ["iris", "breast_cancer", "blobs_noise", "grid_ties"])
@pytest.mark.parametrize("eps", [None, "given"])
def test_rounds_with_extra_rows_equal_a_fresh_fit(name, eps, global_random_seed):
    from skpoison.defences._dbscan import DBSCANRounds

    X = DATASETS[name]()
    rng = np.random.default_rng(global_random_seed)
    remover = DBSCANOutlierRemover()
    if eps == "given":
        remover = DBSCANOutlierRemover(eps=float(remover.fit(X).eps_), min_samples=4)
    rounds = DBSCANRounds(remover, X)
    outliers = X[np.argsort(-rounds.dist[:, -1])[:3]]
    for size in [0, 1, 5, 40]:
        # Clouds around the most isolated rows, plus exact duplicates.
        P = outliers[rng.integers(0, 3, size)] + rng.normal(0, 0.02, (size, X.shape[1]))
        P[: size // 4] = X[rng.integers(0, X.shape[0], size // 4)]
        Z = np.concatenate([X, P.astype(X.dtype)])
        expected = DBSCANOutlierRemover(**remover.get_params()).fit(Z).outlier_mask_
        assert_array_equal(rounds.flags(P), expected)


def test_approximate_backend_agrees_on_breast_cancer():
    pytest.importorskip("faiss")
    X = DATASETS["breast_cancer"]()
    exact = DBSCANOutlierRemover().fit(X)
    approx = DBSCANOutlierRemover(algorithm="approximate").fit(X)
    assert approx.eps_ == pytest.approx(exact.eps_, rel=1e-5)
    assert_array_equal(approx.outlier_mask_, exact.outlier_mask_)
    again = DBSCANOutlierRemover(algorithm="approximate").fit(X)
    assert_array_equal(again.k_distances_, approx.k_distances_)


def test_approximate_backend_without_faiss_names_it(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "faiss", None)
    X = DATASETS["iris"]()
    with pytest.raises(ImportError, match="faiss-cpu"):
        DBSCANOutlierRemover(algorithm="approximate").fit(X)


@pytest.mark.parametrize(
    "params", [{"metric": "manhattan"}, {"max_samples": 50, "random_state": 0}]
)
def test_approximate_backend_rejects_what_it_cannot_do(params):
    X = DATASETS["iris"]()
    with pytest.raises(ValueError, match="approximate"):
        DBSCANOutlierRemover(algorithm="approximate", **params).fit(X)


def test_exact_clean_up_peaks_at_a_small_multiple_of_x():
    import tracemalloc

    # 10 000 x 10: the neighbour queries are chunked by a share of the rows,
    # so their (chunk, min_samples) results stay smaller than X (one
    # 32 768-row chunk made the peak 8.4x X here).
    X, _ = make_blobs(10_000, 10, centers=8, random_state=0)
    tracemalloc.start()
    try:
        DBSCANOutlierRemover().fit_resample(X)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak / X.nbytes <= 3.0


@pytest.mark.parametrize("algorithm", ["kd_tree", "ball_tree", "brute"])
def test_k_distances_query_the_rows_in_the_trees_leaf_order(algorithm, monkeypatch):
    from skpoison.defences import _dbscan

    X = _blobs_with_noise(0)
    nn = NearestNeighbors(algorithm=algorithm).fit(X)
    order = _dbscan.tree_order(nn)
    if algorithm == "brute":
        assert order is None
        expected_queries = X
    else:
        # A permutation of the rows, in which neighbours in space come
        # one after another (that locality is the point of the order).
        assert_array_equal(np.sort(order), np.arange(len(X)))
        step = np.linalg.norm(np.diff(X[order], axis=0), axis=1)
        shuffled = np.linalg.norm(np.diff(X, axis=0), axis=1)
        assert np.median(step) < np.median(shuffled) / 3
        expected_queries = X[order]
    queries = []
    kneighbors = nn.kneighbors

    def spy(Q, n_neighbors):
        queries.append(Q)
        return kneighbors(Q, n_neighbors=n_neighbors)

    monkeypatch.setattr(nn, "kneighbors", spy)
    monkeypatch.setattr(_dbscan, "_query_rows", lambda n_rows: 100)
    k_dist = _dbscan.k_distances(nn, X, 7)
    assert len(queries) == 5
    assert_array_equal(np.concatenate(queries), expected_queries)
    assert_array_equal(k_dist, kneighbors(X, n_neighbors=7)[0][:, -1])
