import tracemalloc

import numpy as np
import pytest

from skpoison.defences._knee import _kneedle_index


def test_knee_of_a_hand_made_corner():
    # Slope 0.1 for six points, then slope 2: the corner is at index 5.
    # Normalised (x / 10, y / 10.5), the difference x - y peaks at the corner
    # (0.5 - 0.5 / 10.5 = 0.452) and falls by 0.09 per step after it, below
    # the threshold 0.452 - 0.1 two steps later.
    y = np.array([0, 0.1, 0.2, 0.3, 0.4, 0.5, 2.5, 4.5, 6.5, 8.5, 10.5])
    assert _kneedle_index(y) == 5


def test_knee_of_a_flat_then_rising_curve():
    # Zero k-distances (duplicates) then a linear rise: the knee is the last
    # zero before the rise.
    y = np.array([0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3], dtype=float)
    assert _kneedle_index(y) == 7


@pytest.mark.parametrize(
    "y", [np.arange(10.0), np.ones(10), np.array([0.0, 1.0]), np.array([2.0])]
)
def test_no_knee(y):
    # A straight line, a constant curve, too few points.
    assert _kneedle_index(y) is None


def test_sensitivity_demands_a_sharper_bend():
    y = np.array([0, 0.1, 0.2, 0.3, 0.4, 0.5, 2.5, 4.5, 6.5, 8.5, 10.5])
    assert _kneedle_index(y, sensitivity=10.0) is None


def test_matches_reference_implementation(global_random_seed):
    kneed = pytest.importorskip("kneed")
    rng = np.random.default_rng(global_random_seed)
    for _ in range(20):
        y = np.sort(rng.exponential(size=int(rng.integers(5, 200))))
        y = np.round(y, 1)  # duplicates make ties, the delicate case
        expected = kneed.KneeLocator(
            np.arange(y.size), y, curve="convex", direction="increasing"
        ).knee
        assert _kneedle_index(y) == expected


def test_holds_few_curve_sized_arrays_at_a_time():
    # The curve has a value per row of the data: the search works in place
    # (thirteen arrays of the curve's size were alive at once before).
    y = np.sort(np.random.default_rng(0).gamma(2.0, size=100_000))
    tracemalloc.start()
    try:
        knee = _kneedle_index(y)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert knee is not None
    assert peak < 5 * y.nbytes
