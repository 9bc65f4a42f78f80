"""The HTML page and raw files of ``skpoison report``."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import json
import os

import numpy as np

from skpoison import __version__
from skpoison.report import _figures
from skpoison.report._format import budget_label, fmt, fmt_pm, pct, slug
from skpoison.report._summary import (
    FLAG_MIN_REPEATS,
    METRIC_INFO,
    effects,
    false_confidence_unassessed,
    metrics_for,
    summarise,
)
from skpoison.report._sweep import ATTACK_FAMILY, ATTACK_INFO, DEFENCE_NAMES

__all__ = ["write_report"]

SECTION_TITLES = {
    "kmeans": "k-means, no defence",
    "semi-supervised": "Seeded semi-supervised k-means",
}
#: Attacks that move existing rows instead of injecting new ones.
MOVES_ROWS = {"gaussian-noise"}


def _unit(section, key):
    """Return the column header of a budget: what the number is a share of."""
    if section == "semi-supervised":
        return "flip ratio (share of the labelled rows)"
    if key in MOVES_ROWS:
        return "moved rows (share of the rows)"
    return "injected rows (share of the clean rows)"


def _cell(effect):
    if effect.verdict == "undefined":
        return {"value": "undefined", "change": "", "flag": ""}
    change = fmt_pm(-effect.damage, effect.half)
    return {
        "value": fmt(effect.poisoned),
        "change": "no change" if effect.verdict == "constant" else f"Δ {change}",
        "flag": {"harmful": "worse", "helpful": "better"}.get(effect.verdict, ""),
    }


def _table(curves, section, key, metrics):
    """Rows of one attack's table: the poisoned score and its paired change."""
    sub = curves[(curves["section"] == section) & (curves["attack"] == key)]
    per_metric = {m: effects(curves, section, key, m) for m, _, _ in metrics}
    counts = sub.groupby("param_value")["n_poison"].mean()
    fc = sub.groupby("param_value")["false_confidence"].mean()
    rows = []
    for budget in sorted(counts.index):
        rows.append(
            {
                "budget": budget_label(section, budget),
                "n_poison": str(int(round(counts.loc[budget]))),
                "cells": [_cell(per_metric[m][float(budget)]) for m, _, _ in metrics],
                "false_confidence": pct(fc.loc[budget]) if fc.loc[budget] > 0 else "",
                "flagged": bool(fc.loc[budget] > 0.5),
            }
        )
    clean = [
        fmt(sub.drop_duplicates("repeat")[f"clean_{m}"].mean()) for m, _, _ in metrics
    ]
    return clean, rows


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


def _sections(curves, data, results, figure):
    sections = []
    for section in ("kmeans", "semi-supervised"):
        sub = curves[curves["section"] == section] if len(curves) else curves
        if not len(sub):
            continue
        metrics = metrics_for(sub)
        if section == "semi-supervised":
            keep = ("accuracy", "adjusted_rand", "silhouette")
            metrics = [m for m in metrics if m[0] in keep]
        else:
            metrics = [m for m in metrics if m[0] != "accuracy"]
        attacks = []
        for key in dict.fromkeys(sub["attack"]):
            display, cls, desc = ATTACK_INFO[key]
            x_name = _unit(section, key).split(" (")[0] + " (share)"
            if section == "semi-supervised":
                x_name = "flip ratio"
            rows = sub[sub["attack"] == key]
            fc = rows.groupby("param_value")["false_confidence"].mean()
            rel_curve, abs_curve = figure(f"{section}-{key}-curves")
            _figures.curve_figure(
                abs_curve,
                rows,
                metrics,
                f"{display} — {SECTION_TITLES[section]}",
                x_name=x_name,
                flagged=fc.index[fc.to_numpy() > 0.5],
            )
            pic = results.pictures.get((section, key))
            rel_pca = None
            if pic is not None:
                rel_pca, abs_pca = figure(f"{section}-{key}-pca")
                _figures.picture_figure(
                    abs_pca,
                    pic,
                    f"{display}: one typical run, PCA view",
                    section,
                    moves_rows=key in MOVES_ROWS,
                    class_names=data.target_names,
                )
            clean, table = _table(curves, section, key, metrics)
            attacks.append(
                {
                    "key": slug(key),
                    "name": display,
                    "cls": cls,
                    "description": desc[:1].upper() + desc[1:],
                    "curve_png": rel_curve,
                    "pca_png": rel_pca,
                    "moves_rows": key in MOVES_ROWS,
                    "picture_budget": (
                        budget_label(section, pic.budget) if pic is not None else None
                    ),
                    "picture_sample": (
                        f"{pic.shown.size:,}"
                        if pic is not None and pic.shown is not None
                        else None
                    ),
                    "unit": _unit(section, key),
                    "clean": clean,
                    "rows": table,
                }
            )
        sections.append(
            {
                "id": slug(section),
                "title": SECTION_TITLES[section],
                "metrics": [(name, higher) for _, name, higher in metrics],
                "attacks": attacks,
            }
        )
    return sections


