"""Base classes: the ``fit_resample`` template shared by every attack and defence.

The template method :meth:`BaseResampler.fit_resample` validates the input,
resolves the randomness, calls the subclass's ``_fit_resample`` and gives the
output back in the container the caller passed (ndarray, list, pandas
DataFrame / Series). Subclasses only write the algorithm.

Three families build on it:

- :class:`BaseAttack` alters or injects rows and records ``poison_mask_``;
- :class:`BaseInjectionAttack` is the attack that only *adds* rows: a subclass
  writes ``_generate`` and the base appends the rows and their labels;
- :class:`BaseLabelAttack` is the attack that only changes labels of labelled
  rows: a subclass writes ``_relabel``;
- :class:`BaseDefence` removes rows and records ``outlier_mask_``.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from abc import ABCMeta, abstractmethod
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.metrics import pairwise_distances_argmin
from sklearn.utils import check_random_state
from sklearn.utils.validation import validate_data

from skpoison.utils._budget import (
    Count,
    Fraction,
    check_rows_fit_in_memory,
    resolve_budget,
)
from skpoison.utils._labels import check_targets, labelled_classes, unlabelled_mask
from skpoison.utils._param_validation import _fit_context
from skpoison.utils._tags import resampler_tags
from skpoison.utils._validation import (
    check_finite_arithmetic,
    check_finite_output,
    check_numeric_frame,
)

__all__ = [
    "BaseAttack",
    "BaseDefence",
    "BaseInjectionAttack",
    "BaseLabelAttack",
    "BaseResampler",
]

FLOAT_DTYPES = (np.float64, np.float32)


class BaseResampler(BaseEstimator, metaclass=ABCMeta):
    """Base class for every skpoison resampler (attacks and defences).

    Subclasses implement ``_fit_resample(X, y)``, which receives validated
    arrays (``X`` float64 or float32, ``y`` a 1-D array or ``None``) and returns
    ``(X_res, y_res, sample_indices)``. The template takes care of validation,
    of never modifying the input, and of giving the output back in the input's
    container.

    ``fit_resample`` accepts ``y=None`` (clustering pipelines pass no target)
    and any classification target, including a single class and ``-1`` for
    unlabelled rows (scikit-learn's semi-supervised convention).
    """

    _parameter_constraints: dict = {}

    def fit(self, X, y=None):
        """Run the resampler and keep only its fitted attributes.

        Resamplers are used through :meth:`fit_resample`; ``fit`` exists so that
        scikit-learn tools that only call ``fit`` (cloning, checks, meta
        estimators) can inspect the fitted attributes.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,), default=None
            Class labels, ``-1`` for unlabelled rows, or ``None``.

        Returns
        -------
        self : object
            The fitted resampler.
        """
        self.fit_resample(X, y)
        return self

    @_fit_context(prefer_skip_nested_validation=False)
    def fit_resample(self, X, y=None):
        """Resample the dataset.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data. Not modified.
        y : array-like of shape (n_samples,), default=None
            Class labels, ``-1`` for unlabelled rows, or ``None``. Not modified.

        Returns
        -------
        X_res : array-like of shape (n_samples_new, n_features)
            The resampled data, in the same container as ``X`` (ndarray, list
            or DataFrame with the same columns) and the same float dtype.
        y_res : array-like of shape (n_samples_new,) or None
            The matching labels, in the same container as ``y``; ``None`` when
            ``y`` is ``None``.
        """
        X_val, y_val = self._validate_input(X, y)
        name = type(self).__name__
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                X_res, y_res, sample_indices = self._fit_resample(X_val, y_val)
        except OverflowError as exc:
            raise ValueError(
                f"{name}: numbers too large to compute with ({exc}); lower the "
                "estimator's scale parameters or rescale X."
            ) from exc
        # Only new or altered rows can hold values the input did not have.
        new_rows = getattr(self, "poison_mask_", None)
        check_finite_output(X_res if new_rows is None else X_res[new_rows], owner=name)
        self.sample_indices_ = np.asarray(sample_indices, dtype=np.intp)
        return _like(X, X_res, kind="X"), _like(y, y_res, kind="y")

    def _validate_input(self, X, y):
        """Validate ``X`` (and ``y``) once, as every subclass expects them."""
        name = type(self).__name__
        check_numeric_frame(X, owner=name)
        X, y = self._validate_data_and_target(X, y)
        if self._computes_on_features():
            check_finite_arithmetic(X, owner=name)
        return X, y

    def _computes_on_features(self):
        """Whether the algorithm computes on ``X`` (distances, variances, ...).

        Then data too large to compute with is refused before anything is
        computed. Estimators that only move labels return False.
        """
        return True

    def _validate_data_and_target(self, X, y):
        if y is None:
            if self.__sklearn_tags__().target_tags.required:
                raise ValueError(
                    f"{type(self).__name__} requires y to be passed, but the "
                    "target y is None."
                )
            X = validate_data(
                self, X, dtype=FLOAT_DTYPES, order="C", ensure_min_samples=2, reset=True
            )
            return X, None
        X, y = validate_data(
            self,
            X,
            _column_to_1d(y),
            dtype=FLOAT_DTYPES,
            order="C",
            ensure_min_samples=2,
            reset=True,
            y_numeric=False,
            multi_output=False,
        )
        check_targets(y)
        return X, y

    @abstractmethod
    def _fit_resample(self, X, y):
        """Return ``(X_res, y_res, sample_indices)`` for validated input."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Clustering pipelines pass no target: y is optional.
        tags.target_tags.required = False
        return resampler_tags(tags)


