"""The numbers and sentences of the report: paired effects and their intervals.

Every effect is a *paired* difference: within one repeat the clean and the
poisoned pipeline share their seeds, so ``poisoned - clean`` cancels most of
the run-to-run noise. Over the ``n`` repeats the report gives the mean paired
difference and its 95 % confidence interval from Student's t distribution
(``mean ± t(0.975, n - 1) * sd / sqrt(n)``). An attack is called harmful only
when that interval excludes zero; with one repeat there is no interval and
nothing is called harmful.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import math

import numpy as np
from sklearn.utils import Bunch

from skpoison.report._format import budget_label, fmt, fmt_pm, pct
from skpoison.report._sweep import ATTACK_FAMILY, ATTACK_INFO

__all__ = ["METRICS", "paired", "summarise"]

#: (column suffix, display name, higher is better)
METRICS = [
    ("accuracy", "Class accuracy", True),
    ("adjusted_rand", "ARI", True),
    ("cluster_accuracy", "Matched accuracy", True),
    ("silhouette", "Silhouette", True),
    ("calinski_harabasz", "Calinski-Harabasz", True),
    ("davies_bouldin", "Davies-Bouldin", False),
]
METRIC_INFO = {key: (name, higher) for key, name, higher in METRICS}
CONFIDENCE = 0.95
NOISE = "no effect distinguishable from run-to-run noise at this budget"
# evaluate_attack flags false confidence only from this many repeats on (the
# spread of two values is too unreliable to call an effect beyond noise).
FLAG_MIN_REPEATS = 3


def false_confidence_unassessed(curves):
    """Return the number of repeats if too few to flag false confidence, else None."""
    if not len(curves) or "repeat" not in curves:
        return None
    n = int(curves["repeat"].nunique())
    return n if n < FLAG_MIN_REPEATS else None


def _t(n):
    from scipy.stats import t

    return float(t.ppf(0.5 + CONFIDENCE / 2, n - 1))


def mean_ci(values):
    """Return the mean and the half-width of its 95 % t interval (NaN if n < 2)."""
    values = np.asarray(values, dtype=float)
    n = values.size
    if n == 0:
        return np.nan, np.nan
    if n < 2:
        return float(values.mean()), np.nan
    return float(values.mean()), _t(n) * float(values.std(ddof=1)) / math.sqrt(n)


def direction(mean, half):
    """``"up"`` or ``"down"`` when the interval excludes zero, else ``"noise"``."""
    if not (np.isfinite(mean) and np.isfinite(half)):
        return "noise"
    if mean - half > 0:
        return "up"
    if mean + half < 0:
        return "down"
    return "noise"


def paired(clean, poisoned, higher=True):
    """Return the paired effect of an attack on one score.

    Parameters
    ----------
    clean, poisoned : array-like of shape (n_repeats,)
        The score of the clean and of the poisoned run of each repeat.
    higher : bool
        Whether a higher score is better.

    Returns
    -------
    effect : Bunch
        ``clean``, ``poisoned`` (means), ``damage`` (mean of the paired
        losses, positive when the attack made the score worse), ``half``
        (half-width of its 95 % t interval; NaN with one repeat), ``n``, and
        ``verdict``: ``"harmful"``, ``"helpful"``, ``"noise"``,
        ``"constant"`` (every run gives the same score, clean and poisoned)
        or ``"undefined"`` (the score is undefined in a run).
    """
    clean = np.asarray(clean, dtype=float)
    poisoned = np.asarray(poisoned, dtype=float)
    out = Bunch(n=clean.size, clean=np.nan, poisoned=np.nan, damage=np.nan)
    out.half = np.nan
    if clean.size == 0 or not (
        np.isfinite(clean).all() and np.isfinite(poisoned).all()
    ):
        out.verdict = "undefined"
        return out
    out.clean, out.poisoned = float(clean.mean()), float(poisoned.mean())
    if np.ptp(np.concatenate([clean, poisoned])) == 0:
        out.damage, out.half, out.verdict = 0.0, 0.0, "constant"
        return out
    loss = (clean - poisoned) if higher else (poisoned - clean)
    out.damage, out.half = mean_ci(loss)
    out.verdict = {"up": "harmful", "down": "helpful", "noise": "noise"}[
        direction(out.damage, out.half)
    ]
    return out


def metrics_for(curves):
    """Return the metrics with values in the results (external ones need a target)."""
    out = []
    for key, name, higher in METRICS:
        col = f"poisoned_{key}"
        if col in curves and curves[col].notna().any():
            out.append((key, name, higher))
    return out


def headline(data, curves, section):
    """Return the score the summary speaks in: class accuracy, ARI or silhouette."""
    has_classes = data.y is not None and len(data.target_names or []) > 1
    order = ("accuracy",) if section == "semi-supervised" else ()
    order += ("adjusted_rand", "cluster_accuracy") if has_classes else ()
    order += ("silhouette", "calinski_harabasz")
    names = [m for m, _, _ in metrics_for(curves)]
    for key in order:
        if key in names:
            return key
    return names[0] if names else None


def _rows(curves, section, attack=None):
    sub = curves[curves["section"] == section]
    if attack is not None:
        sub = sub[sub["attack"] == attack]
    return sub


def effects(curves, section, attack, metric):
    """Return ``{budget: paired effect}`` of one attack on one score."""
    name, higher = METRIC_INFO[metric]
    sub = _rows(curves, section, attack).sort_values(["param_value", "repeat"])
    out = {}
    for budget, at in sub.groupby("param_value", sort=True):
        out[float(budget)] = paired(
            at[f"clean_{metric}"], at[f"poisoned_{metric}"], higher
        )
    return out


def describe(effect, metric, *, budget_text=""):
    """Return one phrase for an effect, in words for the degenerate cases."""
    name, _ = METRIC_INFO[metric]
    if effect.verdict == "undefined":
        return f"{name} is undefined in some runs (one cluster or one class)"
    if effect.verdict == "constant":
        return (
            f"no change: {name} is {fmt(effect.clean)} in every run, clean and poisoned"
        )
    change = (
        f"{name} {fmt(effect.clean)} → {fmt(effect.poisoned)} "
        f"(damage {fmt_pm(effect.damage, effect.half)})"
    )
    if effect.verdict == "harmful":
        return change
    if effect.n < 2:
        return f"one repeat only: no interval, so no verdict ({change})"
    if effect.verdict == "helpful":
        return f"the score improves: {change}"
    return f"{NOISE}{budget_text} ({change})"


def worst_case(curves, section, metric, attacks):
    """Return, per budget, the attack with the largest harmful damage, or None.

    Returns a list of Bunch(budget, attack, effect, n_harmful) in budget
    order; ``attack`` is None when no attack's interval excludes zero, and
    then ``effect`` is the largest mean damage found (for the record).
    """
    table = {a: effects(curves, section, a, metric) for a in attacks}
    budgets = sorted({b for t in table.values() for b in t})
    out = []
    for b in budgets:
        found = [(a, t[b]) for a, t in table.items() if b in t]
        harmful = [(a, e) for a, e in found if e.verdict == "harmful"]
        pool = harmful or [(a, e) for a, e in found if np.isfinite(e.damage)]
        if not pool:
            out.append(Bunch(budget=b, attack=None, effect=None, n_harmful=0))
            continue
        a, e = max(pool, key=lambda item: item[1].damage)
        out.append(
            Bunch(
                budget=b,
                attack=a if harmful else None,
                best_guess=a,
                effect=e,
                n_harmful=len(harmful),
            )
        )
    return out


def _name(key):
    return ATTACK_INFO[key][0]


def defence_rows(curves, metric):
    """Return the "Did the defence help?" rows: damage with and without.

    Damage is measured against the clean model *without* the defence (what
    the user had before adding it). ``gain`` is the paired difference of the
    poisoned scores, defended minus undefended (sign-corrected so positive
    means the defence helped), and ``cost`` the damage the defence alone does
    on clean data.
    """
    _, higher = METRIC_INFO[metric]
    sign = 1.0 if higher else -1.0
    base = _rows(curves, "kmeans")
    guarded = _rows(curves, "defence")
    out = []
    keys = [k for k in dict.fromkeys(guarded["attack"]) if k in set(base["attack"])]
    for key in keys:
        a = _rows(base, "kmeans", key)
        d = _rows(guarded, "defence", key)
        merged = a.merge(d, on=["param_value", "repeat"], suffixes=("", "_d"))
        cells = []
        for budget, at in merged.groupby("param_value", sort=True):
            clean = at[f"clean_{metric}"].to_numpy()
            gain = sign * (at[f"poisoned_{metric}_d"] - at[f"poisoned_{metric}"])
            mean, half = mean_ci(gain)
            cells.append(
                Bunch(
                    budget=float(budget),
                    without=paired(clean, at[f"poisoned_{metric}"], higher),
                    with_=paired(clean, at[f"poisoned_{metric}_d"], higher),
                    gain=mean,
                    gain_half=half,
                    helped=direction(mean, half),
                    survival=float(at["survival_rate_d"].mean()),
                )
            )
        first = merged.drop_duplicates("repeat")
        cost = paired(first[f"clean_{metric}"], first[f"clean_{metric}_d"], higher)
        out.append(Bunch(key=key, name=_name(key), cells=cells, cost=cost))
    return out


def defence_sentence(row):
    """Return one sentence per attack: did the defence help, at which budgets."""

    def at(kind):
        return [budget_label("kmeans", c.budget) for c in row.cells if c.helped == kind]

    parts = []
    if at("up"):
        parts.append(f"reduced the damage at {', '.join(at('up'))}")
    if at("down"):
        parts.append(f"made it worse at {', '.join(at('down'))}")
    if at("noise"):
        parts.append(
            (
                "no distinguishable difference at "
                if parts
                else "made no difference distinguishable from run-to-run noise at "
            )
            + ", ".join(at("noise"))
        )
    return f"{row.name}: the defence {'; '.join(parts)}."


def _cost_sentence(cost, metric, defence_name):
    name, _ = METRIC_INFO[metric]
    if cost.verdict == "constant":
        return f"on clean data the defence changes nothing ({name} {fmt(cost.clean)})"
    if cost.verdict == "undefined":
        return f"on clean data {name} is undefined in some runs"
    what = {
        "harmful": "costs",
        "helpful": "improves",
        "noise": "has no distinguishable cost:",
    }[cost.verdict]
    return (
        f"on clean data it {what} {name} {fmt(cost.clean)} → {fmt(cost.poisoned)} "
        f"(difference {fmt_pm(-cost.damage, cost.half)})"
    )


def summarise(curves, data, config, concealment, defence_name):
    """Return the summary: baseline, worst case per budget, bullets, defence."""
    out = Bunch(baseline=None, worst=[], bullets=[], defence=[], metric=None)
    kmeans = _rows(curves, "kmeans")
    metric = headline(data, kmeans, "kmeans") if len(kmeans) else None
    if metric is not None:
        name, _ = METRIC_INFO[metric]
        out.metric = name
        # The clean run of each repeat: its mean over repeats is the baseline.
        clean = kmeans.drop_duplicates("repeat")[f"clean_{metric}"]
        out.baseline = Bunch(
            metric=name,
            value=fmt(clean.mean()),
            spread=fmt(clean.std(ddof=0), 2) if len(clean) > 1 else None,
            n=int(kmeans["repeat"].nunique()),
        )
        attacks = [
            a
            for a in dict.fromkeys(kmeans["attack"])
            if ATTACK_FAMILY[a] == "injection"
        ]
        for item in worst_case(curves, "kmeans", metric, attacks):
            out.worst.append(_worst_row(item, metric, len(attacks)))
        if data.y is not None and len(data.target_names or []) < 2:
            out.bullets.append(
                "The target has a single class: agreement with it (ARI, "
                "accuracy) is not informative, so the summary speaks in "
                f"{name}."
            )
    _false_confidence(out, curves, data)
    if len(_rows(curves, "defence")) and metric is not None:
        _defence(out, curves, metric, defence_name, concealment)
        _worst_guarded(out, metric)
    _semi_supervised(out, curves, data)
    return out


def _worst_guarded(out, metric):
    """Add the worst damage behind the defence to each budget's worst case.

    Measured, like the defence table, against the clean model without the
    defence.
    """
    for row in out.worst:
        found = [
            (item.row.key, cell.with_)
            for item in out.defence
            for cell in item.row.cells
            if budget_label("kmeans", cell.budget) == row.budget
        ]
        harmful = [(a, e) for a, e in found if e.verdict == "harmful"]
        if harmful:
            key, effect = max(harmful, key=lambda item: item[1].damage)
            row.guarded_attack = _name(key)
            row.guarded_text = describe(effect, metric)
        elif found:
            row.guarded_attack = "none"
            row.guarded_text = (
                "none beyond run-to-run noise"
                if all(e.n > 1 for _, e in found)
                else "one repeat only: no verdict"
            )


def _worst_row(item, metric, n_attacks):
    if item.effect is None:
        text, attack = f"{METRIC_INFO[metric][0]} is undefined in some runs", "–"
    elif item.attack is not None:
        text, attack = describe(item.effect, metric), _name(item.attack)
    else:
        attack = "none"
        text = describe(item.effect, metric)
        if item.effect.verdict == "noise" and item.effect.n > 1:
            text = (
                f"{NOISE}; largest mean damage "
                f"{fmt_pm(item.effect.damage, item.effect.half)} "
                f"({_name(item.best_guess).lower()})"
            )
    return Bunch(
        budget=budget_label("kmeans", item.budget),
        attack=attack,
        text=text,
        harmful=item.attack is not None,
        n_harmful=item.n_harmful,
        n_attacks=n_attacks,
    )


def _false_confidence(out, curves, data):
    if not len(curves) or "false_confidence" not in curves:
        return
    n_repeats = false_confidence_unassessed(curves)
    if data.y is not None and n_repeats is not None:
        out.bullets.append(
            "False confidence was not assessed: telling it from noise needs at "
            f"least {FLAG_MIN_REPEATS} repeats and this run made {n_repeats} "
            "(--quick makes 2; use --repeats 3 or more)."
        )
        return
    fc = curves.groupby(["section", "attack", "param_value"])["false_confidence"]
    share = fc.mean()
    flagged = share[share > 0.5]
    if len(flagged):
        items = [
            f"{_name(a).lower()} at {budget_label(s, v)}"
            + (" (with defence)" if s == "defence" else "")
            for (s, a, v) in flagged.index
        ]
        shown = "; ".join(items[:3]) + (
            f" and {len(items) - 3} more" if len(items) > 3 else ""
        )
        out.bullets.append(
            f"False confidence in {len(flagged)} setting(s): the internal scores "
            "improve beyond noise while the agreement with the true classes "
            "drops, in most repeats — a dashboard watching only internal scores "
            f"would call the poisoned model better ({shown}; all in “False "
            "confidence” below)."
        )
    elif data.y is not None:
        out.bullets.append(
            "No false confidence: in no setting did most repeats improve the "
            "internal scores while the true-class scores dropped."
        )


def _defence(out, curves, metric, defence_name, concealment):
    rows = defence_rows(curves, metric)
    out.defence = [Bunch(row=row, sentence=defence_sentence(row)) for row in rows]
    if not rows:
        return
    helped = [r.name.lower() for r in rows if any(c.helped == "up" for c in r.cells)]
    hurt = [r.name.lower() for r in rows if any(c.helped == "down" for c in r.cells)]
    text = f"Did the defence ({defence_name.split(' (')[0]}) help? "
    text += _cost_sentence(rows[0].cost, metric, defence_name)[0].upper()
    text += _cost_sentence(rows[0].cost, metric, defence_name)[1:] + ". "
    if helped:
        text += f"It reduced the damage of {', '.join(helped)} at some budgets. "
    if hurt:
        text += f"It made {', '.join(hurt)} worse at some budgets. "
    if not helped and not hurt:
        text += "Against no attack did it change the damage beyond run-to-run noise. "
    text += "See “Did the defence help?” below."
    out.bullets.append(text)
    if concealment is not None and len(concealment):
        c = concealment.groupby("param_value")["concealment_rate"].mean()
        flagged_clean = concealment["n_flagged_clean"].iloc[0]
        if c.notna().any() and c.max() > 0:
            best = c.idxmax()
            out.bullets.append(
                f"Mimicry: on clean data the defence flags {flagged_clean} "
                f"genuine outlier(s); after injecting {pct(best)} look-alike rows, "
                f"{pct(c.loc[best])} of them are no longer flagged (concealment) "
                "and survive the clean-up."
            )


def _semi_supervised(out, curves, data):
    """One bullet for the label attacks: where class accuracy collapses."""
    semi = _rows(curves, "semi-supervised")
    if not len(semi):
        return
    parts = []
    chance = 1.0 / data.n_clusters
    clean = None
    for key in dict.fromkeys(semi["attack"]):
        eff = effects(curves, "semi-supervised", key, "accuracy")
        if not eff:
            continue
        name = _name(key).lower()
        clean = np.mean([e.clean for e in eff.values()])
        threshold = (clean + chance) / 2
        below = [
            r
            for r, e in eff.items()
            if e.verdict == "harmful" and e.poisoned < threshold
        ]
        if below:
            r = below[0]
            e = eff[r]
            moved = _rows(semi, "semi-supervised", key)
            moved = moved.loc[
                moved["param_value"] == r, "assignment_change_rate"
            ].mean()
            parts.append(
                f"{name} collapses it at ratio {r:g} ({fmt(e.clean)} → "
                f"{fmt(e.poisoned)}, damage {fmt_pm(e.damage, e.half)}; "
                f"{pct(moved)} of the rows change cluster)"
            )
        elif min(e.n for e in eff.values()) < 2:
            r, e = min(eff.items(), key=lambda item: item[1].poisoned)
            parts.append(
                f"{name}: one repeat only, so no verdict (the lowest class "
                f"accuracy is {fmt(e.poisoned)}, at ratio {r:g})"
            )
        else:
            harmful = [r for r, e in eff.items() if e.verdict == "harmful"]
            parts.append(
                f"{name} lowers it beyond noise from ratio {harmful[0]:g} but "
                f"not below {fmt(threshold)}"
                if harmful
                else f"{name}: {NOISE.replace('this budget', 'any tested ratio')}"
            )
    if not parts:
        return
    text = (
        f"Seeded semi-supervised k-means ({pct(data.labelled_size)} labelled, "
        f"class accuracy {fmt(clean)} clean, chance {fmt(chance)}): "
        + "; ".join(parts)
        + "."
    )
    if "collapses" in text:
        text += " Where few rows change cluster, whole clusters carry the wrong class."
    out.bullets.append(text)
