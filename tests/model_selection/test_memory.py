"""Peak memory of the evaluation: a small multiple of X (issue 13)."""

import gc
import tracemalloc

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs

from skpoison.attacks import BridgeAttack
from skpoison.cluster import KMeansMinusMinus
from skpoison.metrics import clustering_report
from skpoison.model_selection import evaluate_attack, fit_paired


@pytest.fixture(scope="module")
def blobs():
    # 8 MB: large enough that the fixed costs (chunk buffers of a few MB)
    # do not dominate, small enough to run in a couple of seconds.
    return make_blobs(50_000, 20, centers=8, random_state=0)


def _peak_ratio(call, X):
    gc.collect()
    tracemalloc.start()
    try:
        call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / X.nbytes


def test_evaluate_attack_peaks_below_three_times_x(blobs):
    X, y = blobs

    def call():
        evaluate_attack(
            KMeansMinusMinus(8, random_state=0),
            BridgeAttack(n_poison=0.05, n_clusters=8),
            X,
            y,
            n_repeats=2,
            random_state=0,
            as_frame=False,
        )

    # The poisoned copy of X (1.05x) + the victim's fit on it + bookkeeping;
    # before the clean runs were slimmed and the scores chunked: 3.5x.
    assert _peak_ratio(call, X) <= 3.0


def test_clustering_report_peaks_near_x(blobs):
    X, y = blobs
    labels = (y + 1) % 8
    # Chunked statistics and a chunked sampled silhouette: no copy of X,
    # only per-row label arrays and 2 MB chunks (1.2x here; was 2.1x).
    assert _peak_ratio(lambda: clustering_report(X, labels, y), X) <= 1.5


def test_clean_run_keeps_a_reference_to_x(blobs):
    X, y = blobs
    result = fit_paired(
        KMeansMinusMinus(8, random_state=0),
        BridgeAttack(n_poison=0.01, n_clusters=8),
        X,
        y,
        random_state=0,
    )
    # The clean run fits X itself: no copy is kept.
    assert np.shares_memory(result.clean.X_fit, X)
    # The poisoned run keeps the fitted rows, X and the injected rows only.
    assert result.poisoned.X_fit.shape[0] == X.shape[0] + result.poisoned.n_poison
    assert result.poisoned.X_injected.shape == (result.poisoned.n_poison, X.shape[1])


def test_evaluate_attack_with_kmeans_peaks_below_three_times_x(blobs):
    X, y = blobs

    def call():
        evaluate_attack(
            KMeans(8, n_init=1),
            BridgeAttack(n_poison=0.05, n_clusters=8),
            X,
            y,
            n_repeats=2,
            random_state=0,
            as_frame=False,
        )

    # scikit-learn's KMeans.fit alone peaks at 2x its input (a centred copy
    # and np.var's temporary); with the poisoned copy (1.05x) that was 3.2x.
    # The poisoned model now centres our private copy in place: 2.25x at
    # 2e5 x 20, 2.6x here (fixed buffers of a few MB weigh more on 8 MB).
    assert _peak_ratio(call, X) <= 2.8


def test_poisoned_kmeans_works_on_the_private_copy_only(blobs):
    X, y = blobs
    X_before = X.copy()
    result = fit_paired(
        KMeans(8, n_init=1),
        BridgeAttack(n_poison=0.05, n_clusters=8),
        X,
        y,
        random_state=0,
    )
    # The caller's X is neither modified nor fitted in place.
    np.testing.assert_array_equal(X, X_before)
    assert result.clean.model.copy_x is True
    assert result.poisoned.model.copy_x is False
    # Same labels and centres as a fit that copies its input (the same
    # arithmetic), and the fitted rows restored up to rounding.
    X_fit = result.poisoned.X_fit
    reference = KMeans(8, n_init=1, random_state=result.poisoned.model.random_state)
    reference.fit(X_fit.copy())
    np.testing.assert_array_equal(reference.labels_, result.poisoned.fit_labels)
    np.testing.assert_allclose(
        reference.cluster_centers_, result.poisoned.centers, rtol=0, atol=1e-12
    )
    injected = result.poisoned.sample_indices < 0
    np.testing.assert_allclose(
        X_fit[~injected], X[result.poisoned.sample_indices[~injected]], atol=1e-12
    )
