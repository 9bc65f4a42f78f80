import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from imblearn.pipeline import make_pipeline  # noqa: E402
from numpy.testing import assert_allclose, assert_array_equal  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.cluster import (  # noqa: E402
    HDBSCAN,
    AgglomerativeClustering,
    KMeans,
    SpectralClustering,
)
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.metrics import adjusted_rand_score  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from skpoison.attacks import BlackBoxAttack, BridgeAttack  # noqa: E402
from skpoison.cluster import SemiSupervisedKMeans  # noqa: E402
from skpoison.metrics import assignment_change_rate  # noqa: E402
from skpoison.model_selection import (  # noqa: E402
    TransferMatrixDisplay,
    fit_paired,
    transfer_matrix,
)
from skpoison.model_selection._transfer import (  # noqa: E402
    _named,
    _Replay,
)
from skpoison.preprocessing import MaskLabels  # noqa: E402


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


MODELS = {
    "kmeans": KMeans(3, n_init=1),
    "ward": AgglomerativeClustering(3, linkage="ward"),
}


@pytest.fixture(scope="module")
def result(iris):
    X, y = iris
    attack = BlackBoxAttack(KMeans(3), n_queries=20)
    return transfer_matrix(
        attack, MODELS, MODELS, X, y, n_repeats=2, random_state=0, as_frame=False
    )


def test_one_row_per_surrogate_victim_and_repeat(result):
    assert list(result["surrogate"]) == ["kmeans"] * 4 + ["ward"] * 4
    assert list(result["victim"]) == ["kmeans", "kmeans", "ward", "ward"] * 2
    assert list(result["repeat"]) == [0, 1] * 4
    assert_array_equal(result["n_poison"], 8)
    # One clean run per victim and repeat, shared by every surrogate.
    for victim in MODELS:
        rows = result["victim"] == victim
        clean = result["clean_adjusted_rand"][rows].reshape(2, 2)
        assert_array_equal(clean[0], clean[1])


def test_cells_match_a_manual_crafting_and_evaluation(iris, result):
    X, y = iris
    seed = int(result["seed"][0])
    crafted = BlackBoxAttack(MODELS["ward"], n_queries=20, random_state=seed)
    X_poisoned, _ = crafted.fit_resample(X, y)
    # The replayed poisoning evaluated on k-means through the runner.
    replay = _Replay(
        n_poison=8,
        X_clean=X,
        X_poisoned=X_poisoned,
        sample_indices=crafted.sample_indices_,
    )
    scores = fit_paired(MODELS["kmeans"], replay, X, y, random_state=seed).scores()
    row = np.flatnonzero(
        (result["surrogate"] == "ward")
        & (result["victim"] == "kmeans")
        & (result["repeat"] == 0)
    )[0]
    assert_allclose(result["diff_adjusted_rand"][row], scores["diff_adjusted_rand"])
    with pytest.raises(ValueError, match="its own data"):
        replay.fit_resample(X[::-1])


def test_same_seed_same_matrix(iris, result):
    X, y = iris
    again = transfer_matrix(
        BlackBoxAttack(KMeans(3), n_queries=20),
        MODELS,
        MODELS,
        X,
        y,
        n_repeats=2,
        random_state=0,
        as_frame=False,
    )
    assert_array_equal(
        again["poisoned_adjusted_rand"], result["poisoned_adjusted_rand"]
    )


def test_bad_input(iris):
    X, y = iris
    with pytest.raises(ValueError, match="no victim parameter"):
        transfer_matrix(BridgeAttack(), MODELS, MODELS, X, y)
    with pytest.raises(ValueError, match="surrogates is empty"):
        transfer_matrix(BlackBoxAttack(KMeans(3)), [], MODELS, X, y)


def test_list_names_and_display(iris, result):
    display = TransferMatrixDisplay.from_results(result, "diff_adjusted_rand")
    assert display.surrogates == ["kmeans", "ward"]
    assert display.victims == ["kmeans", "ward"]
    cell = result["diff_adjusted_rand"][
        (result["surrogate"] == "kmeans") & (result["victim"] == "ward")
    ].mean()
    assert display.matrix[0, 1] == pytest.approx(cell)
    assert len(display.ax_.texts) == 4
    with pytest.raises(ValueError, match="not a column"):
        TransferMatrixDisplay.from_results(result, "nope")
    named = _named([KMeans(2), KMeans(3), AgglomerativeClustering()], "victims")
    assert list(named) == ["KMeans", "KMeans_2", "AgglomerativeClustering"]


# Victims without predict (scored through labels_), victims and surrogates
# fitted on labels (seeded k-means).

SPECTRAL = SpectralClustering(3, affinity="nearest_neighbors", random_state=0)


def _one_cell(surrogate, victim, X, y):
    """One surrogate x victim cell, and the same poisoning crafted by hand."""
    result = transfer_matrix(
        BlackBoxAttack(KMeans(3), n_queries=20),
        {"surrogate": surrogate},
        {"victim": victim},
        X,
        y,
        random_state=0,
        as_frame=False,
    )
    seed = int(result["seed"][0])
    attack = BlackBoxAttack(surrogate, n_queries=20, random_state=seed)
    X_poisoned, _ = attack.fit_resample(X, y)
    return result, seed, attack, X_poisoned


