"""Contract checks for skpoison resamplers, public so third-party attacks can use them.

scikit-learn's and imbalanced-learn's estimator checks cover the estimator
API; these cover what skpoison promises on top (see the resampler contract in
the developer docs):

- the input is never modified;
- ``fit_resample`` returns ``(X_res, y_res)`` with ``y_res is None`` for
  ``y=None``;
- ``sample_indices_`` gives the provenance of every output row;
- attacks: clean rows come first, in input order, unchanged; the rows
  poisoned are ``n_changed_``, at most the budget ``n_poison_`` (exactly it
  for injections);
- defences: the output is a subset of the input, described by
  ``outlier_mask_``;
- the same ``random_state`` gives the same output;
- float32 stays float32; DataFrame in gives DataFrame out with the same
  columns, and Series y gives Series out;
- NaN/inf, empty input, a single row and mismatched lengths raise a
  ``ValueError`` that names the problem.

Use :func:`check_resampler` on an instance, or
:func:`parametrize_with_resampler_checks` in a pytest module.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import re
from functools import partial

import numpy as np
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.datasets import make_blobs
from sklearn.utils import get_tags

__all__ = [
    "check_bad_input_raises",
    "check_dataframe_roundtrip",
    "check_float32_preserved",
    "check_input_not_mutated",
    "check_resampler",
    "check_returns_tuple",
    "check_same_seed_same_output",
    "check_sample_indices_provenance",
    "check_attack_contract",
    "check_defence_contract",
    "parametrize_with_resampler_checks",
    "yield_resampler_checks",
]


def _dataset(dtype=np.float64):
    X, y = make_blobs(
        n_samples=60, centers=3, n_features=4, cluster_std=1.0, random_state=0
    )
    return X.astype(dtype), y


def _targets(estimator, y):
    """Return the targets to try: the labels, plus ``None`` when y is optional."""
    if get_tags(estimator).target_tags.required:
        return [y]
    return [None, y]


def _with_seed(estimator, seed=0):
    if "random_state" in estimator.get_params():
        return clone(estimator).set_params(random_state=seed)
    return clone(estimator)


def check_returns_tuple(name, estimator):
    """``fit_resample`` returns ``(X_res, y_res)``; ``y_res`` is None for no y."""
    X, y = _dataset()
    for target in _targets(estimator, y):
        result = clone(estimator).fit_resample(X, target)
        assert isinstance(result, tuple) and len(result) == 2, (
            f"{name}.fit_resample must return a 2-tuple, got {type(result)}"
        )
        X_res, y_res = result
        assert X_res.ndim == 2 and X_res.shape[1] == X.shape[1]
        if target is None:
            assert y_res is None, f"{name} returned a y_res for y=None"
        else:
            assert y_res.shape == (X_res.shape[0],)


def check_input_not_mutated(name, estimator):
    """Check that the arrays passed to ``fit_resample`` are unchanged afterwards."""
    X, y = _dataset()
    for target in _targets(estimator, y):
        X_before = X.copy()
        y_before = None if target is None else target.copy()
        clone(estimator).fit_resample(X, target)
        assert_array_equal(X, X_before, err_msg=f"{name} modified X in place")
        if target is not None:
            assert_array_equal(target, y_before, err_msg=f"{name} modified y")


def check_sample_indices_provenance(name, estimator):
    """``sample_indices_`` has one entry per output row and points at its source."""
    X, y = _dataset()
    est = clone(estimator)
    X_res, y_res = est.fit_resample(X, y)
    indices = est.sample_indices_
    assert indices.shape == (X_res.shape[0],), f"{name}: wrong sample_indices_ shape"
    assert indices.dtype.kind == "i"
    assert ((indices >= -1) & (indices < X.shape[0])).all()
    altered = getattr(est, "poison_mask_", np.zeros(X_res.shape[0], dtype=bool))
    kept = (indices >= 0) & ~altered
    assert_array_equal(X_res[kept], X[indices[kept]])
    expected_y = y[indices[kept]]
    labelled = getattr(est, "labelled_mask_", None)
    if labelled is not None:  # label maskers hide labels as -1, by design
        expected_y = np.where(labelled[kept], expected_y, -1)
    assert_array_equal(y_res[kept], expected_y)


def check_attack_contract(name, estimator):
    """Attacks: clean rows first, in order, unchanged; poison matches the budget."""
    X, y = _dataset()
    for target in _targets(estimator, y):
        est = clone(estimator)
        X_res, _ = est.fit_resample(X, target)
        mask, indices = est.poison_mask_, est.sample_indices_
        assert mask.dtype == bool and mask.shape == (X_res.shape[0],)
        injected = indices == -1
        assert (mask[injected]).all(), f"{name}: an injected row is not in poison_mask_"
        n_in = np.count_nonzero(indices >= 0)
        assert_array_equal(
            indices[:n_in],
            np.arange(X.shape[0])[:n_in],
            err_msg=f"{name}: clean rows must come first, in input order",
        )
        assert not injected[:n_in].any()
        clean = ~mask
        assert_array_equal(X_res[clean], X[indices[clean]])
        assert mask.sum() == est.n_changed_ <= est.n_poison_, (
            f"{name}: {mask.sum()} rows poisoned, n_changed_={est.n_changed_}, "
            f"n_poison_={est.n_poison_}"
        )
        if injected.any():
            assert injected.sum() == est.n_poison_, (
                f"{name}: {injected.sum()} rows injected but n_poison_={est.n_poison_}"
            )


def check_defence_contract(name, estimator):
    """Defences: the output is the input minus the rows in ``outlier_mask_``."""
    X, y = _dataset()
    for target in _targets(estimator, y):
        est = clone(estimator)
        X_res, y_res = est.fit_resample(X, target)
        mask = est.outlier_mask_
        assert mask.dtype == bool and mask.shape == (X.shape[0],)
        assert_array_equal(est.sample_indices_, np.flatnonzero(~mask))
        assert_array_equal(X_res, X[~mask])
        if target is not None:
            assert_array_equal(y_res, target[~mask])


def check_same_seed_same_output(name, estimator):
    """Two fits with the same ``random_state`` give identical output."""
    X, y = _dataset()
    for target in _targets(estimator, y):
        first = _with_seed(estimator).fit_resample(X, target)
        second = _with_seed(estimator).fit_resample(X, target)
        assert_array_equal(first[0], second[0], err_msg=f"{name} is not reproducible")
        if target is not None:
            assert_array_equal(first[1], second[1])


def check_float32_preserved(name, estimator):
    """float32 input gives float32 output; integer labels keep their dtype."""
    X, y = _dataset(np.float32)
    y = y.astype(np.int32)
    X_res, y_res = clone(estimator).fit_resample(X, y)
    assert X_res.dtype == np.float32, f"{name} turned float32 into {X_res.dtype}"
    assert y_res.dtype == np.int32, f"{name} turned int32 labels into {y_res.dtype}"


def check_dataframe_roundtrip(name, estimator):
    """DataFrame in gives DataFrame out (same columns); Series y gives Series."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a test dependency
        return
    X, y = _dataset()
    columns = [f"feature {i}" for i in range(X.shape[1])]
    X_df = pd.DataFrame(X, columns=columns)
    y_s = pd.Series(y, name="target")
    est = _with_seed(estimator)
    X_res, y_res = est.fit_resample(X_df, y_s)
    assert isinstance(X_res, pd.DataFrame), f"{name} did not return a DataFrame"
    assert list(X_res.columns) == columns
    assert isinstance(y_res, pd.Series) and y_res.name == "target"
    assert_array_equal(est.feature_names_in_, columns)
    X_np, y_np = _with_seed(estimator).fit_resample(X, y)
    assert_array_equal(X_res.to_numpy(), X_np)
    assert_array_equal(y_res.to_numpy(), y_np)


