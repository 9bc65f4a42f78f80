import itertools
import warnings

import joblib
import numpy as np
import pytest
from imblearn.pipeline import make_pipeline
from numpy.testing import assert_array_equal
from sklearn.base import BaseEstimator, ClusterMixin, clone
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
from sklearn.ensemble import IsolationForest
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler
from sklearn.utils import get_tags
from threadpoolctl import threadpool_limits

from skpoison.attacks import BlackBoxAttack
from skpoison.attacks._objectives import fast_adjusted_rand
from skpoison.attacks._optimizers import ClumpSearch, make_search
from skpoison.cluster import SemiSupervisedKMeans
from skpoison.defences import OutlierRemover
from skpoison.model_selection import fit_paired
from skpoison.preprocessing import MaskLabels


@pytest.fixture(autouse=True)
def _one_thread():
    # Hundreds of tiny victim fits: OpenMP threads only add overhead here.
    with threadpool_limits(1):
        yield


@pytest.fixture(scope="module")
def iris():
    data = load_iris()
    return StandardScaler().fit_transform(data.data), data.target


def _kmeans(k=3):
    return KMeans(n_clusters=k, n_init=1, random_state=0)


def test_genetic_beats_random_search_with_the_same_budget():
    # Breast cancer, two k-means clusters, 28 injected rows inside the box,
    # 40 queries: uniform draws barely move the clusters; the genetic search
    # finds a clump that captures a centroid, for every seed.
    X = StandardScaler().fit_transform(load_breast_cancer().data)
    scores = {}
    for optimizer in ("random", "genetic"):
        scores[optimizer] = [
            BlackBoxAttack(
                _kmeans(2), n_queries=40, optimizer=optimizer, random_state=seed
            )
            .fit(X)
            .best_score_
            for seed in range(3)
        ]
    assert min(scores["genetic"]) > max(scores["random"]) + 0.3


def test_clump_search_beats_random_search_on_wine():
    # Wine, three k-means clusters (n_init=3, so a lucky restart does not
    # undo a poor placement), 9 injected rows in the box, 40 queries, 5
    # seeds: uniform rows barely change the clusters (1 - ARI < 0.1); the
    # search over clumps steals a centroid (two cultivars merged) every time.
    X = StandardScaler().fit_transform(load_wine().data)
    victim = KMeans(n_clusters=3, n_init=3, random_state=0)
    scores = {
        optimizer: [
            BlackBoxAttack(victim, n_queries=40, optimizer=optimizer, random_state=seed)
            .fit(X)
            .best_score_
            for seed in range(5)
        ]
        for optimizer in ("random", "genetic")
    }
    assert max(scores["random"]) < 0.15
    assert min(scores["genetic"]) > max(scores["random"]) + 0.4


def test_clump_search_beats_random_search_in_an_expanded_region():
    # Wine, 9 injected rows, the box widened by half its range on each side,
    # 100 queries, 3 seeds: uniform rows at best merge two cultivars
    # (1 - ARI about 0.58); two tight clumps at far vertices each take a
    # centroid and leave every clean row in one cluster (1 - ARI = 1).
    data = load_wine()
    X = StandardScaler().fit_transform(data.data)
    victim = KMeans(n_clusters=3, n_init=3, random_state=0)
    scores = {"random": [], "genetic": []}
    for optimizer, seed in itertools.product(scores, range(3)):
        attack = BlackBoxAttack(
            victim,
            feasible_region=0.5,
            n_queries=100,
            optimizer=optimizer,
            random_state=seed,
        )
        X_res, _ = attack.fit_resample(X)
        scores[optimizer].append(attack.best_score_)
        if optimizer == "genetic":
            labels = clone(victim).fit(X_res).predict(X)
            assert adjusted_rand_score(data.target, labels) < 0.05
    assert max(scores["random"]) < 0.7
    assert min(scores["genetic"]) > 0.95