def _defence_context(curves, config, results, summary, figure):
    defended = curves[curves["section"] == "defence"] if len(curves) else curves
    if not len(defended):
        return None
    keys = list(dict.fromkeys(defended["attack"]))
    rel, abs_ = figure("defence-survival")
    lines = []
    for key in keys:
        g = defended[defended["attack"] == key].groupby("param_value", sort=True)
        surv = g["survival_rate"].mean()
        lines.append((ATTACK_INFO[key][0], surv.index.to_numpy(), surv.to_numpy()))
    _figures.survival_figure(abs_, lines, config.defence)
    budgets = sorted(defended["param_value"].unique())
    rows = []
    for item in summary.defence:
        row = item.row
        rows.append(
            {
                "name": row.name,
                "sentence": item.sentence,
                "cells": [
                    {
                        "without": fmt_pm(c.without.damage, c.without.half),
                        "with": fmt_pm(c.with_.damage, c.with_.half),
                        "survival": pct(c.survival),
                        "helped": c.helped,
                    }
                    for c in row.cells
                ],
            }
        )
    cost = summary.defence[0].row.cost if summary.defence else None
    conceal_rows = []
    if results.concealment is not None:
        cg = results.concealment.groupby("param_value").mean(numeric_only=True)
        for b, row in cg.iterrows():
            conceal_rows.append(
                {
                    "budget": pct(b),
                    "flagged_clean": _count(row["n_flagged_clean"]),
                    "flagged_after": _count(row["n_genuine_flagged_poisoned"]),
                    "concealment": pct(row["concealment_rate"]),
                    "eviction": pct(row["eviction_rate"]),
                }
            )
    return {
        "name": DEFENCE_NAMES[config.defence],
        "png": rel,
        "budgets": [pct(b) for b in budgets],
        "rows": rows,
        "metric": summary.metric,
        "cost": (
            None
            if cost is None
            else {
                "clean": fmt(cost.clean),
                "defended": fmt(cost.poisoned),
                "change": fmt_pm(-cost.damage, cost.half),
            }
        ),
        "concealment": conceal_rows,
    }


def _count(value):
    """Format a mean of counts: an integer when it is one, else three figures."""
    value = float(value)
    return str(int(value)) if value.is_integer() else fmt(value)


def _false_confidence_rows(curves):
    rows, n_minority = [], 0
    if not len(curves):
        return rows, n_minority
    share = curves.groupby(["section", "attack", "param_value"])[
        "false_confidence"
    ].mean()
    n_minority = int(((share > 0) & (share <= 0.5)).sum())
    for (s, a, v), value in share.items():
        if value > 0.5:
            rows.append(
                {
                    "section": SECTION_TITLES.get(s, "k-means behind the defence"),
                    "attack": ATTACK_INFO[a][0],
                    "budget": budget_label(s, v),
                    "share": pct(value),
                }
            )
    return rows, n_minority


def write_report(out, data, config, results, *, elapsed=None):
    """Write figures, tables, raw results and ``index.html`` into ``out``.

    ``out`` is a fresh folder (see :mod:`skpoison.report._output`). Every
    file name is fixed or built from :func:`slug` of an attack key; every
    string that came from the data (column names, class names, file names) is
    escaped by jinja2.

    Returns
    -------
    index : str
        Path of ``index.html``.
    """
    curves = results.curves
    os.makedirs(os.path.join(out, "figures"), exist_ok=True)

    def figure(name):
        rel = f"figures/{slug(name)}.png"
        return rel, os.path.join(out, rel)

    defence_name = DEFENCE_NAMES[config.defence]
    summary = (
        summarise(curves, data, config, results.concealment, defence_name)
        if len(curves)
        else None
    )
    sections = _sections(curves, data, results, figure)
    defence = _defence_context(curves, config, results, summary, figure)
    fc, n_minority = _false_confidence_rows(curves)

    baseline = []
    kmeans = curves[curves["section"] == "kmeans"] if len(curves) else curves
    if len(kmeans):
        first = kmeans.drop_duplicates(["attack", "repeat"])
        for m, name, higher in metrics_for(kmeans):
            if m == "accuracy":
                continue
            values = first[f"clean_{m}"]
            baseline.append(
                {
                    "name": name,
                    "value": fmt(values.mean()),
                    "spread": fmt(values.std(ddof=0), 2),
                    "better": "higher" if higher else "lower",
                }
            )

    _write_results(out, curves, results.concealment)
    n_injection = sum(1 for a in config.attacks if ATTACK_FAMILY[a] == "injection")
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
        "fc_unassessed": false_confidence_unassessed(curves),
        "fc_min_repeats": FLAG_MIN_REPEATS,
        "notes": list(data.notes) + list(results.notes),
        "elapsed": f"{elapsed:.0f}" if elapsed is not None else None,
        "has_concealment": results.concealment is not None,
        "n_injection": n_injection,
        "metric_info": METRIC_INFO,
        "np": np,
    }
    html = _environment().get_template("report.html.j2").render(**context)
    index = os.path.join(out, "index.html")
    with open(index, "w", encoding="utf-8") as f:
        f.write(html)
    return index
