"""Transferability: craft a poisoning against surrogates, evaluate it on victims."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.utils import check_random_state

from skpoison.base import BaseAttack
from skpoison.model_selection._evaluate import _SHARED_PARAMS
from skpoison.model_selection._paired import fit_paired
from skpoison.utils._optional import frame_or_dict, import_optional
from skpoison.utils._param_validation import (
    HasMethods,
    validate_params,
)
from skpoison.utils._steps import flatten_steps, step_fitted_on_labels

__all__ = ["TransferMatrixDisplay", "transfer_matrix"]

_MAX_SEED = np.iinfo(np.int32).max


class _Replay(BaseAttack):
    """Replay a poisoning crafted earlier, on the data it was crafted on.

    Lets the runner evaluate one crafted poisoning on many victims without
    crafting it again: ``fit_resample(X)`` returns the stored output when
    ``X`` is the data of the crafting.
    """

    _parameter_constraints: dict = {
        "n_poison": "no_validation",
        "X_clean": "no_validation",
        "X_poisoned": "no_validation",
        "sample_indices": "no_validation",
        "random_state": "no_validation",
    }

    def __init__(
        self,
        n_poison=0,
        *,
        X_clean=None,
        X_poisoned=None,
        sample_indices=None,
        random_state=None,
    ):
        self.n_poison = n_poison
        self.X_clean = X_clean
        self.X_poisoned = X_poisoned
        self.sample_indices = sample_indices
        self.random_state = random_state

    def _budget_rows(self, X, y):
        return X.shape[0], True, "rows"

    def _poison(self, X, y, random_state):
        if X.shape != self.X_clean.shape or not np.array_equal(X, self.X_clean):
            raise ValueError("A replayed poisoning only applies to its own data.")
        X_res = np.asarray(self.X_poisoned, dtype=X.dtype)
        indices = np.asarray(self.sample_indices)
        injected = indices < 0
        if injected.any():
            y_new = None if y is None else np.full(int(injected.sum()), -1)
            return self._injected(X, y, X_res[injected], y_new)
        altered = np.flatnonzero(np.any(X_res != X, axis=1))
        return self._altered(X_res.copy(), None if y is None else y.copy(), altered)


def _named(estimators, what):
    """``{name: estimator}`` from a dict, or a list named by class."""
    if isinstance(estimators, dict):
        named = dict(estimators)
    else:
        named = {}
        for est in estimators:
            name = type(est).__name__
            if hasattr(est, "steps"):
                name = "+".join(type(s).__name__ for _, s in est.steps)
            base, i = name, 2
            while name in named:
                name, i = f"{base}_{i}", i + 1
            named[name] = est
    if not named:
        raise ValueError(f"{what} is empty: give at least one estimator.")
    for name, est in named.items():
        if not hasattr(est, "fit"):
            raise ValueError(f"{what}[{name!r}] has no fit method.")
        steps = flatten_steps(est)
        final = steps[-1] if steps else est
        if not (hasattr(final, "predict") or hasattr(final, "fit_predict")):
            raise ValueError(
                f"{what}[{name!r}] ends in {type(final).__name__}, which gives no "
                "cluster labels (it has neither predict nor fit_predict)."
            )
    return named


def _craft(attack, surrogate, X, y, seed):
    crafted = clone(attack).set_params(victim=surrogate)
    if crafted.get_params(deep=False).get("random_state") is None:
        crafted.set_params(random_state=seed)
    X_res, _ = crafted.fit_resample(X, y)
    return _Replay(
        n_poison=int(crafted.n_poison_),
        X_clean=X,
        X_poisoned=np.asarray(X_res),
        sample_indices=np.asarray(crafted.sample_indices_),
    )


def _evaluate(victim, replays, X, y, defence, seed):
    rows, clean = [], None
    for name, replay in replays:
        result = fit_paired(
            victim, replay, X, y, defence=defence, random_state=seed, clean_run=clean
        )
        clean = result.clean
        rows.append((name, result.scores()))
    return rows


@validate_params(
    {
        **{k: v for k, v in _SHARED_PARAMS.items() if k != "estimator"},
        "attack": [HasMethods(["fit_resample", "set_params"])],
        "surrogates": [dict, list],
        "victims": [dict, list],
    },
    prefer_skip_nested_validation=False,
)
def transfer_matrix(
    attack,
    surrogates,
    victims,
    X,
    y=None,
    *,
    defence=None,
    attacker_sees_labels=True,
    n_repeats=1,
    random_state=None,
    n_jobs=None,
    as_frame="auto",
):
    """Craft a poisoning against each surrogate, evaluate it on each victim.

    Transferability is the question a query-limited attacker asks: a
    poisoning optimised against a model they can query (the *surrogate*),
    how much does it hurt the model actually deployed (the *victim*)? For
    each repeat and each surrogate, the attack is cloned with its ``victim``
    parameter set to the surrogate and crafted once on ``X``; the poisoned
    data is then evaluated on every victim through :func:`fit_paired` (clean
    and poisoned runs with the same seeds, one clean run per victim and
    repeat shared by all surrogates). The diagonal (surrogate = victim) is
    the white-box-by-queries case; off the diagonal, transfer.

    Read more in the :ref:`User Guide <transfer_matrix>`.

    Parameters
    ----------
    attack : attack with a ``victim`` parameter
        Typically :class:`~skpoison.attacks.BlackBoxAttack`. Its ``victim``
        is replaced by each surrogate; a ``random_state`` left at ``None``
        gets the repeat's seed.
    surrogates : dict of str to estimator, or list of estimators
        The models the attack is crafted against. A list is named by class
        (pipelines by their steps' classes joined with ``+``). Each must give
        cluster labels (``predict``, or ``labels_`` for a model such as
        :class:`~sklearn.cluster.SpectralClustering` or
        :class:`~sklearn.cluster.HDBSCAN`). A surrogate fitted on labels
        (:class:`~skpoison.cluster.SemiSupervisedKMeans`, possibly behind
        :class:`~skpoison.preprocessing.MaskLabels`) is queried with the
        attacker's ``y`` for the clean rows and ``-1`` for the injected rows;
        it needs ``y`` and ``attacker_sees_labels=True``.
    victims : dict of str to estimator, or list of estimators
        The models the poisoning is evaluated on, cloned and seeded by
        :func:`fit_paired`. A victim without ``predict`` is scored by the
        labels it gives the clean rows it was fitted on (``labels_``
        restricted to them). A victim fitted on labels gets ``y``, the
        injected rows unlabelled (``-1``); wrap it as
        ``make_pipeline(MaskLabels(0.2), SemiSupervisedKMeans())`` for a small
        labelled sample (the same labels hidden in both runs).
    X : array-like of shape (n_samples, n_features)
        The clean data.
    y : array-like of shape (n_samples,), default=None
        Ground-truth classes, for the external scores (and for the attack
        when ``attacker_sees_labels``).
    defence : resampler, default=None
        A defence run before each victim in both runs.
    attacker_sees_labels : bool, default=True
        Whether the attack gets ``y`` while crafting.
    n_repeats : int, default=1
        Repeats, each with its own seed (crafting and evaluation).
    random_state : int, RandomState instance or None, default=None
        Draws the seed of each repeat.
    n_jobs : int, default=None
        Craftings (one per surrogate and repeat), then evaluations (one per
        victim and repeat), run in parallel with joblib.
    as_frame : bool or "auto", default="auto"
        Return a :class:`pandas.DataFrame` (``True``; ``"auto"`` when pandas
        is installed) or a dict of 1-D arrays.

    Returns
    -------
    result : DataFrame or dict of ndarray
        One row per (surrogate, victim, repeat): ``surrogate``, ``victim``,
        ``repeat``, ``seed`` and the paired scores of
        :meth:`PairedResult.scores` (``clean_<score>``, ``poisoned_<score>``,
        ``diff_<score>``, ...).

    See Also
    --------
    TransferMatrixDisplay : The mean of one score as a heatmap.
    evaluate_attack : Paired scores of one attack on one victim.

    Examples
    --------
    >>> from sklearn.cluster import AgglomerativeClustering, KMeans
    >>> from sklearn.datasets import load_iris
    >>> from skpoison.attacks import BlackBoxAttack
    >>> from skpoison.model_selection import transfer_matrix
    >>> X, y = load_iris(return_X_y=True)
    >>> models = {"kmeans": KMeans(3, n_init=1), "ward": AgglomerativeClustering(3)}
    >>> attack = BlackBoxAttack(KMeans(3), n_queries=20)
    >>> result = transfer_matrix(attack, models, models, X, y, random_state=0,
    ...                          as_frame=False)
    >>> [f"{s} -> {v}" for s, v in zip(result["surrogate"], result["victim"])]
    ['kmeans -> kmeans', 'kmeans -> ward', 'ward -> kmeans', 'ward -> ward']
    >>> result["diff_adjusted_rand"].shape
    (4,)
    """
    if "victim" not in attack.get_params(deep=False):
        raise ValueError(
            f"{type(attack).__name__} has no victim parameter: transfer_matrix "
            "crafts an attack against each surrogate (e.g. BlackBoxAttack)."
        )
    surrogates = _named(surrogates, "surrogates")
    victims = _named(victims, "victims")
    X = np.asarray(X)
    if X.dtype.kind not in "f":
        X = X.astype(np.float64)
    y = None if y is None else np.asarray(y)
    for name, victim in victims.items():
        if y is None and step_fitted_on_labels(victim) is not None:
            raise ValueError(
                f"victims[{name!r}] is fitted on labels (a step of it requires "
                "y), but y is None. Pass y (the classes of every row; put "
                "MaskLabels in the victim for a small labelled sample)."
            )
    for name, surrogate in surrogates.items():
        if step_fitted_on_labels(surrogate) is not None and (
            y is None or not attacker_sees_labels
        ):
            raise ValueError(
                f"surrogates[{name!r}] is fitted on labels (a step of it "
                "requires y), but the attacker sees none (y is None or "
                "attacker_sees_labels=False): it cannot be queried. Use it as a "
                "victim only, or pass y with attacker_sees_labels=True."
            )
    rng = check_random_state(random_state)
    seeds = [int(rng.randint(_MAX_SEED)) for _ in range(n_repeats)]
    y_attack = y if attacker_sees_labels else None

    pairs = [(r, s) for r in range(n_repeats) for s in surrogates]
    with Parallel(n_jobs=n_jobs) as parallel:
        crafted = parallel(
            delayed(_craft)(attack, surrogates[s], X, y_attack, seeds[r])
            for r, s in pairs
        )
        replays = dict(zip(pairs, crafted, strict=True))
        jobs = [(r, v) for r in range(n_repeats) for v in victims]
        evaluated = parallel(
            delayed(_evaluate)(
                victims[v],
                [(s, replays[r, s]) for s in surrogates],
                X,
                y,
                defence,
                seeds[r],
            )
            for r, v in jobs
        )
    table = {}
    for (r, v), rows in zip(jobs, evaluated, strict=True):
        for s, scores in rows:
            table[s, v, r] = {
                "surrogate": s,
                "victim": v,
                "repeat": r,
                **scores,
            }
    rows = [
        table[s, v, r] for s in surrogates for v in victims for r in range(n_repeats)
    ]
    columns = list(rows[0])
    data = {name: np.asarray([row[name] for row in rows]) for name in columns}
    return frame_or_dict(data, as_frame, columns=columns)


class TransferMatrixDisplay:
    """Heatmap of one score of ``transfer_matrix``: surrogates x victims.

    Each cell is the mean over repeats of the score for a poisoning crafted
    against the row's surrogate and evaluated on the column's victim.

    Use :meth:`from_results` to create one.

    Parameters
    ----------
    matrix : ndarray of shape (n_surrogates, n_victims)
        Mean score per cell.
    surrogates : list of str
        Row names.
    victims : list of str
        Column names.
    metric : str
        The score shown.

    Attributes
    ----------
    ax_ : matplotlib Axes
        The axes of the heatmap.
    figure_ : matplotlib Figure
        The figure holding it.
    image_ : matplotlib AxesImage
        The heatmap.

    See Also
    --------
    transfer_matrix : Compute the results.

    Examples
    --------
    >>> import numpy as np
    >>> from skpoison.model_selection import TransferMatrixDisplay
    >>> results = {"surrogate": np.array(["a", "a", "b", "b"]),
    ...            "victim": np.array(["a", "b", "a", "b"]),
    ...            "diff_adjusted_rand": np.array([-0.5, -0.1, -0.2, -0.4])}
    >>> display = TransferMatrixDisplay.from_results(results)
    >>> display.matrix
    array([[-0.5, -0.1],
           [-0.2, -0.4]])
    """

    def __init__(self, matrix, surrogates, victims, metric):
        self.matrix = matrix
        self.surrogates = surrogates
        self.victims = victims
        self.metric = metric

    @classmethod
    def from_results(cls, results, metric="diff_adjusted_rand", *, ax=None, cmap=None):
        """Average a ``transfer_matrix`` result per cell and plot it.

        Parameters
        ----------
        results : DataFrame or dict of ndarray
            The output of :func:`~skpoison.model_selection.transfer_matrix`.
        metric : str, default="diff_adjusted_rand"
            A column of the results (a paired difference by default: the more
            negative, the more damage).
        ax : matplotlib Axes, default=None
            Where to draw; ``None`` creates a new figure.
        cmap : str or Colormap, default=None
            Colour map; ``None`` uses ``"viridis"``.

        Returns
        -------
        display : TransferMatrixDisplay
            The plotted display.
        """
        if metric not in results:
            raise ValueError(f"metric={metric!r} is not a column of the results.")
        surrogate = np.asarray(results["surrogate"])
        victim = np.asarray(results["victim"])
        values = np.asarray(results[metric], dtype=np.float64)
        rows = list(dict.fromkeys(surrogate.tolist()))
        cols = list(dict.fromkeys(victim.tolist()))
        matrix = np.full((len(rows), len(cols)), np.nan)
        for i, s in enumerate(rows):
            for j, v in enumerate(cols):
                cell = values[(surrogate == s) & (victim == v)]
                if cell.size:
                    matrix[i, j] = cell.mean()
        return cls(matrix, rows, cols, metric).plot(ax=ax, cmap=cmap)

    def plot(self, ax=None, *, cmap=None):
        """Draw the heatmap, with each cell's value written in it.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; ``None`` creates a new figure.
        cmap : str or Colormap, default=None
            Colour map; ``None`` uses ``"viridis"``.

        Returns
        -------
        display : TransferMatrixDisplay
            ``self``, with ``ax_``, ``figure_`` and ``image_`` set.
        """
        ax, image = heatmap(
            self.matrix,
            self.surrogates,
            self.victims,
            xlabel="victim",
            ylabel="surrogate (crafted against)",
            label=self.metric,
            ax=ax,
            cmap=cmap,
            caller="TransferMatrixDisplay",
        )
        self.ax_, self.figure_, self.image_ = ax, ax.figure, image
        return self


def heatmap(matrix, rows, cols, *, xlabel, ylabel, label, ax, cmap, caller):
    """Draw ``matrix`` as an annotated heatmap; return ``(ax, image)``."""
    plt = import_optional("matplotlib.pyplot", extra="plot", caller=caller)
    if ax is None:
        _, ax = plt.subplots()
    image = ax.imshow(matrix, cmap=cmap or "viridis", aspect="auto")
    ax.set_xticks(
        range(len(cols)),
        labels=[str(c) for c in cols],
        rotation=45,
        ha="right",
        rotation_mode="anchor",
    )
    ax.set_yticks(range(len(rows)), labels=[str(r) for r in rows])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    finite = matrix[np.isfinite(matrix)]
    middle = (finite.min() + finite.max()) / 2 if finite.size else 0.0
    for i in range(matrix.shape[0]):
        for j in range(matrix.shape[1]):
            value = matrix[i, j]
            colour = "white" if value < middle else "black"
            ax.text(j, i, f"{value:.2f}", ha="center", va="center", color=colour)
    ax.figure.colorbar(image, ax=ax, label=label)
    return ax, image
