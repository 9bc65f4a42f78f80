"""Registry of the benchmarked components.

Each :class:`Case` names one call to time. ``setup(data)`` builds whatever the
call needs (the estimator, the data in the right dtype) and returns a
zero-argument callable: the timed call. A component that cannot be imported is
reported as ``"missing"`` by the runner, never a crash.

Reference kinds (measured in the same run, same size, same dtype):

``kmeans``
    ``sklearn.cluster.KMeans(n_clusters=8, n_init=1, random_state=0).fit(X)``:
    for components that fit a clusterer.
``pass``
    ``X.sum()``: one pass over X, the memory-bandwidth floor of an O(n) call.
``floor``
    "The work it cannot avoid" for an O(n) attack: writing its output array
    and drawing the random numbers it needs (see :func:`_floor`); ``pass`` is
    reported alongside.
``seeded``
    sklearn Lloyd ``KMeans(init=<same class-mean centres>, n_init=1,
    max_iter=<same n_iter_>, tol=<same tol>, algorithm="lloyd")``.
``per_iter``
    Per-iteration time: (fit time / ``n_iter_``) against a sklearn Lloyd
    KMeans' (fit time / ``n_iter_``).
``absolute``
    Metrics: absolute seconds (target < 1 s at 1e6 rows); ratio to ``pass``.
``sklearn``
    The same quantities from scikit-learn's own functions, on the same input:
    a ratio below 1 means skpoison's hand-written code pays (see
    :func:`_versus_sklearn`).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

import numpy as np

N_CENTERS = 8
LABELLED_SHARE = 0.2


@dataclass
class Data:
    """One benchmark data set: blobs, labels and a 20 %-labelled target."""

    X: np.ndarray
    y_true: np.ndarray
    y_semi: np.ndarray  # -1 for the 80 % unlabelled rows

    @property
    def dtype(self):
        return self.X.dtype


def make_data(n_samples, n_features, dtype, seed=0, intrinsic_dim=None):
    """Blobs with 8 centres, seeded; 20 % of the rows keep their label.

    With ``intrinsic_dim``, the blobs are drawn in that many dimensions and
    rotated into ``n_features`` (a random orthonormal basis): correlated
    features, as real tables have, where isotropic blobs fill every
    dimension. Neighbour queries with a tree depend on that dimension.
    """
    from sklearn.datasets import make_blobs

    dim = n_features if intrinsic_dim is None else intrinsic_dim
    if not 0 < dim <= n_features:
        raise ValueError(f"intrinsic_dim={intrinsic_dim} not in 1..{n_features}")
    X, y = make_blobs(
        n_samples=n_samples, n_features=dim, centers=N_CENTERS, random_state=seed
    )
    if dim < n_features:
        rng = np.random.default_rng(seed)
        basis, _ = np.linalg.qr(rng.normal(size=(n_features, dim)))
        X = X @ basis.T
    X = X.astype(dtype, copy=False)
    rng = np.random.default_rng(seed)
    y_semi = np.full_like(y, -1)
    labelled = rng.random(n_samples) < LABELLED_SHARE
    y_semi[labelled] = y[labelled]
    return Data(X=X, y_true=y, y_semi=y_semi)


@dataclass
class Case:
    """One benchmarked call."""

    name: str
    module: str
    attr: str
    setup: object  # callable(cls, data) -> (call, floor_call or None)
    kind: str
    target: str = ""
    max_rows: float = float("inf")  # super-linear: skipped above this size
    # Above 15 features neighbour searches are brute force (quadratic in rows):
    # skipped above this size there.
    max_rows_brute: float = float("inf")
    note: str = ""
    extra: dict = field(default_factory=dict)

    def load(self):
        """The component class/function, or raise ImportError/AttributeError."""
        return getattr(importlib.import_module(self.module), self.attr)


def _floor(X, n_new, *, copy=False, seed=0):
    """The unavoidable work of an O(n) attack: draw its noise, write its output."""
    rng = np.random.default_rng(seed)

    def call():
        noise = rng.standard_normal((n_new, X.shape[1]), dtype=X.dtype)
        if copy:
            out = X.copy()
            out[:n_new] += noise
            return out
        return np.concatenate([X, noise])

    return call


def _label_floor(y, seed=0):
    rng = np.random.default_rng(seed)
    rows = np.flatnonzero(y != -1)
    m = int(0.1 * rows.shape[0])

    def call():
        out = y.copy()
        chosen = rng.choice(rows, size=m, replace=False)
        out[chosen] = out[chosen][rng.permutation(m)]
        return out

    return call


def _injection(**params):
    def setup(cls, d):
        est = cls(**params, random_state=0)
        n_new = int(np.ceil(params.get("n_poison", 0.1) * d.X.shape[0]))
        return (lambda: est.fit_resample(d.X)), _floor(d.X, n_new)

    return setup


def _gaussian(cls, d):
    est = cls(random_state=0)  # default n_poison=1.0: every row perturbed
    return (lambda: est.fit_resample(d.X)), _floor(d.X, d.X.shape[0], copy=True)


def _label(cls, d):
    est = cls(random_state=0)
    return (lambda: est.fit_resample(d.X, d.y_semi)), _label_floor(d.y_semi)


def _defence(make):
    def setup(cls, d):
        est = make(cls)
        return (lambda: est.fit_resample(d.X)), None

    return setup


def _dbscan_exact_or_approximate(algorithm):
    # The reference: one k-nearest-neighbour query with the remover's default
    # min_samples = 2 * n_features (see References.kneighbors).
    def setup(cls, d):
        est = cls(algorithm=algorithm)
        return (lambda: est.fit_resample(d.X)), max(2, 2 * d.X.shape[1])

    return setup


def _outlier_remover_iforest(cls, d):
    from sklearn.ensemble import IsolationForest

    est = cls(IsolationForest(random_state=0))
    return (lambda: est.fit_resample(d.X)), None


def _outlier_remover_kmmm(cls, d):
    from skpoison.cluster import KMeansMinusMinus

    est = cls(KMeansMinusMinus(N_CENTERS, n_init=1, random_state=0))
    return (lambda: est.fit_resample(d.X)), None


def _outlier_remover_lof(cls, d):
    from sklearn.neighbors import LocalOutlierFactor

    est = cls(LocalOutlierFactor())
    return (lambda: est.fit_resample(d.X)), None


def _sskm(method):
    def setup(cls, d):
        est = cls(N_CENTERS, method=method, random_state=0)
        return (lambda: est.fit(d.X, d.y_semi)), est

    return setup


def _kmmm(cls, d):
    est = cls(N_CENTERS, n_init=1, random_state=0)
    return (lambda: est.fit(d.X)), est


def _metric(args):
    def setup(fn, d):
        a = args(d)
        return (lambda: fn(*a)), None

    return setup


def _versus_sklearn(ours, theirs):
    """Setup timing ``ours(d)`` against ``theirs(d)``, scikit-learn's equivalent."""

    def setup(fn, d):
        perturbed = _perturbed(d)
        return (lambda: ours(d, perturbed)), (lambda: theirs(d, perturbed))

    return setup


