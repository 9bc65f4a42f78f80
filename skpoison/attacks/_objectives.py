"""What :class:`~skpoison.attacks.BlackBoxAttack` reads from a fitted victim.

The victim is a clusterer or a pipeline (resamplers such as a defence, then a
clusterer). The attack only queries it: it fits a clone on candidate data and
reads the labels it gives the clean rows and, for the defence objectives, the
rows its defence removed. Every objective returns a damage score: higher is
worse for the victim.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.base import clone
from sklearn.metrics import adjusted_mutual_info_score
from sklearn.metrics.cluster import contingency_matrix

from skpoison.utils._labels import unlabelled_mask

# Label given to a clean row that a resampler inside the victim removed.
REMOVED = -2

NEEDS_Y = {"accuracy"}
NEEDS_DEFENCE = {"eviction", "concealment"}


def _steps(victim):
    """Split a victim into the steps before its final one, and the final."""
    steps = getattr(victim, "steps", None)
    if steps is None:
        return [], victim
    steps = [est for _, est in steps if est is not None and est != "passthrough"]
    return steps[:-1], steps[-1]


def _provenance(victim, n_fit):
    """Yield ``(step, rows)``: the rows of the fitted data that reach each step.

    ``rows[i]`` is the row of the data passed to the victim's ``fit`` that the
    step's ``i``-th input row came from, ``-1`` for a row injected inside the
    victim. The last pair is for the final estimator.
    """
    rows = np.arange(n_fit)
    head, final = _steps(victim)
    for step in head:
        yield step, rows
        if hasattr(step, "fit_resample"):
            indices = getattr(step, "sample_indices_", None)
            if indices is None:
                raise ValueError(
                    f"The victim's resampler {type(step).__name__} records no "
                    "sample_indices_, so the rows it keeps cannot be traced."
                )
            indices = np.asarray(indices)
            rows = np.where(indices >= 0, rows[np.maximum(indices, 0)], -1)
    yield final, rows


def has_labels(victim):
    """Whether a fitted victim gives labels: ``predict``, or ``labels_`` at the end."""
    if hasattr(victim, "predict"):
        return True
    return hasattr(_steps(victim)[1], "labels_")


def victim_labels(victim, X_fit, clean_rows):
    """Labels a fitted victim gives the rows ``clean_rows`` of ``X_fit``.

    With ``predict`` (a k-means, a pipeline ending in one) the clean rows are
    predicted, removed or not. Otherwise the final step's ``labels_`` are
    traced back through the resamplers' ``sample_indices_``; a clean row a
    resampler removed gets the label ``REMOVED``.
    """
    if hasattr(victim, "predict"):
        return np.asarray(victim.predict(X_fit[clean_rows]))
    *_, (final, rows) = _provenance(victim, X_fit.shape[0])
    labels = np.asarray(final.labels_)
    if labels.shape[0] != rows.shape[0]:
        raise ValueError(
            f"The victim's {type(final).__name__} has {labels.shape[0]} labels_ "
            f"for the {rows.shape[0]} rows it was fitted on."
        )
    full = np.full(X_fit.shape[0], REMOVED, dtype=np.int64)
    kept = rows >= 0
    full[rows[kept]] = labels[kept]
    return full[clean_rows]


def victim_flags(victim, n_fit):
    """Rows of the fitted data removed by the first defence (``outlier_mask_``)."""
    for step, rows in _provenance(victim, n_fit):
        mask = getattr(step, "outlier_mask_", None)
        if mask is not None:
            flags = np.zeros(n_fit, dtype=bool)
            kept = rows >= 0
            flags[rows[kept]] = np.asarray(mask, dtype=bool)[kept]
            return flags
    raise ValueError(
        "objective='eviction' and 'concealment' need a defence in the victim: a "
        "step that records outlier_mask_ (e.g. skpoison.defences.OutlierRemover "
        f"in a pipeline); {type(victim).__name__} has none."
    )


def _pairs(counts):
    counts = counts.astype(np.float64)
    return float(np.sum(counts * (counts - 1.0)) / 2.0)


def fast_adjusted_rand(codes_ref, n_ref, labels):
    """Return the adjusted Rand index of ``labels`` against codes ``codes_ref``.

    The same value as :func:`sklearn.metrics.adjusted_rand_score`, without
    its input validation: one query's score must cost far less than the
    victim's fit. ``codes_ref`` are the reference labels encoded
    ``0 .. n_ref - 1``.
    """
    _, codes = np.unique(labels, return_inverse=True)
    n_lab = int(codes.max()) + 1 if codes.size else 1
    table = np.bincount(codes_ref * n_lab + codes.ravel(), minlength=n_ref * n_lab)
    n = codes_ref.size
    index = _pairs(table)
    rows = _pairs(table.reshape(n_ref, n_lab).sum(axis=1))
    cols = _pairs(table.reshape(n_ref, n_lab).sum(axis=0))
    total = n * (n - 1) / 2.0
    expected = rows * cols / total if total else 0.0
    mean = (rows + cols) / 2.0
    if mean == expected:
        # Both partitions trivial the same way (one cluster, or singletons).
        return 1.0
    return (index - expected) / (mean - expected)


def cluster_accuracy(y_true, labels):
    """Accuracy under the best one-to-one matching of clusters to classes."""
    table = contingency_matrix(y_true, labels)
    rows, cols = linear_sum_assignment(-table)
    return table[rows, cols].sum() / len(y_true)


class Objective:
    """Damage of one query, from the victim's reference (clean) fit.

    Parameters
    ----------
    objective : str or callable
        As for :class:`~skpoison.attacks.BlackBoxAttack`.
    labels_ref : ndarray
        Labels the clean-fitted victim gives the clean rows.
    y : ndarray or None
        Targets of the clean rows (``-1`` unlabelled).
    flags_ref : ndarray of bool or None
        Clean rows the defence removes on clean data.
    """

    def __init__(self, objective, labels_ref, y, flags_ref):
        self.objective = objective
        self.labels_ref = labels_ref
        self.y = y
        self.flags_ref = flags_ref
        classes, codes = np.unique(labels_ref, return_inverse=True)
        self._codes_ref, self._n_ref = codes.ravel(), classes.size

    def __call__(self, victim, X_fit, clean_rows):
        name = self.objective
        if name in NEEDS_DEFENCE:
            flags = victim_flags(victim, X_fit.shape[0])[clean_rows]
            if name == "eviction":
                return float(np.mean(flags[~self.flags_ref]))
            return float(np.mean(~flags[self.flags_ref]))
        labels = victim_labels(victim, X_fit, clean_rows)
        if name == "ari":
            return 1.0 - fast_adjusted_rand(self._codes_ref, self._n_ref, labels)
        if name == "ami":
            return 1.0 - adjusted_mutual_info_score(self.labels_ref, labels)
        if name == "accuracy":
            labelled = ~unlabelled_mask(self.y)
            return 1.0 - cluster_accuracy(self.y[labelled], labels[labelled])
        return float(name(self.labels_ref, labels, y=self.y, victim=victim))


def fit_victim(victim, X, y=None):
    """Fit a clone of ``victim`` on ``X``, and on ``y`` when it is given."""
    victim = clone(victim)
    return victim.fit(X) if y is None else victim.fit(X, y)


class Query:
    """One query: place the candidate rows, fit a victim clone, score it.

    ``y`` is the target of every candidate's poisoned data (the perturbed rows
    keep their labels, injected rows are appended unlabelled), or ``None`` for
    a victim fitted on ``X`` alone.
    """

    def __init__(self, X, y, targets, clean_rows, lo, width, score):
        self.X = X
        self.y = y
        self.targets = targets
        self.clean_rows = clean_rows
        self.lo = lo
        self.width = width
        self.score = score

    def __sizeof__(self):
        # The data the query holds. Dask sizes a task's arguments with
        # sys.getsizeof and scatters the large ones to its workers once,
        # instead of pickling them into every task (see ``run_query``).
        arrays = [self.X, self.y, self.targets, self.clean_rows, self.lo]
        arrays += [getattr(self.score, name, None) for name in vars(self.score)]
        return object.__sizeof__(self) + sum(
            a.nbytes for a in arrays if isinstance(a, np.ndarray)
        )

    def rows(self, z):
        """Return the poisoning rows (injected, or moved) of candidate ``z``."""
        z = z.reshape(self.lo.shape)
        if self.targets.size:
            return self.X[self.targets] + self.lo + z * self.width
        return self.lo + z * self.width

    def __call__(self, victim, z):
        rows = self.rows(z).astype(self.X.dtype)
        if self.targets.size:
            X_fit = self.X.copy()
            X_fit[self.targets] = rows
        else:
            X_fit = np.concatenate([self.X, rows])
        try:
            fitted = fit_victim(victim, X_fit, self.y)
            value = float(self.score(fitted, X_fit, self.clean_rows))
        except Exception as exc:  # noqa: BLE001 - a failing victim costs a query
            return -np.inf, f"{type(exc).__name__}: {exc}"
        if not np.isfinite(value):
            return -np.inf, f"objective returned {value}"
        return value, None


def run_query(query, victim, z):
    """Run ``query(victim, z)``.

    The query is an argument, not the called function, so that joblib's Dask
    backend scatters it (and the data it holds) rather than pickling it into
    each task.
    """
    return query(victim, z)
