"""The k-distance (knee) curve behind the DBSCAN clean-up."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.utils import check_array
from sklearn.utils.validation import check_is_fitted

from skpoison.metrics._plot._base import _check_matplotlib

__all__ = ["KDistanceDisplay"]


class KDistanceDisplay:
    """The sorted k-distance curve and the radius chosen at its knee.

    :class:`~skpoison.defences.DBSCANOutlierRemover` sorts the distance of
    every row to its ``min_samples``-th nearest row and takes ``eps`` at the
    knee of that curve (the original study's "K-distance Graph"). This
    display draws the curve, a horizontal line at ``eps`` and a vertical line
    at the first row whose k-distance reaches it: the rows to the right are
    the ones DBSCAN can leave as noise. Draw it for the clean and the
    poisoned data on the same axes to see an attack move the knee.

    Use :meth:`from_estimator` to create one; the constructor stores values
    already computed.

    Read more in the :ref:`User Guide <dbscan_outlier_remover>`.

    Parameters
    ----------
    k_distances : ndarray of shape (n_curve,)
        The k-distances, sorted in increasing order.
    eps : float
        The radius used by DBSCAN.
    min_samples : int, default=None
        The ``k`` of the curve, for the axis label.
    label : str, default=None
        Legend label of the curve.

    Attributes
    ----------
    line_ : matplotlib Line2D
        The curve.
    eps_line_ : matplotlib Line2D
        The horizontal line at ``eps``.
    knee_line_ : matplotlib Line2D
        The vertical line at ``knee_index``.
    knee_index : int
        Position on the curve of the first k-distance at least ``eps``.
    ax_ : matplotlib Axes
        The axes drawn on.
    figure_ : matplotlib Figure
        The figure.

    See Also
    --------
    skpoison.defences.DBSCANOutlierRemover : The clean-up it explains.
    ClusterShiftDisplay : Clean versus poisoned clusterings.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.preprocessing import MinMaxScaler
    >>> from skpoison.defences import DBSCANOutlierRemover
    >>> from skpoison.metrics import KDistanceDisplay
    >>> X = MinMaxScaler().fit_transform(load_iris().data)
    >>> remover = DBSCANOutlierRemover().fit(X)
    >>> display = KDistanceDisplay.from_estimator(remover)
    >>> round(display.eps, 3), display.min_samples
    (0.242, 8)
    """

    def __init__(self, *, k_distances, eps, min_samples=None, label=None):
        self.k_distances = k_distances
        self.eps = eps
        self.min_samples = min_samples
        self.label = label

    @classmethod
    def from_estimator(cls, estimator, *, ax=None, label=None, **kwargs):
        """Plot the k-distance curve of a fitted DBSCAN clean-up.

        Parameters
        ----------
        estimator : DBSCANOutlierRemover
            A fitted :class:`~skpoison.defences.DBSCANOutlierRemover` (or any
            estimator with ``k_distances_`` and ``eps_``).
        ax : matplotlib Axes, default=None
            Where to draw; ``None`` creates a new figure.
        label : str, default=None
            Legend label of the curve.
        **kwargs : dict
            Passed to :meth:`plot`.

        Returns
        -------
        display : KDistanceDisplay
            The display, with its artists stored.
        """
        check_is_fitted(estimator, ["k_distances_", "eps_"])
        display = cls(
            k_distances=estimator.k_distances_,
            eps=float(estimator.eps_),
            min_samples=getattr(estimator, "min_samples_", None),
            label=label,
        )
        return display.plot(ax=ax, **kwargs)

    def plot(self, ax=None, *, label=None, line_kw=None, eps_kw=None):
        """Draw the curve, the radius and the knee.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; ``None`` creates a new figure. Pass the same axes
            to overlay several curves.
        label : str, default=None
            Legend label; overrides the one given at construction.
        line_kw : dict, default=None
            Keyword arguments for the curve (``ax.plot``).
        eps_kw : dict, default=None
            Keyword arguments for the two lines at the knee
            (``ax.axhline`` and ``ax.axvline``).

        Returns
        -------
        display : KDistanceDisplay
            The display, with its artists stored.
        """
        curve = check_array(self.k_distances, ensure_2d=False, ensure_min_samples=1)
        if curve.ndim != 1:
            raise ValueError(
                f"k_distances must be 1-D; got an array of shape {curve.shape}."
            )
        if np.any(np.diff(curve) < 0):
            raise ValueError("k_distances must be sorted in increasing order.")
        plt = _check_matplotlib(f"{type(self).__name__}.plot")
        if ax is None:
            _, ax = plt.subplots()
        label = self.label if label is None else label
        self.knee_index = int(min(np.searchsorted(curve, self.eps), curve.size - 1))
        (self.line_,) = ax.plot(
            np.arange(curve.size), curve, label=label, **(line_kw or {})
        )
        color = self.line_.get_color()
        style = {"color": color, "linestyle": "--", "linewidth": 1, **(eps_kw or {})}
        eps_label = f"eps = {self.eps:.3g}"
        if label is not None:
            eps_label = f"{label}: {eps_label}"
        self.eps_line_ = ax.axhline(self.eps, label=eps_label, **style)
        self.knee_line_ = ax.axvline(self.knee_index, **style)
        ax.set_xlabel("Rows, sorted by k-distance")
        k = "k" if self.min_samples is None else str(self.min_samples)
        ax.set_ylabel(f"Distance to the {k}-th nearest row")
        ax.legend(loc="upper left", fontsize="small")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self
