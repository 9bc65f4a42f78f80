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

:func:`check_hostile_inputs` goes further: a battery of hostile inputs (huge
and tiny magnitudes, datetime/string columns, bool/str/mixed labels, empty,
one row, NaN/inf, wrong shapes, budgets 0/huge/numpy scalars), each of which
must end in a clear error or a correct result within a time limit;
:func:`classify_outcome` sorts any call's outcome the same way.

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
    "check_hostile_inputs",
    "classify_outcome",
    "hostile_input_cases",
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


# --- Hostile-input battery -------------------------------------------------
#
# Each case calls the estimator on one unusual or broken input and sorts the
# outcome into one of five classes. A *clear error* is a ValueError or
# TypeError raised by a ``raise`` statement of skpoison or of scikit-learn's
# input validation called by skpoison (not from inside numpy, scipy or a
# nested scikit-learn estimator), with a message. A *correct* result passes
# the contract checks (finite output, provenance, clean rows unchanged).
# Anything else is *unhelpful* (a low-level error), *silent wrong* (output
# that breaks the contract, e.g. NaN from finite input) or a *hang* (no
# answer within the time limit).

OUTCOMES = ("clear error", "correct", "unhelpful", "silent wrong", "hang")

# Files whose explicit ``raise`` is an input check meant for the user.
_VALIDATION_FILES = (
    "sklearn/utils/validation.py",
    "sklearn/utils/_param_validation.py",
    "sklearn/utils/multiclass.py",
    "sklearn/base.py",
)


class HostileCaseTimeout(Exception):
    """Raised inside a hostile-input case that exceeds its time limit."""


class _SilentWrong(AssertionError):
    """A call returned, but its output breaks the contract."""


def _frame_kind(filename):
    path = filename.replace("\\", "/")
    if "/skpoison/" in path and not path.endswith("utils/estimator_checks.py"):
        return "skpoison"
    if any(path.endswith(name) for name in _VALIDATION_FILES):
        return "validation"
    return "foreign"


def _is_clear_error(exc):
    """Tell whether ``exc`` is a ValueError/TypeError raised by an input check."""
    import traceback

    if not isinstance(exc, (ValueError, TypeError)) or not str(exc).strip():
        return False
    module = type(exc).__module__
    if not (module == "builtins" or module.startswith(("skpoison", "sklearn"))):
        return False  # e.g. numpy's DTypePromotionError
    frames = traceback.extract_tb(exc.__traceback__)
    # Frames from the first library frame on (skpoison, or the parameter
    # validation wrapping a skpoison function): the library's own call stack.
    start = next(
        (i for i, f in enumerate(frames) if _frame_kind(f.filename) != "foreign"),
        None,
    )
    if start is None:
        return False
    inner = frames[start:]
    if any(_frame_kind(f.filename) == "foreign" for f in inner):
        return False  # raised inside numpy/scipy or a nested estimator
    line = (inner[-1].line or "").lstrip()
    return line.startswith("raise")


