"""The report's worst-case attack: BlackBoxAttack, on a sample of large data."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

import numpy as np
from sklearn.base import clone

from skpoison.base import BaseInjectionAttack
from skpoison.utils._param_validation import Interval

__all__ = ["SampledBlackBox", "query_budget"]

#: Rows the search works on; larger data is searched on a random sample.
MAX_SEARCH_ROWS = 600
QUERIES = 60
QUICK_QUERIES = 20


def query_budget(quick):
    """Victim fits per black-box run: enough to beat the heuristics on small data."""
    return QUICK_QUERIES if quick else QUERIES


class SampledBlackBox(BaseInjectionAttack):
    """BlackBoxAttack that searches on a sample and injects into all the rows.

    Up to ``max_rows`` rows, this is :class:`skpoison.attacks.BlackBoxAttack`
    (``mode="inject"``, ``objective="ari"``, genetic search). On more rows the
    search runs on a random sample of ``max_rows`` rows with the same share of
    injected rows, and each row it finds is injected ``n / max_rows`` times
    into the full data (the same density ratio), where the effect is
    measured.
    """

    _parameter_constraints: dict = {
        **BaseInjectionAttack._parameter_constraints,
        "victim": "no_validation",
        "n_queries": [Interval(Integral, 20, None, closed="left")],
        "max_rows": [Interval(Integral, 10, None, closed="left")],
        "n_jobs": [None, Integral],
    }

    def __init__(
        self,
        victim=None,
        n_poison=0.05,
        *,
        n_queries=QUERIES,
        max_rows=MAX_SEARCH_ROWS,
        n_jobs=None,
        poison_label=-1,
        random_state=None,
    ):
        self.victim = victim
        self.n_poison = n_poison
        self.n_queries = n_queries
        self.max_rows = max_rows
        self.n_jobs = n_jobs
        self.poison_label = poison_label
        self.random_state = random_state

    def _generate(self, X, y, n_new, random_state):
        from skpoison.attacks import BlackBoxAttack

        n = X.shape[0]
        rows = np.arange(n)
        if n > self.max_rows:
            rows = np.sort(random_state.choice(n, self.max_rows, replace=False))
        n_search = max(1, int(round(n_new * rows.size / n)))
        attack = BlackBoxAttack(
            clone(self.victim),
            n_poison=n_search,
            mode="inject",
            objective="ari",
            optimizer="genetic",
            n_queries=self.n_queries,
            n_jobs=self.n_jobs,
            random_state=random_state.randint(np.iinfo(np.int32).max),
        )
        X_res, _ = attack.fit_resample(X[rows])
        found = np.asarray(X_res)[np.asarray(attack.poison_mask_, dtype=bool)]
        self.n_search_rows_ = int(rows.size)
        self.best_score_ = float(attack.best_score_)
        # Spread the n_new rows over the rows found, as evenly as possible.
        counts = np.full(found.shape[0], n_new // found.shape[0])
        counts[: n_new % found.shape[0]] += 1
        return np.repeat(found, counts, axis=0)
