"""Peak memory of the evaluation: a small multiple of X (issue 13)."""

import gc
import tracemalloc

import numpy as np
import pytest
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
