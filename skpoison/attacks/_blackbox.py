"""Worst-case poisoning: a query-only optimised attack against any clusterer."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.metrics import pairwise_distances_argmin_min

from skpoison.attacks._objectives import (
    NEEDS_DEFENCE,
    NEEDS_Y,
    Objective,
    Query,
    fit_victim,
    has_labels,
    run_query,
    victim_flags,
    victim_labels,
)
from skpoison.attacks._optimizers import (
    POPULATION,
    SEARCHES,
    batch_size,
    boundary_rows,
    feasible_bounds,
    guided_candidate,
    make_search,
)
from skpoison.base import BaseAttack
from skpoison.utils._docstring import (
    Substitution,
    _fitted_input_attributes_docstring,
    _random_state_docstring,
)
from skpoison.utils._labels import unlabelled_like
from skpoison.utils._param_validation import HasMethods, Interval, StrOptions
from skpoison.utils._steps import step_fitted_on_labels

__all__ = ["BlackBoxAttack"]

_OBJECTIVES = {"ari", "ami", "accuracy", "eviction", "concealment"}


@Substitution(
    random_state=_random_state_docstring,
    fitted_input_attributes=_fitted_input_attributes_docstring,
)
class BlackBoxAttack(BaseAttack):
    """Optimise a poisoning against any clusterer or pipeline, by queries only.

    The worst case of a security evaluation: the attacker may fit the victim
    (a clusterer, or a whole pipeline such as a defence then a clusterer) on
    data of their choice and read its output, nothing more. The attack fits a
    clone of the victim on the clean data once, then searches for the
    ``n_poison`` poisoning rows that hurt it most: each query fits a fresh
    clone on candidate poisoned data and scores the labels it gives the clean
    rows against the clean fit's. A genetic search (after Cinà et al. [1]_)
    spends the budget of ``n_queries`` victim fits; the best poisoning found
    is returned.

    Read more in the :ref:`User Guide <blackbox_attack>`.

    Parameters
    ----------
    victim : estimator object
        The model under attack: a clusterer, or a scikit-learn or
        imbalanced-learn pipeline (it may hold resamplers such as a skpoison
        defence). It is cloned, never fitted in place. Once fitted it must
        have ``predict``, or ``labels_`` on its final step (traced back to the
        input rows through the resamplers' ``sample_indices_``). A
        ``random_state`` left at ``None`` anywhere in it is fixed from the
        attack's ``random_state``, the same for every query; that seed is one
        the attacker cannot know, so the best candidates are then also
        refitted under other seeds before one is chosen (see Notes). A victim
        fitted on labels (a step that requires ``y``, such as
        :class:`~skpoison.cluster.SemiSupervisedKMeans`, possibly behind
        :class:`~skpoison.preprocessing.MaskLabels`) is fitted with the
        attacker's ``y``: perturbed rows keep their labels, injected rows are
        unlabelled (``-1``). The attack then requires ``y``.

    n_poison : int or float, default=0.05
        How many rows to inject (``mode="inject"``; a fraction of the input
        rows, which may exceed 1.0) or to perturb (``mode="perturb"``; a
        fraction of at most 1.0). A float is rounded to the nearest count and
        at least one. ``0`` is no attack: the input is returned unchanged and
        the victim is never queried (only the attributes every attack sets
        are fitted).

    mode : {{"inject", "perturb"}}, default="inject"
        ``"inject"`` appends ``n_poison`` new rows anywhere in the feasible
        region. ``"perturb"`` moves ``n_poison`` existing rows, each feature
        by at most ``max_perturbation`` times its standard deviation (the
        threat model of Cinà et al.): the rows nearest the boundary between
        two clean clusters (smallest margin between their own cluster's mean
        and the next).

    objective : {{"ari", "ami", "accuracy", "eviction", "concealment"}} or \
callable, default="ari"
        The damage to maximise, measured on the clean rows (every input row
        for ``"inject"``, the unperturbed rows for ``"perturb"``):

        - ``"ari"`` / ``"ami"``: one minus the adjusted Rand index / adjusted
          mutual information between the victim's labels of the clean rows
          after and before poisoning. Needs no ground truth.
        - ``"accuracy"``: one minus the cluster accuracy (best one-to-one
          matching of clusters to classes) against ``y`` on the labelled
          clean rows. Needs ``y``.
        - ``"eviction"``: share of the clean rows the victim's defence keeps
          on clean data that it removes after poisoning.
        - ``"concealment"``: share of the clean rows the defence removes on
          clean data that it keeps after poisoning.

        The last two need a step recording ``outlier_mask_`` in the victim
        (e.g. :class:`~skpoison.defences.OutlierRemover` in a pipeline).
        A callable is called as ``objective(labels_ref, labels, y=y,
        victim=victim)`` with the victim's labels of the clean rows before and
        after poisoning, their targets (or ``None``) and the fitted victim,
        and returns a float: higher is more damage. A clean row a resampler of
        the victim removed has the label ``-2`` when the labels come from
        ``labels_``.

    max_perturbation : float or None, default=None
        Largest change of a feature of a perturbed row, in units of that
        feature's standard deviation (an ℓ∞ bound). Required, and > 0, for
        ``mode="perturb"``; not used by ``"inject"``.

    feasible_region : "box", float, array-like of shape (2, n_features) or \
None, default="box"
        Where poisoning rows may lie. ``"box"``: within each feature's
        minimum and maximum over the data, so no coordinate is impossible. A
        float ``r``: that box widened on each side by ``r`` times each
        feature's range. An array: explicit lower (first row) and upper
        (second row) bounds. ``None``: anywhere (``"inject"`` then searches
        around the data's box, three ranges wide).

    optimizer : {{"genetic", "random", "cmaes"}}, default="genetic"
        ``"genetic"``: the elitist genetic search, over clumps of rows for
        ``"inject"`` (see Notes). ``"random"``: independent uniform rows in
        the feasible region, the yardstick any optimised attack must beat.
        ``"cmaes"``: CMA-ES from the ``cma`` package (``pip install
        "skpoison[optimize]"``), a standard derivative-free optimiser for
        continuous search spaces.

    n_queries : int, default=500
        Budget of victim fits on candidate poisoned data (the clean fit is
        not counted). At least one generation, 20 candidates.

    n_jobs : int or None, default=None
        Victim fits of one generation run in parallel through joblib, so a
        ``joblib.parallel_backend("dask")`` context runs them on a Dask
        cluster. ``None`` means 1 unless in a joblib context.

    {random_state}

    warm_start : bool, default=False
        Query a cheaper victim: when the victim (or its final step) has
        ``init`` and ``n_init`` parameters and ``cluster_centers_`` once
        fitted (k-means and its kin), queries start it from the clean fit's
        centres with ``n_init=1``. The returned poisoning is then scored once
        more on the exact victim (one extra query) for ``best_score_``.

    Attributes
    ----------
    victim_ : estimator object
        The clone of ``victim`` fitted on the clean data.

    best_score_ : float
        Objective value of the returned poisoning on the exact victim.

    history_ : ndarray of shape (n_search_queries,)
        Best objective value after each query of the search (non-decreasing;
        ``-inf`` until a query succeeds; constant over the seed check's
        queries, after which ``best_score_`` may be lower than its last
        value).

    n_queries_ : int
        Victim fits on candidate data, including the final exact check of
        ``warm_start``.

    n_failed_queries_ : int
        Queries on which the victim raised; each scored ``-inf``.

    perturbation_norms_ : dict
        Size of the poisoning in units of each feature's standard deviation:
        ``"l0"`` the number of rows injected or moved, ``"l2"`` the
        Frobenius norm and ``"linf"`` the largest absolute entry of the
        change (``"perturb"``: the perturbation; ``"inject"``: each injected
        row minus its nearest clean row).

    target_rows_ : ndarray of int
        ``"perturb"``: the input rows that were moved; empty for ``"inject"``.

    labels_ref_ : ndarray
        The clean-fitted victim's labels of the clean rows.

    sample_indices_ : ndarray of shape (n_samples_new,)
        For each output row, the input row it came from, or ``-1`` for an
        injected row.

    poison_mask_ : ndarray of bool, shape (n_samples_new,)
        True for the injected or perturbed rows.

    n_poison_ : int
        The number of rows injected or perturbed.

    {fitted_input_attributes}

    See Also
    --------
    BridgeAttack : A heuristic injection between the two closest clusters.
    MimicryAttack : A heuristic against outlier-removal defences.
    skpoison.defences.OutlierRemover : A defence to put in the victim.

    Notes
    -----
    Candidates live in a unit cube mapped linearly to the feasible region
    (``"inject"``) or to the intersection of the ℓ∞ ball and the feasible
    region around each moved row (``"perturb"``). ``optimizer="random"``
    draws every coordinate of every row uniformly (independent uniform rows
    in the region: the naive search the attack must beat).

    For ``"inject"``, the genetic search works on a structured encoding
    rather than on the ``n_poison * n_features`` coordinates: a candidate is
    at most four *clumps* (a centre and a spread each) and an assignment of
    the injected rows to them, decoded into rows ``centre + spread * noise``.
    What hurts a clusterer is a dense group of rows: one that captures a
    centroid (a far clump; in many dimensions the corners of the box are far
    from every cluster), or bridges two clusters, or is dense enough that a
    clean-up does not isolate it [4]_. Independent uniform rows almost never
    form one. Centres are drawn uniformly, towards the corners (each
    coordinate from a U-shaped Beta distribution), at a clean row, or with
    each coordinate at a tail quantile of the clean rows: an isolation forest
    splits one feature at a time [5]_, so a point whose every coordinate is a
    common value takes many splits to isolate even when it is jointly far
    from the data, or at a vertex of the region (far from the data, and from
    the other clumps). Half the first generation deals the rows to the clumps
    in turn (equal sizes: a clump's pull on a centroid grows with its size)
    and half has tight clumps. Spreads are log-uniform between 0.001 and 0.3
    of the region. The genetic loop follows Cinà et al. [1]_ on this encoding (in
    the spirit of Villani et al.'s [6]_ search for few, well-placed
    poisoning points): the 20 best candidates seen survive (two elites never
    re-queried), tournaments of three, crossover swaps whole clumps,
    mutation moves centres (Gaussian, scale decaying from 0.25 to 0.02 of
    the cube), snaps coordinates of a centre to the bounds, rescales spreads,
    reassigns rows, merges two clumps and rarely redraws a centre. A run
    whose best damage has not grown by 0.01 in five generations restarts
    from a new first generation (behind a clean-up damage comes in jumps,
    and a population converged on clumps that do not survive stays there).

    A victim with a ``random_state`` left at ``None`` is queried under one
    seed, fixed from the attack's; the deployed victim's seed is unknown, and
    a poisoning may only hurt under some seeds (k-means restarts that miss
    the optimum the poisoning creates). With at least five generations of
    budget, the last ``3 * min(10, n_queries // 30)`` queries refit the best
    candidates under three other seeds, and the one with the best mean
    damage over its four fits is returned.

    For ``"perturb"`` the genetic search mutates the moved rows themselves:
    crossover swaps whole rows, mutations are Gaussian with the same decaying
    scale, a row is occasionally redrawn, and the first generation holds
    Cinà et al.'s guided candidate (every feature pushed to its bound towards
    the nearest other cluster's mean).

    Each query is one victim fit: the search itself costs a small share of
    that (the ``"ari"`` objective is computed from a contingency table
    without scikit-learn's input checks, which cost more than a small
    k-means fit). A candidate on which the victim raises costs its query (its score
    is ``-inf``), not the attack; if every query fails, a ``ValueError``
    gives the last error. The victim is fitted on float data of the input's
    dtype.

    References
    ----------
    .. [1] A. E. Cinà, A. Torcinovich and M. Pelillo, "A black-box adversarial
       attack for poisoning clustering", Pattern Recognition 122, 2022.
    .. [2] A. Chhabra, A. Roy and P. Mohapatra, "Suspicion-free adversarial
       attacks on clustering algorithms", AAAI 2020.
    .. [3] B. Biggio and F. Roli, "Wild patterns: ten years after the rise of
       adversarial machine learning", Pattern Recognition 84, 2018.
    .. [4] B. Biggio et al., "Is data clustering in adversarial settings
       secure?", AISec 2013 (bridges and far points against clustering).
    .. [5] F. T. Liu, K. M. Ting and Z.-H. Zhou, "Isolation forest", ICDM
       2008.
    .. [6] Villani et al., "Sonic: fast and transferable data poisoning on
       clustering algorithms", 2024.

    Examples
    --------
    >>> from sklearn.cluster import KMeans
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skpoison.attacks import BlackBoxAttack
    >>> X = StandardScaler().fit_transform(load_iris().data)
    >>> attack = BlackBoxAttack(KMeans(3, n_init=1), n_poison=0.05,
    ...                         n_queries=20, random_state=0)
    >>> X_poisoned, _ = attack.fit_resample(X)
    >>> X_poisoned.shape
    (158, 4)
    >>> attack.n_queries_, len(attack.history_)
    (20, 20)
    >>> bool(attack.best_score_ > 0)
    True
    """

    _parameter_constraints: dict = {
        **BaseAttack._parameter_constraints,
        "victim": [HasMethods(["fit"])],
        "mode": [StrOptions({"inject", "perturb"})],
        "objective": [StrOptions(_OBJECTIVES), callable],
        "max_perturbation": [Interval(Real, 0, None, closed="neither"), None],
        "feasible_region": [
            StrOptions({"box"}),
            Interval(Real, 0, None, closed="left"),
            "array-like",
            None,
        ],
        "optimizer": [StrOptions(set(SEARCHES))],
        "n_queries": [Interval(Integral, 1, None, closed="left")],
        "n_jobs": [Integral, None],
        "warm_start": ["boolean"],
    }

    def __init__(
        self,
        victim,
        *,
        n_poison=0.05,
        mode="inject",
        objective="ari",
        max_perturbation=None,
        feasible_region="box",
        optimizer="genetic",
        n_queries=500,
        n_jobs=None,
        random_state=None,
        warm_start=False,
    ):
        self.victim = victim
        self.n_poison = n_poison
        self.mode = mode
        self.objective = objective
        self.max_perturbation = max_perturbation
        self.feasible_region = feasible_region
        self.optimizer = optimizer
        self.n_queries = n_queries
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.warm_start = warm_start

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # A victim fitted on labels is queried with the attacker's labels.
        tags.target_tags.required = step_fitted_on_labels(self.victim) is not None
        return tags

    def _validate_input(self, X, y):
        labelled = step_fitted_on_labels(self.victim)
        if y is None and labelled is not None:
            raise ValueError(
                f"The victim's {type(labelled).__name__} is fitted on labels (it "
                "requires y), so the attack queries it with the attacker's "
                "labels, but y is None. Pass y, or attack a victim fitted on X "
                "alone."
            )
        return super()._validate_input(X, y)

    def _check_params(self, y):
        if self.n_queries < POPULATION:
            raise ValueError(
                f"n_queries={self.n_queries} is smaller than one generation of "
                f"the search ({POPULATION} victim fits)."
            )
        if self.mode == "perturb" and self.max_perturbation is None:
            raise ValueError(
                "mode='perturb' needs max_perturbation, the largest change of a "
                "feature in units of its standard deviation (a float > 0)."
            )
        if isinstance(self.objective, str):
            if self.objective in NEEDS_Y and y is None:
                raise ValueError(
                    f"objective={self.objective!r} compares the clusters with the "
                    "true classes and needs y, but y is None."
                )

    def _budget_rows(self, X, y):
        return X.shape[0], self.mode == "inject", "rows"

    def _poison(self, X, y, random_state):
        self._check_params(y)
        n, d = X.shape
        perturb = self.mode == "perturb"
        n_rows = self.n_poison_
        low, high = feasible_bounds(self.feasible_region, X)
        std = X.std(axis=0, dtype=np.float64)
        unit = np.where(std > 0, std, 1.0)

        unseeded = _unseeded(self.victim)
        victim = _seeded(self.victim, random_state)
        y_victim = y if step_fitted_on_labels(victim) is not None else None
        self.victim_ = fit_victim(victim, X, y_victim)
        if not has_labels(self.victim_):
            raise ValueError(
                f"The victim {type(self.victim).__name__} has neither predict nor "
                "labels_ once fitted: the attack cannot read its clusters."
            )
        labels_all = victim_labels(self.victim_, X, np.arange(n))

        if perturb:
            targets = boundary_rows(X, labels_all, n_rows, random_state)
            bound = self.max_perturbation * std
            if low is not None and (
                np.any(X[targets] < low) or np.any(X[targets] > high)
            ):
                raise ValueError(
                    "The rows to perturb lie outside feasible_region; widen it "
                    "or use feasible_region='box'."
                )
            lo = -np.broadcast_to(bound, (n_rows, d))
            hi = np.broadcast_to(bound, (n_rows, d))
            if low is not None:
                lo = np.maximum(lo, low - X[targets])
                hi = np.minimum(hi, high - X[targets])
            clean_rows = np.setdiff1d(np.arange(n), targets)
            if clean_rows.size < 2:
                raise ValueError(
                    f"mode='perturb' with n_poison={self.n_poison!r} leaves "
                    f"{clean_rows.size} unperturbed row(s): the damage is measured "
                    "on the unperturbed rows, so at least 2 must remain."
                )
            seeds = [guided_candidate(X, labels_all, targets, d)]
            anchors = None
        else:
            targets = np.empty(0, dtype=np.intp)
            base_low = X.min(axis=0) if low is None else low
            base_high = X.max(axis=0) if low is None else high
            lo = np.broadcast_to(base_low, (n_rows, d))
            hi = np.broadcast_to(base_high, (n_rows, d))
            clean_rows = np.arange(n)
            seeds = []
            # Clean rows in the search's unit-cube coordinates (a sample).
            sample = random_state.choice(n, size=min(n, 256), replace=False)
            width = np.where(hi[0] > lo[0], hi[0] - lo[0], 1.0)
            anchors = (X[np.sort(sample)] - lo[0]) / width
        self.target_rows_ = targets
        self.labels_ref_ = labels_all[clean_rows]

        flags_ref = None
        if isinstance(self.objective, str) and self.objective in NEEDS_DEFENCE:
            flags_ref = victim_flags(self.victim_, n)[clean_rows]
            if self.objective == "concealment" and not flags_ref.any():
                raise ValueError(
                    "objective='concealment': the victim's defence removes no "
                    "clean row on clean data, so there is nothing to conceal."
                )
        y_clean = None if y is None else y[clean_rows]
        score = Objective(self.objective, self.labels_ref_, y_clean, flags_ref)
        # The target each query fits a labelled victim on: perturbed rows
        # keep their labels, injected rows come unlabelled.
        y_fit = y_victim
        if y_victim is not None and not perturb:
            fill, dtype = unlabelled_like(y_victim, n_rows)
            y_fit = np.concatenate([y_victim.astype(dtype), fill])
        query = Query(X, y_fit, targets, clean_rows, lo, hi - lo, score)

        search_victim = _warm_started(victim, self.victim_) if self.warm_start else None
        budget = self.n_queries - (search_victim is not None)
        # A seed of the victim left at None is unknown to the attacker: the
        # best candidates are checked on other seeds before one is returned.
        n_best, n_seeds = _seed_check_size(budget) if unseeded else (0, 0)
        check_victims = []
        for _ in range(n_seeds):
            other = _seeded(self.victim, random_state)
            check_victims.append(
                _warm_started(other, self.victim_) if self.warm_start else other
            )
        best_z, best, history, n_failed, last_error = self._search(
            query,
            victim if search_victim is None else search_victim,
            n_rows,
            d,
            bounded=perturb or low is not None,
            budget=budget,
            seeds=seeds,
            anchors=anchors,
            rng=random_state,
            check=(n_best, check_victims if n_best else []),
        )
        if not np.isfinite(best):
            raise ValueError(
                f"The victim failed on all {len(history)} candidate poisonings; "
                f"last error: {last_error}"
            )
        self.history_ = history
        self.n_failed_queries_ = n_failed
        self.n_queries_ = len(history)
        rows = query.rows(best_z).astype(X.dtype)
        if search_victim is not None:
            best, error = query(victim, best_z)
            self.n_queries_ += 1
            if not np.isfinite(best):
                raise ValueError(
                    "The exact victim failed on the poisoning found with "
                    f"warm_start=True: {error}"
                )
        self.best_score_ = float(best)

        if perturb:
            change = (rows - X[targets]).astype(np.float64)
            X_res = X.copy()
            X_res[targets] = rows
            out = self._altered(X_res, None if y is None else y.copy(), targets)
        else:
            nearest = pairwise_distances_argmin_min(rows, X)[0]
            change = (rows - X[nearest]).astype(np.float64)
            y_new = None if y is None else np.full(n_rows, -1)
            out = self._injected(X, y, rows, y_new)
        change /= unit
        self.perturbation_norms_ = {
            "l0": int(n_rows),
            "l2": float(np.sqrt(np.sum(change**2))),
            "linf": float(np.max(np.abs(change))) if change.size else 0.0,
        }
        return out

    def _search(
        self,
        query,
        victim,
        n_rows,
        d,
        *,
        bounded,
        budget,
        seeds,
        anchors,
        rng,
        check=(0, ()),
    ):
        """Run the ask/tell loop; return the best candidate and the history.

        ``check = (n_best, victims)``: the last ``n_best * len(victims)``
        queries of the budget refit the ``n_best`` best candidates on each of
        ``victims`` (the victim under other seeds); the candidate with the
        best mean damage over its fits (these and the search's) is returned,
        with its damage on the search's victim.
        """
        n_best, check_victims = check
        n_check = n_best * len(check_victims)
        search_budget = budget - n_check
        search = make_search(
            self.optimizer,
            n_rows,
            d,
            bounded=bounded,
            n_queries=search_budget,
            rng=rng,
            seeds=seeds,
            anchors=anchors,
        )
        history, all_z, all_scores = [], [], []
        best, best_z, n_failed, last_error = -np.inf, None, 0, None
        with Parallel(n_jobs=self.n_jobs) as parallel:
            while len(history) < search_budget:
                Z = search.ask(min(batch_size(search), search_budget - len(history)))
                results = parallel(delayed(run_query)(query, victim, z) for z in Z)
                scores = np.array([s for s, _ in results], dtype=np.float64)
                for z, (s, error) in zip(Z, results, strict=True):
                    if error is not None:
                        n_failed += 1
                        last_error = error
                    if s > best:
                        best, best_z = s, z
                    history.append(best)
                search.tell(Z, scores)
                if n_check:
                    all_z.append(Z)
                    all_scores.append(scores)
            if n_check and np.isfinite(best):
                all_scores = np.concatenate(all_scores)
                top = np.argsort(-all_scores, kind="stable")[:n_best]
                top = top[np.isfinite(all_scores[top])]
                Z = np.concatenate(all_z)[top]
                jobs = [(v, z) for z in Z for v in check_victims]
                results = parallel(delayed(run_query)(query, v, z) for v, z in jobs)
                for _, error in results:
                    if error is not None:
                        n_failed += 1
                        last_error = error
                    history.append(best)
                checks = np.array([s for s, _ in results]).reshape(len(top), -1)
                mean = (all_scores[top] + checks.sum(axis=1)) / (checks.shape[1] + 1)
                pick = int(np.argmax(mean))
                best, best_z = all_scores[top[pick]], Z[pick]
        return best_z, best, np.asarray(history), n_failed, last_error


def _seeded(victim, random_state):
    """Clone ``victim`` and fix every ``random_state`` left at None."""
    victim = clone(victim)
    unset = {
        key: random_state.randint(np.iinfo(np.int32).max)
        for key, value in sorted(victim.get_params(deep=True).items())
        if key.endswith("random_state") and value is None
    }
    return victim.set_params(**unset)


# Seed check of the best candidates (victim seeds unknown to the attacker):
# other seeds each candidate is refitted on, largest number of candidates,
# and the smallest budget (in generations) for which the check is run.
_CHECK_SEEDS = 3
_CHECK_BEST = 10
_CHECK_MIN_GENERATIONS = 5


def _seed_check_size(budget):
    """``(n_best, n_seeds)`` of the seed check for a budget of victim fits."""
    if budget < _CHECK_MIN_GENERATIONS * POPULATION:
        return 0, 0
    n_best = min(_CHECK_BEST, budget // (10 * _CHECK_SEEDS))
    return n_best, _CHECK_SEEDS


def _unseeded(victim):
    """Whether ``victim`` leaves some ``random_state`` at None."""
    return any(
        key.endswith("random_state") and value is None
        for key, value in victim.get_params(deep=True).items()
    )


def _final(victim):
    steps = getattr(victim, "steps", None)
    return (steps[-1][0] + "__", steps[-1][1]) if steps else ("", victim)


def _warm_started(victim, fitted):
    """Return the cheap query victim: k-means from the clean centres."""
    prefix, final = _final(victim)
    fitted_final = _final(fitted)[1]
    params = final.get_params(deep=False)
    centres = getattr(fitted_final, "cluster_centers_", None)
    if "init" not in params or "n_init" not in params or centres is None:
        raise ValueError(
            f"warm_start=True needs a victim with init and n_init parameters and "
            f"cluster_centers_ once fitted (k-means); {type(final).__name__} has not."
        )
    return clone(victim).set_params(
        **{prefix + "init": np.array(centres), prefix + "n_init": 1}
    )
