"""Clean versus poisoned clustering in a shared 2-D PCA projection."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist
from sklearn.decomposition import PCA
from sklearn.utils import check_array, check_consistent_length
from sklearn.utils.validation import check_is_fitted

from skpoison.metrics._clustering import _contingency, _encode
from skpoison.metrics._plot._base import _check_matplotlib

__all__ = ["ClusterShiftDisplay"]

_NOISE_COLOR = "0.6"


def _align_labels(labels_ref, labels):
    """Rename ``labels`` to the matched labels of ``labels_ref`` (for colours).

    Clusters matched by the Hungarian algorithm take the reference's label;
    unmatched ones get fresh integer labels; ``-1`` stays ``-1``.
    """
    labels_ref, labels = np.asarray(labels_ref), np.asarray(labels)
    valid = (labels_ref != -1) & (labels != -1)
    ref_classes, ref_codes = _encode(labels_ref[valid])
    classes, codes = _encode(labels[valid])
    table = _contingency(ref_codes, codes, ref_classes.size, classes.size)
    rows, cols = linear_sum_assignment(table.toarray(), maximize=True)
    mapping = {}
    for r, c in zip(rows, cols, strict=True):
        mapping[classes[c]] = ref_classes[r]
    classes = np.unique(labels)
    numeric = [v for v in np.unique(labels_ref) if np.issubdtype(type(v), np.number)]
    fresh = int(max(numeric, default=-1)) + 1
    for value in classes:
        if value not in mapping:
            if value == -1:
                mapping[value] = -1
            else:
                mapping[value] = fresh
                fresh += 1
    return np.array([mapping[v] for v in labels.tolist()], dtype=object)


class ClusterShiftDisplay:
    """Clean and poisoned clusterings side by side in a shared 2-D projection.

    The projection is a :class:`~sklearn.decomposition.PCA` fitted on the
    clean data only, so the injected rows do not bend the view. Each panel
    colours the clean rows by cluster (the poisoned model's clusters are
    renamed to their best-matching clean cluster, so colours correspond);
    the poisoned panel also shows the injected rows, the rows a defence
    removed, and arrows from each clean centre to its matched poisoned
    centre.

    Use :meth:`from_paired` (a pair fitted by
    :func:`skpoison.model_selection.fit_paired`), :meth:`from_estimator`
    (two fitted models) or :meth:`from_predictions` (labels and centres) to
    create one; the constructor stores already projected values.

    Read more in the :ref:`User Guide <evaluation_displays>`.

    Parameters
    ----------
    X_2d : ndarray of shape (n_samples, 2)
        The clean rows, projected.
    clean_labels : ndarray of shape (n_samples,)
        The clean model's labels of the clean rows.
    poisoned_labels : ndarray of shape (n_samples,)
        The poisoned model's labels of the clean rows, renamed to match.
    clean_centers_2d : ndarray of shape (n_clusters, 2), default=None
        The clean model's centres, projected.
    poisoned_centers_2d : ndarray of shape (n_clusters, 2), default=None
        The poisoned model's centres, projected, in the order of their matched
        clean centres (unmatched ones last).
    injected_2d : ndarray of shape (n_injected, 2), default=None
        The injected rows, projected.
    removed_2d : ndarray of shape (n_removed, 2), default=None
        The rows a defence removed in the poisoned run, projected.

    Attributes
    ----------
    ax_ : ndarray of matplotlib Axes, shape (2,), or matplotlib Axes
        The two panels (clean, poisoned), or the single axes of an overlay.
    figure_ : matplotlib Figure
        The figure.
    scatter_ : list of matplotlib PathCollection
        The clean rows of each panel.
    centers_ : list of matplotlib Line2D
        The centre markers drawn.
    arrows_ : list of matplotlib Annotation
        One arrow per matched pair of centres.
    injected_ : matplotlib PathCollection or None
        The injected rows.
    removed_ : matplotlib PathCollection or None
        The removed rows.

    See Also
    --------
    skpoison.model_selection.RobustnessCurveDisplay : A metric against the
        attack's strength.
    skpoison.model_selection.fit_paired : Fit the clean and poisoned models.

    Examples
    --------
    >>> from sklearn.cluster import KMeans
    >>> from sklearn.datasets import load_iris
    >>> from skpoison.attacks import BridgeAttack
    >>> from skpoison.metrics import ClusterShiftDisplay
    >>> X, y = load_iris(return_X_y=True)
    >>> X_poisoned, _ = BridgeAttack(n_poison=0.3, random_state=0).fit_resample(X)
    >>> clean = KMeans(3, n_init=3, random_state=0).fit(X)
    >>> poisoned = KMeans(3, n_init=3, random_state=0).fit(X_poisoned)
    >>> display = ClusterShiftDisplay.from_estimator(
    ...     clean, poisoned, X, X_injected=X_poisoned[len(X):])
    >>> len(display.arrows_)
    3
    """

    def __init__(
        self,
        *,
        X_2d,
        clean_labels,
        poisoned_labels,
        clean_centers_2d=None,
        poisoned_centers_2d=None,
        injected_2d=None,
        removed_2d=None,
    ):
        self.X_2d = X_2d
        self.clean_labels = clean_labels
        self.poisoned_labels = poisoned_labels
        self.clean_centers_2d = clean_centers_2d
        self.poisoned_centers_2d = poisoned_centers_2d
        self.injected_2d = injected_2d
        self.removed_2d = removed_2d

    def _colors(self, labels, cmap):
        """One colour per row: a cluster's colour, grey for noise."""
        plt = _check_matplotlib(type(self).__name__)
        cmap = plt.get_cmap(cmap)
        values = [
            v
            for v in np.unique(
                np.concatenate(
                    [
                        np.asarray(self.clean_labels, dtype=object),
                        np.asarray(self.poisoned_labels, dtype=object),
                    ]
                ).astype(str)
            )
        ]
        index = {v: i for i, v in enumerate(sorted(values))}
        return [
            _NOISE_COLOR if str(v) == "-1" else cmap(index[str(v)] % cmap.N)
            for v in np.asarray(labels, dtype=object)
        ]

    def plot(self, ax=None, *, overlay=False, cmap="tab10", s=15):
        """Draw the display.

        Parameters
        ----------
        ax : matplotlib Axes or sequence of two Axes, default=None
            Two axes (clean, poisoned) for side-by-side panels, one axes for
            an overlay; ``None`` creates a new figure.
        overlay : bool, default=False
            Draw one panel coloured by the poisoned clustering, with both sets
            of centres, instead of two panels.
        cmap : str or matplotlib Colormap, default="tab10"
            Colours of the clusters (noise ``-1`` is grey).
        s : float, default=15
            Marker size of the rows.

        Returns
        -------
        display : ClusterShiftDisplay
            The display, with its artists stored.

        See Also
        --------
        ClusterShiftDisplay.from_paired : Plot a fitted clean-versus-poisoned pair.
        """
        plt = _check_matplotlib(f"{type(self).__name__}.plot")
        if ax is None:
            if overlay:
                fig, ax = plt.subplots(figsize=(5.5, 4.5))
            else:
                fig, ax = plt.subplots(
                    1, 2, figsize=(11, 4.5), sharex=True, sharey=True
                )
        if overlay:
            panels = [(ax, self.poisoned_labels, "Clean vs poisoned")]
        else:
            axes = np.asarray(ax, dtype=object).ravel()
            if axes.size != 2:
                raise ValueError(
                    "ax must hold two Axes (clean, poisoned) when overlay=False, "
                    f"got {axes.size}."
                )
            panels = [
                (axes[0], self.clean_labels, "Clean model"),
                (axes[1], self.poisoned_labels, "Poisoned model"),
            ]
        X_2d = np.asarray(self.X_2d)
        self.scatter_, self.centers_, self.arrows_ = [], [], []
        self.injected_ = self.removed_ = None
        for i, (panel, labels, title) in enumerate(panels):
            self.scatter_.append(
                panel.scatter(
                    X_2d[:, 0],
                    X_2d[:, 1],
                    c=self._colors(labels, cmap),
                    s=s,
                    alpha=0.7,
                    linewidths=0,
                )
            )
            panel.set_title(title)
            panel.set_xlabel("PC 1 (fitted on clean data)")
            poisoned_panel = overlay or i == 1
            if self.clean_centers_2d is not None:
                (line,) = panel.plot(
                    *np.asarray(self.clean_centers_2d).T,
                    "o",
                    mfc="white",
                    mec="black",
                    ms=10,
                    mew=2,
                    ls="none",
                    label="clean centres",
                )
                self.centers_.append(line)
            if poisoned_panel:
                self._plot_poisoned(panel, s)
        first = panels[0][0]
        first.set_ylabel("PC 2")
        for panel, _, _ in panels:
            if panel.get_legend_handles_labels()[0]:
                panel.legend(loc="best", fontsize="small")
        self.ax_ = ax if overlay else np.asarray(ax, dtype=object).ravel()
        self.figure_ = first.figure
        return self

    def _plot_poisoned(self, ax, s):
        """Injected rows, removed rows, poisoned centres and shift arrows."""
        if self.injected_2d is not None and len(self.injected_2d):
            injected = np.asarray(self.injected_2d)
            self.injected_ = ax.scatter(
                injected[:, 0],
                injected[:, 1],
                marker="^",
                s=s * 1.5,
                c="red",
                alpha=0.6,
                linewidths=0,
                label="injected rows",
            )
        if self.removed_2d is not None and len(self.removed_2d):
            removed = np.asarray(self.removed_2d)
            self.removed_ = ax.scatter(
                removed[:, 0],
                removed[:, 1],
                marker="x",
                s=s * 2,
                c="black",
                linewidths=1,
                label="removed rows",
            )
        if self.poisoned_centers_2d is None:
            return
        poisoned = np.asarray(self.poisoned_centers_2d)
        (line,) = ax.plot(
            *poisoned.T,
            "X",
            mfc="yellow",
            mec="black",
            ms=11,
            ls="none",
            label="poisoned centres",
        )
        self.centers_.append(line)
        if self.clean_centers_2d is None:
            return
        clean = np.asarray(self.clean_centers_2d)
        # Matched pairs come first; surplus centres of either model get no arrow.
        for start, end in zip(clean, poisoned, strict=False):
            self.arrows_.append(
                ax.annotate(
                    "",
                    xy=tuple(end),
                    xytext=tuple(start),
                    arrowprops={"arrowstyle": "->", "color": "black", "lw": 1.5},
                )
            )

    @classmethod
    def from_predictions(
        cls,
        X,
        clean_labels,
        poisoned_labels,
        *,
        clean_centers=None,
        poisoned_centers=None,
        X_injected=None,
        X_removed=None,
        ax=None,
        overlay=False,
        cmap="tab10",
    ):
        """Plot from the labels (and centres) of a clean and a poisoned model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The clean rows. The 2-D PCA projection is fitted on them.
        clean_labels : array-like of shape (n_samples,)
            The clean model's labels of ``X``.
        poisoned_labels : array-like of shape (n_samples,)
            The poisoned model's labels of ``X``.
        clean_centers : array-like of shape (n_clusters, n_features), default=None
            The clean model's centres.
        poisoned_centers : array-like of shape (n_clusters, n_features), \
default=None
            The poisoned model's centres; matched to the clean ones (smallest
            total distance) for the arrows.
        X_injected : array-like of shape (n_injected, n_features), default=None
            The rows the attack injected.
        X_removed : array-like of shape (n_removed, n_features), default=None
            The rows a defence removed in the poisoned run.
        ax : matplotlib Axes or sequence of two Axes, default=None
            Where to draw; see :meth:`plot`.
        overlay : bool, default=False
            One panel instead of two; see :meth:`plot`.
        cmap : str or matplotlib Colormap, default="tab10"
            Colours of the clusters.

        Returns
        -------
        display : ClusterShiftDisplay
            The drawn display.

        See Also
        --------
        ClusterShiftDisplay.from_paired : Plot a fitted clean-versus-poisoned pair.
        """
        X = check_array(X, input_name="X")
        clean_labels = np.asarray(clean_labels)
        poisoned_labels = np.asarray(poisoned_labels)
        check_consistent_length(X, clean_labels, poisoned_labels)
        pca = PCA(n_components=min(2, X.shape[1])).fit(X)

        def project(rows):
            if rows is None:
                return None
            rows = check_array(rows, ensure_min_samples=0, input_name="rows")
            if rows.shape[0] == 0:
                return np.empty((0, 2))
            if rows.shape[1] != X.shape[1]:
                raise ValueError(
                    f"Rows to project have {rows.shape[1]} features, X has "
                    f"{X.shape[1]}."
                )
            projected = pca.transform(rows)
            if projected.shape[1] < 2:  # one feature: draw on a line
                projected = np.column_stack([projected, np.zeros(len(projected))])
            return projected

        if clean_centers is not None and poisoned_centers is not None:
            clean_centers = check_array(clean_centers, input_name="clean_centers")
            poisoned_centers = check_array(
                poisoned_centers, input_name="poisoned_centers"
            )
            rows, cols = linear_sum_assignment(cdist(clean_centers, poisoned_centers))
            order = list(cols) + [
                j for j in range(len(poisoned_centers)) if j not in set(cols)
            ]
            clean_centers = np.concatenate(
                [clean_centers[rows], np.delete(clean_centers, rows, axis=0)]
            )
            poisoned_centers = poisoned_centers[order]
        display = cls(
            X_2d=project(X),
            clean_labels=clean_labels,
            poisoned_labels=_align_labels(clean_labels, poisoned_labels),
            clean_centers_2d=project(clean_centers),
            poisoned_centers_2d=project(poisoned_centers),
            injected_2d=project(X_injected),
            removed_2d=project(X_removed),
        )
        return display.plot(ax=ax, overlay=overlay, cmap=cmap)

    @classmethod
    def from_estimator(
        cls,
        clean_estimator,
        poisoned_estimator,
        X,
        *,
        X_injected=None,
        X_removed=None,
        ax=None,
        overlay=False,
        cmap="tab10",
    ):
        """Plot two fitted models: their labels and centres on the clean rows.

        As scikit-learn's Displays, this takes fitted models: the labels are
        ``predict(X)`` of each model; the centres are their
        ``cluster_centers_`` when they have some and are not pipelines
        (centres must live in ``X``'s space). To fit the pair first, use
        :func:`skpoison.model_selection.fit_paired` and :meth:`from_paired`.

        Parameters
        ----------
        clean_estimator : fitted estimator
            The model fitted on clean data; must have ``predict``.
        poisoned_estimator : fitted estimator
            The model fitted on poisoned data; must have ``predict``.
        X : array-like of shape (n_samples, n_features)
            The clean rows. The 2-D PCA projection is fitted on them.
        X_injected : array-like of shape (n_injected, n_features), default=None
            The rows the attack injected.
        X_removed : array-like of shape (n_removed, n_features), default=None
            The rows a defence removed in the poisoned run.
        ax : matplotlib Axes or sequence of two Axes, default=None
            Where to draw; see :meth:`plot`.
        overlay : bool, default=False
            One panel instead of two; see :meth:`plot`.
        cmap : str or matplotlib Colormap, default="tab10"
            Colours of the clusters.

        Returns
        -------
        display : ClusterShiftDisplay
            The drawn display.

        See Also
        --------
        ClusterShiftDisplay.from_paired : Plot a clean-versus-poisoned pair.
        ClusterShiftDisplay.from_predictions : Plot given labels and centres.
        """
        check_is_fitted(clean_estimator)
        check_is_fitted(poisoned_estimator)
        for name, model in (
            ("clean_estimator", clean_estimator),
            ("poisoned_estimator", poisoned_estimator),
        ):
            if not hasattr(model, "predict"):
                raise ValueError(
                    f"{name} ({type(model).__name__}) has no predict method; "
                    "use ClusterShiftDisplay.from_predictions with its labels."
                )
        X = check_array(X, input_name="X")

        def centers(model):
            if hasattr(model, "steps"):  # a pipeline: centres may be transformed
                return None
            return getattr(model, "cluster_centers_", None)

        clean_centers, poisoned_centers = (
            centers(clean_estimator),
            centers(poisoned_estimator),
        )
        if clean_centers is None or poisoned_centers is None:
            clean_centers = poisoned_centers = None
        return cls.from_predictions(
            X,
            clean_estimator.predict(X),
            poisoned_estimator.predict(X),
            clean_centers=clean_centers,
            poisoned_centers=poisoned_centers,
            X_injected=X_injected,
            X_removed=X_removed,
            ax=ax,
            overlay=overlay,
            cmap=cmap,
        )

    @classmethod
    def from_paired(cls, result, X=None, *, ax=None, overlay=False, cmap="tab10"):
        """Plot a clean-versus-poisoned pair of fitted runs.

        ``result`` is what :func:`skpoison.model_selection.fit_paired`
        returns, or any object with ``.clean`` and ``.poisoned`` runs that
        have ``labels`` (on the clean rows), ``centers``,
        ``centers_in_input_space``, ``X_injected`` and ``X_removed``. It also
        works for models without ``predict`` (DBSCAN): the runs hold their
        labels of the clean rows.

        Parameters
        ----------
        result : PairedResult
            The fitted pair.
        X : array-like of shape (n_samples, n_features), default=None
            The clean rows; defaults to ``result.X``.
        ax : matplotlib Axes or sequence of two Axes, default=None
            Where to draw; see :meth:`plot`.
        overlay : bool, default=False
            One panel instead of two; see :meth:`plot`.
        cmap : str or matplotlib Colormap, default="tab10"
            Colours of the clusters.

        Returns
        -------
        display : ClusterShiftDisplay
            The drawn display.

        See Also
        --------
        ClusterShiftDisplay.from_estimator : Plot two fitted models.
        skpoison.model_selection.fit_paired : Fit the pair.

        Examples
        --------
        >>> from sklearn.cluster import KMeans
        >>> from sklearn.datasets import load_iris
        >>> from skpoison.attacks import BridgeAttack
        >>> from skpoison.metrics import ClusterShiftDisplay
        >>> from skpoison.model_selection import fit_paired
        >>> X, y = load_iris(return_X_y=True)
        >>> result = fit_paired(KMeans(3, n_init=3), BridgeAttack(n_poison=0.3),
        ...                     X, y, random_state=0)
        >>> display = ClusterShiftDisplay.from_paired(result)
        >>> len(display.arrows_)
        3
        """
        try:
            clean, poisoned = result.clean, result.poisoned
        except AttributeError as exc:
            raise TypeError(
                "result must have .clean and .poisoned runs (the output of "
                f"skpoison.model_selection.fit_paired), got {type(result).__name__}."
            ) from exc
        if X is None:
            X = getattr(result, "X", None)
            if X is None:
                raise ValueError("Pass X: the result does not hold the clean rows.")
        in_x_space = (
            clean.centers is not None
            and poisoned.centers is not None
            and clean.centers_in_input_space
            and poisoned.centers_in_input_space
        )
        return cls.from_predictions(
            X,
            clean.labels,
            poisoned.labels,
            clean_centers=clean.centers if in_x_space else None,
            poisoned_centers=poisoned.centers if in_x_space else None,
            X_injected=poisoned.X_injected,
            X_removed=poisoned.X_removed,
            ax=ax,
            overlay=overlay,
            cmap=cmap,
        )
