"""Scorers for model selection over clustering pipelines.

A scorer is a callable ``scorer(estimator, X, y)`` returning a float where
higher is better, as :class:`~sklearn.model_selection.GridSearchCV` expects.
Two kinds are provided:

- external scorers compare ``estimator.predict(X)`` with ``y``
  (``"cluster_accuracy"``, built with :func:`sklearn.metrics.make_scorer`);
- internal scorers judge the clusters that ``estimator.predict(X)`` gives the
  held-out rows ``X`` themselves (silhouette, Calinski-Harabasz, ...); they
  ignore ``y``.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

import numpy as np
from sklearn.metrics import (
    calinski_harabasz_score,
    davies_bouldin_score,
    make_scorer,
    silhouette_score,
)
from sklearn.metrics import get_scorer as _sklearn_get_scorer
from sklearn.utils import check_random_state

from skpoison.metrics._clustering import (
    _SILHOUETTE_SAMPLE_SIZE,
    _check_labels,
    _encode,
    _noise_mask,
    cluster_accuracy,
    mean_within_cluster_std,
)
from skpoison.utils._param_validation import Interval, validate_params

__all__ = ["get_scorer", "make_cluster_scorer"]


class _ClusterScorer:
    """Score the clusters an estimator predicts for ``X`` with an internal metric."""

    def __init__(self, score_func, sign, sample_size, random_state, kwargs):
        self._score_func = score_func
        self._sign = sign
        self._sample_size = sample_size
        self._random_state = random_state
        self._kwargs = kwargs

    def __call__(self, estimator, X, y=None):
        """Return ``sign * score_func(X, estimator.predict(X))``.

        Rows predicted ``-1`` (noise) are left out; NaN when fewer than two
        clusters (or as many clusters as rows) remain, where the internal
        metrics are undefined.
        """
        if not hasattr(estimator, "predict"):
            raise ValueError(
                f"{self!r} scores the clusters that estimator.predict(X) gives, "
                f"but {type(estimator).__name__} has no predict method (it only "
                "labels its training rows, e.g. DBSCAN). Use a clusterer with "
                "predict, or score fit_predict's labels with the metric itself."
            )
        (labels,) = _check_labels(labels=np.asarray(estimator.predict(X)))
        X = np.asarray(X)
        keep = ~_noise_mask(labels)
        X, labels = X[keep], labels[keep]
        n_clusters = _encode(labels)[0].size if labels.size else 0
        if not 2 <= n_clusters <= X.shape[0] - 1:
            return float("nan")
        if self._sample_size is not None and X.shape[0] > self._sample_size:
            rng = check_random_state(self._random_state)
            rows = rng.choice(X.shape[0], self._sample_size, replace=False)
            X, labels = X[rows], labels[rows]
        return self._sign * float(self._score_func(X, labels, **self._kwargs))

    def __repr__(self):
        sign = "" if self._sign > 0 else ", greater_is_better=False"
        return f"make_cluster_scorer({self._score_func.__name__}{sign})"


@validate_params(
    {
        "score_func": [callable],
        "greater_is_better": ["boolean"],
        "sample_size": [Interval(Integral, 2, None, closed="left"), None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_cluster_scorer(
    score_func, *, greater_is_better=True, sample_size=None, random_state=0, **kwargs
):
    """Make a scorer from an internal clustering metric ``score_func(X, labels)``.

    The scorer ``scorer(estimator, X, y)`` computes
    ``score_func(X, estimator.predict(X), **kwargs)`` on the held-out rows,
    ignoring ``y``, negated when ``greater_is_better=False`` so that higher is
    always better. Rows predicted ``-1`` are left out, and the score is NaN
    when fewer than two clusters remain. ``X`` is the input of the estimator,
    before any of its preprocessing steps.

    Read more in the :ref:`User Guide <evaluation_scorers>`.

    Parameters
    ----------
    score_func : callable
        ``score_func(X, labels, **kwargs) -> float``, such as
        :func:`sklearn.metrics.silhouette_score`.
    greater_is_better : bool, default=True
        Whether a higher ``score_func`` is better.
    sample_size : int, default=None
        Score a random sample of this many rows when ``X`` is larger
        (for the ``O(n^2)`` silhouette).
    random_state : int, RandomState instance or None, default=0
        Draws the sample.
    **kwargs : dict
        Passed to ``score_func``.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y=None) -> float``.

    See Also
    --------
    get_scorer : The ready-made scorers by name.

    Examples
    --------
    >>> from sklearn.cluster import KMeans
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.metrics import silhouette_score
    >>> from skpoison.metrics import make_cluster_scorer
    >>> X, _ = load_iris(return_X_y=True)
    >>> scorer = make_cluster_scorer(silhouette_score)
    >>> print(round(scorer(KMeans(3, random_state=0).fit(X), X), 2))
    0.55
    """
    return _ClusterScorer(
        score_func, 1 if greater_is_better else -1, sample_size, random_state, kwargs
    )


_SCORERS = {
    "cluster_accuracy": lambda: make_scorer(cluster_accuracy),
    "silhouette": lambda: make_cluster_scorer(
        silhouette_score, sample_size=_SILHOUETTE_SAMPLE_SIZE
    ),
    "calinski_harabasz": lambda: make_cluster_scorer(calinski_harabasz_score),
    "neg_davies_bouldin": lambda: make_cluster_scorer(
        davies_bouldin_score, greater_is_better=False
    ),
    "neg_mean_within_cluster_std": lambda: make_cluster_scorer(
        mean_within_cluster_std, greater_is_better=False
    ),
}


@validate_params({"scoring": [str, callable]}, prefer_skip_nested_validation=True)
def get_scorer(scoring):
    """Get a scorer by name: skpoison's clustering scorers, then scikit-learn's.

    skpoison's names:

    - ``"cluster_accuracy"``: :func:`cluster_accuracy` of ``predict(X)``
      against ``y`` (external);
    - ``"silhouette"`` (on a fixed sample of 3 000 rows above that size),
      ``"calinski_harabasz"``, ``"neg_davies_bouldin"``,
      ``"neg_mean_within_cluster_std"``: internal scores of the clusters
      ``predict(X)`` gives the held-out rows; they ignore ``y``.

    Any other name goes to :func:`sklearn.metrics.get_scorer` (for instance
    ``"adjusted_rand_score"``); a callable is returned unchanged.

    Read more in the :ref:`User Guide <evaluation_scorers>`.

    Parameters
    ----------
    scoring : str or callable
        The scorer's name, or a scorer.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y) -> float``, higher is better.

    See Also
    --------
    make_cluster_scorer : A scorer from any internal metric.

    Examples
    --------
    >>> from imblearn.pipeline import make_pipeline
    >>> from sklearn.cluster import KMeans
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.model_selection import GridSearchCV, KFold
    >>> from skpoison.attacks import UniformOutlierAttack
    >>> from skpoison.metrics import get_scorer
    >>> X, y = load_iris(return_X_y=True)
    >>> pipe = make_pipeline(UniformOutlierAttack(random_state=0),
    ...                      KMeans(3, n_init=3, random_state=0))
    >>> search = GridSearchCV(
    ...     pipe, {"uniformoutlierattack__n_poison": [0.1, 0.5]},
    ...     scoring={"accuracy": get_scorer("cluster_accuracy"),
    ...              "silhouette": get_scorer("silhouette")},
    ...     refit=False, cv=KFold(3, shuffle=True, random_state=0))
    >>> search.fit(X, y).cv_results_["mean_test_accuracy"].shape
    (2,)
    """
    if callable(scoring):
        return scoring
    if scoring in _SCORERS:
        return _SCORERS[scoring]()
    try:
        return _sklearn_get_scorer(scoring)
    except ValueError as exc:
        raise ValueError(
            f"{scoring!r} is not a known scorer. skpoison's are "
            f"{sorted(_SCORERS)}; scikit-learn's are listed by "
            "sklearn.metrics.get_scorer_names()."
        ) from exc