class _SeedLottery(ClusterMixin, BaseEstimator):
    """Damage 1 for injected rows near a spot its seed draws, or high up.

    The mean ``m`` of the injected rows' feature decides: ``m > 0.7`` hurts
    under every seed, ``|m - spot| < 0.15`` (``spot`` uniform in [0, 0.5]
    from ``random_state``) only under that seed.
    """

    def __init__(self, n_clean=30, random_state=None):
        self.n_clean = n_clean
        self.random_state = random_state

    def fit(self, X, y=None):
        spot = np.random.RandomState(self.random_state).uniform(0.0, 0.5)
        m = X[self.n_clean :, 0].mean() if X.shape[0] > self.n_clean else -1.0
        self.damage_ = float(m > 0.7 or abs(m - spot) < 0.15)
        self.labels_ = np.zeros(X.shape[0], dtype=int)
        return self


def _damage(labels_ref, labels, y=None, victim=None):
    return victim.damage_


def test_seed_check_prefers_damage_under_unknown_seeds():
    X = np.linspace(0.0, 1.0, 30)[:, None]

    def returned_mean(victim, seed):
        attack = BlackBoxAttack(
            victim,
            objective=_damage,
            optimizer="random",
            n_queries=300,
            random_state=seed,
        )
        X_res, _ = attack.fit_resample(X)
        return attack, X_res[attack.poison_mask_, 0].mean()

    for seed in range(5):
        # The victim's seed is left to the attack: unknown, so checked.
        attack, m = returned_mean(_SeedLottery(), seed)
        assert m > 0.7
        assert attack.best_score_ == 1.0
        # 10 candidates refitted under 3 other seeds, within the budget.
        assert attack.n_queries_ == len(attack.history_) == 300
        assert np.all(attack.history_[-30:] == attack.history_[-31])
    # A victim with a known seed is not checked: the first candidate that
    # hurts it is returned, and here that is often the seed's lucky spot.
    fixed = [returned_mean(_SeedLottery(random_state=3), seed)[1] for seed in range(5)]
    assert min(fixed) < 0.7


def test_clump_search_candidates_are_few_clumps():
    rng = np.random.RandomState(0)
    anchors = rng.uniform(size=(30, 5))
    search = make_search(
        "genetic", 12, 5, bounded=True, n_queries=100, rng=rng, anchors=anchors
    )
    assert isinstance(search, ClumpSearch)
    for _ in range(3):
        Z = search.ask(search.n_ask())
        assert Z.shape[1] == 12 * 5
        assert np.all((Z >= 0) & (Z <= 1))
        for z, genome in zip(Z, search._asked, strict=True):
            rows = z.reshape(12, 5)
            groups = genome["a"]
            # At most four clumps; every row within its clump's spread.
            assert np.unique(groups).size <= 4
            centre = np.clip(genome["C"][groups], 0, 1)
            radius = 6 * genome["s"][groups, None] + 1e-12
            assert np.all(np.abs(rows - centre) <= radius)
        search.tell(Z, rng.uniform(size=len(Z)))
    # Perturbations (no anchors) keep the row-wise genetic search.
    assert not isinstance(
        make_search("genetic", 3, 5, bounded=True, n_queries=40, rng=rng),
        ClumpSearch,
    )


def _run_clump_search(gain_per_generation, n_generations=20):
    """Drive a clump search whose best damage grows by a fixed step."""
    rng = np.random.RandomState(0)
    search = make_search(
        "genetic",
        6,
        3,
        bounded=True,
        n_queries=20 * n_generations,
        rng=rng,
        anchors=rng.uniform(size=(30, 3)),
    )
    asked = []
    for generation in range(n_generations):
        n = search.n_ask()
        asked.append(n)
        Z = search.ask(n)
        search.tell(Z, np.full(n, gain_per_generation * generation))
    return search, asked


def test_clump_search_restarts_when_it_stalls():
    # Flat damage: 5 generations after a run's first (its last gain of
    # 0.01) the run starts afresh with a full new first generation, as long
    # as 5 generations remain.
    search, asked = _run_clump_search(0.0)
    assert search.n_restarts == 2
    assert [i for i, n in enumerate(asked) if n == 20] == [0, 6, 12]
    # Damage that keeps growing: one run, elites kept.
    search, asked = _run_clump_search(0.02)
    assert search.n_restarts == 0
    assert asked == [20] + [18] * 19


