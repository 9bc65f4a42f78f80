import matplotlib.pyplot as plt
import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.datasets import load_iris
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import MinMaxScaler

from skpoison.attacks import MimicryAttack
from skpoison.defences import DBSCANOutlierRemover
from skpoison.metrics import KDistanceDisplay

X_IRIS = MinMaxScaler().fit_transform(load_iris().data)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_by_hand():
    display = KDistanceDisplay(k_distances=np.array([0.1, 0.2, 0.3, 1.0]), eps=0.3)
    display.plot()
    assert display.knee_index == 2
    assert_allclose(display.line_.get_xydata(), [[0, 0.1], [1, 0.2], [2, 0.3], [3, 1]])
    assert_allclose(display.eps_line_.get_ydata(), [0.3, 0.3])
    assert_allclose(display.knee_line_.get_xdata(), [2, 2])
    assert display.ax_.get_ylabel() == "Distance to the k-th nearest row"


def test_notebook_k_distance_graph_on_iris():
    # The mimicry notebook's find_eps: the distance of each row to its 8th
    # nearest row (itself included), sorted; eps at the knee, 0.24.
    remover = DBSCANOutlierRemover().fit(X_IRIS)
    display = KDistanceDisplay.from_estimator(remover, label="clean")
    dist, _ = NearestNeighbors(n_neighbors=8).fit(X_IRIS).kneighbors(X_IRIS)
    curve = np.sort(dist[:, 7])
    assert_allclose(display.line_.get_ydata(), curve)
    assert round(display.eps, 2) == 0.24
    assert display.ax_.get_ylabel() == "Distance to the 8-th nearest row"
    # Rows right of the knee are the only ones DBSCAN may leave as noise.
    assert curve[display.knee_index] >= display.eps > curve[display.knee_index - 1]
    assert remover.outlier_mask_.sum() <= curve.size - display.knee_index


def test_overlay_clean_and_poisoned_moves_the_knee():
    attack = MimicryAttack(n_poison=40, random_state=0)
    X_pois, _ = attack.fit_resample(X_IRIS)
    _, ax = plt.subplots()
    clean = KDistanceDisplay.from_estimator(
        DBSCANOutlierRemover().fit(X_IRIS), ax=ax, label="clean"
    )
    pois = KDistanceDisplay.from_estimator(
        DBSCANOutlierRemover().fit(X_pois), ax=ax, label="poisoned"
    )
    assert clean.ax_ is pois.ax_
    assert len(ax.get_lines()) == 6
    assert pois.line_.get_xydata().shape[0] == X_pois.shape[0]
    assert clean.line_.get_color() != pois.line_.get_color()


def test_unfitted_and_bad_curves():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        KDistanceDisplay.from_estimator(DBSCANOutlierRemover())
    with pytest.raises(ValueError, match="sorted"):
        KDistanceDisplay(k_distances=np.array([2.0, 1.0]), eps=1.0).plot()
