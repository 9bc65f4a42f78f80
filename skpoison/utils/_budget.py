"""Budgets given as a count or a fraction, resolved in one place.

Every skpoison estimator that acts on "so many rows" (an attack's
``n_poison``, a defence's ``n_outliers``, ``MaskLabels``' ``labelled_size``)
takes an int, a count, or a float, a fraction of the rows it may act on. The
constraints :class:`Count` and :class:`Fraction` validate such a parameter
(numpy scalars such as ``np.int64(3)`` and ``np.float32(0.25)`` included,
bools excluded) and :func:`resolve_budget` turns it into a row count.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import math
import os
from numbers import Integral, Real

import numpy as np

from skpoison.utils._param_validation import Interval, RealNotInt

__all__ = ["Count", "Fraction", "check_rows_fit_in_memory", "resolve_budget"]


def _is_bool(value):
    return isinstance(value, (bool, np.bool_))


class Count(Interval):
    """A parameter constraint: an int in ``[left, right]``, never a bool.

    scikit-learn's ``Interval(Integral, ...)`` accepts ``True`` as ``1``; a
    budget of ``True`` is a mistake, not a count.
    """

    def __init__(self, left, right=None, *, closed="left"):
        super().__init__(Integral, left, right, closed=closed)

    def is_satisfied_by(self, val):
        return not _is_bool(val) and super().is_satisfied_by(val)


class Fraction(Interval):
    """A parameter constraint: a finite float in an interval, numpy floats included.

    scikit-learn's ``Interval(RealNotInt, ...)`` accepts Python floats and
    ``np.float64`` only, so ``np.float32(0.25)`` was rejected with a message
    asking for "a float".
    """

    def __init__(self, left, right=None, *, closed="left"):
        super().__init__(RealNotInt, left, right, closed=closed)

    def is_satisfied_by(self, val):
        if isinstance(val, np.floating):
            return bool(np.isfinite(val)) and val in self
        return super().is_satisfied_by(val) and math.isfinite(val)


def resolve_budget(
    value,
    n_available,
    *,
    can_exceed=False,
    at_least_one=True,
    name="n_poison",
    owner="The estimator",
    what="rows",
):
    """Turn a count-or-fraction budget into a number of rows.

    Parameters
    ----------
    value : int or float
        An int is a count; a float is a fraction of ``n_available``, rounded
        to the nearest count (and at least one when ``at_least_one`` and the
        fraction is positive). ``0`` and ``0.0`` give 0.
    n_available : int
        Rows the budget may act on.
    can_exceed : bool, default=False
        Whether the count may exceed ``n_available`` (and the fraction 1):
        True for injections, False for estimators that pick existing rows.
    at_least_one : bool, default=True
        Round a positive fraction up to one row rather than down to zero.
    name, owner, what : str
        Parameter name, estimator name and what the rows are, for messages.

    Returns
    -------
    n_rows : int
        The resolved budget, a Python int.
    """
    if _is_bool(value) or not isinstance(value, Real):
        raise ValueError(
            f"{name} must be an int (a count) or a float (a fraction); got {value!r}."
        )
    if n_available < 1 and value != 0:
        raise ValueError(f"{owner} found no {what} to act on.")
    if isinstance(value, Integral):
        n_rows = int(value)
    else:
        fraction = float(value)
        if not math.isfinite(fraction) or fraction < 0:
            raise ValueError(
                f"{name}={value!r} must be a finite, non-negative fraction."
            )
        if not can_exceed and fraction > 1:
            raise ValueError(
                f"{name}={value!r} is a fraction above 1, but {owner} can act "
                f"on at most all {n_available} {what}."
            )
        n_rows = int(round(fraction * n_available))
        if at_least_one and fraction > 0:
            n_rows = max(1, n_rows)
    if n_rows < 0:
        raise ValueError(f"{name}={value!r} must not be negative.")
    if not can_exceed and n_rows > n_available:
        raise ValueError(
            f"{name}={value!r} exceeds the {n_available} {what} that {owner} "
            "can act on."
        )
    return n_rows


def _memory_bytes():
    """Physical memory of this machine in bytes, or ``None`` where unknown."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # pragma: no cover - Windows
        return None


def _format_bytes(n_bytes):
    value = float(n_bytes)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if value < 1024 or unit == "PiB":
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} PiB"  # pragma: no cover


def check_rows_fit_in_memory(n_rows, n_features, dtype, *, owner, name, value):
    """Raise a ValueError when ``n_rows`` rows could never be allocated.

    The check runs before anything is allocated: a budget such as
    ``n_poison=10**12`` otherwise ends in a ``MemoryError`` for terabytes.
    The limit is the machine's physical memory (or the largest array numpy
    can index where that is unknown).
    """
    n_bytes = int(n_rows) * int(n_features) * np.dtype(dtype).itemsize
    limit = _memory_bytes()
    if limit is None:
        limit = np.iinfo(np.intp).max
    if n_bytes > limit:
        raise ValueError(
            f"{name}={value!r} asks {owner} for an output of {n_rows} rows of "
            f"{n_features} {np.dtype(dtype).name} features "
            f"({_format_bytes(n_bytes)}), more than this machine's memory "
            f"({_format_bytes(limit)}). Use a smaller {name}."
        )
