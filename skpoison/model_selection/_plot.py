"""A metric against the strength of an attack, with its spread over repeats."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from skpoison.utils._optional import import_optional

__all__ = ["RobustnessCurveDisplay"]


def _check_matplotlib(caller):
    """Import ``matplotlib.pyplot``, or fail with a message naming the extra."""
    return import_optional("matplotlib.pyplot", extra="plot", caller=caller)


def _column(results, name):
    """Return a column of a robustness_curve result (DataFrame or dict) as an array."""
    return np.asarray(results[name])


def _columns_of(results):
    """Column names of a result, which must be a dict or a DataFrame."""
    if isinstance(results, dict):
        return list(results.keys())
    if hasattr(results, "columns"):
        return list(results.columns)
    raise ValueError(
        "results must be the DataFrame or dict of arrays returned by "
        f"robustness_curve, got {type(results).__name__}."
    )


def _check_columns(results, names):
    """Return the named columns, checked: 1-D, of one length, not empty."""
    columns = {name: np.asarray(results[name]) for name in names}
    shapes = {name: column.shape for name, column in columns.items()}
    if (
        any(len(shape) != 1 for shape in shapes.values())
        or len(set(shapes.values())) > 1
    ):
        raise ValueError(
            "The columns of results must be 1-D and of one length, got shapes "
            f"{shapes}."
        )
    if not next(iter(shapes.values()))[0]:
        raise ValueError("results holds no rows: there is nothing to plot.")
    return columns


def _resolve_metric(results, metric):
    """Accept ``"adjusted_rand"`` as ``"poisoned_adjusted_rand"``."""
    columns = _columns_of(results)
    if metric in columns:
        return metric
    if f"poisoned_{metric}" in columns:
        return f"poisoned_{metric}"
    raise ValueError(
        f"metric={metric!r} is not a column of the results; choose one of "
        f"{[c for c in columns if c not in ('param_value', 'repeat', 'seed')]}."
    )


class RobustnessCurveDisplay:
    """A metric against the attack's strength: mean line and spread band.

    The results of :func:`~skpoison.model_selection.robustness_curve` hold
    one row per (parameter value, repeat); the display draws, for one metric,
    the mean over repeats at each value and a band showing the spread
    (± one standard deviation, or a quantile range). For a ``poisoned_*``
    metric the mean of its ``clean_*`` twin is drawn as a dashed horizontal
    baseline. Several attacks or defences go on one axes by calling
    :meth:`from_results` with the same ``ax``.

    Use :meth:`from_results` or :meth:`from_estimator` to create one.

    Read more in the :ref:`User Guide <evaluation_displays>`.

    Parameters
    ----------
    param_values : ndarray of shape (n_values,)
        The attack parameter's values, sorted.
    mean : ndarray of shape (n_values,)
        Mean of the metric over repeats at each value.
    lower : ndarray of shape (n_values,)
        Lower edge of the band.
    upper : ndarray of shape (n_values,)
        Upper edge of the band.
    baseline : float, default=None
        The clean model's mean score, or None.
    metric : str, default=None
        The metric's column name (the y label).
    param_name : str, default=None
        The attack parameter's name (the x label).
    label : str, default=None
        Legend label of the curve.

    Attributes
    ----------
    line_ : matplotlib Line2D
        The mean curve.
    band_ : matplotlib PolyCollection
        The spread band.
    baseline_ : matplotlib Line2D or None
        The clean baseline.
    ax_ : matplotlib Axes
        The axes.
    figure_ : matplotlib Figure
        The figure.

    See Also
    --------
    robustness_curve : Compute the results.
    skpoison.metrics.ClusterShiftDisplay : What one attack did to the clusters.

    Examples
    --------
    >>> from sklearn.cluster import KMeans
    >>> from sklearn.datasets import load_iris
    >>> from skpoison.attacks import UniformOutlierAttack
    >>> from skpoison.model_selection import RobustnessCurveDisplay, robustness_curve
    >>> X, y = load_iris(return_X_y=True)
    >>> results = robustness_curve(KMeans(3, n_init=3), UniformOutlierAttack(),
    ...                            X, y, param_range=[0.1, 0.3], n_repeats=2,
    ...                            random_state=0)
    >>> display = RobustnessCurveDisplay.from_results(
    ...     results, metric="adjusted_rand", label="uniform outliers")
    >>> display.line_.get_label()
    'uniform outliers'
    """

    def __init__(
        self,
        *,
        param_values,
        mean,
        lower,
        upper,
        baseline=None,
        metric=None,
        param_name=None,
        label=None,
    ):
        self.param_values = param_values
        self.mean = mean
        self.lower = lower
        self.upper = upper
        self.baseline = baseline
        self.metric = metric
        self.param_name = param_name
        self.label = label

    def plot(
        self, ax=None, *, label=None, line_kw=None, band_kw=None, baseline_kw=None
    ):
        """Draw the curve.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; ``None`` creates a new figure. Pass the same axes
            to overlay several curves.
        label : str, default=None
            Legend label; overrides the one given at construction.
        line_kw : dict, default=None
            Keyword arguments for the mean line (``ax.plot``).
        band_kw : dict, default=None
            Keyword arguments for the band (``ax.fill_between``).
        baseline_kw : dict, default=None
            Keyword arguments for the clean baseline (``ax.axhline``).

        Returns
        -------
        display : RobustnessCurveDisplay
            The display, with its artists stored.

        See Also
        --------
        RobustnessCurveDisplay.from_results : Aggregate results, then plot.
        """
        plt = _check_matplotlib(f"{type(self).__name__}.plot")
        if ax is None:
            _, ax = plt.subplots()
        label = self.label if label is None else label
        (self.line_,) = ax.plot(
            self.param_values, self.mean, marker="o", label=label, **(line_kw or {})
        )
        color = self.line_.get_color()
        self.band_ = ax.fill_between(
            self.param_values,
            self.lower,
            self.upper,
            **{"alpha": 0.2, "color": color, "linewidth": 0, **(band_kw or {})},
        )
        self.baseline_ = None
        if self.baseline is not None and np.isfinite(self.baseline):
            baseline_label = "clean" if label is None else f"{label} (clean)"
            self.baseline_ = ax.axhline(
                self.baseline,
                **{
                    "color": color,
                    "linestyle": "--",
                    "linewidth": 1,
                    "label": baseline_label,
                    **(baseline_kw or {}),
                },
            )
        if self.param_name is not None:
            ax.set_xlabel(self.param_name)
        if self.metric is not None:
            ax.set_ylabel(self.metric)
        if label is not None:
            ax.legend(loc="best", fontsize="small")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_results(
        cls,
        results,
        *,
        metric="poisoned_adjusted_rand",
        spread="std",
        quantiles=(0.25, 0.75),
        baseline=True,
        param_name="n_poison",
        label=None,
        ax=None,
        line_kw=None,
        band_kw=None,
        baseline_kw=None,
    ):
        """Plot one metric of :func:`~skpoison.model_selection.robustness_curve`.

        Parameters
        ----------
        results : DataFrame or dict of ndarray
            The output of ``robustness_curve`` (with a ``param_value`` column).
        metric : str, default="poisoned_adjusted_rand"
            The column to plot; ``"adjusted_rand"`` is short for
            ``"poisoned_adjusted_rand"``.
        spread : {"std", "quantile"}, default="std"
            Band of ± one standard deviation over repeats, or between the
            ``quantiles`` of the repeats.
        quantiles : tuple of two floats, default=(0.25, 0.75)
            Quantiles of the band when ``spread="quantile"``.
        baseline : bool, default=True
            Draw the mean of the ``clean_*`` twin of a ``poisoned_*`` metric.
        param_name : str, default="n_poison"
            The x label.
        label : str, default=None
            Legend label (the attack's or defence's name).
        ax : matplotlib Axes, default=None
            Where to draw; pass the same axes to overlay several results.
        line_kw, band_kw, baseline_kw : dict, default=None
            Keyword arguments for the artists; see :meth:`plot`.

        Returns
        -------
        display : RobustnessCurveDisplay
            The drawn display.

        See Also
        --------
        RobustnessCurveDisplay.from_estimator : Run the sweep, then plot.
        """
        if spread not in ("std", "quantile"):
            raise ValueError(f"spread must be 'std' or 'quantile', got {spread!r}.")
        metric = _resolve_metric(results, metric)
        if "param_value" not in _columns_of(results):
            raise ValueError(
                "results has no 'param_value' column: pass the output of "
                "robustness_curve."
            )
        if spread == "quantile" and (np.ndim(quantiles) != 1 or len(quantiles) != 2):
            raise ValueError(
                f"quantiles must be two numbers (low, high), got {quantiles!r}."
            )
        checked = _check_columns(results, ["param_value", metric])
        values = checked["param_value"]
        scores = checked[metric].astype(float)
        param_values = np.unique(values)
        groups = [scores[values == v] for v in param_values]
        mean = np.array(
            [np.nanmean(g) if np.isfinite(g).any() else np.nan for g in groups]
        )
        if spread == "std":
            std = np.array(
                [np.nanstd(g) if np.isfinite(g).any() else np.nan for g in groups]
            )
            lower, upper = mean - std, mean + std
        else:
            low, high = quantiles
            if not 0 <= low <= high <= 1:
                raise ValueError(
                    f"quantiles must be 0 <= low <= high <= 1, got {quantiles!r}."
                )
            lower = np.array([np.nanquantile(g, low) for g in groups])
            upper = np.array([np.nanquantile(g, high) for g in groups])
        clean_value = None
        if baseline and metric.startswith("poisoned_"):
            clean_name = "clean_" + metric[len("poisoned_") :]
            clean = _column(results, clean_name).astype(float)
            if np.isfinite(clean).any():
                clean_value = float(np.nanmean(clean))
        display = cls(
            param_values=param_values,
            mean=mean,
            lower=lower,
            upper=upper,
            baseline=clean_value,
            metric=metric,
            param_name=param_name,
            label=label,
        )
        return display.plot(
            ax=ax, line_kw=line_kw, band_kw=band_kw, baseline_kw=baseline_kw
        )

    @classmethod
    def from_estimator(
        cls,
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
        metric="poisoned_adjusted_rand",
        spread="std",
        label=None,
        ax=None,
    ):
        """Run :func:`~skpoison.model_selection.robustness_curve` and plot it.

        Parameters
        ----------
        estimator : estimator object
            The clustering model (or a pipeline ending in one).
        attack : resampler
            The attack (or a pipeline of resamplers containing it).
        X : array-like of shape (n_samples, n_features)
            The clean data.
        y : array-like of shape (n_samples,), default=None
            Ground-truth classes.
        param_name : str, default="n_poison"
            The attack parameter to vary.
        param_range : array-like
            Its values.
        defence : resampler, default=None
            A defence run before the estimator.
        attacker_sees_labels : bool, default=True
            Whether the attack gets ``y``; see
            :func:`~skpoison.model_selection.evaluate_attack`.
        n_repeats : int, default=5
            Paired repeats per value.
        random_state : int, RandomState instance or None, default=None
            Draws the seed of each repeat.
        n_jobs : int, default=None
            Parallel jobs.
        metric : str, default="poisoned_adjusted_rand"
            The column to plot.
        spread : {"std", "quantile"}, default="std"
            The band; see :meth:`from_results`.
        label : str, default=None
            Legend label; defaults to the attack's class name.
        ax : matplotlib Axes, default=None
            Where to draw.

        Returns
        -------
        display : RobustnessCurveDisplay
            The drawn display.

        See Also
        --------
        RobustnessCurveDisplay.from_results : Plot results already computed.
        skpoison.model_selection.robustness_curve : The sweep itself.
        """
        from skpoison.model_selection._robustness import robustness_curve

        results = robustness_curve(
            estimator,
            attack,
            X,
            y,
            param_name=param_name,
            param_range=param_range,
            defence=defence,
            attacker_sees_labels=attacker_sees_labels,
            n_repeats=n_repeats,
            random_state=random_state,
            n_jobs=n_jobs,
            as_frame=False,
        )
        return cls.from_results(
            results,
            metric=metric,
            spread=spread,
            param_name=param_name,
            label=type(attack).__name__ if label is None else label,
            ax=ax,
        )