def test_fast_adjusted_rand_matches_scikit_learn():
    rng = np.random.RandomState(0)
    cases = [(np.zeros(5, int), np.zeros(5, int)), (np.arange(6), np.arange(6))]
    cases += [(np.zeros(6, int), np.arange(6)), (np.array([0]), np.array([3]))]
    for _ in range(200):
        n = rng.randint(2, 40)
        cases.append((rng.randint(-2, 4, n), rng.randint(-2, 5, n)))
    for ref, labels in cases:
        classes, codes = np.unique(ref, return_inverse=True)
        assert fast_adjusted_rand(codes, classes.size, labels) == pytest.approx(
            adjusted_rand_score(ref, labels), abs=1e-12
        )


def test_inject_provenance_and_history(iris):
    X, y = iris
    attack = BlackBoxAttack(_kmeans(), n_poison=0.05, n_queries=40, random_state=0)
    X_res, y_res = attack.fit_resample(X, y)
    n = X.shape[0]
    assert attack.n_poison_ == 8
    assert X_res.shape == (n + 8, X.shape[1])
    assert_array_equal(X_res[:n], X)
    assert_array_equal(y_res[:n], y)
    assert_array_equal(y_res[n:], -1)
    assert_array_equal(attack.sample_indices_, np.r_[np.arange(n), [-1] * 8])
    assert_array_equal(attack.poison_mask_, np.r_[[False] * n, [True] * 8])
    # Injected rows stay in the data's box (feasible_region="box").
    assert np.all(X_res[n:] >= X.min(axis=0)) and np.all(X_res[n:] <= X.max(axis=0))
    history = attack.history_
    assert attack.n_queries_ == len(history) == 40
    assert np.all(np.diff(history) >= 0)
    assert history[-1] == attack.best_score_
    # best_score_ is the damage of the returned poisoning on the victim.
    refit = _kmeans().fit(X_res).predict(X)
    reference = attack.victim_.predict(X)
    assert attack.best_score_ == pytest.approx(
        1 - adjusted_rand_score(reference, refit)
    )
    assert attack.perturbation_norms_["l0"] == 8


def test_perturb_respects_linf_bound_and_box(iris):
    X, _ = iris
    eps = 0.3
    attack = BlackBoxAttack(
        _kmeans(),
        n_poison=5,
        mode="perturb",
        max_perturbation=eps,
        n_queries=40,
        random_state=0,
    )
    X_res, _ = attack.fit_resample(X)
    moved = attack.target_rows_
    assert moved.shape == (5,)
    assert_array_equal(np.flatnonzero(attack.poison_mask_), moved)
    assert_array_equal(attack.sample_indices_, np.arange(X.shape[0]))
    others = np.setdiff1d(np.arange(X.shape[0]), moved)
    assert_array_equal(X_res[others], X[others])
    change = np.abs(X_res[moved] - X[moved]) / X.std(axis=0)
    assert change.max() <= eps + 1e-9
    assert attack.perturbation_norms_["linf"] == pytest.approx(change.max())
    assert np.all(X_res >= X.min(axis=0) - 1e-12)
    assert np.all(X_res <= X.max(axis=0) + 1e-12)


def test_explicit_and_no_feasible_region(iris):
    X, _ = iris
    bounds = np.array([np.full(4, 5.0), np.full(4, 6.0)])
    attack = BlackBoxAttack(
        _kmeans(), n_queries=20, feasible_region=bounds, random_state=0
    )
    X_res, _ = attack.fit_resample(X)
    injected = X_res[attack.poison_mask_]
    assert np.all((injected >= 5.0) & (injected <= 6.0))
    free = BlackBoxAttack(_kmeans(), n_queries=20, feasible_region=None, random_state=0)
    injected = free.fit_resample(X)[0][free.poison_mask_]
    assert np.any((injected < X.min(axis=0)) | (injected > X.max(axis=0)))


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_same_seed_same_result(iris, n_jobs):
    X, _ = iris
    params = dict(n_queries=30, random_state=3)
    ref = BlackBoxAttack(_kmeans(), n_jobs=1, **params)
    X_ref, _ = ref.fit_resample(X)
    other = BlackBoxAttack(KMeans(3, n_init=1), n_jobs=n_jobs, **params)
    other.victim.set_params(random_state=0)
    X_other, _ = other.fit_resample(X)
    assert_array_equal(X_ref, X_other)
    assert_array_equal(ref.history_, other.history_)


