import os

import matplotlib
import numpy as np
import pytest

# Plots render off screen in tests.
matplotlib.use("Agg")


def pytest_generate_tests(metafunc):
    """Give ``global_random_seed`` a seed, as scikit-learn's conftest does.

    ``SKPOISON_TESTS_GLOBAL_RANDOM_SEED`` may be an int, a range ``"0-9"`` or
    ``"all"`` (0-99); the default runs seed 42 only.
    """
    if "global_random_seed" not in metafunc.fixturenames:
        return
    spec = os.environ.get("SKPOISON_TESTS_GLOBAL_RANDOM_SEED", "42")
    if spec == "all":
        seeds = list(range(100))
    elif "-" in spec:
        start, stop = (int(part) for part in spec.split("-"))
        seeds = list(range(start, stop + 1))
    else:
        seeds = [int(spec)]
    metafunc.parametrize("global_random_seed", seeds)


@pytest.fixture
def rng(global_random_seed):
    return np.random.default_rng(global_random_seed)
