"""Robustness curves: the paired evaluation over a range of attack strengths."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn.base import clone

from skpoison.model_selection._evaluate import (
    _SHARED_PARAMS,
    RESULT_COLUMNS,
    _check_X_y,
    _repeat_seeds,
    _run_grid,
    _threat_model,
    _to_result,
)
from skpoison.utils._param_validation import HasMethods, validate_params

__all__ = ["robustness_curve"]

#: Column names of :func:`robustness_curve`'s result, in order.
CURVE_COLUMNS = ["param_value", *RESULT_COLUMNS]


def _set_param(attack, param_name, value):
    try:
        return clone(attack).set_params(**{param_name: value})
    except ValueError as exc:
        raise ValueError(
            f"param_name={param_name!r} is not a parameter of the attack: {exc}"
        ) from exc


@validate_params(
    {
        **_SHARED_PARAMS,
        "attack": [HasMethods(["fit_resample"]), dict],
        "param_name": [str, dict],
        "param_range": ["array-like"],
        "callback": [callable, None],
    },
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
    attacker_sees_labels=True,
    n_repeats=5,
    random_state=None,
    n_jobs=None,
    as_frame="auto",
    callback=None,
):
    """Evaluate an attack over a range of values of one of its parameters.

    Like :func:`sklearn.model_selection.validation_curve`, but for an attack:
    for each value of ``param_name`` in ``param_range`` (typically the budget
    ``n_poison``), :func:`evaluate_attack` is run with ``n_repeats`` paired
    repeats. Common random numbers: the same ``n_repeats`` seeds are used for
    every value, and the clean run of a repeat is fitted once and shared by
    every value (and every attack, when ``attack`` is a dict), so there is
    one clean baseline per repeat and the curve's steps reflect the
    parameter, not the luck of the draw. A value of 0 for ``n_poison`` is
    the clean point: the attack is skipped and every paired difference is 0.

    Seeds follow the rule of :func:`evaluate_attack`: a ``random_state`` you
    set is kept, those left at ``None`` are drawn per repeat from
    ``random_state``. With every component seeded, the result is the same
    on every call, even with ``random_state=None``.

    The tasks (one clean run per repeat, then one per value and repeat) run
    with
    :class:`joblib.Parallel`; results do not depend on ``n_jobs`` or on the
    backend, so ``with joblib.parallel_backend("dask"):`` runs the sweep on a
    Dask cluster (see :ref:`scaling`).

    Read more in the :ref:`User Guide <robustness_curve>`.

    Parameters
    ----------
    estimator : estimator object
        The clustering model (or a pipeline ending in one), cloned for each
        run.
    attack : resampler or dict of str to resampler
        The attack (or a pipeline of resamplers containing it). A dict of
        named attacks sweeps them all with one clean baseline per repeat
        (attacks whose non-attack steps differ get their own baseline) and
        adds a leading ``attack`` column holding the names.
    X : array-like of shape (n_samples, n_features)
        The clean data.
    y : array-like of shape (n_samples,), default=None
        Ground-truth classes, passed to ``fit`` and used for the external
        scores.
    param_name : str or dict of str to str, default="n_poison"
        Name of the attack parameter to vary; a nested name such as
        ``"labelflipattack__n_poison"`` when ``attack`` is a pipeline. A dict
        gives the name per attack (same keys as ``attack``).
    param_range : array-like
        The values of the parameter.
    defence : resampler, default=None
        A defence run before the estimator in both pipelines.
    attacker_sees_labels : bool, default=True
        Whether the attack gets ``y``; see :func:`evaluate_attack`.
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
    callback : callable, default=None
        Called as ``callback(1)`` each time a ``(value, repeat)`` task
        finishes, in task order (the sweep has ``len(param_range) *
        n_repeats`` of them per attack), e.g. to move a progress bar such as
        ``tqdm(total=...).update``. The results do not depend on it.

    Returns
    -------
    result : DataFrame or dict of ndarray
        One row per ``(value, repeat)`` (per ``(attack, value, repeat)`` for
        a dict), ordered by attack, value, then repeat: a ``param_value``
        column followed by the columns of :func:`evaluate_attack`. Noise
        and ``false_confidence`` are computed over the repeats of each
        value.

    See Also
    --------
    evaluate_attack : The evaluation at one parameter value.
    RobustnessCurveDisplay : Plot the result.

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
    named = isinstance(attack, dict)
    attacks = attack if named else {None: attack}
    if not attacks:
        raise ValueError("attack is an empty dict.")
    if isinstance(param_name, dict):
        missing = set(attacks) - set(param_name)
        if missing:
            raise ValueError(f"param_name has no entry for the attacks {missing}.")
        names = param_name
    else:
        names = dict.fromkeys(attacks, param_name)
    configs = [
        ((key, value), _set_param(att, names[key], value))
        for key, att in attacks.items()
        for value in param_range
    ]
    seeds = _repeat_seeds(random_state, n_repeats)
    blocks = _run_grid(
        estimator,
        X,
        y,
        configs=configs,
        defence=defence,
        attacker_sees_labels=attacker_sees_labels,
        seeds=seeds,
        n_jobs=n_jobs,
        callback=callback,
    )
    rows = []
    for ((key, value), _), block in zip(configs, blocks, strict=True):
        for row in block:
            row["param_value"] = value
            row["attack"] = key
            rows.append(row)
    columns = ["attack", *CURVE_COLUMNS] if named else CURVE_COLUMNS
    threat = _threat_model(estimator, attack, defence, attacker_sees_labels)
    return _to_result(rows, columns, as_frame, threat)