def test_dask_backend_gives_the_same_result(iris):
    X, _ = iris
    distributed = pytest.importorskip("distributed")
    params = dict(n_queries=20, random_state=3)
    X_ref, _ = BlackBoxAttack(_kmeans(), n_jobs=1, **params).fit_resample(X)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster),
        joblib.parallel_backend("dask"),
    ):
        X_dask, _ = BlackBoxAttack(_kmeans(), **params).fit_resample(X)
    assert_array_equal(X_ref, X_dask)


def test_dask_tasks_do_not_carry_the_data():
    distributed = pytest.importorskip("distributed")
    dask = pytest.importorskip("dask")
    X = np.random.RandomState(0).normal(size=(4000, 10))  # 320 kB
    attack = BlackBoxAttack(_kmeans(), n_queries=20, random_state=0)
    # The query (holding X) is scattered to the workers, not put in each
    # task: no task graph comes near the size of X.
    with (
        dask.config.set({"distributed.admin.large-graph-warning-threshold": "100kB"}),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster),
        joblib.parallel_backend("dask"),
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        attack.fit_resample(X)
    assert not [w for w in caught if "large graph" in str(w.message)]
    assert attack.n_queries_ == 20


def test_unset_victim_seed_is_fixed_from_the_attack(iris):
    X, _ = iris
    runs = [
        BlackBoxAttack(KMeans(3, n_init=1), n_queries=20, random_state=1).fit_resample(
            X
        )[0]
        for _ in range(2)
    ]
    assert_array_equal(runs[0], runs[1])


class _Fragile(ClusterMixin, BaseEstimator):
    """A clusterer that fails when a row's first feature lies in ``gap``."""

    def __init__(self, gap=(0.0, 1.0), max_rows=None):
        self.gap = gap
        self.max_rows = max_rows

    def fit(self, X, y=None):
        if self.max_rows is not None and X.shape[0] > self.max_rows:
            raise RuntimeError("too many rows")
        if np.any((X[:, 0] > self.gap[0]) & (X[:, 0] < self.gap[1])):
            raise RuntimeError("row out of range")
        self.labels_ = (X[:, 1] > np.median(X[:, 1])).astype(int)
        return self


def test_failing_candidates_cost_a_query_not_the_attack():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 0, size=(40, 2))
    X[0, 0] = 1.0  # the box reaches x0 = 1
    # A query fails when one of the two injected rows has x0 in (0.1, 0.9).
    victim = _Fragile(gap=(0.1, 0.9))
    attack = BlackBoxAttack(
        victim, n_poison=2, n_queries=40, optimizer="random", random_state=0
    )
    X_res, _ = attack.fit_resample(X)
    assert 0 < attack.n_failed_queries_ < 40
    assert np.isfinite(attack.best_score_)
    injected = X_res[attack.poison_mask_, 0]
    assert not np.any((injected > 0.1) & (injected < 0.9))


def test_all_candidates_failing_is_a_clear_error():
    X = np.random.RandomState(0).uniform(-1, 0, size=(40, 2))
    # The clean data fits; any candidate with an injected row fails.
    victim = _Fragile(gap=(5.0, 6.0), max_rows=40)
    attack = BlackBoxAttack(victim, n_queries=20, feasible_region=2.0, random_state=0)
    with pytest.raises(ValueError, match="failed on all 20.*too many rows"):
        attack.fit_resample(X)


