import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from numpy.testing import assert_allclose, assert_array_equal  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402

from skpoison.attacks import GaussianNoiseAttack  # noqa: E402
from skpoison.model_selection import (  # noqa: E402
    SecurityEvaluationDisplay,
    robustness_curve,
    security_evaluation,
)

GRID = {"n_poison": [0.2, 0.8], "scale": [0.5, 3.0]}


@pytest.fixture(scope="module")
def data():
    return load_iris(return_X_y=True)


@pytest.fixture(scope="module")
def result(data):
    X, y = data
    return security_evaluation(
        KMeans(3, n_init=1),
        GaussianNoiseAttack(),
        X,
        y,
        param_grid=GRID,
        n_repeats=2,
        random_state=0,
        as_frame=False,
    )


def test_grid_rows_and_common_seeds(data, result):
    assert result["param_n_poison"].tolist() == [0.2] * 4 + [0.8] * 4
    assert result["param_scale"].tolist() == [0.5, 0.5, 3.0, 3.0] * 2
    assert result["repeat"].tolist() == [0, 1] * 4
    assert "param_value" not in result and "attack" not in result
    # Every grid point uses the same repeat seeds: the clean runs are equal.
    clean = result["clean_adjusted_rand"].reshape(4, 2)
    assert_array_equal(clean, np.broadcast_to(clean[0], clean.shape))
    # A grid row equals the robustness_curve point with the same seeds.
    X, y = data
    curve = robustness_curve(
        KMeans(3, n_init=1),
        GaussianNoiseAttack(scale=3.0),
        X,
        y,
        param_range=[0.8],
        n_repeats=2,
        random_state=0,
        as_frame=False,
    )
    rows = (result["param_n_poison"] == 0.8) & (result["param_scale"] == 3.0)
    assert_allclose(
        result["poisoned_adjusted_rand"][rows], curve["poisoned_adjusted_rand"]
    )


def test_more_perturbation_more_damage(result):
    # Noise three standard deviations wide on 80 % of the rows hurts k-means
    # more than half a standard deviation on 20 %.
    mean = {
        (a, b): result["poisoned_adjusted_rand"][
            (result["param_n_poison"] == a) & (result["param_scale"] == b)
        ].mean()
        for a in GRID["n_poison"]
        for b in GRID["scale"]
    }
    assert mean[0.8, 3.0] < mean[0.2, 0.5]


def test_display(result):
    display = SecurityEvaluationDisplay.from_results(result)
    assert display.first == "n_poison" and display.second == "scale"
    assert display.matrix.shape == (2, 2)
    cell = result["poisoned_adjusted_rand"][
        (result["param_n_poison"] == 0.8) & (result["param_scale"] == 0.5)
    ].mean()
    assert display.matrix[0, 1] == pytest.approx(cell)
    assert display.ax_.get_xlabel() == "n_poison"
    with pytest.raises(ValueError, match="two param_"):
        SecurityEvaluationDisplay.from_results({"param_a": [1], "x": [1]})


@pytest.mark.parametrize(
    "grid, match",
    [
        ({"n_poison": [0.1]}, "exactly two"),
        ({"n_poison": [0.1], "scale": [1], "random_state": [0]}, "exactly two"),
        ({"n_poison": [0.1], "radius": [1.0]}, "'radius' is not a parameter"),
        ({"n_poison": [], "scale": [1.0]}, "no values"),
    ],
)
def test_bad_grid(data, grid, match):
    X, y = data
    with pytest.raises(ValueError, match=match):
        security_evaluation(KMeans(3), GaussianNoiseAttack(), X, y, param_grid=grid)