def check_bad_input_raises(name, estimator):
    """NaN/inf, empty X, one row and mismatched y raise a clear ValueError."""
    X, y = _dataset()
    target = y if get_tags(estimator).target_tags.required else None
    cases = []
    for bad, what in ((np.nan, "NaN"), (np.inf, "infinity")):
        X_bad = X.copy()
        X_bad[3, 1] = bad
        cases.append((X_bad, target, what))
    cases.append((X[:0], None if target is None else target[:0], "0 sample"))
    cases.append((X[:1], None if target is None else target[:1], "minimum of 2"))
    for X_bad, y_bad, pattern in cases:
        try:
            clone(estimator).fit_resample(X_bad, y_bad)
        except ValueError as exc:
            assert re.search(pattern, str(exc), flags=re.IGNORECASE), (
                f"{name}: error for bad input does not say '{pattern}': {exc}"
            )
        else:
            raise AssertionError(f"{name} accepted input with {pattern}")
    try:
        clone(estimator).fit_resample(X, y[:-1])
    except ValueError as exc:
        assert "inconsistent" in str(exc).lower(), str(exc)
    else:
        raise AssertionError(f"{name} accepted X and y of different lengths")


def yield_resampler_checks(estimator):
    """Yield the contract checks that apply to ``estimator``.

    Parameters
    ----------
    estimator : estimator instance
        A resampler (an object with ``fit_resample``).

    Yields
    ------
    check : callable
        A function ``check(name, estimator)``.
    """
    from skpoison.base import BaseAttack, BaseDefence

    yield check_returns_tuple
    yield check_input_not_mutated
    yield check_sample_indices_provenance
    yield check_same_seed_same_output
    yield check_float32_preserved
    yield check_dataframe_roundtrip
    yield check_bad_input_raises
    if isinstance(estimator, BaseAttack):
        yield check_attack_contract
    if isinstance(estimator, BaseDefence):
        yield check_defence_contract


def check_resampler(estimator):
    """Run every contract check on a resampler; raise on the first failure.

    Parameters
    ----------
    estimator : estimator instance
        The resampler to check.

    Examples
    --------
    >>> from skpoison.utils.estimator_checks import check_resampler
    >>> from skpoison.attacks import UniformOutlierAttack
    >>> check_resampler(UniformOutlierAttack(n_poison=5, random_state=0))
    """
    name = type(estimator).__name__
    for check in yield_resampler_checks(estimator):
        check(name, estimator)


def parametrize_with_resampler_checks(estimators):
    """Pytest decorator parametrizing a test over resamplers and their checks.

    Parameters
    ----------
    estimators : list of estimator instances
        The resamplers to check.

    Returns
    -------
    decorator : ``pytest.mark.parametrize``
        Parametrizes ``estimator, check``; call ``check(estimator)``.

    Examples
    --------
    >>> from skpoison.attacks import UniformOutlierAttack
    >>> from skpoison.utils.estimator_checks import (
    ...     parametrize_with_resampler_checks)
    >>> decorator = parametrize_with_resampler_checks([UniformOutlierAttack()])
    """
    import pytest

    cases, ids = [], []
    for estimator in estimators:
        name = type(estimator).__name__
        for check in yield_resampler_checks(estimator):
            cases.append((estimator, partial(check, name)))
            ids.append(f"{name}-{check.__name__}")
    return pytest.mark.parametrize("estimator, check", cases, ids=ids)