def test_ward_labels_traced_through_a_defence(iris):
    X, _ = iris
    victim = make_pipeline(
        OutlierRemover(IsolationForest(n_estimators=20, random_state=0)),
        AgglomerativeClustering(3, linkage="ward"),
    )
    attack = BlackBoxAttack(victim, n_queries=20, random_state=0).fit(X)
    flagged = attack.victim_.steps[0][1].outlier_mask_
    assert flagged.any()
    assert_array_equal(attack.labels_ref_ == -2, flagged)
    assert attack.best_score_ > 0


def test_eviction_and_concealment_objectives(iris):
    X, _ = iris
    victim = make_pipeline(
        OutlierRemover(IsolationForest(n_estimators=20, random_state=0)), _kmeans()
    )
    for objective in ("eviction", "concealment"):
        attack = BlackBoxAttack(
            victim, objective=objective, n_queries=20, random_state=0
        ).fit(X)
        assert 0 <= attack.best_score_ <= 1
    with pytest.raises(ValueError, match="need a defence in the victim"):
        BlackBoxAttack(_kmeans(), objective="eviction", n_queries=20).fit(X)


def test_accuracy_and_callable_objectives(iris):
    X, y = iris
    attack = BlackBoxAttack(
        _kmeans(), objective="accuracy", n_queries=20, random_state=0
    ).fit(X, y)
    assert 0 < attack.best_score_ < 1
    seen = {}

    def moved(labels_ref, labels, y=None, victim=None):
        seen["args"] = (labels_ref.shape, labels.shape, y is None, victim is not None)
        return float(np.mean(labels_ref != labels))

    attack = BlackBoxAttack(_kmeans(), objective=moved, n_queries=20, random_state=0)
    attack.fit(X)
    assert seen["args"] == ((150,), (150,), True, True)
    assert 0 <= attack.best_score_ <= 1


def test_cmaes_optimizer(iris):
    X, _ = iris
    attack = BlackBoxAttack(_kmeans(), optimizer="cmaes", n_queries=40, random_state=0)
    X_res, _ = attack.fit_resample(X)
    assert attack.n_queries_ == 40
    assert np.all(X_res >= X.min(axis=0) - 1e-12)


def test_warm_start(iris):
    X, _ = iris
    attack = BlackBoxAttack(
        KMeans(3, n_init=10, random_state=0),
        n_queries=40,
        warm_start=True,
        random_state=0,
    ).fit(X)
    # 39 warm-started queries, then one on the exact victim.
    assert attack.n_queries_ == 40 and len(attack.history_) == 39
    with pytest.raises(ValueError, match="warm_start=True needs"):
        BlackBoxAttack(AgglomerativeClustering(3), n_queries=20, warm_start=True).fit(X)


def test_spill_over_on_digits_with_ward():
    # Chhabra et al. (AAAI 2020): one perturbed digit moves tens of other rows
    # to the other Ward cluster.
    digits = load_digits()
    X = digits.data[np.isin(digits.target, (8, 9))]
    ward = AgglomerativeClustering(2, linkage="ward")
    attack = BlackBoxAttack(
        ward,
        n_poison=1,
        mode="perturb",
        max_perturbation=1.0,
        n_queries=60,
        random_state=0,
    )
    X_res, _ = attack.fit_resample(X)
    before = ward.fit(X).labels_
    after = AgglomerativeClustering(2, linkage="ward").fit(X_res).labels_
    others = ~attack.poison_mask_
    changed = np.sum(before[others] != after[others])
    assert min(changed, others.sum() - changed) >= 10


