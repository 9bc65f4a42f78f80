"""Find skpoison's public estimators, as :func:`sklearn.utils.discovery`."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import inspect
from importlib import import_module

from sklearn.base import BaseEstimator

_ESTIMATOR_MODULES = ("attacks", "defences", "cluster", "preprocessing")
_TYPE_FILTERS = ("attack", "defence", "resampler", "cluster")


def all_estimators(type_filter=None):
    """List every public estimator class that skpoison exports.

    Parameters
    ----------
    type_filter : {"attack", "defence", "resampler", "cluster"} or list of \
            such str, default=None
        Keep only estimators of these kinds. ``"resampler"`` means anything
        with ``fit_resample``; ``"cluster"`` the estimators of
        :mod:`skpoison.cluster`. ``None`` keeps all.

    Returns
    -------
    estimators : list of (name, class) tuples
        Sorted by name.

    Examples
    --------
    >>> from skpoison.utils.discovery import all_estimators
    >>> all(name.endswith("Attack") for name, _ in all_estimators("attack"))
    True
    """
    from skpoison.base import BaseAttack, BaseDefence

    if type_filter is None:
        filters = set(_TYPE_FILTERS)
    else:
        if isinstance(type_filter, str):
            filters = {type_filter}
        elif isinstance(type_filter, (list, tuple, set, frozenset)) and all(
            isinstance(f, str) for f in type_filter
        ):
            filters = set(type_filter)
        else:
            raise ValueError(
                f"type_filter must be None, a str or a list of str among "
                f"{_TYPE_FILTERS}; got {type_filter!r}."
            )
        unknown = filters - set(_TYPE_FILTERS)
        if unknown:
            raise ValueError(
                f"Unknown type_filter {sorted(unknown)}; use any of {_TYPE_FILTERS}."
            )

    found = {}
    for module_name in _ESTIMATOR_MODULES:
        module = import_module(f"skpoison.{module_name}")
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if not (inspect.isclass(obj) and issubclass(obj, BaseEstimator)):
                continue
            if inspect.isabstract(obj):
                continue
            kinds = set()
            if issubclass(obj, BaseAttack):
                kinds.add("attack")
            if issubclass(obj, BaseDefence):
                kinds.add("defence")
            if hasattr(obj, "fit_resample"):
                kinds.add("resampler")
            if module_name == "cluster":
                kinds.add("cluster")
            if kinds & filters:
                found[name] = obj
    return sorted(found.items())
