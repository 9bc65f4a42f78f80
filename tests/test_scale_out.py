"""Scale-out: the sweeps and BlackBoxAttack's victim fits on a Dask cluster.

One ``LocalCluster`` of two single-threaded worker *processes* (as a real
cluster: every task is pickled, shipped and run in another interpreter) runs
a :func:`~skpoison.model_selection.robustness_curve` sweep and a
:class:`~skpoison.attacks.BlackBoxAttack`'s victim fits under
``joblib.parallel_backend("dask")``; both must give exactly the results of
``n_jobs=1``.
"""

import joblib
import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import BlackBoxAttack, BridgeAttack
from skpoison.model_selection import robustness_curve

distributed = pytest.importorskip("distributed")

X_IRIS, Y_IRIS = load_iris(return_X_y=True)


@pytest.fixture(scope="module")
def dask_client():
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def _sweep(n_jobs=None):
    return robustness_curve(
        KMeans(3, n_init=2),
        BridgeAttack(n_clusters=3),
        X_IRIS,
        Y_IRIS,
        param_range=[0.05, 0.2, 0.4],
        n_repeats=2,
        random_state=0,
        n_jobs=n_jobs,
        as_frame=False,
    )


def _blackbox(n_jobs=None):
    X = StandardScaler().fit_transform(X_IRIS)
    attack = BlackBoxAttack(
        KMeans(3, n_init=1, random_state=0), n_queries=20, random_state=3, n_jobs=n_jobs
    )
    X_res, _ = attack.fit_resample(X)
    return X_res, attack.history_


def test_sweep_on_dask_processes_matches_n_jobs_1(dask_client):
    ref = _sweep(n_jobs=1)
    with joblib.parallel_backend("dask"):
        on_dask = _sweep()
    # Every task ran on the cluster's two worker processes.
    assert len(dask_client.scheduler_info()["workers"]) == 2
    assert list(ref) == list(on_dask)
    for name in ref:
        assert_array_equal(ref[name], on_dask[name], err_msg=name)
    assert np.isfinite(ref["poisoned_adjusted_rand"]).all()


def test_blackbox_victim_fits_on_dask_processes_match_n_jobs_1(dask_client):
    X_ref, history_ref = _blackbox(n_jobs=1)
    with joblib.parallel_backend("dask"):
        X_dask, history_dask = _blackbox()
    assert_array_equal(X_ref, X_dask)
    assert_array_equal(history_ref, history_dask)
    # The attack did inject rows.
    assert X_ref.shape[0] > X_IRIS.shape[0]
