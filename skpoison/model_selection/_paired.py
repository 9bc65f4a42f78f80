"""The one clean-versus-poisoned runner every evaluation goes through.

:func:`fit_paired` fits ``attack -> [defence] -> estimator`` and its clean
twin ``[defence] -> estimator`` on the same data with the same seeds, and
returns a :class:`PairedResult` holding both fitted runs (:class:`FittedRun`)
and everything the scores, the Displays and the report read: the fitted
steps, the provenance of the fitted rows, the attack's and the defence's
masks, and the labels both models give the clean rows.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

import joblib
import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.utils import (
    check_array,
    check_consistent_length,
    check_random_state,
)

from skpoison.base import BaseAttack
from skpoison.metrics import (
    assignment_change_rate,
    centroid_shift,
    clustering_report,
    coassociation_distance,
    concealment_rate,
    eviction_rate,
)
from skpoison.utils._labels import unlabelled_like
from skpoison.utils._param_validation import HasMethods, validate_params
from skpoison.utils._steps import (
    flatten_steps,
    requires_labels,
    step_fitted_on_labels,
)
from skpoison.utils._validation import check_finite_arithmetic

__all__ = ["FittedRun", "PairedResult", "fit_paired"]

#: Internal scores, and whether a higher value looks better.
INTERNAL_SCORES = {
    "silhouette": True,
    "calinski_harabasz": True,
    "davies_bouldin": False,
    "mean_within_cluster_std": False,
}
#: External scores (against ``y``): higher is better.
EXTERNAL_SCORES = ["adjusted_rand", "adjusted_mutual_info", "cluster_accuracy"]

# Roles of the steps; each role draws its seeds from its own stream, so the
# seeds of the clean run never depend on the attack.
_ROLES = {"pre": 0, "attack": 1, "defence": 2, "estimator": 3}
_MAX_SEED = np.iinfo(np.int32).max


# --------------------------------------------------------------------------
# Steps and seeds
# --------------------------------------------------------------------------


def _is_attack(step):
    return isinstance(step, BaseAttack)


def _is_noop(step):
    """Tell whether an attack asks for no poison (``n_poison=0``): skipped."""
    value = step.get_params(deep=False).get("n_poison", None)
    return (
        value is not None
        and not isinstance(value, bool)
        and np.isscalar(value)
        and value == 0
    )


def _seed_names(step):
    return sorted(
        name
        for name in step.get_params(deep=True)
        if name == "random_state" or name.endswith("__random_state")
    )


def _seed_role(steps, seed, role):
    """Seed the ``random_state`` parameters a user left at ``None``.

    The seeds of a role come from their own stream,
    ``RandomState([seed, role])``, drawn in a fixed order (step, then
    parameter name) for every parameter, set or not, so which parameters a
    user fixed never shifts the others' seeds.
    """
    rng = np.random.RandomState([seed, _ROLES[role]])
    for step in steps:
        names = _seed_names(step)
        params = step.get_params(deep=True)
        new = {}
        for name in names:
            drawn = int(rng.randint(_MAX_SEED))
            if params[name] is None:
                new[name] = drawn
        if new:
            step.set_params(**new)
    return steps


def _describe_value(value):
    """Describe a parameter value so that equal clones compare equal.

    ``repr`` is not: a ``RandomState`` (cloned by deep copy) shows its
    address. ``joblib.hash`` hashes the pickled state instead.
    """
    try:
        return joblib.hash(value)
    except Exception:  # unpicklable (a lambda): fall back to its repr
        return repr(value)


def _signature(steps):
    """Describe (seeded, unfitted) steps comparably."""
    out = []
    for step in steps:
        params = step.get_params(deep=True)
        out.append(
            (
                type(step).__qualname__,
                tuple(
                    (name, _describe_value(value))
                    for name, value in sorted(params.items())
                    if not hasattr(value, "get_params")
                ),
            )
        )
    return tuple(out)


def _resolve_seed(random_state):
    if isinstance(random_state, Integral) and not isinstance(random_state, bool):
        return int(random_state)
    return int(check_random_state(random_state).randint(_MAX_SEED))


# --------------------------------------------------------------------------
# Fitted runs
# --------------------------------------------------------------------------


class FittedRun:
    """One fitted pipeline of a paired evaluation, with its bookkeeping.

    Built by :func:`fit_paired`; read its attributes, do not construct it.
    Rows are tracked from the clean data ``X`` through every resampler
    (attacks add or alter rows, defences remove them), so each fitted row
    knows where it came from.

    Attributes
    ----------
    steps : list of estimators
        The fitted steps, in order: resamplers, transformers, then the model.
    model : estimator
        The fitted model (the last step).
    seed : int
        The seed of the repeat (see :func:`fit_paired`).
    X_fit : ndarray of shape (n_fit, n_features_fit)
        The rows the model was fitted on (after attacks, defences and
        transformers). When the steps made them (not ``X`` itself), a model
        with a ``copy_x`` parameter (scikit-learn's k-means) is fitted with
        ``copy_x=False`` so that it does not copy them again: it centres them
        in place and adds the mean back, so they may differ from the steps'
        output by rounding (labels and centres are those of ``copy_x=True``).
    y_fit : ndarray of shape (n_fit,) or None
        The labels the model was fitted with.
    fit_labels : ndarray of shape (n_fit,)
        The model's labels of its training rows (``labels_``, or ``predict``).
    labels : ndarray of shape (n_samples,)
        The model's labels of the clean rows ``X``: ``predict`` through the
        fitted transformers, or, for a model without ``predict`` (DBSCAN),
        the labels of the fitted rows that came from ``X`` (``-1`` for clean
        rows a defence removed).
    centers : ndarray of shape (n_clusters, n_features_fit) or None
        The model's ``cluster_centers_`` (None when it has none).
    centers_in_input_space : bool
        True when no transformer preceded the model, so ``centers`` live in
        the space of ``X``.
    sample_indices : ndarray of shape (n_fit,)
        Row of ``X`` each fitted row came from; ``-1`` for injected rows.
    poison_mask : ndarray of bool, shape (n_fit,)
        True for fitted rows an attack injected or altered.
    X_injected : ndarray of shape (n_injected, n_features)
        The rows the attacks injected, in ``X``'s space (empty when a
        transformer ran before the attack).
    n_poison : int
        Rows the attacks injected or altered.
    has_defence : bool
        Whether a step recorded an ``outlier_mask_``.
    outlier_mask : ndarray of bool, shape (n_defence_in,) or None
        Per row entering the (first) defence: True when a defence removed it.
    defence_sample_indices : ndarray of shape (n_defence_in,) or None
        Row of ``X`` each row entering the defence came from (``-1``
        injected).
    defence_poison_mask : ndarray of bool, shape (n_defence_in,) or None
        True for rows entering the defence that an attack injected or altered.
    X_removed : ndarray of shape (n_removed, n_features)
        The rows the defences removed, in ``X``'s space (empty when a
        transformer ran before the defence).
    n_removed : int
        Rows the defences removed.
    n_removed_poison : int
        Poisoned rows among them.
    transformed : bool
        Whether a transformer (``fit_transform``) ran before the model.
    is_classifier : bool
        Whether the model predicts classes (e.g. ``SemiSupervisedKMeans``).
    """

    def __init__(self, **attributes):
        for name, value in attributes.items():
            setattr(self, name, value)

    def __repr__(self):
        n_fit = None if self.X_fit is None else len(self.X_fit)
        return (
            f"FittedRun(model={type(self.model).__name__}, n_fit={n_fit}, "
            f"n_poison={self.n_poison}, n_removed={self.n_removed})"
        )

    #: What :meth:`PairedResult.scores` reads of a run (see ``_for_scores``).
    _SCORED = (
        "seed",
        "signature",
        "labels",
        "centers",
        "centers_in_input_space",
        "n_poison",
        "has_defence",
        "outlier_mask",
        "defence_sample_indices",
        "defence_poison_mask",
        "n_removed",
        "n_removed_poison",
        "transformed",
        "is_classifier",
    )

    def _for_scores(self):
        """Copy only what the scores read (no data, no fitted steps).

        The evaluation keeps the clean run of each repeat for all the pairs
        sharing it, and, under joblib's process or Dask backends, ships it
        back from a worker: the fitted rows (a copy of ``X`` once pickled)
        and the fitted models would cost a copy of the data per repeat.
        """
        slim = FittedRun(**{name: getattr(self, name) for name in self._SCORED})
        for name in (
            "steps",
            "model",
            "X_fit",
            "y_fit",
            "fit_labels",
            "sample_indices",
            "poison_mask",
            "X_injected",
            "X_removed",
        ):
            setattr(slim, name, None)
        return slim

    def removed_clean_rows(self, n_samples):
        """Per row of ``X``: True when it entered a defence and was removed.

        Parameters
        ----------
        n_samples : int
            Number of rows of ``X``.

        Returns
        -------
        removed : ndarray of bool, shape (n_samples,) or None
            None without a defence. Rows an attack altered count as not
            clean: they are False here (see :meth:`genuine_clean_rows`).
        """
        if self.outlier_mask is None:
            return None
        removed = np.zeros(n_samples, dtype=bool)
        genuine = (self.defence_sample_indices >= 0) & ~self.defence_poison_mask
        removed[self.defence_sample_indices[genuine]] = self.outlier_mask[genuine]
        return removed

    def genuine_clean_rows(self, n_samples):
        """Per row of ``X``: True when it entered a defence unaltered.

        Parameters
        ----------
        n_samples : int
            Number of rows of ``X``.

        Returns
        -------
        genuine : ndarray of bool, shape (n_samples,) or None
            None without a defence.
        """
        if self.outlier_mask is None:
            return None
        genuine = np.zeros(n_samples, dtype=bool)
        keep = (self.defence_sample_indices >= 0) & ~self.defence_poison_mask
        genuine[self.defence_sample_indices[keep]] = True
        return genuine


def _fit_run(steps, X, y, *, seed, attacker_sees_labels, signature):
    """Fit the steps in order, tracking provenance, poison and removals."""
    Xt, yt = X, y
    n = X.shape[0]
    origin = np.arange(n)  # row of X of each current row, -1 injected
    poison = np.zeros(n, dtype=bool)
    n_poison = n_removed = removed_poison = 0
    transformers = []
    injected_rows, removed_rows = [], []
    # Bookkeeping of the rows entering the first defence.
    defence_origin = defence_poison = outlier_mask = None
    stage = None  # position of each current row among the defence input rows
    *pre, model = steps
    for step in pre:
        if hasattr(step, "fit_resample"):
            X_in = Xt
            hide = _is_attack(step) and not attacker_sees_labels and yt is not None
            X_out, y_out = step.fit_resample(Xt, None if hide else yt)
            indices = np.asarray(step.sample_indices_)
            kept = np.maximum(indices, 0)
            if hide:
                # The attacker saw no labels: rows it kept keep theirs,
                # injected rows are unlabelled (-1).
                y_in = np.asarray(yt)
                fill, dtype = unlabelled_like(y_in, len(indices))
                y_out = np.where(indices >= 0, y_in[kept].astype(dtype), fill)
            mask = getattr(step, "outlier_mask_", None)
            if mask is not None:
                mask = np.asarray(mask, dtype=bool)
                if outlier_mask is None:
                    defence_origin, defence_poison = origin.copy(), poison.copy()
                    outlier_mask = np.zeros(len(origin), dtype=bool)
                    stage = np.arange(len(origin))
                # Rows injected after the first defence have no place there.
                hit = stage[mask]
                outlier_mask[hit[hit >= 0]] = True
                n_removed += int(mask.sum())
                removed_poison += int((mask & poison).sum())
                if not transformers:
                    removed_rows.append(np.asarray(X_in)[mask])
            # The step's input is not needed any more: do not hold it (a copy
            # of the data after an attack) while the next steps and the model fit.
            del X_in
            new_origin = np.where(indices >= 0, origin[kept], -1)
            new_poison = np.where(indices >= 0, poison[kept], False)
            if stage is not None:
                stage = np.where(indices >= 0, stage[kept], -1)
            step_poison = getattr(step, "poison_mask_", None)
            if step_poison is not None:
                step_poison = np.asarray(step_poison, dtype=bool)
                if not transformers:
                    injected_rows.append(np.asarray(X_out)[indices < 0])
                n_poison += int((step_poison & ~new_poison).sum())
                new_poison |= step_poison
            origin, poison = new_origin, new_poison
            Xt, yt = X_out, y_out
        else:
            Xt = step.fit_transform(Xt, yt)
            transformers.append(step)
    Xt = np.asarray(Xt)
    _work_in_place(model, Xt, X)
    model.fit(Xt, yt) if yt is not None else model.fit(Xt)
    fit_labels = getattr(model, "labels_", None)
    if fit_labels is None:
        fit_labels = np.asarray(model.predict(Xt))
    fit_labels = np.asarray(fit_labels)
    if hasattr(model, "predict"):
        Xc = X
        for step in transformers:
            Xc = step.transform(Xc)
        labels = np.asarray(model.predict(np.asarray(Xc)))
    else:
        labels = np.full(n, -1, dtype=fit_labels.dtype)
        kept = origin >= 0
        labels[origin[kept]] = fit_labels[kept]
    centers = getattr(model, "cluster_centers_", None)
    return FittedRun(
        steps=[*pre, model],
        model=model,
        seed=seed,
        X_fit=Xt,
        y_fit=None if yt is None else np.asarray(yt),
        fit_labels=fit_labels,
        labels=labels,
        centers=None if centers is None else np.asarray(centers),
        centers_in_input_space=not transformers,
        sample_indices=origin,
        poison_mask=poison,
        X_injected=_stack(injected_rows, X.shape[1]),
        n_poison=n_poison,
        has_defence=outlier_mask is not None,
        outlier_mask=outlier_mask,
        defence_sample_indices=defence_origin,
        defence_poison_mask=defence_poison,
        X_removed=_stack(removed_rows, X.shape[1]),
        n_removed=n_removed,
        n_removed_poison=removed_poison,
        transformed=bool(transformers),
        is_classifier=is_classifier(model),
        signature=signature,
    )


def _work_in_place(model, Xt, X):
    """Let the model centre its input in place when the input is our own copy.

    scikit-learn's k-means (``copy_x=True``) centres a copy of its input;
    with ``copy_x=False`` it centres the input itself and adds the mean back
    before returning, with the same labels and centres (the same arithmetic
    on the same numbers). When the rows the model gets were made by the
    steps (an attack's output, a defence's kept rows), that copy would be a
    third copy of the data next to ``X`` and ``Xt``: the model works on
    ``Xt`` instead. Never when ``Xt`` may share memory with the caller's
    ``X``, which is not modified.
    """
    params = model.get_params(deep=False)
    if params.get("copy_x") is not True or np.may_share_memory(Xt, X):
        return
    if not (Xt.flags.c_contiguous and Xt.flags.writeable):
        return  # the model copies it anyway
    model.set_params(copy_x=False)


def _stack(rows, n_features):
    return np.concatenate(rows) if rows else np.empty((0, n_features))


# --------------------------------------------------------------------------
# The paired result
# --------------------------------------------------------------------------


def _describe(obj):
    return None if obj is None else repr(obj)


class PairedResult:
    """A clean and a poisoned run fitted with the same seeds.

    Returned by :func:`fit_paired`. It pickles (its runs hold fitted
    estimators and arrays only).

    Attributes
    ----------
    clean : FittedRun
        The run ``[pre-steps] + [defence] + estimator`` (pre-steps are the
        attack pipeline's steps that are not attacks, such as
        :class:`~skpoison.preprocessing.MaskLabels`).
    poisoned : FittedRun
        The run ``attack + [defence] + estimator``.
    seed : int
        The seed of the pair; see :func:`fit_paired` for how it seeds the
        components.
    threat_model : dict
        What the attacker knew: ``attacker_sees_labels`` and the ``repr`` of
        the ``attack``, the ``defence`` and the ``victim``.
    X : ndarray of shape (n_samples, n_features)
        The clean rows.
    y : ndarray of shape (n_samples,) or None
        The ground-truth classes, used for the external scores.
    """

    def __init__(self, *, clean, poisoned, seed, threat_model, X, y):
        self.clean = clean
        self.poisoned = poisoned
        self.seed = seed
        self.threat_model = threat_model
        self.X = X
        self.y = y

    def __repr__(self):
        return f"PairedResult(seed={self.seed}, threat_model={self.threat_model!r})"

    def scores(self):
        """Compute the paired scores: one row of :func:`evaluate_attack`.

        Internal scores of both models are computed on the same rows, the
        clean rows ``X`` with each model's labels on them (rows labelled
        ``-1`` left out), so the number of injected rows alone cannot move
        them; ``diff_<score>`` is ``poisoned - clean``.

        Returns
        -------
        row : dict
            Score name to value; the columns of :func:`evaluate_attack`
            except ``repeat``, ``false_confidence`` and the noise columns,
            which need every repeat.
        """
        X, y = self.X, self.y
        row = {"seed": self.seed}
        for name, run in (("clean", self.clean), ("poisoned", self.poisoned)):
            # A shared clean run of a sweep carries its report (same X, y).
            report = getattr(run, "_report", None)
            if report is None:
                report = clustering_report(X, run.labels, y)
            for score in [*INTERNAL_SCORES, *EXTERNAL_SCORES]:
                row[f"{name}_{score}"] = report.get(score, np.nan)
            row[f"{name}_accuracy"] = (
                float(np.mean(run.labels == y))
                if y is not None and run.is_classifier
                else np.nan
            )
        for score in [*INTERNAL_SCORES, *EXTERNAL_SCORES, "accuracy"]:
            row[f"diff_{score}"] = row[f"poisoned_{score}"] - row[f"clean_{score}"]
        clean, poisoned = self.clean, self.poisoned
        if (
            clean.centers is not None
            and poisoned.centers is not None
            and clean.centers_in_input_space
            and poisoned.centers_in_input_space
        ):
            shift = centroid_shift(clean.centers, poisoned.centers)
            row["centroid_shift_mean"], row["centroid_shift_max"] = shift
        else:
            row["centroid_shift_mean"] = row["centroid_shift_max"] = np.nan
        row["assignment_change_rate"] = assignment_change_rate(
            clean.labels, poisoned.labels
        )
        row["coassociation_distance"] = coassociation_distance(
            clean.labels, poisoned.labels
        )
        row["n_poison"] = poisoned.n_poison
        row["clean_n_removed"] = clean.n_removed
        row["poisoned_n_removed"] = poisoned.n_removed
        row.update(self._defence_scores())
        return row

    def _defence_scores(self):
        clean, poisoned = self.clean, self.poisoned
        out = dict.fromkeys(
            [
                "survival_rate",
                "defence_precision",
                "defence_recall",
                "concealment_rate",
                "eviction_rate",
            ],
            np.nan,
        )
        if not poisoned.has_defence:
            return out
        injected_in = int(poisoned.defence_poison_mask.sum())
        if injected_in:
            recall = poisoned.n_removed_poison / injected_in
            out["defence_recall"] = recall
            out["survival_rate"] = 1.0 - recall
        if poisoned.n_removed:
            out["defence_precision"] = poisoned.n_removed_poison / poisoned.n_removed
        if clean.has_defence:
            n = self.X.shape[0]
            rows = poisoned.genuine_clean_rows(n) & clean.genuine_clean_rows(n)
            before = clean.removed_clean_rows(n)[rows]
            after = poisoned.removed_clean_rows(n)[rows]
            if before.any():
                out["concealment_rate"] = concealment_rate(before, after)
            if (~before).any():
                out["eviction_rate"] = eviction_rate(before, after)
        return out


# --------------------------------------------------------------------------
# The runner
# --------------------------------------------------------------------------


def _check_X_y(X, y, estimator=None):
    needs_y = None if estimator is None else step_fitted_on_labels(estimator)
    if y is None and needs_y is not None:
        raise ValueError(
            f"{type(needs_y).__name__} needs the target y (it is fitted on "
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


def _check_threat_model(attack_steps, attacker_sees_labels):
    if attacker_sees_labels:
        return
    for step in attack_steps:
        if _is_attack(step) and requires_labels(step):
            raise ValueError(
                f"{type(step).__name__} needs the labels y, but "
                "attacker_sees_labels=False hides them from the attack. Use "
                "attacker_sees_labels=True, or an attack that works without "
                "labels."
            )


def _seeded_parts(estimator, attack, defence, seed):
    """Clones of the steps, seeded by role: (pre, attack, defence, estimator)."""
    attack_steps = flatten_steps(clone(attack))
    pre = [s for s in attack_steps if not _is_attack(s)]
    attacks = [s for s in attack_steps if _is_attack(s)]
    _seed_role(pre, seed, "pre")
    _seed_role(attacks, seed, "attack")
    defence_steps = _seed_role(
        [] if defence is None else flatten_steps(clone(defence)), seed, "defence"
    )
    estimator_steps = _seed_role(flatten_steps(clone(estimator)), seed, "estimator")
    if not estimator_steps:
        raise ValueError("estimator is empty.")
    return attack_steps, pre, defence_steps, estimator_steps


def _fit_clean(estimator, attack, X, y, *, defence, seed):
    """Fit the clean twin alone: ``[pre-steps] + [defence] + estimator``."""
    _, pre, defence_steps, estimator_steps = _seeded_parts(
        estimator, attack, defence, seed
    )
    steps = pre + defence_steps + estimator_steps
    return _fit_run(
        [clone(s) for s in steps],
        X,
        y,
        seed=seed,
        attacker_sees_labels=True,
        signature=_signature(steps),
    )


def _paired(
    estimator,
    attack,
    X,
    y,
    *,
    defence,
    attacker_sees_labels,
    seed,
    clean_run=None,
):
    """fit_paired on validated input with a resolved integer seed."""
    attack_steps, pre, defence_steps, estimator_steps = _seeded_parts(
        estimator, attack, defence, seed
    )
    _check_threat_model(attack_steps, attacker_sees_labels)
    clean_steps = pre + defence_steps + estimator_steps
    clean_signature = _signature(clean_steps)
    if clean_run is None:
        clean = _fit_run(
            [clone(s) for s in clean_steps],
            X,
            y,
            seed=seed,
            attacker_sees_labels=True,
            signature=clean_signature,
        )
    else:
        if not isinstance(clean_run, FittedRun):
            raise TypeError(
                "clean_run must be a FittedRun (the .clean of a PairedResult), "
                f"got {type(clean_run).__name__}."
            )
        if clean_run.seed != seed or clean_run.signature != clean_signature:
            raise ValueError(
                "clean_run was fitted with another seed or other steps than the "
                "clean twin of this pair; pass the .clean of a fit_paired result "
                "with the same estimator, defence, non-attack steps and "
                "random_state."
            )
        if clean_run.labels.shape[0] != X.shape[0]:
            raise ValueError(
                f"clean_run has labels for {clean_run.labels.shape[0]} rows, X "
                f"has {X.shape[0]}."
            )
        clean = clean_run
    live = [s for s in attack_steps if not (_is_attack(s) and _is_noop(s))]
    if all(not _is_attack(s) for s in live):
        # No attack left (n_poison=0): the poisoned run is the clean run.
        poisoned = clean
    else:
        poisoned = _fit_run(
            [clone(s) for s in live + defence_steps + estimator_steps],
            X,
            y,
            seed=seed,
            attacker_sees_labels=attacker_sees_labels,
            signature=None,
        )
    threat_model = {
        "attacker_sees_labels": bool(attacker_sees_labels),
        "attack": _describe(attack),
        "defence": _describe(defence),
        "victim": _describe(estimator),
    }
    return PairedResult(
        clean=clean,
        poisoned=poisoned,
        seed=seed,
        threat_model=threat_model,
        X=X,
        y=y,
    )


@validate_params(
    {
        "estimator": [HasMethods(["fit"])],
        "attack": [HasMethods(["fit_resample"])],
        "X": ["array-like"],
        "y": ["array-like", None],
        "defence": [HasMethods(["fit_resample"]), None],
        "attacker_sees_labels": ["boolean"],
        "random_state": ["random_state"],
        "clean_run": [FittedRun, None],
    },
    prefer_skip_nested_validation=False,
)
def fit_paired(
    estimator,
    attack,
    X,
    y=None,
    *,
    defence=None,
    attacker_sees_labels=True,
    random_state=None,
    clean_run=None,
):
    """Fit a poisoned pipeline and its clean twin with the same seeds.

    Two pipelines are fitted on the clean data ``X``:

    - clean: ``[pre-steps] + [defence] + estimator``;
    - poisoned: ``attack + [defence] + estimator``.

    The steps run one by one (not through an imbalanced-learn pipeline), so
    every row is tracked from ``X`` to the model, and the attack's
    ``poison_mask_`` and the defence's ``outlier_mask_`` are kept. ``attack``
    may be a pipeline of resamplers, e.g.
    ``make_pipeline(MaskLabels(0.2), LabelFlipAttack())``: its steps that
    are not attacks (the pre-steps, here ``MaskLabels``) run in the clean
    pipeline too, so both models see the same labels. An attack whose
    ``n_poison`` is 0 is skipped: the poisoned run is then the clean run.

    Seeds: every ``random_state`` parameter left at ``None`` (in clones of
    the attack, the defence and the estimator, nested ones included) gets a
    seed drawn from the pair's seed; one a user set is kept. Each component
    (pre-steps, attack, defence, estimator) draws from its own stream, so
    the clean run's seeds do not depend on the attack. Read more in
    :ref:`evaluation_seeds`.

    Read more in the :ref:`User Guide <fit_paired>`.

    Parameters
    ----------
    estimator : estimator object
        The victim clustering model (or a pipeline ending in one).
    attack : resampler
        The attack (or a pipeline of resamplers containing it).
    X : array-like of shape (n_samples, n_features)
        The clean data.
    y : array-like of shape (n_samples,), default=None
        Ground-truth classes: passed to the resamplers and to ``fit``, and
        kept for the external scores of :meth:`PairedResult.scores`.
    defence : resampler, default=None
        A defence run before the estimator in both pipelines.
    attacker_sees_labels : bool, default=True
        Whether the attack steps get ``y``. With ``False`` they get ``None``
        (rows they keep keep their label; injected rows are unlabelled,
        ``-1``) while the other steps and the scores still use ``y``. An
        attack that needs labels (its ``target_tags.required`` tag, e.g.
        :class:`~skpoison.attacks.LabelFlipAttack`) then raises a
        ``ValueError``. See :ref:`threat_models`.
    random_state : int, RandomState instance or None, default=None
        The pair's seed: an int is used as is; otherwise a seed is drawn
        from it.
    clean_run : FittedRun, default=None
        The ``.clean`` of an earlier result with the same seed, estimator,
        defence and pre-steps: reused instead of refitted (common random
        numbers: one clean baseline shared by several attacks or budgets).

    Returns
    -------
    result : PairedResult
        The two fitted runs, the seed and the threat model.

    See Also
    --------
    evaluate_attack : Paired scores over several repeats.
    robustness_curve : The same over a range of attack strengths.

    Examples
    --------
    >>> from sklearn.cluster import KMeans
    >>> from sklearn.datasets import load_iris
    >>> from skpoison.attacks import BridgeAttack
    >>> from skpoison.model_selection import fit_paired
    >>> X, y = load_iris(return_X_y=True)
    >>> result = fit_paired(KMeans(3, n_init=3), BridgeAttack(n_poison=0.2), X, y,
    ...                     random_state=0)
    >>> result.poisoned.n_poison, result.poisoned.X_fit.shape
    (30, (180, 4))
    >>> int((result.poisoned.sample_indices == -1).sum())
    30
    >>> row = result.scores()
    >>> bool(row["poisoned_adjusted_rand"] < row["clean_adjusted_rand"])
    True
    """
    X, y = _check_X_y(X, y, estimator)
    if random_state is None and clean_run is not None:
        seed = clean_run.seed
    else:
        seed = _resolve_seed(random_state)
    return _paired(
        estimator,
        attack,
        X,
        y,
        defence=defence,
        attacker_sees_labels=attacker_sees_labels,
        seed=seed,
        clean_run=clean_run,
    )
