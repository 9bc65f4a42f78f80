"""Input checks shared by the resampler template, the clusterers and the metrics.

- :func:`check_numeric_frame`: a DataFrame whose columns are not all numbers
  (datetime, timedelta, strings, categories) is a ``ValueError`` naming the
  columns, instead of numpy's dtype-promotion error.
- :func:`check_finite_arithmetic`: skpoison computes squared distances,
  variances and box expansions in the data's float dtype. Values so large
  that these overflow give NaN or infinity (or a hang, when a loop never
  improves), so data beyond a dtype-dependent magnitude is refused with a
  message that says so, before anything is computed.
- :func:`check_finite_output`: the last line of defence in the template: an
  estimator that still produced NaN or infinity from finite input (a huge
  parameter, e.g. ``scale=1e308``) raises instead of returning it.
- :func:`seed_unset_random_states`: a user-supplied component (detector,
  clusterer) whose ``random_state`` is ``None`` gets a seed from the owner's
  ``random_state``, so the owner's seed makes the whole run reproducible.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.base import clone

# Squared distances summed over the features must stay this many times below
# the dtype's largest value (room for sums over rows and for the attacks'
# expansion factors).
_OVERFLOW_MARGIN = 1e8


def max_safe_magnitude(dtype, n_features):
    """Largest absolute value skpoison accepts in data of ``dtype``.

    Squared Euclidean distances over ``n_features`` features must stay
    ``1e8`` times below the dtype's largest finite value: about ``6.7e149``
    for float64 with 4 features, ``9.2e14`` for float32.
    """
    dtype = np.dtype(dtype) if np.dtype(dtype).kind == "f" else np.dtype(np.float64)
    big = float(np.finfo(dtype).max)
    return float(np.sqrt(big / (max(int(n_features), 1) * _OVERFLOW_MARGIN)))


def check_finite_arithmetic(X, *, owner, input_name="X"):
    """Raise a ``ValueError`` when ``X`` is too large to compute with.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Validated, finite float data.
    owner : str
        The estimator or function name, for the message.
    input_name : str, default="X"
        The argument name, for the message.
    """
    if X.size == 0:
        return
    n_features = X.shape[1] if X.ndim == 2 else 1
    limit = max_safe_magnitude(X.dtype, n_features)
    largest = max(float(X.max()), -float(X.min()))  # no |X| copy
    if largest > limit:
        raise ValueError(
            f"{owner}: {input_name} has values up to {largest:.3g}, too large to "
            f"compute with in {X.dtype}: squared distances and variances would "
            f"overflow (the limit with {n_features} features is {limit:.3g}). "
            f"Rescale {input_name} first, e.g. with "
            "sklearn.preprocessing.StandardScaler."
        )


def check_finite_output(values, *, owner):
    """Raise a ``ValueError`` when an estimator produced NaN or infinity.

    The input was finite (validation refuses NaN/inf), so a non-finite output
    means the estimator's parameters times the data's scale overflowed.
    """
    values = np.asarray(values)
    if values.dtype.kind == "f" and values.size and not np.isfinite(values).all():
        raise ValueError(
            f"{owner} produced NaN or infinite values from finite input: the "
            "numbers are too large to compute with (the data's scale times the "
            "estimator's factors, e.g. scale, expansion, noise_scale or radius, "
            f"overflows {values.dtype}). Lower those parameters or rescale X."
        )


def check_numeric_frame(X, *, owner):
    """Raise a ``ValueError`` naming the non-numeric columns of a DataFrame.

    Numeric and boolean columns pass; datetime, timedelta, string, category
    and other object columns cannot be used as features.
    """
    dtypes = getattr(X, "dtypes", None)
    if dtypes is None or not hasattr(X, "columns"):
        return
    bad = []
    for column, dtype in zip(X.columns, list(dtypes), strict=True):
        kind = getattr(dtype, "kind", "O")
        categories = getattr(dtype, "categories", None)
        if categories is not None:  # a category column with numeric categories
            kind = getattr(categories.dtype, "kind", "O")
        if kind not in "biuf":
            bad.append(f"{column!r} ({dtype})")
    if bad:
        raise ValueError(
            f"{owner} needs numeric features, but X has non-numeric column(s) "
            f"{', '.join(bad)}. Convert them to numbers (e.g. datetimes to "
            "seconds, categories to codes) or drop them."
        )


def seed_unset_random_states(estimator, random_state):
    """Clone ``estimator``; seed each of its ``random_state`` left at ``None``.

    One integer drawn from ``random_state`` (a ``RandomState``) seeds every
    nested ``random_state`` parameter that is ``None``; a user-set seed is
    kept. Nothing is drawn when there is nothing to seed.
    """
    estimator = clone(estimator)
    if not hasattr(estimator, "get_params"):
        return estimator
    unset = [
        key
        for key, value in estimator.get_params(deep=True).items()
        if (key == "random_state" or key.endswith("__random_state")) and value is None
    ]
    if unset:
        seed = int(random_state.randint(np.iinfo(np.int32).max))
        estimator.set_params(**dict.fromkeys(unset, seed))
    return estimator