@pytest.mark.parametrize(
    "params, y, match",
    [
        ({"objective": "accuracy"}, None, "needs y"),
        ({"mode": "perturb"}, None, "needs max_perturbation"),
        ({"max_perturbation": 0.0, "mode": "perturb"}, None, "max_perturbation"),
        ({"max_perturbation": -1.0}, None, "max_perturbation"),
        ({"n_queries": 19}, None, "smaller than one generation"),
        (
            {"mode": "perturb", "max_perturbation": 1.0, "n_poison": 149},
            None,
            "at least 2 must remain",
        ),
        ({"feasible_region": np.zeros((3, 4))}, None, r"shape \(2, n_features\)"),
        ({"feasible_region": [[0] * 4, [np.inf] * 4]}, None, "finite"),
        ({"feasible_region": [[1] * 4, [0] * 4]}, None, "lower bound exceeds"),
        ({"optimizer": "sgd"}, None, "optimizer"),
        ({"objective": "silhouette"}, None, "objective"),
    ],
)
def test_bad_parameters(iris, params, y, match):
    X, _ = iris
    with pytest.raises(ValueError, match=match):
        BlackBoxAttack(_kmeans(), **{"n_queries": 20, **params}).fit(X, y)


def test_bad_victims_and_data(iris):
    X, _ = iris
    with pytest.raises(ValueError, match="victim"):
        BlackBoxAttack(object(), n_queries=20).fit(X)
    with pytest.raises(ValueError, match="neither predict nor labels_"):
        BlackBoxAttack(StandardScaler(), n_queries=20).fit(X)
    X_bad = X.copy()
    X_bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        BlackBoxAttack(_kmeans(), n_queries=20).fit(X_bad)


class _Log(list):
    """A list that clones share (``clone`` deep-copies other parameters)."""

    def __deepcopy__(self, memo):
        return self


class _LabelledRecorder(ClusterMixin, BaseEstimator):
    """A clusterer fitted on labels that records the y of each fit."""

    def __init__(self, record=None):
        self.record = record

    def fit(self, X, y):
        self.record.append(np.asarray(y).copy())
        self.labels_ = (X[:, 0] > np.median(X[:, 0])).astype(int)
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags


@pytest.mark.parametrize("mode", ["inject", "perturb"])
def test_labelled_victim_is_queried_with_the_attackers_labels(iris, mode):
    X, y = iris
    record = _Log()
    attack = BlackBoxAttack(
        _LabelledRecorder(record),
        mode=mode,
        max_perturbation=0.5,
        n_queries=20,
        random_state=0,
    )
    _, y_res = attack.fit_resample(X, y)
    # The clean fit gets the attacker's y; every query the labels of its
    # poisoned data: perturbed rows keep theirs, injected rows are -1.
    assert len(record) == 1 + 20
    assert_array_equal(record[0], y)
    expected = y if mode == "perturb" else np.r_[y, [-1] * attack.n_poison_]
    for y_query in record[1:]:
        assert_array_equal(y_query, expected)
    assert_array_equal(y_res, expected)


def test_seeded_kmeans_victim_best_score_is_its_damage(iris):
    X, y = iris
    # A third of the rows labelled: the seeds come from their means.
    y_seed = np.where(np.arange(len(y)) % 3 == 0, y, -1)
    attack = BlackBoxAttack(SemiSupervisedKMeans(), n_queries=40, random_state=0)
    X_res, y_res = attack.fit_resample(X, y_seed)
    clean = SemiSupervisedKMeans().fit(X, y_seed)
    assert_array_equal(attack.labels_ref_, clean.predict(X))
    poisoned = SemiSupervisedKMeans().fit(X_res, y_res).predict(X)
    assert attack.best_score_ == pytest.approx(
        1.0 - adjusted_rand_score(attack.labels_ref_, poisoned)
    )
    assert attack.best_score_ > 0


def test_labelled_victim_requires_y(iris):
    X, y = iris
    attack = BlackBoxAttack(
        make_pipeline(MaskLabels(0.2), SemiSupervisedKMeans()), n_queries=20
    )
    assert get_tags(attack).target_tags.required
    assert not get_tags(BlackBoxAttack(_kmeans())).target_tags.required
    with pytest.raises(ValueError, match="victim.s MaskLabels is fitted on labels"):
        attack.fit_resample(X)
    # The threat model: an attacker who sees no labels cannot query it.
    with pytest.raises(ValueError, match="needs the labels y"):
        fit_paired(_kmeans(), attack, X, y, attacker_sees_labels=False)
