"""The Lloyd loop shared by the clusterers, against naive references."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris, make_classification

from skpoison.cluster import KMeansMinusMinus, SemiSupervisedKMeans, _lloyd


def _naive(X, centers, max_iter, tol, fixed_mask=None, fixed_labels=None, n_trim=0):
    """Textbook loop: full distance matrix, sort for the trimmed rows."""
    centers = centers.astype(np.float64).copy()
    labels_old = None
    n_iter = 0
    while n_iter < max_iter:
        n_iter += 1
        d2 = ((X[:, None, :] - centers[None]) ** 2).sum(axis=2)
        labels = d2.argmin(axis=1)
        if fixed_mask is not None:
            labels[fixed_mask] = fixed_labels
        keep = np.ones(len(X), dtype=bool)
        if n_trim:
            keep[np.argsort(d2[np.arange(len(X)), labels])[len(X) - n_trim :]] = False
        new = centers.copy()
        for h in range(len(centers)):
            rows = keep & (labels == h)
            if rows.any():
                new[h] = X[rows].mean(axis=0)
        shift = ((new - centers) ** 2).sum()
        centers = new
        if not n_trim and labels_old is not None and (labels == labels_old).all():
            break
        if shift <= tol:
            break
        labels_old = labels
    return centers, n_iter


def _data(seed, n=400):
    X, y = make_classification(
        n,
        n_features=6,
        n_informative=4,
        n_classes=3,
        n_clusters_per_class=2,
        random_state=seed,
    )
    y = np.where(np.random.default_rng(seed).random(n) < 0.1, y, -1)
    return X, y


@pytest.mark.parametrize("method", ["seeded", "constrained"])
def test_semi_supervised_matches_textbook_loop(method, global_random_seed):
    X, y = _data(global_random_seed)
    model = SemiSupervisedKMeans(method=method, tol=0).fit(X, y)
    labelled = y != -1
    index = np.searchsorted(model.classes_, y[labelled])
    centers, n_iter = _naive(
        X,
        model.initial_centers_,
        300,
        0,
        fixed_mask=labelled if method == "constrained" else None,
        fixed_labels=index,
    )
    assert_allclose(model.cluster_centers_, centers, rtol=1e-10, atol=1e-12)
    assert model.n_iter_ == n_iter
    if method == "constrained":
        assert_array_equal(model.labels_[labelled], y[labelled])


def test_seeded_iterations_are_sklearn_lloyd(global_random_seed):
    # Data needing tens of iterations: same centres, labels and n_iter_.
    X, y = _data(global_random_seed, n=2000)
    model = SemiSupervisedKMeans().fit(X, y)
    km = KMeans(
        len(model.classes_),
        init=model.initial_centers_,
        n_init=1,
        algorithm="lloyd",
    ).fit(X)
    assert model.n_iter_ == km.n_iter_
    assert_allclose(model.cluster_centers_, km.cluster_centers_, rtol=1e-10)
    assert_array_equal(model.labels_, model.classes_[km.labels_])


def test_kmeans_minus_minus_matches_textbook_loop(global_random_seed):
    X = load_iris().data
    init = X[[0, 50, 100]]
    km = KMeansMinusMinus(3, n_outliers=7, init=init, tol=0).fit(X)
    centers, n_iter = _naive(X, init, 300, 0, n_trim=7)
    assert_allclose(km.cluster_centers_, centers, rtol=1e-10)
    assert km.n_iter_ == n_iter
    assert km.outlier_mask_.sum() == 7


@pytest.mark.parametrize("method", ["seeded", "constrained"])
def test_numpy_fallback_step_gives_the_same_fit(method, monkeypatch):
    X, y = _data(0)
    ref = SemiSupervisedKMeans(method=method).fit(X, y)
    ref_mm = KMeansMinusMinus(3, n_outliers=10, n_init=2, random_state=0).fit(X)
    monkeypatch.setattr(_lloyd, "_sklearn_lloyd_step", None)
    model = SemiSupervisedKMeans(method=method).fit(X, y)
    assert_allclose(model.cluster_centers_, ref.cluster_centers_, rtol=1e-10)
    assert_array_equal(model.labels_, ref.labels_)
    assert model.n_iter_ == ref.n_iter_
    mm = KMeansMinusMinus(3, n_outliers=10, n_init=2, random_state=0).fit(X)
    assert_array_equal(mm.labels_, ref_mm.labels_)


@pytest.mark.parametrize("method", ["seeded", "constrained"])
def test_float32_stays_float32(method):
    X, y = _data(1)
    X32 = X.astype(np.float32)
    m32 = SemiSupervisedKMeans(method=method).fit(X32, y)
    m64 = SemiSupervisedKMeans(method=method).fit(X, y)
    assert m32.cluster_centers_.dtype == np.float32
    assert_allclose(m32.cluster_centers_, m64.cluster_centers_, rtol=1e-3, atol=1e-4)
    mm = KMeansMinusMinus(3, n_outliers=5, n_init=1, random_state=0).fit(X32)
    assert mm.cluster_centers_.dtype == np.float32


def test_empty_cluster_not_relocated_in_constrained_and_trimmed_runs():
    # Cluster 2's seed (mean of -1 and 11 = 5) attracts no unlabelled row:
    # constrained k-means keeps its two labelled rows in it, whatever
    # scikit-learn's step would relocate.
    X = np.array([[-1.0], [0.0], [1.0], [9.0], [10.0], [11.0]])
    y = np.array([2, 0, -1, -1, 1, 2])
    model = SemiSupervisedKMeans(method="constrained").fit(X, y)
    assert_array_equal(model.labels_, [2, 0, 0, 1, 1, 2])
    assert_allclose(model.cluster_centers_, [[0.5], [9.5], [5.0]])


def test_kmeans_minus_minus_matches_textbook_loop_over_many_iterations():
    # Overlapping clusters need tens of iterations, so the distance bounds
    # carried between iterations decide which rows are measured.
    X, _ = _data(3, n=3000)
    init = X[:4]
    km = KMeansMinusMinus(4, n_outliers=150, init=init, tol=0).fit(X)
    centers, n_iter = _naive(X, init, 300, 0, n_trim=150)
    assert n_iter > 10
    assert_allclose(km.cluster_centers_, centers, rtol=1e-10)
    assert km.n_iter_ == n_iter


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_farthest_rows_are_the_full_pass_while_measuring_fewer(dtype):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5000, 8)).astype(dtype)
    centers = rng.normal(size=(5, 8)).astype(dtype)
    finder = _lloyd.FarthestRows(X, 250)
    measured, labels = [], None
    for move in [0.0] + [0.01] * 5 + [2.0, 0.001]:
        old = centers
        centers = (old + move * rng.normal(size=old.shape)).astype(dtype)
        if move:
            finder.moved(old, centers, labels)
        labels = ((X[:, None, :] - centers[None]) ** 2).sum(axis=2).argmin(axis=1)
        far = finder.find(centers, labels)
        dist = ((X - centers[labels]) ** 2).sum(axis=1)
        assert_array_equal(np.sort(far), np.sort(np.argsort(dist)[-250:]))
        measured.append(finder.n_measured_)
    assert measured[0] == len(X)
    # Small moves: only rows near the cut are measured; a large one (2.0)
    # leaves no bound tight enough, and every row is measured again.
    assert max(measured[1:6]) < len(X) / 4
    assert measured[6] == len(X)
    assert measured[7] < len(X) / 4
