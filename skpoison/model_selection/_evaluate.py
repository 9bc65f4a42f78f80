"""Paired clean-versus-poisoned evaluation of a clustering pipeline."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

import numpy as np
from joblib import Parallel, delayed, parallel_config
from sklearn.utils import check_random_state
from threadpoolctl import threadpool_limits

from skpoison.metrics import clustering_report
from skpoison.model_selection._paired import (
    EXTERNAL_SCORES,
    INTERNAL_SCORES,
    _check_threat_model,
    _check_X_y,
    _fit_clean,
    _is_attack,
    _paired,
    _signature,
)
from skpoison.utils._budget import Count
from skpoison.utils._optional import frame_or_dict
from skpoison.utils._param_validation import (
    HasMethods,
    StrOptions,
    validate_params,
)
from skpoison.utils._steps import flatten_steps

__all__ = ["evaluate_attack"]

_SCORES = [*INTERNAL_SCORES, *EXTERNAL_SCORES, "accuracy"]
_FLAG_SCORES = [*INTERNAL_SCORES, *EXTERNAL_SCORES]
# The validity indices the flag reads: the mean within-cluster std is not one
# (it falls whenever there are more clusters), so it is reported, not voted.
_FLAG_INTERNAL = ["silhouette", "calinski_harabasz", "davies_bouldin"]

#: Column names of :func:`evaluate_attack`'s result, in order.
RESULT_COLUMNS = [
    "repeat",
    "seed",
    *[f"{run}_{name}" for name in _SCORES for run in ("clean", "poisoned")],
    *[f"diff_{name}" for name in _SCORES],
    *[f"noise_{name}" for name in _FLAG_SCORES],
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
    "concealment_rate",
    "eviction_rate",
    "attacker_sees_labels",
    "false_confidence",
]

_SHARED_PARAMS = {
    "estimator": [HasMethods(["fit"])],
    "attack": [HasMethods(["fit_resample"])],
    "X": ["array-like"],
    "y": ["array-like", None],
    "defence": [HasMethods(["fit_resample"]), None],
    "attacker_sees_labels": ["boolean"],
    "n_repeats": [Count(1)],
    "random_state": ["random_state"],
    "n_jobs": [Integral, None],
    "as_frame": ["boolean", StrOptions({"auto"})],
}


def _isolated(func, *args, **kwargs):
    """Run one task single-threaded, so its results do not depend on where it runs.

    BLAS and OpenMP run single-threaded inside a task, and nested joblib calls
    (scikit-learn's pairwise distances) run sequentially, so the task's
    floating-point results are the same in the main process, a loky worker or
    a Dask worker (whose joblib context would otherwise split the distance
    computations over the cluster): parallelism comes from running tasks side
    by side.
    """
    with threadpool_limits(limits=1), parallel_config(backend="sequential"):
        return func(*args, **kwargs)


def _clean_task(estimator, attack, X, y, defence, seed):
    """Fit the clean run of one repeat; keep only what the scores read.

    Its clustering report is computed here, once, for all the pairs that
    share the run (the silhouette of a 3 000-row sample and the cluster
    statistics cost as much as a small fit).
    """
    run = _fit_clean(estimator, attack, X, y, defence=defence, seed=seed)._for_scores()
    run._report = clustering_report(X, run.labels, y)
    return run


def _pair_task(estimator, attack, X, y, defence, attacker_sees_labels, seed, clean):
    result = _paired(
        estimator,
        attack,
        X,
        y,
        defence=defence,
        attacker_sees_labels=attacker_sees_labels,
        seed=seed,
        clean_run=clean,
    )
    row = result.scores()
    row["attacker_sees_labels"] = bool(attacker_sees_labels)
    return row


def _oriented(name, values):
    """Paired differences signed so that positive means "looks better"."""
    higher_better = INTERNAL_SCORES.get(name, True)
    return values if higher_better else -values


def _std(values):
    values = values[np.isfinite(values)]
    return float(np.std(values, ddof=1)) if values.size >= 2 else np.nan


# Fewest repeats for the flag: the spread of two values is too unreliable
# (it is often near 0 by chance).
_MIN_FLAG_REPEATS = 3


def _add_noise_and_flag(rows):
    """Seed-to-seed noise of each score and the false-confidence flag.

    ``rows`` are the repeats of one evaluation (one attack at one budget).
    The noise of a score is the larger of two standard deviations across
    the repeats (``ddof=1``): of its clean value (how much the seed alone
    moves it, with no attack) and of its paired difference (how much the
    attack's effect itself varies with the seed). The evaluation shows false
    confidence when the mean paired difference of a majority of the
    internal scores improves, and that of a majority of the external scores
    drops, each by more than its noise. It needs ``y`` and at least three
    repeats; the flag is the same on every row of the evaluation.
    """
    improved, dropped = [], []
    for name in _FLAG_SCORES:
        clean = np.array([row[f"clean_{name}"] for row in rows], dtype=float)
        diff = np.array([row[f"diff_{name}"] for row in rows], dtype=float)
        noise = max(_std(clean), _std(diff))
        if not np.isfinite(noise) or not np.isfinite(diff).any():
            noise = np.nan
        for row in rows:
            row[f"noise_{name}"] = noise
        mean = float(np.nanmean(diff)) if np.isfinite(diff).any() else np.nan
        effect = _oriented(name, mean)
        if name in _FLAG_INTERNAL:
            improved.append(bool(effect > noise))
        elif name in EXTERNAL_SCORES:
            dropped.append(bool(-effect > noise))
    flag = len(rows) >= _MIN_FLAG_REPEATS and _majority(improved) and _majority(dropped)
    for row in rows:
        row["false_confidence"] = flag
    return rows


def _majority(flags):
    return sum(flags) * 2 > len(flags)


def _repeat_seeds(random_state, n_repeats):
    rng = check_random_state(random_state)
    return [int(s) for s in rng.randint(np.iinfo(np.int32).max, size=n_repeats)]


def _run_grid(
    estimator,
    X,
    y,
    *,
    configs,
    defence,
    attacker_sees_labels,
    seeds,
    n_jobs,
    callback=None,
):
    """Paired rows for every (config, repeat), one clean run per repeat.

    ``callback``, when given, is called with 1 after each paired task
    finishes (in task order), e.g. to move a progress bar.

    ``configs`` is a list of ``(key, attack)``; configs whose clean twin
    is the same (same non-attack steps) share the clean run of a repeat
    (common random numbers). Returns one list of rows per config, each
    with noise and flag columns filled.
    """
    for _, attack in configs:
        _check_threat_model(flatten_steps(attack), attacker_sees_labels)
    # Group the configs by their clean twin's non-attack steps.
    groups, group_of = {}, []
    for _, attack in configs:
        pre = tuple(_signature([s]) for s in flatten_steps(attack) if not _is_attack(s))
        group_of.append(groups.setdefault(pre, len(groups)))
    first = {}
    for i, g in enumerate(group_of):
        first.setdefault(g, i)
    parallel = Parallel(
        n_jobs=n_jobs, return_as="list" if callback is None else "generator"
    )
    cleans = list(
        parallel(
            delayed(_isolated)(
                _clean_task,
                estimator,
                configs[first[g]][1],
                X,
                y,
                defence,
                seed,
            )
            for g in range(len(groups))
            for seed in seeds
        )
    )
    clean_of = {
        (g, r): cleans[g * len(seeds) + r]
        for g in range(len(groups))
        for r in range(len(seeds))
    }
    rows = parallel(
        delayed(_isolated)(
            _pair_task,
            estimator,
            attack,
            X,
            y,
            defence,
            attacker_sees_labels,
            seed,
            clean_of[(group_of[i], r)],
        )
        for i, (_, attack) in enumerate(configs)
        for r, seed in enumerate(seeds)
    )
    if callback is not None:
        rows = list(_ticking(rows, callback))
    out = []
    for i in range(len(configs)):
        block = rows[i * len(seeds) : (i + 1) * len(seeds)]
        for r, row in enumerate(block):
            row["repeat"] = r
        out.append(_add_noise_and_flag(block))
    return out


def _ticking(results, callback):
    for result in results:
        callback(1)
        yield result


def _to_result(rows, columns, as_frame, threat_model=None):
    """Tidy result: a dict of 1-D arrays, or a DataFrame."""
    data = {name: np.asarray([row[name] for row in rows]) for name in columns}
    result = frame_or_dict(data, as_frame, columns=columns)
    if threat_model is not None and result is not data:
        result.attrs["threat_model"] = threat_model
    return result


def _threat_model(estimator, attack, defence, attacker_sees_labels):
    return {
        "attacker_sees_labels": bool(attacker_sees_labels),
        "attack": repr(attack),
        "defence": None if defence is None else repr(defence),
        "victim": repr(estimator),
    }


@validate_params(_SHARED_PARAMS, prefer_skip_nested_validation=False)
def evaluate_attack(
    estimator,
    attack,
    X,
    y=None,
    *,
    defence=None,
    attacker_sees_labels=True,
    n_repeats=5,
    random_state=None,
    n_jobs=None,
    as_frame="auto",
):
    """Measure what an attack does to a clustering, clean and poisoned side by side.

    Each repeat is one :func:`fit_paired`: two pipelines fitted on the same
    data ``X`` with the same seeds,

    - clean: ``[pre-steps] + [defence] + estimator``;
    - poisoned: ``attack + [defence] + estimator``,

    so the only difference between the two runs is the attack. ``attack``
    may be a pipeline of resamplers, e.g.
    ``make_pipeline(MaskLabels(0.2), LabelFlipAttack())``: its steps that are
    not attacks (the pre-steps, ``MaskLabels``) run in the clean pipeline
    too. ``estimator`` may be a pipeline
    (``make_pipeline(StandardScaler(), KMeans(3))``); its last step is the
    model. An attack with ``n_poison=0`` is skipped: the clean point, where
    every paired difference is exactly 0.

    Seeds: each repeat draws a seed from ``random_state``; from it, every
    ``random_state`` parameter left at ``None`` in the attack, the defence
    and the estimator gets a seed, identically in both runs. A component
    whose ``random_state`` you set keeps it in every repeat, so the repeats
    vary only what you left at ``None`` (and with every component seeded,
    all repeats are identical). See :ref:`evaluation_seeds`.

    Read more in the :ref:`User Guide <evaluate_attack>`.

    Parameters
    ----------
    estimator : estimator object
        The clustering model (or pipeline ending in one), cloned for each run.
        Its labels on the clean rows come from ``predict`` (or, without
        ``predict``, are the labels of the fitted rows that came from ``X``,
        ``-1`` for rows a defence removed).
    attack : resampler
        The attack (or a pipeline of resamplers containing it).
    X : array-like of shape (n_samples, n_features)
        The clean data.
    y : array-like of shape (n_samples,), default=None
        Ground-truth classes. Passed to the steps' ``fit`` (attacks and
        semi-supervised models use it; :class:`~sklearn.cluster.KMeans`
        ignores it) and used for the external scores. In a semi-supervised
        set-up pass the full labels: ``MaskLabels`` hides them at fit time.
    defence : resampler, default=None
        A defence run before the estimator in both pipelines.
    attacker_sees_labels : bool, default=True
        Whether the attack gets ``y``; with ``False`` it gets ``None`` while
        the scores still use ``y`` (see :ref:`threat_models`). An attack that
        needs labels then raises a ``ValueError``.
    n_repeats : int, default=5
        Number of paired repeats, each with its own seed.
    random_state : int, RandomState instance or None, default=None
        Draws the seed of each repeat.
    n_jobs : int, default=None
        Repeats run in parallel with :class:`joblib.Parallel`; ``None`` means
        1 unless in a :func:`joblib.parallel_backend` context.
    as_frame : bool or "auto", default="auto"
        Return a :class:`pandas.DataFrame` (``True``; ``"auto"`` when pandas
        is installed) or a dict of 1-D arrays (``False``). The DataFrame's
        ``attrs["threat_model"]`` records the attack, defence and victim.

    Returns
    -------
    result : DataFrame or dict of ndarray
        One row per repeat, with the columns (``<run>`` is ``clean`` or
        ``poisoned``):

        - ``repeat``, ``seed``;
        - internal scores of each model's labels on the clean rows ``X``
          (the same rows for both models, rows labelled ``-1`` left out, so
          the number of injected rows cannot move them):
          ``<run>_silhouette`` (on a fixed sample of 3 000 rows when there
          are more), ``<run>_calinski_harabasz``, ``<run>_davies_bouldin``,
          ``<run>_mean_within_cluster_std``;
        - external scores of each model's labels on ``X`` against ``y`` (NaN
          without ``y``): ``<run>_adjusted_rand``,
          ``<run>_adjusted_mutual_info``, ``<run>_cluster_accuracy``, and
          ``<run>_accuracy``, the plain accuracy, for a model that predicts
          classes (a classifier such as
          :class:`~skpoison.cluster.SemiSupervisedKMeans`; NaN otherwise):
          a label attack that makes the model call one class by another's
          name is invisible to the matched ``cluster_accuracy``;
        - ``diff_<score>``: the paired difference ``poisoned - clean`` of
          each of these scores;
        - ``noise_<score>``: the seed-to-seed noise of each internal and
          external score over the repeats (see Notes);
        - ``centroid_shift_mean``, ``centroid_shift_max``: matched distance
          between the models' ``cluster_centers_`` (NaN when the model has
          none or a transformer precedes it);
        - ``assignment_change_rate``, ``coassociation_distance``: the clean
          model's labels versus the poisoned model's labels on the clean rows;
        - ``n_poison``: rows the attack injected or altered;
          ``clean_n_removed``, ``poisoned_n_removed``: rows the defence
          removed in each run;
        - with a defence (NaN otherwise): ``survival_rate`` (share of
          poisoned rows the defence kept), ``defence_precision`` (share of
          removed rows that were poisoned), ``defence_recall`` (share of
          poisoned rows removed), ``concealment_rate`` and
          ``eviction_rate`` (:func:`skpoison.metrics.concealment_rate` and
          :func:`skpoison.metrics.eviction_rate` of the genuine rows: the
          defence's flags on the clean run versus the poisoned run);
        - ``attacker_sees_labels``: the threat model;
        - ``false_confidence``: see Notes.

    See Also
    --------
    fit_paired : One repeat, with the fitted models.
    robustness_curve : The same evaluation over a range of attack strengths.
    skpoison.metrics.clustering_report : The scores of one clustering.

    Notes
    -----
    The seed-to-seed noise of a score is the larger of two standard
    deviations over the repeats (``ddof=1``): that of its clean value (how
    much the seed alone moves the score, with no attack) and that of its
    paired difference (how much the attack's effect varies with the seed).
    ``false_confidence`` is True when the mean paired difference of a
    majority of the internal validity indices improves (two of silhouette
    up, Calinski-Harabasz up, Davies-Bouldin down) and that of a majority of
    the external scores drops (two of ARI, AMI, cluster accuracy), each by
    more than its noise: the internal scores say the clustering got better
    while it got worse. The mean within-cluster std is not a vote: it falls
    whenever a model has more clusters. The flag is a property of the whole
    evaluation, repeated on each row; it needs ``y`` and at least two
    repeats (False otherwise).

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
    >>> bool((result["diff_adjusted_rand"] < 0).all())
    True
    """
    X, y = _check_X_y(X, y, estimator)
    seeds = _repeat_seeds(random_state, n_repeats)
    (rows,) = _run_grid(
        estimator,
        X,
        y,
        configs=[(None, attack)],
        defence=defence,
        attacker_sees_labels=attacker_sees_labels,
        seeds=seeds,
        n_jobs=n_jobs,
    )
    return _to_result(
        rows,
        RESULT_COLUMNS,
        as_frame,
        _threat_model(estimator, attack, defence, attacker_sees_labels),
    )
