from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.datasets import load_iris
from sklearn.decomposition import PCA
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import BridgeAttack
from skpoison.base import BaseDefence
from skpoison.metrics import ClusterShiftDisplay
from skpoison.model_selection import fit_paired

X_IRIS, Y_IRIS = load_iris(return_X_y=True)


class ThresholdDefence(BaseDefence):
    def __init__(self, threshold=7.0):
        self.threshold = threshold

    def _outlier_mask(self, X, y):
        return X[:, 0] > self.threshold


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_from_predictions_by_hand():
    # Two clusters on a line; the poisoned model names them the other way
    # round and its centres moved right by 1.
    X = np.array([[0.0, 0.0], [1.0, 0.0], [10.0, 0.0], [11.0, 0.0]])
    display = ClusterShiftDisplay.from_predictions(
        X,
        [0, 0, 1, 1],
        [1, 1, 0, 0],
        clean_centers=[[0.5, 0.0], [10.5, 0.0]],
        poisoned_centers=[[11.5, 0.0], [1.5, 0.0]],
        X_injected=[[20.0, 0.0]],
        X_removed=[[11.0, 0.0]],
    )
    # Renamed to match: colours agree.
    assert display.poisoned_labels.tolist() == [0, 0, 1, 1]
    assert_allclose(
        display.scatter_[0].get_facecolors(), display.scatter_[1].get_facecolors()
    )
    # The projection is fitted on X only: PC 1 is the x axis (up to sign).
    pca = PCA(2).fit(X)
    assert_allclose(display.X_2d, pca.transform(X))
    # Matched centres in clean order: arrows go 0.5 -> 1.5 and 10.5 -> 11.5.
    assert len(display.arrows_) == 2
    starts = np.array([a.xyann for a in display.arrows_])
    ends = np.array([a.xy for a in display.arrows_])
    assert_allclose(np.abs(ends[:, 0] - starts[:, 0]), [1.0, 1.0])
    assert display.injected_.get_offsets().shape == (1, 2)
    assert display.removed_.get_offsets().shape == (1, 2)
    axes = display.ax_
    assert axes.shape == (2,)
    assert [ax.get_title() for ax in axes] == ["Clean model", "Poisoned model"]
    legend = [t.get_text() for t in axes[1].get_legend().get_texts()]
    assert legend == [
        "clean centres",
        "injected rows",
        "removed rows",
        "poisoned centres",
    ]
    assert display.figure_ is axes[0].figure


def test_overlay_and_given_axes():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [10.0, 0.0], [11.0, 1.0]])
    fig, ax = plt.subplots()
    display = ClusterShiftDisplay.from_predictions(
        X, [0, 0, 1, 1], [0, 0, 0, 1], ax=ax, overlay=True
    )
    assert display.ax_ is ax
    assert len(display.scatter_) == 1
    assert display.arrows_ == [] and display.centers_ == []
    assert display.injected_ is None and display.removed_ is None
    with pytest.raises(ValueError, match="two Axes"):
        display.plot(ax=ax)
    fig, axes = plt.subplots(1, 2)
    assert display.plot(ax=axes) is display
    assert len(axes[0].collections) == 1


def test_noise_is_grey_and_new_clusters_get_new_colours():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [10.0, 0.0], [11.0, 1.0], [5.0, 5.0]])
    display = ClusterShiftDisplay.from_predictions(X, [0, 0, 1, 1, 1], [4, 4, 7, -1, 9])
    assert display.poisoned_labels.tolist() == [0, 0, 1, -1, 2]
    grey = display.scatter_[1].get_facecolors()[3]
    assert_allclose(grey[:3], [0.6, 0.6, 0.6])


def test_from_paired():
    result = fit_paired(
        KMeans(3, n_init=2),
        BridgeAttack(n_poison=0.2),
        X_IRIS,
        Y_IRIS,
        defence=ThresholdDefence(threshold=7.0),
        random_state=0,
    )
    display = ClusterShiftDisplay.from_paired(result)
    assert display.X_2d.shape == (150, 2)
    assert display.injected_2d.shape == (30, 2)
    # The defence removed the genuine rows above 7 (and any injected ones).
    assert display.removed_2d.shape[0] >= int((X_IRIS[:, 0] > 7).sum())
    assert display.removed_2d.shape[0] == result.poisoned.n_removed
    assert len(display.arrows_) == 3
    assert len(display.centers_) == 3  # clean in both panels, poisoned once
    np.testing.assert_array_equal(display.clean_labels, result.clean.labels)

    # Without cluster centres (and without predict): no arrows, both panels.
    result = fit_paired(
        AgglomerativeClustering(3), BridgeAttack(n_poison=10), X_IRIS, random_state=0
    )
    display = ClusterShiftDisplay.from_paired(result)
    assert display.arrows_ == []
    assert len(display.scatter_) == 2


def test_from_paired_duck_typed():
    # metrics never imports model_selection: any object with .clean and
    # .poisoned runs works.
    labels = np.repeat([0, 1, 2], 50)

    def run(centers):
        return SimpleNamespace(
            labels=labels,
            centers=centers,
            centers_in_input_space=True,
            X_injected=np.empty((0, 4)),
            X_removed=np.empty((0, 4)),
        )

    centers = np.stack([X_IRIS[labels == c].mean(axis=0) for c in range(3)])
    pair = SimpleNamespace(clean=run(centers), poisoned=run(centers + 1.0))
    display = ClusterShiftDisplay.from_paired(pair, X_IRIS)
    assert len(display.arrows_) == 3
    with pytest.raises(ValueError, match="Pass X"):
        ClusterShiftDisplay.from_paired(pair)
    with pytest.raises(TypeError, match=".clean and .poisoned"):
        ClusterShiftDisplay.from_paired(object(), X_IRIS)


def test_from_estimator_takes_fitted_models():
    X_poisoned, _ = BridgeAttack(n_poison=0.2, random_state=0).fit_resample(X_IRIS)
    clean = KMeans(3, n_init=2, random_state=0).fit(X_IRIS)
    poisoned = KMeans(3, n_init=2, random_state=0).fit(X_poisoned)
    display = ClusterShiftDisplay.from_estimator(
        clean, poisoned, X_IRIS, X_injected=X_poisoned[150:]
    )
    np.testing.assert_array_equal(display.clean_labels, clean.predict(X_IRIS))
    assert display.injected_2d.shape == (30, 2)
    assert len(display.arrows_) == 3
    # A fitted pipeline: its centres live in the scaled space, not drawn.
    pipe = make_pipeline(StandardScaler(), KMeans(3, n_init=2, random_state=0))
    display = ClusterShiftDisplay.from_estimator(pipe.fit(X_IRIS), clean, X_IRIS)
    assert display.arrows_ == []
    with pytest.raises(NotFittedError):
        ClusterShiftDisplay.from_estimator(KMeans(3), clean, X_IRIS)
    no_predict = AgglomerativeClustering(3).fit(X_IRIS)
    with pytest.raises(ValueError, match="no predict"):
        ClusterShiftDisplay.from_estimator(no_predict, clean, X_IRIS)


def test_bad_input():
    X = np.zeros((4, 2))
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        ClusterShiftDisplay.from_predictions(X, [0, 1, 0], [0, 1, 0, 1])
    with pytest.raises(ValueError, match="features"):
        ClusterShiftDisplay.from_predictions(
            np.eye(4)[:, :2], [0, 0, 1, 1], [0, 0, 1, 1], X_injected=[[1.0, 2, 3]]
        )
