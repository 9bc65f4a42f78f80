"""Security evaluation over two attack parameters (budget x perturbation size)."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.base import clone

from skpoison.model_selection._evaluate import _SHARED_PARAMS
from skpoison.model_selection._robustness import robustness_curve
from skpoison.model_selection._transfer import heatmap
from skpoison.utils._optional import frame_or_dict
from skpoison.utils._param_validation import (
    HasMethods,
    validate_params,
)

__all__ = ["SecurityEvaluationDisplay", "security_evaluation"]


@validate_params(
    {
        **_SHARED_PARAMS,
        "attack": [HasMethods(["fit_resample", "set_params"])],
        "param_grid": [dict],
    },
    prefer_skip_nested_validation=False,
)
def security_evaluation(
    estimator,
    attack,
    X,
    y=None,
    *,
    param_grid,
    defence=None,
    attacker_sees_labels=True,
    n_repeats=5,
    random_state=None,
    n_jobs=None,
    as_frame="auto",
):
    """Evaluate an attack over a grid of two of its parameters.

    The two-parameter security evaluation of Biggio and Roli (and of Cinà
    et al. for clustering): the damage as a function of the attacker's
    budget (``n_poison``) and of how far each poisoned row may move
    (``max_perturbation``), or any two parameters of the attack. Every grid
    point is one :func:`robustness_curve` point: ``n_repeats`` paired runs
    through :func:`fit_paired`, with the same seeds at every point (common
    random numbers), so differences between points are not seed noise.

    Read more in the :ref:`User Guide <security_evaluation>`.

    Parameters
    ----------
    estimator : estimator object
        The victim clustering model (or a pipeline ending in one).
    attack : resampler
        The attack; both parameters are set on clones of it.
    X : array-like of shape (n_samples, n_features)
        The clean data.
    y : array-like of shape (n_samples,), default=None
        Ground-truth classes, for the external scores.
    param_grid : dict of str to list
        Exactly two attack parameters and their values, e.g.
        ``{"n_poison": [1, 5, 10], "max_perturbation": [0.1, 0.5, 1.0]}``.
    defence : resampler, default=None
        A defence run before the estimator in both runs.
    attacker_sees_labels : bool, default=True
        Whether the attack gets ``y``.
    n_repeats : int, default=5
        Paired repeats per grid point.
    random_state : int, RandomState instance or None, default=None
        Draws the seed of each repeat (the same at every grid point).
    n_jobs : int, default=None
        Grid points and repeats run in parallel with joblib.
    as_frame : bool or "auto", default="auto"
        Return a :class:`pandas.DataFrame` or a dict of 1-D arrays.

    Returns
    -------
    result : DataFrame or dict of ndarray
        One row per (first value, second value, repeat): ``param_<first>``,
        ``param_<second>`` and the columns of :func:`robustness_curve` but
        ``param_value`` and ``attack``.

    See Also
    --------
    SecurityEvaluationDisplay : The mean of one score over the grid.
    robustness_curve : One parameter.

    Examples
    --------
    >>> from sklearn.cluster import KMeans
    >>> from sklearn.datasets import load_iris
    >>> from skpoison.attacks import GaussianNoiseAttack
    >>> from skpoison.model_selection import security_evaluation
    >>> X, y = load_iris(return_X_y=True)
    >>> grid = {"n_poison": [0.1, 0.5], "scale": [0.5, 2.0]}
    >>> result = security_evaluation(KMeans(3, n_init=2), GaussianNoiseAttack(),
    ...                              X, y, param_grid=grid, n_repeats=2,
    ...                              random_state=0, as_frame=False)
    >>> result["param_n_poison"].tolist()
    [0.1, 0.1, 0.1, 0.1, 0.5, 0.5, 0.5, 0.5]
    >>> result["param_scale"].tolist()
    [0.5, 0.5, 2.0, 2.0, 0.5, 0.5, 2.0, 2.0]
    """
    if len(param_grid) != 2:
        raise ValueError(
            f"param_grid must hold exactly two attack parameters; got "
            f"{sorted(param_grid)}."
        )
    (first, first_values), (second, second_values) = param_grid.items()
    first_values, second_values = list(first_values), list(second_values)
    if not first_values or not second_values:
        raise ValueError("param_grid has a parameter with no values.")
    params = attack.get_params(deep=False)
    for name in (first, second):
        if name not in params:
            raise ValueError(f"{name!r} is not a parameter of {type(attack).__name__}.")
    attacks = {
        i: clone(attack).set_params(**{second: value})
        for i, value in enumerate(second_values)
    }
    curve = robustness_curve(
        estimator,
        attacks,
        X,
        y,
        param_name=first,
        param_range=first_values,
        defence=defence,
        attacker_sees_labels=attacker_sees_labels,
        n_repeats=n_repeats,
        random_state=random_state,
        n_jobs=n_jobs,
        as_frame=False,
    )
    # robustness_curve orders rows by attack (second value), first value,
    # repeat; reorder by first value, second value, repeat.
    i_second = np.asarray(curve["attack"], dtype=np.intp)
    order = np.lexsort((np.asarray(curve["repeat"]), i_second, _positions(curve)))
    data = {
        f"param_{first}": np.asarray(curve["param_value"])[order],
        f"param_{second}": np.asarray(second_values, dtype=object)[i_second][order],
    }
    try:
        data[f"param_{second}"] = data[f"param_{second}"].astype(
            np.result_type(*[np.asarray(v) for v in second_values])
        )
    except TypeError:
        pass
    for name, values in curve.items():
        if name not in ("param_value", "attack"):
            data[name] = np.asarray(values)[order]
    return frame_or_dict(data, as_frame)


def _positions(curve):
    """Index of each row's first-parameter value, in the order first seen."""
    values = list(curve["param_value"])
    seen = {}
    for value in values:
        seen.setdefault(repr(value), len(seen))
    return np.array([seen[repr(v)] for v in values], dtype=np.intp)


