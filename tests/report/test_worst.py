"""The report's worst-case attack: BlackBoxAttack searched on a sample."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.cluster import KMeans

from skpoison import attacks
from skpoison.report._worst import SampledBlackBox

pytestmark = pytest.mark.skipif(
    not hasattr(attacks, "BlackBoxAttack"), reason="BlackBoxAttack not in this build"
)


def test_small_data_is_searched_whole():
    X = np.random.RandomState(0).randn(60, 2)
    attack = SampledBlackBox(KMeans(2, n_init=1), n_poison=0.1, n_queries=20)
    X_res, _ = attack.set_params(random_state=0).fit_resample(X)
    assert X_res.shape == (66, 2) and attack.n_search_rows_ == 60
    np.testing.assert_array_equal(X_res[:60], X)
    assert attack.poison_mask_.sum() == 6
    again, _ = clone(attack).fit_resample(X)
    np.testing.assert_array_equal(again, X_res)  # same seed, same rows


def test_large_data_is_searched_on_a_sample_and_injected_whole():
    X = np.random.RandomState(1).randn(250, 3)
    attack = SampledBlackBox(
        KMeans(2, n_init=1), n_poison=0.1, n_queries=20, max_rows=50, random_state=0
    )
    X_res, _ = attack.fit_resample(X)
    # 25 rows for 250: the search places 5 rows among 50, each injected 5 times
    assert attack.n_search_rows_ == 50
    injected = X_res[attack.poison_mask_]
    assert injected.shape == (25, 3)
    rows, counts = np.unique(injected, axis=0, return_counts=True)
    assert len(rows) == 5 and (counts == 5).all()