def _run_with_time_limit(func, seconds):
    """Call ``func()``; raise HostileCaseTimeout after ``seconds``.

    The limit needs SIGALRM: POSIX, main thread; elsewhere there is none.
    """
    import signal
    import threading

    if (
        not seconds
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        return func()

    def _alarm(signum, frame):
        raise HostileCaseTimeout(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return func()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def classify_outcome(func, check_result=None, *, time_limit=10.0):
    """Run ``func()`` and sort its outcome into one of ``OUTCOMES``.

    Parameters
    ----------
    func : callable
        The call to make, without arguments.
    check_result : callable, default=None
        Called on the return value; raises (e.g. ``AssertionError``) when
        the result is wrong (e.g. NaN output). ``None`` accepts any result.
    time_limit : float, default=10.0
        Seconds before the call counts as a hang (POSIX, main thread only).

    Returns
    -------
    outcome : str
        One of ``"clear error"``, ``"correct"``, ``"unhelpful"``,
        ``"silent wrong"``, ``"hang"``.
    detail : str
        The error message or the reason the result is wrong.

    Examples
    --------
    >>> import numpy as np
    >>> from skpoison.utils.estimator_checks import classify_outcome
    >>> from skpoison.attacks import UniformOutlierAttack
    >>> classify_outcome(lambda: UniformOutlierAttack().fit_resample(np.ones(3)))[0]
    'clear error'
    """
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = _run_with_time_limit(func, time_limit)
    except HostileCaseTimeout as exc:
        return "hang", str(exc)
    except Exception as exc:  # noqa: BLE001 - sorting every failure is the point
        kind = "clear error" if _is_clear_error(exc) else "unhelpful"
        return kind, f"{type(exc).__name__}: {exc}"
    if check_result is not None:
        try:
            check_result(result)
        except Exception as exc:  # noqa: BLE001 - a failing check is a wrong result
            return "silent wrong", f"{type(exc).__name__}: {exc}"
    return "correct", ""


def _assert_finite(value, what):
    array = np.asarray(value)
    if array.dtype.kind in "fc" and not np.isfinite(array).all():
        raise _SilentWrong(f"{what} contains NaN or infinity")


def _resampler_result_check(estimator, X, y):
    """Build a check_result for ``fit_resample``: finite output, the contract."""

    def check(result):
        X_res, y_res = result
        X_res = np.asarray(X_res, dtype=object if _non_numeric(X_res) else None)
        _assert_finite(X_res.astype(float), "X_res")
        indices = np.asarray(estimator.sample_indices_)
        if indices.shape != (X_res.shape[0],):
            raise _SilentWrong("sample_indices_ does not match the output rows")
        if y is not None and np.asarray(y_res).shape[0] != X_res.shape[0]:
            raise _SilentWrong("y_res and X_res have different lengths")
        y_in = None if y is None else np.asarray(y)
        if y_in is not None and y_in.dtype.kind == "b":
            kept_y = np.asarray(y_res)[np.asarray(estimator.sample_indices_) >= 0]
            # Label maskers hide labels as the integer -1, by design.
            if not all(
                isinstance(v, bool | np.bool_) or (type(v) is int and v == -1)
                for v in kept_y
            ):
                raise _SilentWrong("boolean labels were turned into numbers")
        X_in = np.asarray(X, dtype=float)
        kept = indices >= 0
        mask = getattr(estimator, "poison_mask_", None)
        if mask is not None:
            kept &= ~np.asarray(mask)
        if not np.array_equal(X_res[kept].astype(float), X_in[indices[kept]]):
            raise _SilentWrong("rows that were not poisoned changed")

    return check


def _non_numeric(value):
    dtype = getattr(value, "dtype", None)
    return dtype is not None and dtype.kind == "O"


def _estimator_result_check(X):
    """Build a check_result for a fitted clusterer: finite centres, predict."""

    def check(estimator):
        for name in ("cluster_centers_", "initial_centers_"):
            if hasattr(estimator, name):
                _assert_finite(getattr(estimator, name), name)
        labels = getattr(estimator, "labels_", None)
        if labels is not None and len(labels) != len(X):
            raise _SilentWrong("labels_ does not have one entry per row")
        if hasattr(estimator, "predict"):
            pred = estimator.predict(X)
            if len(pred) != len(X):
                raise _SilentWrong("predict does not give one label per row")

    return check


def _hostile_data_cases(X, y):
    """``(case_id, X, y, must_succeed)`` for the data-level hostile cases."""
    scaled = X / np.abs(X).max()
    cases = [
        ("clean", X, y, True),
        ("list input", X.tolist(), y.tolist(), True),
        ("float32", X.astype(np.float32), y, True),
        ("one feature", X[:, :1], y, False),
        ("constant X", np.ones_like(X), y, False),
        ("tiny 1e-300", scaled * 1e-300, y, False),
        ("subnormal 1e-310", scaled * 1e-310, y, False),
        ("huge 1e153", scaled * 1e153, y, False),
        ("huge 1e200", scaled * 1e200, y, False),
        ("huge 1e300", scaled * 1e300, y, False),
        ("near max 5e307", scaled * 5e307, y, False),
        ("float32 near max 3e38", (scaled * 3e38).astype(np.float32), y, False),
        ("offset 1e300", scaled + 1e300, y, False),
        ("NaN", np.where(np.arange(X.size).reshape(X.shape) == 5, np.nan, X), y, False),
        ("inf", np.where(np.arange(X.size).reshape(X.shape) == 5, np.inf, X), y, False),
        ("empty", X[:0], y[:0], False),
        ("one row", X[:1], y[:1], False),
        ("1-D X", X[:, 0], y, False),
        ("3-D X", X[:, :, None], y, False),
        ("string X", X.astype(str), y, False),
        ("X and y lengths differ", X, y[:-1], False),
        ("2-D y", X, np.column_stack([y, y]), False),
    ]
    n = X.shape[0]
    cases += [
        ("y=None", X, None, False),
        ("bool y", X, y == 0, False),
        ("str y with -1", X, _str_labels(y, unlabelled=True), False),
        ("str y", X, np.array(["a", "b", "c"])[y], False),
        ("mixed str/int y", X, np.array(["a", 1, "c"], dtype=object)[y], False),
        ("None in y", X, np.array(["a", None, "c"], dtype=object)[y], False),
        ("float y with NaN", X, np.where(np.arange(n) == 3, np.nan, y), False),
        ("y all -1", X, np.full(n, -1), False),
        ("one class", X, np.zeros(n, dtype=int), False),
        ("large label values", X, y * 10**15, False),
    ]
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a test dependency
        return cases
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    when = pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(n), unit="D")
    gap = pd.to_timedelta(np.arange(n), unit="s")
    names = np.array(["u", "v"])[np.arange(n) % 2]
    cases += [
        ("DataFrame", frame, pd.Series(y, name="t"), True),
        ("numeric category column", frame.assign(k=pd.Categorical(y)), y, True),
        ("datetime column", frame.assign(when=when), y, False),
        ("timedelta column", frame.assign(gap=gap), y, False),
        ("string column", frame.assign(name=names), y, False),
        ("str category column", frame.assign(k=pd.Categorical(names)), y, False),
    ]
    return cases


def _str_labels(y, *, unlabelled):
    labels = np.array(["setosa", "versicolor", "virginica"], dtype=object)[y]
    if unlabelled:
        labels[::4] = -1
    return labels


_HOSTILE_BUDGETS = (
    0,
    0.0,
    -1,
    np.float32(0.25),
    np.float64(0.25),
    np.int64(3),
    10**12,
    1e12,
    2**63,
    True,
    float("nan"),
    float("inf"),
    "a",
)


def hostile_input_cases(estimator):
    """Yield the hostile-input cases for one estimator.

    Parameters
    ----------
    estimator : estimator instance
        A resampler (``fit_resample``) or an estimator with ``fit``.

    Yields
    ------
    case_id : str
        A short description of the input.
    call : callable
        Runs the estimator (a fresh clone) on the input.
    check_result : callable
        Raises ``AssertionError`` when the call's result is wrong.
    must_succeed : bool
        True when the input is valid and must give a correct result.

    Examples
    --------
    >>> from skpoison.attacks import UniformOutlierAttack
    >>> from skpoison.utils.estimator_checks import hostile_input_cases
    >>> cases = list(hostile_input_cases(UniformOutlierAttack(random_state=0)))
    >>> cases[0][0]
    'clean'
    """
    X, y = _dataset()
    resampler = hasattr(estimator, "fit_resample")

    def make(X_case, y_case, params=None):
        est = clone(estimator)
        if params:
            est.set_params(**params)
        if resampler:
            return (
                lambda: est.fit_resample(X_case, y_case),
                _resampler_result_check(est, X_case, y_case),
            )

        def call():
            return est.fit(X_case, y_case)

        return call, _estimator_result_check(X_case)

    for case_id, X_case, y_case, must_succeed in _hostile_data_cases(X, y):
        call, check = make(X_case, y_case)
        yield case_id, call, check, must_succeed
    if "n_poison" in estimator.get_params():
        for budget in _HOSTILE_BUDGETS:
            call, check = make(X, y, {"n_poison": budget})
            yield f"n_poison={budget!r}", call, check, False


def check_hostile_inputs(name, estimator, *, time_limit=10.0, skip=()):
    """Hostile inputs end in a clear error or a correct result, never worse.

    Runs every case of :func:`hostile_input_cases` under a time limit and
    fails listing each case that ended in an unhelpful error, a silently
    wrong output or a hang, or that refused a valid input.

    Parameters
    ----------
    name : str
        The estimator's name, for messages.
    estimator : estimator instance
        The estimator to check.
    time_limit : float, default=10.0
        Seconds allowed per case.
    skip : collection of str, default=()
        Case ids not to run (known failures, listed with their reason by the
        caller).
    """
    problems = []
    for case_id, call, check, must_succeed in hostile_input_cases(estimator):
        if case_id in skip:
            continue
        outcome, detail = classify_outcome(call, check, time_limit=time_limit)
        if outcome not in ("clear error", "correct") or (
            must_succeed and outcome != "correct"
        ):
            problems.append(f"  {case_id}: {outcome}: {detail[:300]}")
    assert not problems, f"{name} mishandles hostile input:\n" + "\n".join(problems)