class SecurityEvaluationDisplay:
    """Heatmap of one score of ``security_evaluation`` over its grid.

    Use :meth:`from_results` to create one.

    Parameters
    ----------
    matrix : ndarray of shape (n_second, n_first)
        Mean score over repeats per grid point.
    first, second : str
        The two parameters (columns and rows of the heatmap).
    first_values, second_values : list
        Their values.
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
    security_evaluation : Compute the results.

    Examples
    --------
    >>> import numpy as np
    >>> from skpoison.model_selection import SecurityEvaluationDisplay
    >>> results = {"param_n_poison": np.array([1, 1, 5, 5]),
    ...            "param_max_perturbation": np.array([0.1, 1.0, 0.1, 1.0]),
    ...            "poisoned_adjusted_rand": np.array([0.9, 0.7, 0.8, 0.2])}
    >>> display = SecurityEvaluationDisplay.from_results(results)
    >>> display.matrix
    array([[0.9, 0.8],
           [0.7, 0.2]])
    """

    def __init__(self, matrix, first, second, first_values, second_values, metric):
        self.matrix = matrix
        self.first = first
        self.second = second
        self.first_values = first_values
        self.second_values = second_values
        self.metric = metric

    @classmethod
    def from_results(
        cls, results, metric="poisoned_adjusted_rand", *, ax=None, cmap=None
    ):
        """Average a ``security_evaluation`` result per grid point and plot it.

        Parameters
        ----------
        results : DataFrame or dict of ndarray
            The output of :func:`~skpoison.model_selection.security_evaluation`.
        metric : str, default="poisoned_adjusted_rand"
            A column of the results.
        ax : matplotlib Axes, default=None
            Where to draw; ``None`` creates a new figure.
        cmap : str or Colormap, default=None
            Colour map; ``None`` uses ``"viridis"``.

        Returns
        -------
        display : SecurityEvaluationDisplay
            The plotted display.
        """
        params = [name for name in results if str(name).startswith("param_")]
        if len(params) != 2:
            raise ValueError(
                "results must hold two param_<name> columns, as returned by "
                "security_evaluation."
            )
        if metric not in results:
            raise ValueError(f"metric={metric!r} is not a column of the results.")
        a, b = (np.asarray(results[p]) for p in params)
        values = np.asarray(results[metric], dtype=np.float64)
        cols = list(dict.fromkeys(a.tolist()))
        rows = list(dict.fromkeys(b.tolist()))
        matrix = np.full((len(rows), len(cols)), np.nan)
        for i, rv in enumerate(rows):
            for j, cv in enumerate(cols):
                cell = values[(b == rv) & (a == cv)]
                if cell.size:
                    matrix[i, j] = cell.mean()
        first, second = (p[len("param_") :] for p in params)
        display = cls(matrix, first, second, cols, rows, metric)
        return display.plot(ax=ax, cmap=cmap)

    def plot(self, ax=None, *, cmap=None):
        """Draw the heatmap, with each grid point's value written in it.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; ``None`` creates a new figure.
        cmap : str or Colormap, default=None
            Colour map; ``None`` uses ``"viridis"``.

        Returns
        -------
        display : SecurityEvaluationDisplay
            ``self``, with ``ax_``, ``figure_`` and ``image_`` set.
        """
        ax, image = heatmap(
            self.matrix,
            self.second_values,
            self.first_values,
            xlabel=self.first,
            ylabel=self.second,
            label=self.metric,
            ax=ax,
            cmap=cmap,
            caller="SecurityEvaluationDisplay",
        )
        self.ax_, self.figure_, self.image_ = ax, ax.figure, image
        return self
