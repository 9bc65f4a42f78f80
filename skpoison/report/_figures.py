"""The figures of ``skpoison report`` (matplotlib, no pyplot state).

Every figure is drawn at :data:`DPI` with text of at least :data:`SMALL`
points, at most :data:`WIDTH` inches wide: shown at its natural size on the
page, its smallest text reads like 9-point print.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import math

import numpy as np

from skpoison.report._format import budget_label

__all__ = ["curve_figure", "picture_figure", "survival_figure"]

DPI = 144
WIDTH = 7.2  # inches: about 1040 px at DPI
SMALL = 9  # pt: ticks, legends, axis labels
TITLE = 10  # pt: panel titles
SUPTITLE = 11  # pt


def _robustness_display():
    """Return RobustnessCurveDisplay from where this build keeps it."""
    try:
        from skpoison.model_selection import RobustnessCurveDisplay
    except ImportError:
        from skpoison.metrics import RobustnessCurveDisplay
    return RobustnessCurveDisplay


def _style(ax):
    ax.tick_params(labelsize=SMALL)
    ax.xaxis.label.set_size(SMALL)
    ax.yaxis.label.set_size(SMALL)


def curve_figure(path, sub, metrics, title, *, x_name, flagged=()):
    """One panel per metric: the poisoned mean ± std against the budget.

    ``sub`` holds the rows of one (section, attack); ``flagged`` the budgets
    with false confidence in most repeats (circled).
    """
    from matplotlib.figure import Figure

    display_cls = _robustness_display()
    n = len(metrics)
    ncols = min(n, 3)
    nrows = math.ceil(n / ncols)
    # A fixed layout: constrained/tight layouts double the drawing time.
    height = 0.9 + 2.3 * nrows
    fig = Figure(figsize=(WIDTH, height))
    fig.subplots_adjust(
        left=0.08,
        right=0.98,
        bottom=0.45 / height,
        top=1 - 0.9 / height,
        wspace=0.35,
        hspace=0.6,
    )
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    flagged = np.asarray(list(flagged), dtype=float)
    for ax, (metric, name, higher) in zip(axes, metrics, strict=False):
        display = display_cls.from_results(
            sub,
            metric=f"poisoned_{metric}",
            param_name=x_name,
            label="poisoned (mean ± std)",
            ax=ax,
            line_kw={"color": "C3"},
            baseline_kw={"color": "0.3", "label": "clean"},
        )
        if flagged.size:
            at = np.isin(np.asarray(display.param_values, dtype=float), flagged)
            ax.scatter(
                np.asarray(display.param_values)[at],
                np.asarray(display.mean)[at],
                s=110,
                facecolors="none",
                edgecolors="k",
                zorder=3,
                label="false confidence",
            )
        ax.set_title(f"{name} ({'↑' if higher else '↓'} better)", fontsize=TITLE)
        ax.set_ylabel("")
        _style(ax)
        legend = ax.get_legend()
        if legend is not None:
            legend.remove()
    for ax in axes[n:]:
        ax.set_visible(False)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(0.0, 1 - 0.3 / height),
        fontsize=SMALL,
        ncols=len(labels),
        frameon=False,
    )
    fig.suptitle(
        title, fontsize=SUPTITLE, x=0.01, y=1 - 0.05 / height, ha="left", va="top"
    )
    fig.savefig(path, dpi=DPI)


def _projection(X):
    """Return the 2-D PCA projection of the clean rows (one feature: a line)."""
    from sklearn.decomposition import PCA

    pca = PCA(n_components=min(2, X.shape[1])).fit(X)

    def project(rows):
        if rows is None:
            return None
        out = pca.transform(rows)
        if out.shape[1] < 2:
            out = np.column_stack([out, np.zeros(len(out))])
        return out

    return project


def _class_key(ax, scatter, labels, names):
    """Return legend handles, one coloured dot per class, read from the points."""
    from matplotlib.lines import Line2D

    colors = scatter.get_facecolors()
    handles = []
    for value in sorted(set(np.asarray(labels).tolist()), key=str):
        row = int(np.flatnonzero(np.asarray(labels) == value)[0])
        color = colors[row] if len(colors) > 1 else colors[0]
        name = names[value] if names is not None and 0 <= value < len(names) else value
        handles.append(
            Line2D([], [], ls="none", marker="o", color=color, label=f"class {name}")
        )
    return handles


def picture_figure(path, picture, title, section, *, moves_rows, class_names=None):
    """Clean and poisoned clusterings with ClusterShiftDisplay.

    Injection attacks: the clean rows coloured by cluster (the poisoned
    model's clusters renamed to their best-matching clean cluster), the
    injected rows as red triangles. Perturbation attacks (``moves_rows``):
    the triangles are the moved rows at their new place. Label attacks
    (``section == "semi-supervised"``): colours are the predicted classes,
    kept as they are, with a class key.
    """
    from matplotlib.figure import Figure

    from skpoison.metrics import ClusterShiftDisplay

    fig = Figure(figsize=(WIDTH, 3.7))
    fig.subplots_adjust(left=0.08, right=0.99, bottom=0.3, top=0.84, wspace=0.08)
    axes = fig.subplots(1, 2, sharex=True, sharey=True)
    clean_centers = picture.clean_centers
    pois_centers = picture.poisoned_centers
    # Large data: the rows of a stated random sample (picture.shown).
    rows = slice(None) if picture.shown is None else picture.shown
    X = picture.X[rows]
    clean_labels = picture.clean_labels[rows]
    poisoned_labels = picture.poisoned_labels[rows]
    if section == "semi-supervised":
        # Labels are classes here: no renaming, so a cluster that changed
        # class changes colour.
        project = _projection(X)
        display = ClusterShiftDisplay(
            X_2d=project(X),
            clean_labels=clean_labels,
            poisoned_labels=poisoned_labels,
            clean_centers_2d=project(clean_centers),
            poisoned_centers_2d=project(pois_centers),
        ).plot(ax=axes, s=12)
    else:
        display = ClusterShiftDisplay.from_predictions(
            X,
            clean_labels,
            poisoned_labels,
            clean_centers=clean_centers,
            poisoned_centers=pois_centers,
            X_injected=picture.X_moved if len(picture.X_moved) else None,
            ax=axes,
        )
        if display.injected_ is not None and moves_rows:
            display.injected_.set_label("moved rows (new place)")
        elif display.injected_ is not None:
            display.injected_.set_label("injected rows")
    what = "flip ratio" if section == "semi-supervised" else "budget"
    display.ax_[0].set_title("Clean model", fontsize=TITLE)
    display.ax_[1].set_title(
        f"Poisoned model ({what} {budget_label(section, picture.budget)})",
        fontsize=TITLE,
    )
    handles = []
    for ax in display.ax_:
        _style(ax)
        legend = ax.get_legend()
        if legend is not None:
            legend.remove()
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            if label not in [h.get_label() for h in handles]:
                handles.append(handle)
    if section == "semi-supervised":
        handles += _class_key(
            display.ax_[0], display.scatter_[0], clean_labels, class_names
        )
    fig.legend(
        handles=handles,
        loc="lower center",
        ncols=min(len(handles), 4),
        fontsize=SMALL,
        frameon=False,
    )
    fig.suptitle(title, fontsize=SUPTITLE, x=0.01, ha="left")
    fig.savefig(path, dpi=DPI)


def survival_figure(path, rows, defence_key):
    """Share of poisoned rows the defence keeps, one line per attack.

    ``rows`` is a list of ``(name, budgets, survival)``.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH * 0.75, 3.4))
    fig.subplots_adjust(left=0.13, right=0.98, bottom=0.16, top=0.88)
    ax = fig.subplots()
    for i, (name, budgets, survival) in enumerate(rows):
        ax.plot(budgets, survival, marker="o", color=f"C{i}", label=name)
    ax.set_ylim(-0.05, 1.05)
    ax.set_xlabel("injected rows (share of the clean rows)")
    ax.set_ylabel("share of poisoned rows kept")
    ax.set_title(f"Survival through the defence ({defence_key})", fontsize=TITLE)
    _style(ax)
    ax.legend(fontsize=SMALL)
    fig.savefig(path, dpi=DPI)
