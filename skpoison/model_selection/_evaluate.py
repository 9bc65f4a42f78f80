"""Paired clean-versus-poisoned evaluation of a clustering pipeline."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

import numpy as np
from joblib import Parallel, delayed, parallel_config
from sklearn.base import clone, is_classifier
from sklearn.pipeline import Pipeline as SkPipeline
from sklearn.utils import check_random_state
from threadpoolctl import threadpool_limits

from skpoison.metrics._clustering import (
    _SILHOUETTE_SAMPLE_SIZE,
    _external_scores,
    _internal_scores,
    assignment_change_rate,
    centroid_shift,
    coassociation_distance,
)
from skpoison.utils._param_validation import (
    HasMethods,
    Interval,
    StrOptions,
    validate_params,
)
from skpoison.utils._validation import check_finite_arithmetic

__all__ = ["evaluate_attack"]

_INTERNAL = ["silhouette", "calinski_harabasz", "davies_bouldin"]
_INTERNAL_ALL = [*_INTERNAL, "mean_within_cluster_std"]
_EXTERNAL = ["adjusted_rand", "adjusted_mutual_info", "cluster_accuracy"]

#: Column names of :func:`evaluate_attack`'s result, in order.
RESULT_COLUMNS = [
    "repeat",
    "seed",
    *[
        f"{run}_{name}"
        for name in [*_INTERNAL_ALL, *_EXTERNAL, "accuracy"]
        for run in ("clean", "poisoned")
    ],
    "centroid_shift_mean",
    "centroid_shift_max",
    "assignment_change_rate",
    "coassociation_distance",
    "n_poison",
    "clean_n_removed",
    "poisoned_n_removed",
    "survival_rate",
    "defence_precision",
    "defence_recall",
    "false_confidence",
]

_SHARED_PARAMS = {
    "estimator": [HasMethods(["fit"])],
    "attack": [HasMethods(["fit_resample"])],
    "X": ["array-like"],
    "y": ["array-like", None],
    "defence": [HasMethods(["fit_resample"]), None],
    "n_repeats": [Interval(Integral, 1, None, closed="left")],
    "random_state": ["random_state"],
    "n_jobs": [Integral, None],
    "as_frame": ["boolean", StrOptions({"auto"})],
}


def _steps(obj):
    """Flatten a (possibly nested) pipeline into its list of step objects."""
    if obj is None:
        return []
    if isinstance(obj, SkPipeline):  # imblearn's Pipeline subclasses it
        return [
            s
            for _, step in obj.steps
            for s in _steps(step)
            if s is not None and s != "passthrough"
        ]
    return [obj]


def _seed_params(steps, seed):
    """Give every ``random_state`` parameter of the steps its own seed.

    Seeds are drawn from ``seed`` in a fixed order (step, then parameter
    name), so a repeat is fully reproducible and the clean and poisoned runs,
    which share their defence and estimator steps, use the same seeds.
    """
    rng = np.random.RandomState(seed)
    for step in steps:
        names = sorted(
            name
            for name in step.get_params(deep=True)
            if name == "random_state" or name.endswith("__random_state")
        )
        if names:
            step.set_params(
                **{name: int(rng.randint(np.iinfo(np.int32).max)) for name in names}
            )
    return steps


def _predict_labels(model, Xt):
    """Labels the fitted final model gives ``Xt``, or None without ``predict``."""
    if hasattr(model, "predict"):
        return np.asarray(model.predict(Xt))
    return None


def _run(steps, X, y):
    """Fit the steps in order, tracking provenance, poison and removals.

    Resamplers (``fit_resample``) change the rows; transformers
    (``fit_transform``) change the features; the last step is the model.
    Returns a dict with the data the model was fitted on, its labels there,
    its labels on the clean rows ``X``, its centres and the bookkeeping.
    """
    Xt, yt = X, y
    origin = np.arange(X.shape[0])  # input row of each current row, -1 injected
    poison = np.zeros(X.shape[0], dtype=bool)
    n_poison = n_removed = removed_poison = 0
    has_defence = False
    transformers = []
    # Rows in X's feature space (while no transformer changed the features):
    # those the attacks injected and those the defences removed.
    injected_rows, removed_rows = [], []
    *pre, model = steps
    for step in pre:
        if hasattr(step, "fit_resample"):
            X_in = Xt
            Xt, yt = step.fit_resample(Xt, yt)
            indices = np.asarray(step.sample_indices_)
            mask = getattr(step, "outlier_mask_", None)
            if mask is not None:
                has_defence = True
                mask = np.asarray(mask, dtype=bool)
                n_removed += int(mask.sum())
                removed_poison += int((mask & poison).sum())
                if not transformers:
                    removed_rows.append(np.asarray(X_in)[mask])
            new_origin = np.where(indices >= 0, origin[np.maximum(indices, 0)], -1)
            new_poison = np.where(indices >= 0, poison[np.maximum(indices, 0)], False)
            step_poison = getattr(step, "poison_mask_", None)
            if step_poison is not None:
                step_poison = np.asarray(step_poison, dtype=bool)
                if not transformers:
                    injected_rows.append(np.asarray(Xt)[indices < 0])
                n_poison += int((step_poison & ~new_poison).sum())
                new_poison |= step_poison
            origin, poison = new_origin, new_poison
        else:
            Xt = step.fit_transform(Xt, yt)
            transformers.append(step)
    Xt = np.asarray(Xt)
    model.fit(Xt, yt) if yt is not None else model.fit(Xt)
    fit_labels = getattr(model, "labels_", None)
    fit_labels = (
        _predict_labels(model, Xt) if fit_labels is None else np.asarray(fit_labels)
    )
    # Labels of the clean rows X: predict through the fitted transformers,
    # or, for a model without predict (DBSCAN), the labels of the fitted rows
    # that came from X (-1 for clean rows that a defence removed).
    if hasattr(model, "predict"):
        Xc = X
        for step in transformers:
            Xc = step.transform(Xc)
        clean_labels = np.asarray(model.predict(np.asarray(Xc)))
    else:
        clean_labels = np.full(X.shape[0], -1, dtype=fit_labels.dtype)
        kept = origin >= 0
        clean_labels[origin[kept]] = fit_labels[kept]
    centers = getattr(model, "cluster_centers_", None)
    return {
        "X_fit": Xt,
        "fit_labels": fit_labels,
        "labels": clean_labels,
        "centers": centers,
        "poison": poison,
        "n_poison": n_poison,
        "n_removed": n_removed,
        "removed_poison": removed_poison,
        "has_defence": has_defence,
        "transformed": bool(transformers),
        "is_classifier": is_classifier(model),
        "X_injected": _stack(injected_rows, X.shape[1]),
        "X_removed": _stack(removed_rows, X.shape[1]),
    }


def _stack(rows, n_features):
    return np.concatenate(rows) if rows else np.empty((0, n_features))


def _majority(flags):
    return sum(bool(f) for f in flags) * 2 > len(flags)


def _false_confidence(row):
    """Flag a repeat whose internal scores improve while external scores drop."""
    if np.isnan(row["clean_adjusted_rand"]):
        return False
    internal = [
        row["poisoned_silhouette"] > row["clean_silhouette"],
        row["poisoned_calinski_harabasz"] > row["clean_calinski_harabasz"],
        row["poisoned_davies_bouldin"] < row["clean_davies_bouldin"],
    ]
    external = [row[f"poisoned_{n}"] < row[f"clean_{n}"] for n in _EXTERNAL]
    return _majority(internal) and _majority(external)


def _paired_runs(estimator, attack, X, y, defence, seed):
    """Fit the clean and the poisoned pipelines of one repeat."""
    attack_steps = _steps(clone(attack))
    defence_steps = _steps(clone(defence)) if defence is not None else []
    estimator_steps = _steps(clone(estimator))
    _seed_params(attack_steps + defence_steps + estimator_steps, seed)
    # The clean pipeline keeps the attack's non-attack steps (MaskLabels in
    # a semi-supervised set-up) so that both runs see the same labels.
    clean_pre = [s for s in attack_steps if not _is_attack(s)]
    clean = _run([clone(s) for s in clean_pre + defence_steps + estimator_steps], X, y)
    poisoned = _run(
        [clone(s) for s in attack_steps + defence_steps + estimator_steps], X, y
    )
    return clean, poisoned


def _evaluate_once(estimator, attack, X, y, defence, seed, repeat):
    """One paired repeat: clean and poisoned pipelines with the same seeds.

    BLAS and OpenMP run single-threaded inside a task, and nested joblib calls
    (scikit-learn's pairwise distances) run sequentially, so the task's
    floating-point results do not depend on where it runs (main process, loky
    worker, Dask worker, whose joblib context would otherwise split the
    distance computations over the cluster): parallelism comes from running
    tasks side by side.
    """
    with threadpool_limits(limits=1), parallel_config(backend="sequential"):
        return _score_repeat(estimator, attack, X, y, defence, seed, repeat)


def _score_repeat(estimator, attack, X, y, defence, seed, repeat):
    clean, poisoned = _paired_runs(estimator, attack, X, y, defence, seed)
    row = {"repeat": repeat, "seed": seed}
    for run_name, run in (("clean", clean), ("poisoned", poisoned)):
        internal = _internal_scores(
            run["X_fit"], run["fit_labels"], _SILHOUETTE_SAMPLE_SIZE, 0
        )
        for name in _INTERNAL_ALL:
            row[f"{run_name}_{name}"] = internal[name]
        external = (
            _external_scores(y, run["labels"])
            if y is not None
            else dict.fromkeys(_EXTERNAL, np.nan)
        )
        for name in _EXTERNAL:
            row[f"{run_name}_{name}"] = external[name]
        # Plain accuracy only means something for a model that predicts the
        # classes themselves (SemiSupervisedKMeans): a label attack that
        # renames the clusters is invisible to the matched cluster_accuracy.
        row[f"{run_name}_accuracy"] = (
            float(np.mean(run["labels"] == y))
            if y is not None and run["is_classifier"]
            else np.nan
        )
    if clean["centers"] is not None and poisoned["centers"] is not None:
        shift = centroid_shift(clean["centers"], poisoned["centers"])
        row["centroid_shift_mean"], row["centroid_shift_max"] = shift
    else:
        row["centroid_shift_mean"] = row["centroid_shift_max"] = np.nan
    row["assignment_change_rate"] = assignment_change_rate(
        clean["labels"], poisoned["labels"]
    )
    row["coassociation_distance"] = coassociation_distance(
        clean["labels"], poisoned["labels"]
    )
    row["n_poison"] = poisoned["n_poison"]
    row["clean_n_removed"] = clean["n_removed"]
    row["poisoned_n_removed"] = poisoned["n_removed"]
    if poisoned["has_defence"] and poisoned["n_poison"]:
        recall = poisoned["removed_poison"] / poisoned["n_poison"]
        row["survival_rate"] = 1.0 - recall
        row["defence_recall"] = recall
    else:
        row["survival_rate"] = row["defence_recall"] = np.nan
    row["defence_precision"] = (
        poisoned["removed_poison"] / poisoned["n_removed"]
        if poisoned["has_defence"] and poisoned["n_removed"]
        else np.nan
    )
    row["false_confidence"] = _false_confidence(row)
    return row


def _is_attack(step):
    from skpoison.base import BaseAttack

    return isinstance(step, BaseAttack)


def _check_X_y(X, y, estimator=None):
    from sklearn.utils import check_array, check_consistent_length, get_tags

    if y is None and estimator is not None and get_tags(estimator).target_tags.required:
        raise ValueError(
            f"{type(estimator).__name__} needs the target y (it is fitted on "
            "labels), but y is None. Pass y."
        )
    X = check_array(X, dtype=(np.float64, np.float32), input_name="X")
    check_finite_arithmetic(X, owner="The evaluation")
    if y is not None:
        y = np.asarray(y)
        if y.ndim != 1:
            raise ValueError(f"y must be 1-D, got shape {y.shape}.")
        check_consistent_length(X, y)
    return X, y


def _repeat_seeds(random_state, n_repeats):
    rng = check_random_state(random_state)
    return [int(s) for s in rng.randint(np.iinfo(np.int32).max, size=n_repeats)]


def _to_result(rows, columns, as_frame):
    """Tidy result: a dict of 1-D arrays, or a DataFrame."""
    data = {name: np.asarray([row[name] for row in rows]) for name in columns}
    if as_frame is False:
        return data
    try:
        import pandas as pd
    except ImportError as exc:
        if as_frame is True:
            raise ImportError(
                "as_frame=True needs pandas: pip install skpoison[report]"
            ) from exc
        return data
    return pd.DataFrame(data, columns=columns)


@validate_params(_SHARED_PARAMS, prefer_skip_nested_validation=False)
def evaluate_attack(
    estimator,
    attack,
    X,
    y=None,
    *,
    defence=None,
    n_repeats=5,
    random_state=None,
    n_jobs=None,
    as_frame="auto",
):
    """Measure what an attack does to a clustering, clean and poisoned side by side.

    For each repeat, two pipelines are fitted on the same data ``X``:

    - clean: ``[defence] + estimator``;
    - poisoned: ``attack + [defence] + estimator``.

    Each repeat draws a seed from ``random_state``; every ``random_state``
    parameter of (clones of) the attack, the defence and the estimator gets
    its own seed derived from it, identically in both pipelines, so the only
    difference between the two runs is the attack. The steps are run one by
    one (not through an imbalanced-learn pipeline), so the attack's
    ``poison_mask_`` and the defence's ``outlier_mask_`` can be read.

    ``attack`` may be a pipeline of resamplers, e.g.
    ``make_pipeline(MaskLabels(0.2), LabelFlipAttack())``: its steps that are
    not attacks (``MaskLabels``) run in the clean pipeline too. ``estimator``
    may be a pipeline (``make_pipeline(StandardScaler(), KMeans(3))``); its
    last step is the model.

    Read more in the :ref:`User Guide <evaluate_attack>`.

    Parameters
    ----------
    estimator : estimator object
        The clustering model (or pipeline ending in one), cloned for each run.
        Its training labels are ``labels_`` (or ``predict`` on its training
        data); its labels on the clean rows come from ``predict`` (or, without
        ``predict``, are the labels of the fitted rows that came from ``X``,
        ``-1`` for rows a defence removed).
    attack : resampler
        The attack (or a pipeline of resamplers containing it).
    X : array-like of shape (n_samples, n_features)
        The clean data.
    y : array-like of shape (n_samples,), default=None
        Ground-truth classes. Passed to ``fit`` (attacks and semi-supervised
        models use it; :class:`~sklearn.cluster.KMeans` ignores it) and used
        for the external scores. In a semi-supervised set-up pass the full
        labels: ``MaskLabels`` hides them at fit time.
    defence : resampler, default=None
        A defence run before the estimator in both pipelines.
    n_repeats : int, default=5
        Number of paired repeats, each with its own seed.
    random_state : int, RandomState instance or None, default=None
        Draws the seed of each repeat.
    n_jobs : int, default=None
        Repeats run in parallel with :class:`joblib.Parallel`; ``None`` means
        1 unless in a :func:`joblib.parallel_backend` context.
    as_frame : bool or "auto", default="auto"
        Return a :class:`pandas.DataFrame` (``True``; ``"auto"`` when pandas
        is installed) or a dict of 1-D arrays (``False``).

    Returns
    -------
    result : DataFrame or dict of ndarray
        One row per repeat, with the columns (``<run>`` is ``clean`` or
        ``poisoned``):

        - ``repeat``, ``seed``;
        - internal scores on the rows each model was fitted on (after the
          attack and defence), rows labelled ``-1`` left out:
          ``<run>_silhouette`` (on a fixed sample of 3 000 rows when there
          are more), ``<run>_calinski_harabasz``, ``<run>_davies_bouldin``,
          ``<run>_mean_within_cluster_std``;
        - external scores of each model's labels on the clean rows ``X``
          against ``y`` (NaN without ``y``): ``<run>_adjusted_rand``,
          ``<run>_adjusted_mutual_info``, ``<run>_cluster_accuracy``, and
          ``<run>_accuracy``, the plain accuracy, for a model that predicts
          classes (a classifier such as
          :class:`~skpoison.cluster.SemiSupervisedKMeans`; NaN otherwise):
          a label attack that makes the model call one class by another's
          name is invisible to the matched ``cluster_accuracy``;
        - ``centroid_shift_mean``, ``centroid_shift_max``: matched distance
          between the models' ``cluster_centers_`` (NaN when the model has
          none);
        - ``assignment_change_rate``, ``coassociation_distance``: the clean
          model's labels versus the poisoned model's labels on the clean rows;
        - ``n_poison``: rows the attack injected or altered;
          ``clean_n_removed``, ``poisoned_n_removed``: rows the defence
          removed in each run;
        - ``survival_rate`` (share of poisoned rows the defence kept),
          ``defence_precision`` (share of removed rows that were poisoned),
          ``defence_recall`` (share of poisoned rows removed): NaN without a
          defence (or without removals, for the precision);
        - ``false_confidence``: True when a majority of the internal scores
          improved (silhouette up, Calinski-Harabasz up, Davies-Bouldin down)
          while a majority of the external scores dropped. Always False
          without ``y``.

    See Also
    --------
    robustness_curve : The same evaluation over a range of attack strengths.
    skpoison.metrics.clustering_report : The scores of one clustering.

    Examples
    --------
    >>> from sklearn.cluster import KMeans
    >>> from sklearn.datasets import load_iris
    >>> from skpoison.attacks import BridgeAttack
    >>> from skpoison.model_selection import evaluate_attack
    >>> X, y = load_iris(return_X_y=True)
    >>> result = evaluate_attack(KMeans(3, n_init=3), BridgeAttack(n_poison=0.2),
    ...                          X, y, n_repeats=2, random_state=0, as_frame=False)
    >>> result["poisoned_adjusted_rand"].shape
    (2,)
    >>> bool((result["n_poison"] == 30).all())
    True
    """
    X, y = _check_X_y(X, y, estimator)
    seeds = _repeat_seeds(random_state, n_repeats)
    rows = Parallel(n_jobs=n_jobs)(
        delayed(_evaluate_once)(estimator, attack, X, y, defence, seed, repeat)
        for repeat, seed in enumerate(seeds)
    )
    return _to_result(rows, RESULT_COLUMNS, as_frame)