class BaseAttack(BaseResampler):
    """Base class for poisoning attacks.

    An attack returns the clean rows first, in input order, followed by any
    injected rows; rows it alters keep their position. The template resolves
    the budget ``n_poison`` over the rows the attack may act on (see
    ``_budget_rows``) into ``n_poison_`` before the attack runs; with a budget
    of 0 the attack does nothing and returns a copy of its input. Subclasses
    implement ``_poison(X, y, random_state)`` returning
    ``(X_res, y_res, sample_indices, poison_mask)`` for ``n_poison_`` rows;
    the helpers ``_injected`` and ``_altered`` build that tuple.

    Fitted attributes set by every attack: ``sample_indices_`` (input row of
    each output row, ``-1`` for injected rows), ``poison_mask_`` (True where the
    output row was injected or altered), ``n_poison_`` (the resolved budget),
    ``n_changed_`` (rows actually injected or altered, ``poison_mask_.sum()``,
    at most ``n_poison_``), ``n_features_in_`` and ``feature_names_in_``.
    """

    # Fractions above 1 pass validation here: whether the attack can act on
    # more rows than it has is decided by ``_budget_rows``.
    _parameter_constraints: dict = {
        "n_poison": [Count(0), Fraction(0, None, closed="left")],
        "random_state": ["random_state"],
    }

    def _fit_resample(self, X, y):
        n_available, can_exceed, what = self._budget_rows(X, y)
        n_poison = self._resolve_n_poison(n_available, can_exceed=can_exceed, what=what)
        if can_exceed:
            check_rows_fit_in_memory(
                X.shape[0] + n_poison,
                X.shape[1],
                X.dtype,
                owner=type(self).__name__,
                name="n_poison",
                value=self.n_poison,
            )
        if n_poison == 0:
            # No attack: the input, unchanged, with identity provenance.
            result = self._altered(X.copy(), None if y is None else y.copy(), [])
        else:
            random_state = check_random_state(self.random_state)
            result = self._poison(X, y, random_state)
        X_res, y_res, sample_indices, poison_mask = result
        self.poison_mask_ = poison_mask
        self.n_changed_ = int(np.count_nonzero(poison_mask))
        return X_res, y_res, sample_indices

    def _budget_rows(self, X, y):
        """Rows ``n_poison`` is counted over: ``(n_available, can_exceed, what)``.

        By default the attack alters existing rows: at most all of them.
        """
        return X.shape[0], False, "rows"

    @abstractmethod
    def _poison(self, X, y, random_state):
        """Return ``(X_res, y_res, sample_indices, poison_mask)``."""

    def _resolve_n_poison(self, n_available, *, can_exceed=False, what="rows"):
        """Turn ``n_poison`` (count or fraction) into ``n_poison_``, a row count.

        A fraction is of ``n_available`` rows, rounded to the nearest count and
        at least one (0 stays 0). When the attack alters existing rows it
        cannot act on more than ``n_available`` of them (``can_exceed=False``).
        """
        self.n_poison_ = resolve_budget(
            self.n_poison,
            n_available,
            can_exceed=can_exceed,
            owner=type(self).__name__,
            what=what,
        )
        return self.n_poison_

    def _injected(self, X, y, X_new, y_new):
        """Output tuple for an attack that appends ``X_new`` after ``X``."""
        n, m = X.shape[0], X_new.shape[0]
        X_res = np.concatenate([X, X_new.astype(X.dtype, copy=False)])
        y_res = None if y is None else _append_labels(y, y_new)
        sample_indices = np.concatenate(
            [np.arange(n, dtype=np.intp), np.full(m, -1, dtype=np.intp)]
        )
        poison_mask = np.zeros(n + m, dtype=bool)
        poison_mask[n:] = True
        return X_res, y_res, sample_indices, poison_mask

    @staticmethod
    def _altered(X_res, y_res, altered_rows):
        """Output tuple for an attack that alters rows in place (in a copy)."""
        n = X_res.shape[0]
        poison_mask = np.zeros(n, dtype=bool)
        poison_mask[altered_rows] = True
        return X_res, y_res, np.arange(n, dtype=np.intp), poison_mask