def _internal_ours(d, labels):
    from skpoison.metrics._clustering import _cluster_stats

    stats = _cluster_stats(d.X, labels)
    return stats["calinski_harabasz"], stats["davies_bouldin"]


def _internal_sklearn(d, labels):
    from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score

    return calinski_harabasz_score(d.X, labels), davies_bouldin_score(d.X, labels)


def _external_ours(d, labels):
    from skpoison.metrics._clustering import _external_scores

    return _external_scores(d.y_true, labels)


def _external_sklearn(d, labels):
    from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score

    from skpoison.metrics import cluster_accuracy

    return (
        adjusted_rand_score(d.y_true, labels),
        adjusted_mutual_info_score(d.y_true, labels),
        cluster_accuracy(d.y_true, labels),
    )


def _perturbed(d, share=0.1, seed=1):
    rng = np.random.default_rng(seed)
    labels = d.y_true.copy()
    idx = rng.random(labels.shape[0]) < share
    labels[idx] = rng.integers(0, N_CENTERS, idx.sum())
    return labels


def _centres(d, labels):
    return np.stack([d.X[labels == k].mean(axis=0) for k in range(N_CENTERS)])


def _evaluate(cls, d):
    from sklearn.cluster import KMeans

    from skpoison.attacks import BridgeAttack

    def call():
        return cls(
            KMeans(N_CENTERS, n_init=1, random_state=0),
            BridgeAttack(n_poison=0.1, n_clusters=N_CENTERS),
            d.X,
            d.y_true,
            n_repeats=2,
            random_state=0,
        )

    return call, None


