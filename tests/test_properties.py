"""Property-based tests (hypothesis) of the resampler contract.

Random shapes, float dtypes, containers and budgets; each example checks the
invariants every attack and defence promises: clean rows first and
unchanged, output length matching the budget, provenance, ``poison_mask_``,
input not mutated, same seed same output, defence output a subset.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from skpoison.attacks import (
    GaussianNoiseAttack,
    LabelFlipAttack,
    LabelShuffleAttack,
    SubtleOutlierAttack,
    UniformOutlierAttack,
)
from skpoison.defences import KMeansNoiseRemover

SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)


@st.composite
def datasets(draw):
    n = draw(st.integers(6, 40))
    d = draw(st.integers(1, 5))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    seed = draw(st.integers(0, 2**16))
    scale = draw(st.sampled_from([1e-3, 1.0, 1e6]))
    rng = np.random.RandomState(seed)
    X = (rng.standard_normal((n, d)) * scale).astype(dtype)
    y = rng.randint(0, 3, size=n)
    y[:3] = [0, 1, 2]  # every class present
    container = draw(st.sampled_from(["ndarray", "DataFrame", "list"]))
    return X, y, container


def _wrap(X, y, container):
    if container == "DataFrame":
        return pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])]), (
            pd.Series(y, name="target")
        )
    if container == "list":
        return X.tolist(), y.tolist()
    return X.copy(), y.copy()


ATTACKS = [
    UniformOutlierAttack(random_state=0),
    GaussianNoiseAttack(random_state=0),
    SubtleOutlierAttack(random_state=0),
    LabelFlipAttack(random_state=0),
    LabelShuffleAttack(random_state=0),
]


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: type(a).__name__)
@SETTINGS
@given(data=datasets(), budget=st.one_of(st.integers(1, 5), st.floats(0.05, 1.0)))
def test_attack_contract(attack, data, budget):
    X, y, container = data
    X_in, y_in = _wrap(X, y, container)
    est = clone(attack).set_params(n_poison=budget)
    X_res, y_res = est.fit_resample(X_in, y_in)
    # Input not mutated.
    np.testing.assert_array_equal(np.asarray(X_in, dtype=X.dtype), X)
    np.testing.assert_array_equal(np.asarray(y_in), y)
    # Container and dtype follow the input.
    assert type(X_res) is type(X_in)
    X_res = np.asarray(X_res, dtype=X.dtype)
    if container != "list":
        assert np.asarray(est.fit_resample(X_in, y_in)[0]).dtype == X.dtype
    y_res = np.asarray(y_res)
    indices, mask = est.sample_indices_, est.poison_mask_
    assert indices.shape == mask.shape == (X_res.shape[0],) == y_res.shape
    # Clean rows first, in input order, unchanged.
    n_in = int(np.count_nonzero(indices >= 0))
    np.testing.assert_array_equal(indices[:n_in], np.arange(n_in))
    assert (indices[n_in:] == -1).all() and mask[n_in:].all()
    clean = ~mask
    np.testing.assert_array_equal(X_res[clean], X[indices[clean]])
    np.testing.assert_array_equal(y_res[clean], y[indices[clean]])
    # The budget: n_poison_ is the resolved budget, n_changed_ the rows
    # actually injected or altered (a shuffled row may draw its own class).
    assert mask.sum() == est.n_changed_ <= est.n_poison_
    if isinstance(budget, int):
        assert est.n_poison_ == budget
    if not isinstance(est, LabelShuffleAttack):
        assert est.n_changed_ == est.n_poison_
    assert np.isfinite(X_res).all()
    # Same seed, same output.
    X_again, y_again = clone(est).fit_resample(X_in, y_in)
    np.testing.assert_array_equal(np.asarray(X_again, dtype=X.dtype), X_res)
    np.testing.assert_array_equal(np.asarray(y_again), y_res)


@SETTINGS
@given(data=datasets())
def test_defence_output_is_a_subset(data):
    X, y, container = data
    X_in, y_in = _wrap(X, y, container)
    est = KMeansNoiseRemover(n_outliers=2, n_clusters=2, random_state=0)
    X_res, y_res = est.fit_resample(X_in, y_in)
    mask = est.outlier_mask_
    assert mask.shape == (X.shape[0],) and mask.sum() == 2
    np.testing.assert_array_equal(est.sample_indices_, np.flatnonzero(~mask))
    np.testing.assert_array_equal(np.asarray(X_res, dtype=X.dtype), X[~mask])
    np.testing.assert_array_equal(np.asarray(y_res), y[~mask])
