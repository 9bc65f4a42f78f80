"""Figures, tables and the HTML page of ``skpoison report``."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import json
import math
import os
import re

import numpy as np

from skpoison import __version__
from skpoison.report._sweep import ATTACK_INFO, DEFENCE_NAMES

__all__ = ["write_report"]

#: (column suffix, display name, higher is better)
METRICS = [
    ("accuracy", "Accuracy (classes)", True),
    ("silhouette", "Silhouette", True),
    ("calinski_harabasz", "Calinski-Harabasz", True),
    ("davies_bouldin", "Davies-Bouldin", False),
    ("adjusted_rand", "ARI", True),
    ("cluster_accuracy", "Matched accuracy", True),
]
SECTION_TITLES = {
    "kmeans": "k-means, no defence",
    "defence": "k-means behind the defence",
    "semi-supervised": "Seeded semi-supervised k-means",
}


def slug(text):
    """Return a safe file-name fragment: lower-case letters, digits and dashes only."""
    text = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")
    return text[:60] or "x"


def _fmt(value, digits=3):
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    value = float(value)
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.{digits}f}"


def _pct(value):
    if value is None or not math.isfinite(float(value)):
        return "–"
    return f"{100 * float(value):.0f} %"


def _budget_label(section, value):
    if section == "semi-supervised":
        return f"{float(value):g}"
    return _pct(value)


def _metrics_for(curves):
    """Return the metrics with values in the results (external ones need a target)."""
    out = []
    for key, name, higher in METRICS:
        col = f"poisoned_{key}"
        if col in curves and curves[col].notna().any():
            out.append((key, name, higher))
    return out


def _summaries(curves, section, key):
    """Mean and std per budget of one (section, attack)."""
    sub = curves[(curves["section"] == section) & (curves["attack"] == key)]
    return sub.groupby("param_value", sort=True)


def _curve_figure(path, curves, section, key, metrics, title):
    """One panel per metric: RobustnessCurveDisplay of the poisoned runs."""
    from matplotlib.figure import Figure

    from skpoison.model_selection import RobustnessCurveDisplay

    sub = curves[(curves["section"] == section) & (curves["attack"] == key)]
    fc = sub.groupby("param_value", sort=True)["false_confidence"].mean()
    flagged = fc.index[fc.to_numpy() > 0.5].to_numpy()
    n = len(metrics)
    # A fixed layout: constrained/tight layouts double the drawing time.
    fig = Figure(figsize=(3.0 * n, 2.9))
    fig.subplots_adjust(left=0.05, right=0.99, bottom=0.17, top=0.8, wspace=0.3)
    axes = fig.subplots(1, n, squeeze=False)[0]
    x_name = "flip ratio" if section == "semi-supervised" else "budget"
    for ax, (metric, name, higher) in zip(axes, metrics, strict=True):
        display = RobustnessCurveDisplay.from_results(
            sub,
            metric=f"poisoned_{metric}",
            param_name=x_name,
            label="poisoned",
            ax=ax,
            line_kw={"color": "C3"},
            baseline_kw={"color": "0.4", "label": "clean"},
        )
        if flagged.size:
            at = np.isin(np.asarray(display.param_values), flagged)
            ax.scatter(
                np.asarray(display.param_values)[at],
                np.asarray(display.mean)[at],
                s=90,
                facecolors="none",
                edgecolors="k",
                zorder=3,
                label="false confidence",
            )
        arrow = "↑" if higher else "↓"
        ax.set_title(f"{name} ({arrow} better)", fontsize=10)
        ax.set_ylabel("")
        ax.tick_params(labelsize=8)
        legend = ax.get_legend()
        if legend is not None:
            legend.remove()
    axes[0].legend(fontsize=7, loc="best")
    fig.suptitle(title, fontsize=11)
    fig.savefig(path, dpi=80)


def _pca_figure(path, picture, title, section):
    """Clean and poisoned clusterings with ClusterShiftDisplay."""
    from matplotlib.figure import Figure

    from skpoison.metrics import ClusterShiftDisplay

    fig = Figure(figsize=(9.0, 3.6))
    fig.subplots_adjust(left=0.07, right=0.99, bottom=0.14, top=0.84, wspace=0.08)
    axes = fig.subplots(1, 2, sharex=True, sharey=True)
    X_pois = picture.X_poisoned
    mask = picture.poison_mask
    clean_centers = getattr(picture.clean_model, "cluster_centers_", None)
    pois_centers = getattr(picture.poisoned_model, "cluster_centers_", None)
    if section == "semi-supervised":
        # Labels are classes here: keep them as they are (no renaming), so a
        # cluster that changed class changes colour.
        project = _projection(picture.X)
        display = ClusterShiftDisplay(
            X_2d=project(picture.X),
            clean_labels=picture.clean_labels,
            poisoned_labels=picture.poisoned_labels,
            clean_centers_2d=project(clean_centers),
            poisoned_centers_2d=project(pois_centers),
        ).plot(ax=axes, s=12)
    else:
        display = ClusterShiftDisplay.from_predictions(
            picture.X,
            picture.clean_labels,
            picture.poisoned_labels,
            clean_centers=clean_centers,
            poisoned_centers=pois_centers,
            X_injected=X_pois[mask] if mask.any() else None,
            ax=axes,
        )
    what = "flip ratio" if section == "semi-supervised" else "budget"
    display.ax_[1].set_title(
        f"Poisoned model ({what} {_budget_label(section, picture.budget)})",
        fontsize=10,
    )
    display.ax_[0].set_title("Clean model", fontsize=10)
    for ax in display.ax_:
        ax.tick_params(labelsize=8)
        ax.xaxis.label.set_size(8)
        ax.yaxis.label.set_size(8)
        legend = ax.get_legend()
        if legend is not None:
            for text in legend.get_texts():
                text.set_fontsize(7)
    fig.suptitle(title, fontsize=11)
    fig.savefig(path, dpi=80)


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


def _survival_figure(path, curves, keys, defence_name):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5.5, 3.2))
    fig.subplots_adjust(left=0.13, right=0.98, bottom=0.15, top=0.9)
    ax = fig.subplots()
    for i, key in enumerate(keys):
        groups = _summaries(curves, "defence", key)
        mean = groups["survival_rate"].mean()
        ax.plot(
            mean.index.to_numpy(),
            mean.to_numpy(),
            marker="o",
            color=f"C{i}",
            label=ATTACK_INFO[key][0],
        )
    ax.set_ylim(-0.05, 1.05)
    ax.set_xlabel("budget")
    ax.set_ylabel("share of poisoned rows kept")
    ax.set_title(f"Survival through the defence ({defence_name})", fontsize=9)
    ax.legend(fontsize=7)
    fig.savefig(path, dpi=80)


def _table(curves, section, key, metrics):
    """Rows of the per-budget table: mean ± std of each metric."""
    groups = _summaries(curves, section, key)
    mean = groups.mean(numeric_only=True)
    std = groups.std(numeric_only=True, ddof=0)
    rows = []
    clean = {m: mean[f"clean_{m}"].mean() for m, _, _ in metrics}
    rows.append(
        {
            "budget": "0 (clean)",
            "n_poison": "0",
            "values": [_fmt(clean[m]) for m, _, _ in metrics],
            "shift": "–",
            "survival": "–",
            "false_confidence": "",
            "flagged": False,
        }
    )
    for value in mean.index:
        fc = float(mean.loc[value, "false_confidence"])
        rows.append(
            {
                "budget": _budget_label(section, value),
                "n_poison": _fmt(mean.loc[value, "n_poison"], 0),
                "values": [
                    f"{_fmt(mean.loc[value, f'poisoned_{m}'])} ± "
                    f"{_fmt(std.loc[value, f'poisoned_{m}'], 2)}"
                    for m, _, _ in metrics
                ],
                "shift": _fmt(mean.loc[value, "centroid_shift_mean"], 2),
                "survival": _pct(mean.loc[value, "survival_rate"]),
                "false_confidence": f"{fc * 100:.0f} % of seeds" if fc > 0 else "",
                "flagged": fc > 0.5,
            }
        )
    return rows


def _headline_metric(metrics):
    names = [m for m, _, _ in metrics]
    for m in ("adjusted_rand", "cluster_accuracy", "silhouette"):
        if m in names:
            return next(t for t in metrics if t[0] == m)
    return metrics[0]


def _summary(curves, data, keys_inj, keys_label, concealment, defence_name):
    """Plain-language bullet points of the report's findings."""
    bullets = []
    kmeans = curves[curves["section"] == "kmeans"] if len(curves) else curves
    if len(kmeans):
        metrics = _metrics_for(kmeans)
        metric, name, higher = _headline_metric(metrics)
        smallest = float(kmeans["param_value"].min())
        at = kmeans[kmeans["param_value"] == smallest]
        by = at.groupby("attack")[[f"clean_{metric}", f"poisoned_{metric}"]].mean()
        change = by[f"poisoned_{metric}"] - by[f"clean_{metric}"]
        harm = by[f"clean_{metric}"] - by[f"poisoned_{metric}"]
        if not higher:
            harm = -harm
        harm = harm.sort_values(ascending=False)
        worst = harm.index[0]
        bullets.append(
            f"At the smallest budget ({_pct(smallest)} of the rows), the "
            f"{ATTACK_INFO[worst][0].lower()} attack hurts k-means most: {name} goes "
            f"from {_fmt(by.loc[worst, f'clean_{metric}'])} to "
            f"{_fmt(by.loc[worst, f'poisoned_{metric}'])}. Ranking: "
            + ", ".join(
                f"{ATTACK_INFO[k][0].lower()} ({_signed(change[k])})"
                for k in harm.index
            )
            + "."
        )
        spread = at.groupby("attack")[f"poisoned_{metric}"].std(ddof=0).mean()
        if abs(change[worst]) <= spread:
            bullets[-1] += (
                f" All these changes are within the seed-to-seed spread "
                f"(±{spread:.3f}): at this budget no attack has a clear effect."
            )
        largest = float(kmeans["param_value"].max())
        at = kmeans[kmeans["param_value"] == largest]
        by = at.groupby("attack")[[f"clean_{metric}", f"poisoned_{metric}"]].mean()
        drop = (by[f"clean_{metric}"] - by[f"poisoned_{metric}"]) * (
            1 if higher else -1
        )
        worst = drop.idxmax()
        bullets.append(
            f"At the largest budget ({_pct(largest)}), the "
            f"{ATTACK_INFO[worst][0].lower()} attack does the most damage: {name} "
            f"{_fmt(by.loc[worst, f'clean_{metric}'])} → "
            f"{_fmt(by.loc[worst, f'poisoned_{metric}'])}."
        )
    fc = curves.groupby(["section", "attack", "param_value"])["false_confidence"].mean()
    flagged = fc[fc > 0.5]
    if len(flagged):
        items = [
            f"{ATTACK_INFO[a][0].lower()} at {_budget_label(s, v)}"
            + (" (with defence)" if s == "defence" else "")
            for (s, a, v) in flagged.index
        ]
        bullets.append(
            f"False confidence in {len(flagged)} setting(s): the internal scores "
            "(silhouette, Calinski-Harabasz, Davies-Bouldin) improve while the "
            "agreement with the true classes drops — a dashboard watching only "
            "internal scores would call the poisoned model better. Cases: "
            + "; ".join(items)
            + "."
        )
    elif data.y is not None:
        bullets.append(
            "No false confidence: no setting where a majority of seeds "
            "improved the internal scores while the true-class scores dropped."
        )
    defended = curves[curves["section"] == "defence"] if len(curves) else curves
    if len(defended):
        surv = defended.groupby("attack")["survival_rate"].mean().sort_values()
        bullets.append(
            f"Behind the defence ({defence_name}), the share of poisoned rows "
            "that get through, averaged over budgets: "
            + ", ".join(
                f"{ATTACK_INFO[k][0].lower()} {_pct(v)}" for k, v in surv.items()
            )
            + "."
        )
    if concealment is not None and len(concealment):
        c = concealment.groupby("param_value")["concealment_rate"].mean()
        flagged_clean = concealment["n_flagged_clean"].iloc[0]
        if c.notna().any():
            best = c.idxmax()
            bullets.append(
                f"Mimicry: on clean data the defence flags {flagged_clean} genuine "
                f"outlier(s); after injecting {_pct(best)} look-alike rows, "
                f"{_pct(c.loc[best])} of them are no longer flagged (concealment) "
                "and survive the clean-up."
            )
    semi = curves[curves["section"] == "semi-supervised"] if len(curves) else curves
    if len(semi):
        for key in keys_label:
            sub = semi[semi["attack"] == key]
            if not len(sub):
                continue
            acc = sub.groupby("param_value")[
                ["clean_accuracy", "poisoned_accuracy"]
            ].mean()
            clean = acc["clean_accuracy"].mean()
            chance = 1.0 / data.n_clusters
            threshold = (clean + chance) / 2
            below = acc.index[acc["poisoned_accuracy"] < threshold]
            name = ATTACK_INFO[key][0].lower()
            if len(below):
                r = float(below[0])
                collapsed = acc.loc[r, "poisoned_accuracy"]
                moved = sub.loc[
                    sub["param_value"] == r, "assignment_change_rate"
                ].mean()
                bullets.append(
                    f"Seeded semi-supervised k-means ({_pct(data.labelled_size)} "
                    f"labelled): under {name}, accuracy stays near "
                    f"{_fmt(clean, 2)} for small ratios and collapses at ratio "
                    f"{r:g} (accuracy {_fmt(collapsed, 2)}; "
                    f"chance is {_fmt(chance, 2)})"
                    + (
                        f", while only {_pct(moved)} of the rows change cluster: "
                        "whole clusters carry the wrong class."
                        if moved < 0.2
                        else f"; {_pct(moved)} of the rows change cluster."
                    )
                )
            else:
                bullets.append(
                    f"Seeded semi-supervised k-means: {name} does not bring "
                    f"accuracy below {_fmt(threshold, 2)} at any tested ratio "
                    f"(clean {_fmt(clean, 2)})."
                )
    return bullets