class BaseLabelAttack(BaseAttack):
    """Base class for attacks that change the labels of labelled rows.

    A label attack never touches ``X`` nor the unlabelled rows (``y == -1``):
    it gives new classes to some labelled rows. It needs ``y``, and says so
    with scikit-learn's tag ``target_tags.required = True``, which is the
    public way to ask whether an attack needs labels::

        from sklearn.utils import get_tags
        get_tags(attack).target_tags.required  # True for label attacks

    ``n_poison`` counts labelled rows: an int at most their number, a float a
    fraction of them in ``[0, 1]``.

    Subclasses implement ``_relabel(X, y, rows, class_index, n_poison,
    random_state)``: ``rows`` are the indices of the labelled rows and
    ``class_index`` the class of each as an index into ``classes_`` (the
    sorted classes of the labelled rows); return the new class index of every
    labelled row, changing at most ``n_poison`` of them. The template sets
    ``classes_``, writes the new labels into a copy of ``y`` and marks the
    rows whose label changed in ``poison_mask_`` (``n_changed_`` of them, at
    most ``n_poison_``). ``X`` is returned as validated, not copied.
    """

    _parameter_constraints: dict = {
        "n_poison": [Count(0), Fraction(0, 1, closed="both")],
        "random_state": ["random_state"],
    }

    def _budget_rows(self, X, y):
        return np.count_nonzero(~unlabelled_mask(y)), False, "labelled rows"

    def _poison(self, X, y, random_state):
        labelled = ~unlabelled_mask(y)
        rows = np.flatnonzero(labelled)
        classes, class_index = labelled_classes(y, labelled)
        self.classes_ = classes
        new_index = self._relabel(X, y, rows, class_index, self.n_poison_, random_state)
        y_res = y.copy()
        y_res[rows] = classes[new_index]
        return self._altered(X, y_res, rows[new_index != class_index])

    @abstractmethod
    def _relabel(self, X, y, rows, class_index, n_poison, random_state):
        """Return the new class index (into ``classes_``) of every labelled row."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags


class BaseInjectionAttack(BaseAttack):
    """Base class for attacks that append new rows to the data.

    Subclasses implement ``_generate(X, y, n_new, random_state)`` returning the
    ``(n_new, n_features)`` rows to inject. ``n_poison`` is a count, or a
    fraction of the input rows (which may exceed 1). Injected rows get
    ``poison_label`` as their target when ``y`` is given: a fixed label
    (default ``-1``, "unlabelled") or ``"nearest"``, the label of the nearest
    clean row, so the injected rows look like clean data. With ``clip=True``
    (a parameter of every injection attack) each injected value is clipped
    to its feature's range over the input rows, so that the rows stay
    feasible (for example inside ``[0, 1]`` after min-max scaling).

    With string or boolean classes, ``y_res`` is an object array holding the
    classes unchanged beside the integer ``-1`` (numpy would otherwise turn
    ``-1`` into ``"-1"``, or ``True`` into ``1``).
    """

    _parameter_constraints: dict = {
        **BaseAttack._parameter_constraints,
        "poison_label": [Integral, str],
        "clip": ["boolean"],
    }

    def _budget_rows(self, X, y):
        return X.shape[0], True, "rows"

    def _poison(self, X, y, random_state):
        n_new = self.n_poison_
        X_new = self._clip(X, self._generate(X, y, n_new, random_state))
        if y is None:
            y_new = None
        elif isinstance(self.poison_label, str) and self.poison_label == "nearest":
            y_new = y[pairwise_distances_argmin(X_new.astype(X.dtype), X)]
        else:
            y_new = np.full(n_new, self.poison_label)
        return self._injected(X, y, X_new, y_new)

    @abstractmethod
    def _generate(self, X, y, n_new, random_state):
        """Return the ``(n_new, n_features)`` rows to inject."""

    def _clip(self, X, X_new):
        """``X_new`` clipped to the per-feature range of ``X`` if ``clip``."""
        if not getattr(self, "clip", False) or X_new.shape[0] == 0:
            return X_new
        return np.clip(X_new, X.min(axis=0), X.max(axis=0)).astype(X.dtype)


class BaseDefence(BaseResampler):
    """Base class for defences: resamplers that remove suspicious rows.

    Subclasses implement ``_outlier_mask(X, y)`` returning a boolean mask,
    True for each input row to remove. The defence keeps the other rows in
    input order.

    Fitted attributes: ``outlier_mask_`` (True where the input row was
    removed), ``sample_indices_`` (indices of the kept rows, as in
    imbalanced-learn), ``n_features_in_`` and ``feature_names_in_``.
    """

    def _fit_resample(self, X, y):
        outlier_mask = np.asarray(self._outlier_mask(X, y), dtype=bool)
        if outlier_mask.all():
            raise ValueError(
                f"{type(self).__name__} flagged all {X.shape[0]} rows as outliers; "
                "nothing would be left to cluster. Check the detector's settings."
            )
        self.outlier_mask_ = outlier_mask
        keep = np.flatnonzero(~outlier_mask)
        return X[keep], (None if y is None else y[keep]), keep

    @abstractmethod
    def _outlier_mask(self, X, y):
        """Return a boolean mask over the rows of ``X``: True to remove."""


def _append_labels(y, y_new):
    """Concatenate labels, keeping ``y``'s dtype whenever the new labels fit it."""
    y_new = np.asarray(y_new)
    if y.dtype.kind == "b" and y_new.dtype.kind != "b":
        # Boolean classes with the integer -1: numpy would turn True into 1.
        dtype = object
    elif y_new.dtype == y.dtype or (
        y_new.dtype.kind in "iub"
        and y.dtype.kind in "iuf"
        and all(np.can_cast(np.min_scalar_type(v), y.dtype) for v in np.unique(y_new))
    ):
        dtype = y.dtype
    elif (y.dtype.kind in "US") != (y_new.dtype.kind in "US"):
        # String classes with the integer -1: numpy would turn -1 into "-1".
        dtype = object
    else:
        try:
            dtype = np.result_type(y.dtype, y_new.dtype)
        except TypeError:
            dtype = object
    return np.concatenate([y.astype(dtype, copy=False), y_new.astype(dtype)])


def _column_to_1d(y):
    """Ravel a single-column target (DataFrame or (n, 1) array) without warning.

    Its container is restored on output, so a one-column target is as good as
    a 1-D one; wider 2-D targets are left for validation to reject.
    """
    shape = getattr(y, "shape", None)
    if shape is not None and len(shape) == 2 and shape[1] == 1:
        return np.asarray(y).ravel()
    return y


def _like(original, result, *, kind):
    """Return ``result`` in the container type of ``original``."""
    if result is None or original is None:
        return result
    if isinstance(original, list):
        return result.tolist()
    module = type(original).__module__
    if module.startswith("pandas"):
        import pandas as pd

        if kind == "X" and hasattr(original, "columns"):
            return pd.DataFrame(result, columns=original.columns)
        if kind == "y" and hasattr(original, "columns"):
            return pd.DataFrame(result, columns=original.columns)
        if kind == "y" and hasattr(original, "name") and original.ndim == 1:
            return pd.Series(result, name=original.name)
    if kind == "y" and getattr(original, "ndim", 1) == 2:
        return result.reshape(-1, 1)
    return result
