"""The report's DBSCAN clean-up on large data: DBSCAN on a stated sample."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral

import numpy as np
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_random_state

from skpoison.base import BaseDefence
from skpoison.defences import DBSCANOutlierRemover
from skpoison.utils._param_validation import Interval

__all__ = ["SampledDBSCAN"]

#: Rows the clean-up is fitted on; larger data is cleaned from a sample.
SAMPLE_ROWS = 20_000
# Core rows below this many are searched by brute force, without groups.
_MIN_GROUPED = 2_000
# Groups of core rows tried first for each row (its nearest group centres).
_TRIED_GROUPS = 2


class SampledDBSCAN(BaseDefence):
    """DBSCAN clean-up of a random sample, extended to all rows.

    Up to ``max_rows`` rows, this is
    :class:`skpoison.defences.DBSCANOutlierRemover` (DBSCAN's exact noise,
    eps at the knee of the k-distance curve). On more rows, whose exact
    noise costs ``O(n^2)`` distance computations in many dimensions, the
    clean-up runs on a random sample of ``max_rows`` rows: eps is the knee
    of the sample's k-distance curve, the sample's core rows are DBSCAN's
    on the sample (``core_sample_indices_`` of the sample's clean-up), and
    every row, sampled or not, is kept when a core row of the sample lies
    within eps of it (DBSCAN's rule for the rows it puts in a cluster),
    removed otherwise. On the sample this is DBSCAN's noise; on the other rows it
    is DBSCAN's assignment of new rows to the sample's clusters, ``O(n *
    max_rows)`` at most.

    The sample is the ``max_rows`` rows with the smallest of ``n`` uniform
    draws, so rows appended to the data (an injection attack's) enter the
    sample only in place of the clean rows with the largest draws: a clean
    and a poisoned run with the same seed share most of their sample.

    Fitted attributes: ``eps_``, ``min_samples_`` (as in
    :class:`~skpoison.defences.DBSCANOutlierRemover`), ``sample_rows_``
    (the sampled rows, sorted; all rows up to ``max_rows``) and those of
    every defence (``outlier_mask_``, ``sample_indices_``).
    """

    _parameter_constraints: dict = {
        **BaseDefence._parameter_constraints,
        "min_samples": [Interval(Integral, 1, None, closed="left"), None],
        "max_rows": [Interval(Integral, 2, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(self, min_samples=None, *, max_rows=SAMPLE_ROWS, random_state=None):
        self.min_samples = min_samples
        self.max_rows = max_rows
        self.random_state = random_state

    def _outlier_mask(self, X, y):
        n = X.shape[0]
        remover = DBSCANOutlierRemover(min_samples=self.min_samples)
        if n <= self.max_rows:
            remover.fit_resample(X)
            self.eps_, self.min_samples_ = remover.eps_, remover.min_samples_
            self.sample_rows_ = np.arange(n)
            return remover.outlier_mask_
        rng = check_random_state(self.random_state)
        draws = rng.random_sample(n)
        rows = np.sort(np.argpartition(draws, self.max_rows - 1)[: self.max_rows])
        sample = X[rows]
        remover.fit_resample(sample)
        self.eps_, self.min_samples_ = remover.eps_, remover.min_samples_
        self.sample_rows_ = rows
        cores = sample[remover.core_sample_indices_]
        del sample
        if cores.shape[0] == 0:
            return np.ones(n, dtype=bool)
        return ~_near_a_core(X, cores, self.eps_, rng)


def _near_a_core(X, cores, eps, rng):
    """Whether each row of ``X`` lies within ``eps`` of a row of ``cores``.

    Exact: each row is first tested against the core rows of its
    ``_TRIED_GROUPS`` nearest groups (k-means groups of the core rows); a
    core row found within ``eps`` decides it. Only the rows left (the noise
    and rows near no tried group) are tested against every core row.
    """
    n = X.shape[0]
    near = np.zeros(n, dtype=bool)
    left = np.arange(n)
    n_groups = int(np.sqrt(cores.shape[0]))
    if cores.shape[0] >= _MIN_GROUPED and n_groups > _TRIED_GROUPS:
        with warnings.catch_warnings():
            # Duplicated core rows: fewer distinct groups; any grouping works.
            warnings.simplefilter("ignore", ConvergenceWarning)
            groups = KMeans(
                n_clusters=n_groups,
                n_init=1,
                max_iter=20,
                random_state=rng.randint(np.iinfo(np.int32).max),
            ).fit(cores)
        tried = (
            NearestNeighbors(n_neighbors=_TRIED_GROUPS)
            .fit(groups.cluster_centers_)
            .kneighbors(X, return_distance=False)
        )
        searches = []
        for g in range(n_groups):
            members = cores[groups.labels_ == g]
            searches.append(
                NearestNeighbors(n_neighbors=1).fit(members) if len(members) else None
            )
        for choice in range(_TRIED_GROUPS):
            # The rows not decided yet, by their choice-th nearest group.
            left = np.flatnonzero(~near)
            group = tried[left, choice]
            order = np.argsort(group, kind="stable")
            bounds = np.searchsorted(group[order], np.arange(n_groups + 1))
            for g in range(n_groups):
                asked = left[order[bounds[g] : bounds[g + 1]]]
                if asked.size and searches[g] is not None:
                    dist = searches[g].kneighbors(X[asked])[0][:, 0]
                    near[asked[dist <= eps]] = True
        left = np.flatnonzero(~near)
    if left.size:
        nn = NearestNeighbors(n_neighbors=1).fit(cores)
        near[left] = nn.kneighbors(X[left])[0][:, 0] <= eps
    return near