def _signed(value):
    return f"{value:+.3f}"


def _write_results(out, curves, concealment):
    curves.to_csv(os.path.join(out, "results.csv"), index=False)
    records = json.loads(curves.to_json(orient="records"))
    with open(os.path.join(out, "results.json"), "w", encoding="utf-8") as f:
        json.dump({"skpoison_version": __version__, "results": records}, f, indent=1)
    if concealment is not None:
        concealment.to_csv(os.path.join(out, "concealment.csv"), index=False)


def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    here = os.path.join(os.path.dirname(__file__), "templates")
    return Environment(
        loader=FileSystemLoader(here),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def write_report(out, data, config, results, *, elapsed=None):
    """Write figures, tables, raw results and ``index.html`` into ``out``.

    Every file name is fixed or built from :func:`slug` of an attack key, so
    nothing is written outside ``out``; every string that came from the data
    (column names, class names, file names) is escaped by jinja2.

    Returns
    -------
    index : str
        Path of ``index.html``.
    """
    curves = results.curves
    fig_dir = os.path.join(out, "figures")
    os.makedirs(fig_dir, exist_ok=True)
    defence_name = DEFENCE_NAMES[config.defence]

    def figure(name):
        rel = f"figures/{slug(name)}.png"
        return rel, os.path.join(out, rel)

    sections = []
    for section in ("kmeans", "semi-supervised"):
        sub = curves[curves["section"] == section] if len(curves) else curves
        if not len(sub):
            continue
        metrics = _metrics_for(sub)
        if section == "semi-supervised":
            keep = ("accuracy", "adjusted_rand", "cluster_accuracy", "silhouette")
            metrics = [m for m in metrics if m[0] in keep]
        attacks = []
        for key in dict.fromkeys(sub["attack"]):
            display, cls, desc = ATTACK_INFO[key]
            rel_curve, abs_curve = figure(f"{section}-{key}-curves")
            _curve_figure(
                abs_curve,
                curves,
                section,
                key,
                metrics,
                f"{display} — {SECTION_TITLES[section]}",
            )
            pic = results.pictures.get((section, key))
            rel_pca = None
            if pic is not None:
                rel_pca, abs_pca = figure(f"{section}-{key}-pca")
                _pca_figure(abs_pca, pic, f"{display}: PCA view", section)
            attacks.append(
                {
                    "key": slug(key),
                    "name": display,
                    "cls": cls,
                    "description": desc[:1].upper() + desc[1:],
                    "curve_png": rel_curve,
                    "pca_png": rel_pca,
                    "picture_budget": (
                        _budget_label(section, pic.budget) if pic is not None else None
                    ),
                    "rows": _table(curves, section, key, metrics),
                }
            )
        sections.append(
            {
                "id": slug(section),
                "title": SECTION_TITLES[section],
                "metrics": [name for _, name, _ in metrics],
                "budget_name": "flip ratio"
                if section == "semi-supervised"
                else "budget",
                "attacks": attacks,
            }
        )

    defence = None
    defended = curves[curves["section"] == "defence"] if len(curves) else curves
    if len(defended):
        keys = list(dict.fromkeys(defended["attack"]))
        rel, abs_ = figure("defence-survival")
        _survival_figure(abs_, curves, keys, config.defence)
        budgets = sorted(defended["param_value"].unique())
        table = []
        for key in keys:
            g = _summaries(curves, "defence", key)
            surv = g["survival_rate"].mean()
            metrics = _metrics_for(defended)
            head, head_name, _ = _headline_metric(metrics)
            score = g[f"poisoned_{head}"].mean()
            table.append(
                {
                    "name": ATTACK_INFO[key][0],
                    "survival": [_pct(surv.get(b, np.nan)) for b in budgets],
                    "score": [_fmt(score.get(b, np.nan)) for b in budgets],
                }
            )
        clean_head = defended[f"clean_{head}"].mean()
        conceal_rows = []
        if results.concealment is not None:
            cg = results.concealment.groupby("param_value").mean(numeric_only=True)
            for b, row in cg.iterrows():
                conceal_rows.append(
                    {
                        "budget": _pct(b),
                        "flagged_clean": _fmt(row["n_flagged_clean"], 1),
                        "flagged_after": _fmt(row["n_genuine_flagged_poisoned"], 1),
                        "concealment": _pct(row["concealment_rate"]),
                        "eviction": _pct(row["eviction_rate"]),
                    }
                )
        defence = {
            "name": defence_name,
            "png": rel,
            "budgets": [_pct(b) for b in budgets],
            "rows": table,
            "head_name": head_name,
            "clean_head": _fmt(clean_head),
            "concealment": conceal_rows,
        }

    fc = []
    n_minority = 0
    if len(curves):
        g = curves.groupby(["section", "attack", "param_value"])
        share = g["false_confidence"].mean()
        n_minority = int(((share > 0) & (share <= 0.5)).sum())
        for (s, a, v), value in share.items():
            if value > 0.5:
                fc.append(
                    {
                        "section": SECTION_TITLES[s],
                        "attack": ATTACK_INFO[a][0],
                        "budget": _budget_label(s, v),
                        "share": _pct(value),
                        "majority": value > 0.5,
                    }
                )

    keys_inj = [k for k in config.attacks if k in set(curves.get("attack", []))]
    keys_label = [
        k
        for k in ("label-flip", "label-flip-targeted", "label-shuffle")
        if k in keys_inj
    ]
    summary = (
        _summary(curves, data, keys_inj, keys_label, results.concealment, defence_name)
        if len(curves)
        else []
    )

    baseline = []
    kmeans = curves[curves["section"] == "kmeans"] if len(curves) else curves
    if len(kmeans):
        for m, name, higher in _metrics_for(kmeans):
            baseline.append(
                {
                    "name": name,
                    "value": _fmt(kmeans[f"clean_{m}"].mean()),
                    "better": "higher" if higher else "lower",
                }
            )

    _write_results(out, curves, results.concealment)
    context = {
        "version": __version__,
        "data": data,
        "source": os.path.basename(data.source) if data.is_csv else data.source,
        "n_rows": data.X.shape[0],
        "n_features": data.X.shape[1],
        "target_names": data.target_names or [],
        "config": config,
        "defence_name": defence_name,
        "summary": summary,
        "baseline": baseline,
        "sections": sections,
        "defence": defence,
        "false_confidence": fc,
        "fc_minority": n_minority,
        "notes": list(data.notes) + list(results.notes),
        "elapsed": f"{elapsed:.0f}" if elapsed is not None else None,
        "has_concealment": results.concealment is not None,
    }
    html = _environment().get_template("report.html.j2").render(**context)
    index = os.path.join(out, "index.html")
    with open(index, "w", encoding="utf-8") as f:
        f.write(html)
    return index
