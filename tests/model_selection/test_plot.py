import matplotlib.pyplot as plt
import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris

from skpoison.attacks import UniformOutlierAttack
from skpoison.model_selection import RobustnessCurveDisplay

# A hand-made robustness_curve result: 2 values x 3 repeats.
RESULTS = {
    "param_value": np.array([0.1, 0.1, 0.1, 0.5, 0.5, 0.5]),
    "repeat": np.array([0, 1, 2, 0, 1, 2]),
    "clean_adjusted_rand": np.array([0.8, 0.8, 0.8, 0.8, 0.8, 0.8]),
    "poisoned_adjusted_rand": np.array([0.7, 0.6, 0.8, 0.2, 0.4, 0.3]),
    "centroid_shift_mean": np.array([1.0, 1.0, 1.0, 2.0, 4.0, np.nan]),
}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_from_results_by_hand():
    display = RobustnessCurveDisplay.from_results(
        RESULTS, metric="adjusted_rand", label="attack A"
    )
    assert_allclose(display.param_values, [0.1, 0.5])
    assert_allclose(display.mean, [0.7, 0.3])
    std = np.std([0.7, 0.6, 0.8])
    assert_allclose(display.lower, [0.7 - std, 0.3 - std])
    assert_allclose(display.upper, [0.7 + std, 0.3 + std])
    assert display.baseline == pytest.approx(0.8)
    assert_allclose(display.line_.get_xydata(), [[0.1, 0.7], [0.5, 0.3]])
    assert display.line_.get_label() == "attack A"
    assert display.baseline_.get_linestyle() == "--"
    ax = display.ax_
    assert ax.get_ylabel() == "poisoned_adjusted_rand"
    assert ax.get_xlabel() == "n_poison"
    assert len(ax.lines) == 2 and len(ax.collections) == 1
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["attack A", "attack A (clean)"]


def test_quantile_band_and_nan_repeats():
    display = RobustnessCurveDisplay.from_results(
        RESULTS, metric="centroid_shift_mean", spread="quantile", quantiles=(0, 1)
    )
    # NaN repeats are ignored; no baseline for a non-poisoned metric.
    assert_allclose(display.mean, [1.0, 3.0])
    assert_allclose(display.lower, [1.0, 2.0])
    assert_allclose(display.upper, [1.0, 4.0])
    assert display.baseline is None and display.baseline_ is None


def test_several_curves_on_one_axes():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(RESULTS)
    _, ax = plt.subplots()
    first = RobustnessCurveDisplay.from_results(frame, label="A", ax=ax)
    other = dict(RESULTS, poisoned_adjusted_rand=RESULTS["poisoned_adjusted_rand"] / 2)
    second = RobustnessCurveDisplay.from_results(
        other, label="B", ax=ax, baseline=False
    )
    assert first.ax_ is second.ax_ is ax
    assert len(ax.lines) == 3  # two curves, one baseline
    assert len(ax.collections) == 2
    assert first.line_.get_color() != second.line_.get_color()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["A", "A (clean)", "B"]


def test_from_estimator():
    X, y = load_iris(return_X_y=True)
    display = RobustnessCurveDisplay.from_estimator(
        KMeans(3, n_init=2),
        UniformOutlierAttack(),
        X,
        y,
        param_range=[0.1, 0.4],
        n_repeats=2,
        random_state=0,
        metric="centroid_shift_mean",
    )
    assert display.line_.get_label() == "UniformOutlierAttack"
    assert display.mean.shape == (2,)
    assert display.mean[1] > display.mean[0]


def test_bad_input():
    with pytest.raises(ValueError, match="not a column"):
        RobustnessCurveDisplay.from_results(RESULTS, metric="nope")
    with pytest.raises(ValueError, match="spread"):
        RobustnessCurveDisplay.from_results(RESULTS, spread="iqr")
    with pytest.raises(ValueError, match="quantiles"):
        RobustnessCurveDisplay.from_results(
            RESULTS, spread="quantile", quantiles=(0.9, 0.1)
        )


@pytest.mark.parametrize(
    "results, kwargs, message",
    [
        (None, {}, "DataFrame or dict"),
        ([0.1, 0.2], {}, "DataFrame or dict"),
        ({"poisoned_adjusted_rand": [0.5]}, {}, "no 'param_value' column"),
        ({**RESULTS, "param_value": np.array([0.1])}, {}, "one length"),
        ({**RESULTS, "param_value": RESULTS["param_value"][:, None]}, {}, "1-D"),
        ({name: np.array([]) for name in RESULTS}, {}, "no rows"),
        (RESULTS, {"spread": "quantile", "quantiles": (0.5,)}, "two numbers"),
        (RESULTS, {"spread": "quantile", "quantiles": 0.5}, "two numbers"),
    ],
)
def test_bad_results_are_named(results, kwargs, message):
    with pytest.raises(ValueError, match=message):
        RobustnessCurveDisplay.from_results(results, **kwargs)
