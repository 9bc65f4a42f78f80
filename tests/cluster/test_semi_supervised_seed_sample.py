"""SemiSupervisedKMeans with the labelled seed sample kept apart."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skpoison.cluster import SemiSupervisedKMeans


def _notebook_split():
    # The seeded k-means notebook (iris): a stratified 20 % labelled sample,
    # standardised on the 80 % to cluster.
    X, y = load_iris(return_X_y=True)
    x_in, x_seed, y_in, y_seed = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=42
    )
    scaler = StandardScaler().fit(x_in)
    return scaler.transform(x_in), y_in, scaler.transform(x_seed), y_seed


def test_by_hand_labelled_rows_do_not_move_the_centres():
    # Seeds at 0 and 12; the unlabelled rows alone give centres 1.5 and 10.5.
    X = np.array([[0.0], [12.0], [1.0], [2.0], [10.0], [11.0]])
    y = np.array([0, 1, -1, -1, -1, -1])
    model = SemiSupervisedKMeans(cluster_labelled=False).fit(X, y)
    assert_allclose(model.initial_centers_.ravel(), [0.0, 12.0])
    assert_allclose(model.cluster_centers_.ravel(), [1.5, 10.5])
    assert_allclose(model.inertia_, 4 * 0.25)
    assert_array_equal(model.labels_, [0, 1, 0, 0, 1, 1])
    # With the labelled rows clustered too, they pull the centres.
    both = SemiSupervisedKMeans().fit(X, y)
    assert_allclose(both.cluster_centers_.ravel(), [1.0, 11.0])


def test_reproduces_the_notebook_on_iris():
    x_in, y_in, x_seed, y_seed = _notebook_split()
    X = np.vstack([x_seed, x_in])
    y = np.concatenate([y_seed, np.full(y_in.shape, -1)])
    model = SemiSupervisedKMeans(cluster_labelled=False).fit(X, y)
    seeds = np.stack([x_seed[y_seed == c].mean(axis=0) for c in range(3)])
    ref = KMeans(n_clusters=3, init=seeds, n_init=1).fit(x_in)
    assert_allclose(model.cluster_centers_, ref.cluster_centers_)
    assert_array_equal(model.labels_[len(y_seed) :], ref.labels_)
    assert_allclose(model.inertia_, ref.inertia_)
    # The notebook's clean accuracy on the clustered part: 0.83.
    assert model.score(x_in, y_in) == pytest.approx(100 / 120)


def test_all_labelled_is_an_error():
    X = np.array([[0.0], [1.0], [5.0]])
    with pytest.raises(ValueError, match="every row of y is labelled"):
        SemiSupervisedKMeans(cluster_labelled=False).fit(X, [0, 0, 1])


def test_constrained_equals_seeded_when_labelled_rows_kept_apart():
    x_in, _, x_seed, y_seed = _notebook_split()
    X = np.vstack([x_seed, x_in])
    y = np.concatenate([y_seed, np.full(x_in.shape[0], -1)])
    a = SemiSupervisedKMeans(cluster_labelled=False).fit(X, y)
    b = SemiSupervisedKMeans(cluster_labelled=False, method="constrained").fit(X, y)
    assert_array_equal(a.labels_, b.labels_)
    assert_allclose(a.cluster_centers_, b.cluster_centers_)