def _evaluate_kmmm(cls, d):
    from skpoison.attacks import BridgeAttack
    from skpoison.cluster import KMeansMinusMinus

    def call():
        return cls(
            KMeansMinusMinus(N_CENTERS, random_state=0),
            BridgeAttack(n_poison=0.1, n_clusters=N_CENTERS),
            d.X,
            d.y_true,
            n_repeats=2,
            random_state=0,
        )

    return call, None


A, D, C, M, S = (
    "skpoison.attacks",
    "skpoison.defences",
    "skpoison.cluster",
    "skpoison.metrics",
    "skpoison.model_selection",
)

LINEAR_ATTACK = "ratio to floor <= 3x at 1e6x50 float64"

CASES = [
    # --- attacks -----------------------------------------------------------
    Case(
        "GaussianNoiseAttack",
        A,
        "GaussianNoiseAttack",
        _gaussian,
        "floor",
        LINEAR_ATTACK,
        note="default n_poison=1.0 (every row perturbed)",
    ),
    Case(
        "UniformOutlierAttack",
        A,
        "UniformOutlierAttack",
        _injection(n_poison=0.1),
        "floor",
        LINEAR_ATTACK,
    ),
    Case(
        "SubtleOutlierAttack",
        A,
        "SubtleOutlierAttack",
        _injection(n_poison=0.1),
        "floor",
        LINEAR_ATTACK,
    ),
    Case(
        "CentroidNoiseAttack",
        A,
        "CentroidNoiseAttack",
        _injection(n_poison=0.1, n_clusters=N_CENTERS),
        "kmeans",
        "<= 1.5x KMeans",
        note="y=None: fits KMeans(8, n_init=1) itself",
    ),
    Case(
        "BridgeAttack",
        A,
        "BridgeAttack",
        _injection(n_poison=0.1, n_clusters=N_CENTERS),
        "kmeans",
        "<= 1.5x the KMeans it fits",
        note="y=None, n_clusters=8: fits KMeans(8, n_init=1) == the reference",
    ),
    Case(
        "MimicryAttack",
        A,
        "MimicryAttack",
        _injection(n_poison=0.1),
        "kmeans",
        "",
        max_rows=1e5,
        max_rows_brute=1e4,
        note="default detector DBSCANOutlierRemover; verification rounds reuse the "
        "clean rows' neighbours; <= 1e5 rows (1e4 above 15 features)",
    ),
    Case(
        "LabelFlipAttack",
        A,
        "LabelFlipAttack",
        _label,
        "floor",
        LINEAR_ATTACK,
        note="y: 20% labelled; floor = y.copy() + choice + permutation",
    ),
    Case(
        "LabelShuffleAttack",
        A,
        "LabelShuffleAttack",
        _label,
        "floor",
        LINEAR_ATTACK,
        note="y: 20% labelled",
    ),
    # --- defences ----------------------------------------------------------
    Case(
        "OutlierRemover(IsolationForest)",
        D,
        "OutlierRemover",
        _outlier_remover_iforest,
        "kmeans",
        "",
    ),
    Case(
        "OutlierRemover(KMeansMinusMinus)",
        D,
        "OutlierRemover",
        _outlier_remover_kmmm,
        "kmeans",
        "<= 2x KMeans",
    ),
    Case(
        "OutlierRemover(LOF)",
        D,
        "OutlierRemover",
        _outlier_remover_lof,
        "kmeans",
        "",
        max_rows=1e4,
        note="LOF: k-NN over all rows, super-linear; <= 1e4 rows",
    ),
    Case(
        "DBSCANOutlierRemover",
        D,
        "DBSCANOutlierRemover",
        _dbscan_exact_or_approximate("auto"),
        "knn",
        "<= 3x one kneighbors(min_samples) at 1e6x10; growth 1e5->1e6 <= 15x",
        max_rows_brute=1e5,
        note="exact noise from k-NN queries; brute force above 15 features: <= 1e5 "
        "rows there (run with --features 10 for the tree target)",
    ),
    Case(
        "DBSCANOutlierRemover(approximate)",
        D,
        "DBSCANOutlierRemover",
        _dbscan_exact_or_approximate("approximate"),
        "knn",
        "",
        max_rows=1e5,
        note="faiss HNSW graph, built on one thread; <= 1e5 rows",
    ),
    Case(
        "DBSCANOutlierRemover(max_samples=2000)",
        D,
        "DBSCANOutlierRemover",
        _defence(lambda cls: cls(max_samples=2000, random_state=0)),
        "kmeans",
        "",
        max_rows=1e5,
        note="sampled k-distance curve; the exact noise test of the uncovered rows "
        "is still quadratic in them: <= 1e5 rows",
    ),
    Case(
        "KMeansNoiseRemover",
        D,
        "KMeansNoiseRemover",
        _defence(lambda cls: cls(random_state=0)),
        "kmeans",
        "",
    ),
    # --- clusterers --------------------------------------------------------
    Case(
        "SemiSupervisedKMeans(seeded)",
        C,
        "SemiSupervisedKMeans",
        _sskm("seeded"),
        "seeded",
        "<= 1.2x sklearn Lloyd, same init and iterations",
    ),
    Case(
        "SemiSupervisedKMeans(constrained)",
        C,
        "SemiSupervisedKMeans",
        _sskm("constrained"),
        "seeded",
        "<= 2x sklearn Lloyd, same init and iterations",
    ),
    Case(
        "KMeansMinusMinus",
        C,
        "KMeansMinusMinus",
        _kmmm,
        "per_iter",
        "<= 2x per Lloyd iteration",
    ),
    # --- metrics -----------------------------------------------------------
    Case(
        "cluster_accuracy",
        M,
        "cluster_accuracy",
        _metric(lambda d: (d.y_true, _perturbed(d))),
        "absolute",
        "< 1 s at 1e6",
    ),
    Case(
        "coassociation_distance",
        M,
        "coassociation_distance",
        _metric(lambda d: (d.y_true, _perturbed(d))),
        "absolute",
        "< 1 s at 1e6",
    ),
    Case(
        "assignment_change_rate",
        M,
        "assignment_change_rate",
        _metric(lambda d: (d.y_true, _perturbed(d))),
        "absolute",
        "< 1 s at 1e6",
    ),
    Case(
        "centroid_shift",
        M,
        "centroid_shift",
        _metric(lambda d: (_centres(d, d.y_true), _centres(d, _perturbed(d)))),
        "absolute",
        "< 1 s at 1e6",
    ),
    Case(
        "mean_within_cluster_std",
        M,
        "mean_within_cluster_std",
        _metric(lambda d: (d.X, d.y_true)),
        "absolute",
        "< 1 s at 1e6",
    ),
    Case(
        "clustering_report",
        M,
        "clustering_report",
        _metric(lambda d: (d.X, _perturbed(d), d.y_true)),
        "absolute",
        "< 1 s at 1e6",
    ),
    # Hand-written metric code against scikit-learn's own functions: kept only
    # where the ratio stays clearly below 1 (see benchmarks/README.md).
    Case(
        "CH+DB vs sklearn",
        M,
        "mean_within_cluster_std",
        _versus_sklearn(_internal_ours, _internal_sklearn),
        "sklearn",
        "< 1 (else use sklearn's)",
        note="_cluster_stats vs calinski_harabasz_score + davies_bouldin_score",
    ),
    Case(
        "ARI+AMI+accuracy vs sklearn",
        M,
        "clustering_report",
        _versus_sklearn(_external_ours, _external_sklearn),
        "sklearn",
        "< 1 (else use sklearn's)",
        note="one contingency table + truncated EMI vs ARI + AMI + accuracy",
    ),
    # --- model selection ---------------------------------------------------
    Case(
        "evaluate_attack(Bridge, n_repeats=2)",
        S,
        "evaluate_attack",
        _evaluate,
        "kmeans",
        "",
        note="2 repeats x (clean + poisoned KMeans fit) + Bridge's KMeans",
    ),
    Case(
        "evaluate_attack(KMeans--, Bridge) memory",
        S,
        "evaluate_attack",
        _evaluate_kmmm,
        "kmeans",
        "peak xX <= 3",
        note=(
            "memory case: a victim whose own fit peaks near 1x its input "
            "(scikit-learn's KMeans peaks at 2x: copy_x), so the column shows "
            "the runner's own cost: the poisoned copy + bookkeeping"
        ),
    ),
]
