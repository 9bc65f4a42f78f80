"""The experiments of ``skpoison report``: data preparation and the attack sweeps.

Every number of the report comes from
:func:`skpoison.model_selection.robustness_curve` (paired clean-versus-poisoned
runs with common seeds); this module only chooses the victims, the attacks and
their budgets, runs the sweeps with a progress bar, and computes the few
things a sweep does not: the pictures at one budget and, for the mimicry
attack, how many genuine outliers the defence stops flagging.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import sys
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import clone
from sklearn.utils import Bunch
from threadpoolctl import threadpool_limits

__all__ = ["ReportConfig", "check_config", "prepare_data", "run_report"]

#: Largest magnitude the report computes with: squared distances between rows
#: of this size stay finite for thousands of features.
MAX_ABS_VALUE = 1e150
#: Above this many rows, the DBSCAN clean-up runs on a random sample of this
#: many rows (SampledDBSCAN): DBSCAN's exact noise on all rows costs O(n^2)
#: distance computations in many dimensions, in every run of the defence and
#: in every verification round of the mimicry attack.
DBSCAN_FULL_ROWS = 20_000


def _import_report_deps():
    """Import the ``report`` extra, or raise an ImportError naming it."""
    missing = []
    for name in ("matplotlib", "pandas", "jinja2", "tqdm"):
        try:
            __import__(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise ImportError(
            f"skpoison report needs {', '.join(missing)}, from the 'report' "
            'extra: pip install ".[report]" in the skpoison repository folder '
            "(skpoison is not on PyPI; install it from a clone)"
        )


@dataclass
class ReportConfig:
    """Settings of one report run (resolved command-line options)."""

    attacks: list
    budgets: list
    flip_ratios: list
    repeats: int = 5
    defence: str = "dbscan"
    seed: int = 0
    n_jobs: int | None = None
    quick: bool = False
    progress: bool = True
    picture_budget: float | None = None
    min_samples: int | None = None
    dbscan_sample: int | None = None
    n_queries: int | None = None
    notes: list = field(default_factory=list)


#: Command-line key of each attack, in report order, with its family.
ATTACK_FAMILY = {
    "black-box": "injection",
    "gaussian-noise": "injection",
    "uniform-outliers": "injection",
    "subtle-outliers": "injection",
    "centroid-noise": "injection",
    "bridge": "injection",
    "mimicry": "injection",
    "label-flip": "label",
    "label-flip-targeted": "label",
    "label-shuffle": "label",
}

#: Display name, skpoison class name and one-line description of each attack.
ATTACK_INFO = {
    "black-box": (
        "Black-box optimised",
        "BlackBoxAttack",
        "searches where to put the injected rows: a genetic search that fits the "
        "victim on candidate poisonings and keeps the one that changes its "
        "clustering of the clean rows most (1 - ARI against the clean "
        "clustering; it needs no labels). It queries k-means with one "
        "initialisation, and the defence too in the defence section",
    ),
    "gaussian-noise": (
        "Gaussian noise",
        "GaussianNoiseAttack",
        "perturbs a share of the rows with Gaussian noise (half the feature spread)",
    ),
    "uniform-outliers": (
        "Uniform outliers",
        "UniformOutlierAttack",
        "injects points uniform in a box around the feature ranges",
    ),
    "subtle-outliers": (
        "Subtle outliers",
        "SubtleOutlierAttack",
        "injects points drawn from the data's own mean and covariance, pushed outward",
    ),
    "centroid-noise": (
        "Centroid noise",
        "CentroidNoiseAttack",
        "injects points around the data centre, noisier on the most "
        "discriminative features",
    ),
    "bridge": (
        "Bridge",
        "BridgeAttack",
        "injects points between the two closest clusters to merge them",
    ),
    "mimicry": (
        "Mimicry",
        "MimicryAttack",
        "injects look-alike points around the outliers the defence flags, so "
        "that it keeps them",
    ),
    "label-flip": (
        "Label flip",
        "LabelFlipAttack",
        "flips the labels of a share of the labelled sample",
    ),
    "label-flip-targeted": (
        "Targeted label flip",
        "LabelFlipAttack",
        "flips labels of the labelled sample chosen so that each class's seed "
        "mean lands in another class's cluster (strategy='seed_shift')",
    ),
    "label-shuffle": (
        "Label shuffle",
        "LabelShuffleAttack",
        "permutes the labels of a share of the labelled sample",
    ),
}

DEFENCE_NAMES = {
    "dbscan": "DBSCAN clean-up (DBSCANOutlierRemover, eps at the knee)",
    "isolation-forest": "Isolation forest (OutlierRemover(IsolationForest()))",
    "lof": "Local outlier factor (OutlierRemover(LocalOutlierFactor()))",
    "kmeans--": "k-means-- (OutlierRemover(KMeansMinusMinus()))",
    "noise-removal": "k-means noise removal (KMeansNoiseRemover)",
    "none": "none",
}


def prepare_data(
    *,
    dataset=None,
    csv=None,
    target=None,
    scale="standard",
    n_clusters=None,
    labelled_size=None,
    default_labelled_size=0.2,
    min_rows=10,
    rows_per_cluster=3,
):
    """Load, check and scale the data; resolve the number of clusters.

    Raises ``ValueError`` (shown as a one-line error by the command) for
    anything the report cannot work with.
    """
    from skpoison.datasets import load_dataset

    source = csv if csv is not None else (dataset or "iris")
    bunch = load_dataset(source, target=target)
    X, y = bunch.data, bunch.target
    notes = list(bunch.notes)

    n_classes = None
    if y is not None:
        names = np.asarray(bunch.target_names)
        if names.dtype.kind == "f" and not np.all(np.equal(np.mod(names, 1), 0)):
            raise ValueError(
                f"The target column {bunch.target_column!r} holds continuous "
                f"numbers ({names.size} distinct values), not class labels."
            )
        n_classes = names.size
        if n_classes > max(2, X.shape[0] // 2):
            raise ValueError(
                f"The target column {bunch.target_column!r} has {n_classes} "
                f"distinct values for {X.shape[0]} rows: it does not look like "
                "class labels."
            )
    if n_clusters is None:
        if y is None:
            raise ValueError(
                "Without a target column, give the number of clusters with "
                "--n-clusters."
            )
        if n_classes < 2:
            raise ValueError(
                f"The target column {bunch.target_column!r} has a single class; "
                "give the number of clusters with --n-clusters."
            )
        n_clusters = n_classes
    needed = max(min_rows, rows_per_cluster * n_clusters)
    if X.shape[0] < needed:
        raise ValueError(
            f"Too few rows: {X.shape[0]} for {n_clusters} clusters (need at "
            f"least {needed})."
        )
    if np.all(np.ptp(X, axis=0) == 0):
        raise ValueError("Every feature is constant: there is nothing to cluster.")
    X = _check_magnitude(X, bunch.feature_names, scale)

    if labelled_size is None:
        labelled_size = default_labelled_size if y is not None else 0.0
    elif labelled_size > 0 and y is None:
        raise ValueError(
            "--labelled-size needs class labels: give --target with --csv."
        )
    if labelled_size > 0 and n_classes is not None and n_classes < 2:
        notes.append(
            "Semi-supervised k-means and label attacks: skipped, the target "
            f"column {bunch.target_column!r} has a single class "
            f"({bunch.target_names[0]!s}): there is no label to flip to."
        )
        labelled_size = 0.0
    if labelled_size > 0:
        counts = np.bincount(y)
        if counts.min() * labelled_size < 1:
            small = bunch.target_names[int(np.argmin(counts))]
            raise ValueError(
                f"--labelled-size {labelled_size:g} leaves class {small!s} "
                f"({counts.min()} rows) without a labelled row."
            )

    if scale == "standard":
        from sklearn.preprocessing import StandardScaler

        X = StandardScaler().fit_transform(X)
    elif scale == "minmax":
        from sklearn.preprocessing import MinMaxScaler

        X = MinMaxScaler().fit_transform(X)
    return Bunch(
        X=np.ascontiguousarray(X, dtype=np.float64),
        y=y,
        feature_names=list(bunch.feature_names),
        target_names=(
            None if bunch.target_names is None else [str(t) for t in bunch.target_names]
        ),
        target_column=bunch.target_column,
        n_clusters=int(n_clusters),
        labelled_size=float(labelled_size),
        scale=scale,
        source=str(source),
        is_csv=csv is not None,
        notes=notes,
        dropped_rows=bunch.dropped_rows,
        dropped_columns=list(bunch.dropped_columns),
    )


def _check_magnitude(X, feature_names, scale):
    """Refuse values too large to compute with; pre-divide them for scaling.

    Standard and min-max scaling do not depend on a column's unit, so a column
    is divided by its largest magnitude first when that magnitude is too large
    (its variance would overflow); without scaling the values are refused.
    """
    big = np.abs(X).max(axis=0)
    if not np.any(big > MAX_ABS_VALUE):
        return X
    j = int(np.argmax(big))
    if scale == "none":
        raise ValueError(
            f"Values too large to compute with: column {feature_names[j]!r} holds "
            f"{big[j]:.3g} (the limit is {MAX_ABS_VALUE:.0e}; distances would "
            "overflow). Rescale the data or use --scale standard."
        )
    divide = np.where(big > MAX_ABS_VALUE, big, 1.0)
    return X / divide


def check_config(data, config):
    """Adapt or refuse settings the data cannot support, before any run.

    Appends a note to ``config.notes`` for each setting it adapts; raises a
    ``ValueError`` when nothing would be left to compute.
    """
    n, d = data.X.shape
    # DBSCAN is the defence, or the mimicry attack's detector without one.
    uses_dbscan = config.defence == "dbscan" or (
        config.defence == "none" and "mimicry" in config.attacks
    )
    if uses_dbscan and 2 * d > n:
        config.min_samples = max(2, n // 2)
        config.notes.append(
            f"DBSCAN clean-up: min_samples set to {config.min_samples} (half the "
            f"rows): its default, twice the {d} features, exceeds the {n} rows."
        )
    if uses_dbscan and n > DBSCAN_FULL_ROWS:
        config.dbscan_sample = DBSCAN_FULL_ROWS
        config.notes.append(
            f"DBSCAN clean-up: DBSCAN's exact noise on all the {n} rows would "
            "cost a distance computation per pair of rows, in every run; so "
            f"DBSCAN (eps at the knee) runs on a random sample of "
            f"{DBSCAN_FULL_ROWS} rows of the data it cleans, and every row is "
            "kept when a core row of the sample lies within eps of it (DBSCAN's "
            "rule for joining a cluster), removed otherwise. The sample is "
            "sparser than the data, so its eps is usually larger than DBSCAN's on "
            "all the rows. The mimicry attack targets that clean-up. The "
            "effect on k-means is measured on all the rows."
        )
    if "black-box" in config.attacks:
        from skpoison.report._worst import MAX_SEARCH_ROWS

        if n > MAX_SEARCH_ROWS:
            config.notes.append(
                f"Black-box optimised: the search runs on a random sample of "
                f"{MAX_SEARCH_ROWS} of the {n} rows (with the same share of "
                "injected rows); each row it finds is injected "
                f"{n / MAX_SEARCH_ROWS:.3g} times into the full data, where the "
                "effect is measured."
            )
    label = [a for a in config.attacks if ATTACK_FAMILY[a] == "label"]
    if label and len(label) == len(config.attacks):
        if data.y is None or data.labelled_size <= 0:
            if data.y is None:
                why = "the data has no target column"
            elif len(data.target_names) < 2:
                why = (
                    f"the target column {data.target_column!r} has a single "
                    f"class ({data.target_names[0]})"
                )
            else:
                why = "--labelled-size is 0"
            raise ValueError(
                f"Only label attacks were asked for ({', '.join(label)}), and "
                f"they cannot run: {why}"
            )
    return config


def _make_defence(name, n_clusters, seed, min_samples=None, sample=None):
    from skpoison import defences

    if name == "dbscan":
        if sample is not None:
            from skpoison.report._defence import SampledDBSCAN

            return SampledDBSCAN(min_samples=min_samples, max_rows=sample)
        return defences.DBSCANOutlierRemover(min_samples=min_samples)
    if name == "isolation-forest":
        from sklearn.ensemble import IsolationForest

        return defences.OutlierRemover(IsolationForest(random_state=seed))
    if name == "lof":
        from sklearn.neighbors import LocalOutlierFactor

        return defences.OutlierRemover(LocalOutlierFactor())
    if name == "kmeans--":
        from skpoison.cluster import KMeansMinusMinus

        return defences.OutlierRemover(
            KMeansMinusMinus(n_clusters=n_clusters, random_state=seed)
        )
    if name == "noise-removal":
        return defences.KMeansNoiseRemover(n_clusters=n_clusters, random_state=seed)
    return None


def _make_attack(key, n_clusters, defence, config=None, guarded=None):
    """Return the attack instance of a key, or None when this build lacks it.

    ``guarded`` is the defence in front of the victim (the black-box attack
    queries the victim with it; the mimicry attack uses ``defence``).
    """
    from skpoison import attacks

    cls = getattr(attacks, ATTACK_INFO[key][1], None)
    if cls is None:
        return None
    if key == "black-box":
        from sklearn.cluster import KMeans

        from skpoison.report._worst import SampledBlackBox, query_budget

        victim = KMeans(n_clusters=n_clusters, n_init=1)
        if guarded is not None:
            from imblearn.pipeline import make_pipeline

            victim = make_pipeline(clone(guarded), victim)
        quick = config is not None and config.quick
        n_queries = (config and config.n_queries) or query_budget(quick)
        return SampledBlackBox(victim, n_queries=n_queries)
    if key == "gaussian-noise":
        return cls(scale=0.5)
    if key in ("centroid-noise", "bridge"):
        return cls(n_clusters=n_clusters)
    if key == "label-flip-targeted":
        return cls(strategy="seed_shift")
    if key == "mimicry":
        # A white-box attacker: it knows the defence (DBSCAN without one).
        if (
            defence is None
            and config is not None
            and (config.min_samples or config.dbscan_sample)
        ):
            defence = _make_defence(
                "dbscan",
                n_clusters,
                None,
                config.min_samples,
                config.dbscan_sample,
            )
        return cls(detector=defence) if defence is not None else cls()
    return cls()


def _victim(n_clusters):
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=n_clusters, n_init=10)


class _Progress:
    """A tqdm bar on stderr (a no-op when disabled)."""

    def __init__(self, total, enabled):
        self._bar = None
        if enabled:
            from tqdm.auto import tqdm

            self._bar = tqdm(
                total=total, file=sys.stderr, unit="run", desc="skpoison report"
            )

    def step(self, n, label):
        if self._bar is not None:
            self._bar.set_postfix_str(label, refresh=False)
            self._bar.update(n)

    def close(self):
        if self._bar is not None:
            self._bar.close()


def run_report(data, config):
    """Run every sweep of the report; return the results and the notes.

    Returns
    -------
    results : Bunch
        ``curves``: tidy DataFrame, one row per (section, attack, budget,
        repeat) with the columns of :func:`robustness_curve` plus
        ``section``, ``attack``; ``pictures``: per (section, attack) the data
        of the clean-versus-poisoned picture; ``concealment``: DataFrame of
        the mimicry attack's effect on the defence; ``notes``: skipped
        sections and why.
    """
    _import_report_deps()
    import pandas as pd

    from skpoison.model_selection import robustness_curve

    X, y, k = data.X, data.y, data.n_clusters
    notes = list(config.notes)
    defence = _make_defence(
        config.defence, k, config.seed, config.min_samples, config.dbscan_sample
    )
    injection = [a for a in config.attacks if ATTACK_FAMILY[a] == "injection"]
    label = [a for a in config.attacks if ATTACK_FAMILY[a] == "label"]

    jobs = []  # (section, key, estimator, attack, param_name, budgets, defence)
    for key in injection:
        attack = _make_attack(key, k, defence, config)
        if attack is None:
            notes.append(
                f"{ATTACK_INFO[key][0]}: skipped, skpoison.attacks."
                f"{ATTACK_INFO[key][1]} is not available in this build."
            )
            continue
        jobs.append(
            ("kmeans", key, _victim(k), attack, "n_poison", config.budgets, None)
        )
        if defence is not None:
            if key == "black-box":  # it queries the victim behind the defence
                attack = _make_attack(key, k, defence, config, guarded=defence)
            jobs.append(
                (
                    "defence",
                    key,
                    _victim(k),
                    attack,
                    "n_poison",
                    config.budgets,
                    defence,
                )
            )
    if label:
        semi = _semi_supervised_jobs(data, config, label, notes)
        jobs.extend(semi)

    total = sum(len(job[5]) * config.repeats for job in jobs)
    progress = _Progress(total, config.progress)
    frames = []
    pictures = {}
    concealment = []
    # One robustness_curve per section: every attack of a section shares the
    # clean run of each repeat (one clean baseline per repeat).
    sections = {}
    for job in jobs:
        sections.setdefault(job[0], []).append(job)
    # The datasets of a report are small: BLAS/OpenMP threads cost far more
    # than they bring (k-means on iris is ~10x slower with two busy threads).
    # Parallelism, when asked for, is over the runs (--n-jobs).
    limits = threadpool_limits(limits=1)
    try:
        for section, section_jobs in sections.items():
            _, _, estimator, _, _, budgets, dfc = section_jobs[0]
            curve = robustness_curve(
                estimator,
                {job[1]: job[3] for job in section_jobs},
                X,
                y,
                param_name={job[1]: job[4] for job in section_jobs},
                param_range=list(budgets),
                defence=dfc,
                n_repeats=config.repeats,
                random_state=config.seed,
                n_jobs=config.n_jobs,
                as_frame=True,
                # One tick per finished run: the bar (and tqdm's estimate of
                # the time left) moves within a section.
                callback=lambda n, label=section: progress.step(n, label),
            )
            curve.insert(0, "section", section)
            frames.append(curve)
            for _, key, _, attack, param_name, _, _ in section_jobs:
                if section == "defence" and key == "mimicry":
                    concealment.append(_mimicry_concealment(curve[curve.attack == key]))
                if section != "defence":
                    pictures[(section, key)] = _picture(
                        data,
                        section,
                        estimator,
                        attack,
                        param_name,
                        curve[curve.attack == key],
                        config,
                    )
    finally:
        limits.restore_original_limits()
        progress.close()
    curves = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    conceal = pd.concat(concealment, ignore_index=True) if concealment else None
    return Bunch(curves=curves, pictures=pictures, concealment=conceal, notes=notes)


def _semi_supervised_jobs(data, config, label, notes):
    """Label attacks against the seeded (semi-supervised) k-means."""
    if data.y is None:
        notes.append(
            "Semi-supervised k-means and label attacks: skipped, the data has "
            "no target column."
        )
        return []
    if data.labelled_size <= 0:
        notes.append(
            "Semi-supervised k-means and label attacks: skipped (--labelled-size 0)."
        )
        return []
    try:
        from imblearn.pipeline import make_pipeline

        from skpoison.cluster import SemiSupervisedKMeans
        from skpoison.preprocessing import MaskLabels
    except ImportError as exc:
        notes.append(
            "Semi-supervised k-means and label attacks: skipped, "
            f"{_missing_name(exc)} is not available in this build."
        )
        return []
    jobs = []
    for key in label:
        attack = _make_attack(key, data.n_clusters, None)
        if attack is None:
            notes.append(
                f"{ATTACK_INFO[key][0]}: skipped, skpoison.attacks."
                f"{ATTACK_INFO[key][1]} is not available in this build."
            )
            continue
        pipe = make_pipeline(MaskLabels(labelled_size=data.labelled_size), attack)
        step = pipe.steps[-1][0]
        jobs.append(
            (
                "semi-supervised",
                key,
                SemiSupervisedKMeans(),
                pipe,
                f"{step}__n_poison",
                config.flip_ratios,
                None,
            )
        )
    return jobs


def _missing_name(exc):
    name = getattr(exc, "name", None)
    text = str(exc)
    if "cannot import name" in text:
        return text.split("'")[1]
    return name or text


def _picture_budget(section, budgets, goal=None):
    """Return the picture budget: the one closest to 0.1 (injection) or 0.7."""
    if goal is None or section == "semi-supervised":
        goal = 0.7 if section == "semi-supervised" else 0.1
    return min(budgets, key=lambda b: (abs(b - goal), -b))


#: Rows a PCA picture draws at most; larger data shows a stated random sample.
PICTURE_ROWS = 5_000

_PICTURE_SCORES = ("poisoned_accuracy", "poisoned_adjusted_rand", "poisoned_silhouette")


def _picture(data, section, estimator, attack, param_name, curve, config):
    """Clean and poisoned clustering of one run of the sweep.

    The run is at the picture budget, and is the repeat whose headline score
    (class accuracy, ARI or silhouette) is the median of the repeats: a
    typical run, replayed with exactly the sweep's seeds.
    """
    from skpoison.model_selection import fit_paired

    budget = _picture_budget(
        section, sorted(set(curve["param_value"])), config.picture_budget
    )
    at = curve[curve["param_value"] == budget]
    for metric in (
        "poisoned_accuracy",
        "poisoned_adjusted_rand",
        "poisoned_silhouette",
    ):
        if metric in at and at[metric].notna().all():
            break
    scores = at[metric].to_numpy()
    median_pos = int(np.argsort(scores)[(len(scores) - 1) // 2])
    repeat = int(at["repeat"].to_numpy()[median_pos])
    seed = int(at["seed"].to_numpy()[median_pos])
    result = fit_paired(
        estimator,
        clone(attack).set_params(**{param_name: budget}),
        data.X,
        data.y,
        random_state=seed,
    )
    clean, poisoned = result.clean, result.poisoned
    n = data.X.shape[0]
    # Only what the figure draws is kept (the pictures wait for the page):
    # not the poisoned copy of X nor the fitted steps.
    shown = _shown_rows(n, PICTURE_ROWS, seed, 0)
    poisoned_rows = np.flatnonzero(poisoned.poison_mask)
    if shown is not None:
        # The same share of the poisoned rows as of the clean rows, so that
        # the picture keeps their proportion.
        share = shown.size / n
        keep = _shown_rows(poisoned_rows.size, share * poisoned_rows.size, seed, 1)
        if keep is not None:
            poisoned_rows = poisoned_rows[keep]
    return Bunch(
        budget=budget,
        repeat=repeat,
        X=data.X,
        shown=shown,
        X_moved=poisoned.X_fit[poisoned_rows],
        poison_mask=poisoned.poison_mask,
        clean_labels=clean.labels,
        # The poisoned model's labels of the clean rows.
        poisoned_labels=poisoned.labels,
        clean_centers=_centers(clean.model),
        poisoned_centers=_centers(poisoned.model),
    )


def _shown_rows(n, size, seed, stream):
    """Sorted indices of a random sample of ``size`` of ``n`` rows; None for all."""
    size = int(round(size))
    if n <= size:
        return None
    rng = np.random.RandomState([seed % 2**32, stream])
    return np.sort(rng.choice(n, size=size, replace=False))


def _centers(model):
    centers = getattr(model, "cluster_centers_", None)
    return None if centers is None else np.asarray(centers)


def _mimicry_concealment(curve):
    """Genuine rows the defence flags before and after the mimicry attack.

    Read from the sweep's own runs (same seeds as every other number).
    """
    import pandas as pd

    removed_poison = (curve["defence_recall"].fillna(0.0) * curve["n_poison"]).round()
    return pd.DataFrame(
        {
            "param_value": curve["param_value"].to_numpy(),
            "repeat": curve["repeat"].to_numpy(),
            "n_flagged_clean": curve["clean_n_removed"].to_numpy(),
            "n_genuine_flagged_poisoned": (
                curve["poisoned_n_removed"] - removed_poison
            ).to_numpy(dtype=int),
            "concealment_rate": curve["concealment_rate"].to_numpy(),
            "eviction_rate": curve["eviction_rate"].to_numpy(),
        }
    )
