"""Robustness curves: the paired evaluation over a range of attack strengths."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from joblib import Parallel, delayed
from sklearn.base import clone

from skpoison.model_selection._evaluate import (
    _SHARED_PARAMS,
    RESULT_COLUMNS,
    _check_X_y,
    _evaluate_once,
    _repeat_seeds,
    _to_result,
)
from skpoison.utils._param_validation import validate_params

__all__ = ["robustness_curve"]

#: Column names of :func:`robustness_curve`'s result, in order.
CURVE_COLUMNS = ["param_value", *RESULT_COLUMNS]


def _evaluate_value(estimator, attack, X, y, defence, param_name, value, seed, repeat):
    attack = clone(attack).set_params(**{param_name: value})
    row = _evaluate_once(estimator, attack, X, y, defence, seed, repeat)
    row["param_value"] = value
    return row


@validate_params(
    {**_SHARED_PARAMS, "param_name": [str], "param_range": ["array-like"]},
    prefer_skip_nested_validation=False,
)
def robustness_curve(
    estimator,
    attack,
    X,
    y=None,
    *,
    param_name="n_poison",
    param_range,
    defence=None,
    n_repeats=5,
    random_state=None,
    n_jobs=None,
    as_frame="auto",
):
    """Evaluate an attack over a range of values of one of its parameters.

    Like :func:`sklearn.model_selection.validation_curve`, but for an attack:
    for each value of ``param_name`` in ``param_range`` (typically the budget
    ``n_poison``), :func:`evaluate_attack` is run with ``n_repeats`` paired
    repeats. The same ``n_repeats`` seeds are used for every value (common
    random numbers), so the curve's steps reflect the parameter, not the
    luck of the draw.

    The ``len(param_range) * n_repeats`` tasks run with
    :class:`joblib.Parallel`; results do not depend on ``n_jobs`` or on the
    backend, so ``with joblib.parallel_backend("dask"):`` runs the sweep on a
    Dask cluster (see :ref:`scaling`).

    Read more in the :ref:`User Guide <robustness_curve>`.

    Parameters
    ----------
    estimator : estimator object
        The clustering model (or a pipeline ending in one), cloned for each
        run.
    attack : resampler
        The attack (or a pipeline of resamplers containing it).
    X : array-like of shape (n_samples, n_features)
        The clean data.
    y : array-like of shape (n_samples,), default=None
        Ground-truth classes, passed to ``fit`` and used for the external
        scores.
    param_name : str, default="n_poison"
        Name of the attack parameter to vary; a nested name such as
        ``"labelflipattack__n_poison"`` when ``attack`` is a pipeline.
    param_range : array-like
        The values of the parameter.
    defence : resampler, default=None
        A defence run before the estimator in both pipelines.
    n_repeats : int, default=5
        Number of paired repeats for each value.
    random_state : int, RandomState instance or None, default=None
        Draws the seed of each repeat.
    n_jobs : int, default=None
        Number of parallel jobs over the ``(value, repeat)`` tasks; ``None``
        means 1 unless in a :func:`joblib.parallel_backend` context.
    as_frame : bool or "auto", default="auto"
        Return a :class:`pandas.DataFrame` (``True``; ``"auto"`` when pandas
        is installed) or a dict of 1-D arrays (``False``).

    Returns
    -------
    result : DataFrame or dict of ndarray
        One row per ``(value, repeat)``, ordered by value then repeat: a
        ``param_value`` column followed by the columns of
        :func:`evaluate_attack`.

    See Also
    --------
    evaluate_attack : The evaluation at one parameter value.
    skpoison.metrics.RobustnessCurveDisplay : Plot the result.

    Examples
    --------
    >>> from sklearn.cluster import KMeans
    >>> from sklearn.datasets import load_iris
    >>> from skpoison.attacks import UniformOutlierAttack
    >>> from skpoison.model_selection import robustness_curve
    >>> X, y = load_iris(return_X_y=True)
    >>> curve = robustness_curve(
    ...     KMeans(3, n_init=3), UniformOutlierAttack(), X, y,
    ...     param_range=[0.1, 0.3], n_repeats=2, random_state=0)
    >>> curve[["param_value", "repeat", "n_poison"]]
       param_value  repeat  n_poison
    0          0.1       0        15
    1          0.1       1        15
    2          0.3       0        45
    3          0.3       1        45
    """
    X, y = _check_X_y(X, y, estimator)
    param_range = list(param_range)
    if not param_range:
        raise ValueError("param_range is empty.")
    try:
        clone(attack).set_params(**{param_name: param_range[0]})
    except ValueError as exc:
        raise ValueError(
            f"param_name={param_name!r} is not a parameter of the attack: {exc}"
        ) from exc
    seeds = _repeat_seeds(random_state, n_repeats)
    rows = Parallel(n_jobs=n_jobs)(
        delayed(_evaluate_value)(
            estimator, attack, X, y, defence, param_name, value, seed, repeat
        )
        for value in param_range
        for repeat, seed in enumerate(seeds)
    )
    return _to_result(rows, CURVE_COLUMNS, as_frame)