def _assert_kmeans_cell_is_the_replay(result, seed, attack, X_poisoned, X, y):
    """The cell against the k-means victim is the hand-crafted poisoning's."""
    replay = _Replay(
        n_poison=attack.n_poison_,
        X_clean=X,
        X_poisoned=X_poisoned,
        sample_indices=attack.sample_indices_,
    )
    scores = fit_paired(MODELS["kmeans"], replay, X, y, random_state=seed).scores()
    assert result["diff_adjusted_rand"][0] == pytest.approx(
        scores["diff_adjusted_rand"]
    )


@pytest.mark.parametrize(
    "victim", [SPECTRAL, HDBSCAN(min_cluster_size=10, copy=True)], ids=type
)
def test_victim_without_predict_is_scored_on_its_clean_rows(iris, victim):
    X, y = iris
    n = X.shape[0]
    result, seed, attack, X_poisoned = _one_cell(MODELS["kmeans"], victim, X, y)
    assert X_poisoned.shape[0] == n + 8  # injected rows come after the clean ones
    # Labels of the fitted rows, restricted to the clean rows.
    clean = clone(victim).fit(X).labels_
    poisoned = clone(victim).fit(X_poisoned).labels_[:n]
    assert result["clean_adjusted_rand"][0] == pytest.approx(
        adjusted_rand_score(y, clean)
    )
    assert result["poisoned_adjusted_rand"][0] == pytest.approx(
        adjusted_rand_score(y, poisoned)
    )
    # (HDBSCAN may keep every clean row's cluster: a tight clump crafted
    # against k-means need not transfer.)
    assert result["assignment_change_rate"][0] == pytest.approx(
        assignment_change_rate(clean, poisoned)
    )


def test_spectral_surrogate(iris):
    X, y = iris
    result, seed, attack, X_poisoned = _one_cell(SPECTRAL, MODELS["kmeans"], X, y)
    _assert_kmeans_cell_is_the_replay(result, seed, attack, X_poisoned, X, y)


def test_seeded_kmeans_victim_with_a_small_labelled_sample(iris):
    X, y = iris
    n = X.shape[0]
    victim = make_pipeline(MaskLabels(0.2, random_state=0), SemiSupervisedKMeans())
    result, seed, attack, X_poisoned = _one_cell(MODELS["kmeans"], victim, X, y)
    # By hand: 30 labelled rows (the same ones in both runs, as MaskLabels
    # only draws among labelled rows), the injected rows unlabelled.
    X_seed, y_seed = MaskLabels(0.2, random_state=0).fit_resample(X, y)
    y_poisoned = np.concatenate([y_seed, np.full(8, -1)])
    clean = SemiSupervisedKMeans().fit(X_seed, y_seed).predict(X)
    poisoned = SemiSupervisedKMeans().fit(X_poisoned, y_poisoned).predict(X)
    assert int((y_seed != -1).sum()) == 30
    assert result["clean_accuracy"][0] == pytest.approx(np.mean(clean == y))
    assert result["poisoned_accuracy"][0] == pytest.approx(np.mean(poisoned == y))
    assert np.isfinite(result["diff_accuracy"][0])
    assert len(poisoned) == n


def test_seeded_kmeans_surrogate_is_queried_with_the_attackers_labels(iris):
    X, y = iris
    surrogate = SemiSupervisedKMeans()
    result, seed, attack, X_poisoned = _one_cell(surrogate, MODELS["kmeans"], X, y)
    # The attack crafted by hand against the labelled surrogate (it fits it
    # with the attacker's y, the injected rows unlabelled) gives the cell.
    assert_array_equal(attack.labels_ref_, SemiSupervisedKMeans().fit(X, y).predict(X))
    _assert_kmeans_cell_is_the_replay(result, seed, attack, X_poisoned, X, y)


def test_bad_victims_and_surrogates(iris):
    X, y = iris
    attack = BlackBoxAttack(KMeans(3), n_queries=20)
    kmeans = {"kmeans": MODELS["kmeans"]}
    sskm = {"sskm": SemiSupervisedKMeans()}
    with pytest.raises(ValueError, match=r"victims\['sskm'\] is fitted on labels"):
        transfer_matrix(attack, kmeans, sskm, X)
    with pytest.raises(ValueError, match=r"surrogates\['sskm'\].*attacker sees none"):
        transfer_matrix(attack, sskm, kmeans, X, y, attacker_sees_labels=False)
    masked = {"masked": make_pipeline(MaskLabels(0.2), SemiSupervisedKMeans())}
    with pytest.raises(ValueError, match="attacker sees none"):
        transfer_matrix(attack, masked, kmeans, X)
    with pytest.raises(ValueError, match="PCA, which gives no cluster labels"):
        transfer_matrix(attack, kmeans, {"pca": PCA(2)}, X, y)
    with pytest.raises(ValueError, match="gives no cluster labels"):
        transfer_matrix(attack, [make_pipeline(StandardScaler())], kmeans, X, y)
