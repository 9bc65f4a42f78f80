import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from numpy.testing import assert_allclose, assert_array_equal  # noqa: E402
from sklearn.cluster import AgglomerativeClustering, KMeans  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from skpoison.attacks import BlackBoxAttack, BridgeAttack  # noqa: E402
from skpoison.model_selection import (  # noqa: E402
    TransferMatrixDisplay,
    fit_paired,
    transfer_matrix,
)


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
    from skpoison.model_selection._transfer import _Replay

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
    from skpoison.model_selection._transfer import _named

    named = _named([KMeans(2), KMeans(3), AgglomerativeClustering()], "victims")
    assert list(named) == ["KMeans", "KMeans_2", "AgglomerativeClustering"]
