import numpy as np
import pytest
from imblearn.pipeline import make_pipeline
from sklearn.base import BaseEstimator
from sklearn.cluster import DBSCAN, KMeans
from sklearn.datasets import load_iris
from sklearn.metrics import davies_bouldin_score, silhouette_score
from sklearn.model_selection import GridSearchCV, KFold, validation_curve

from skpoison.attacks import UniformOutlierAttack
from skpoison.metrics import cluster_accuracy, get_scorer, make_cluster_scorer
from skpoison.utils._param_validation import InvalidParameterError

X_IRIS, Y_IRIS = load_iris(return_X_y=True)
CV = KFold(3, shuffle=True, random_state=0)


class _FixedLabels(BaseEstimator):
    """A fitted 'model' whose predict returns given labels."""

    def __init__(self, labels):
        self.labels = np.asarray(labels)

    def predict(self, X):
        return self.labels


def test_scorers_compute_their_metric():
    model = KMeans(3, n_init=3, random_state=0).fit(X_IRIS)
    labels = model.predict(X_IRIS)
    assert get_scorer("cluster_accuracy")(model, X_IRIS, Y_IRIS) == pytest.approx(
        cluster_accuracy(Y_IRIS, labels)
    )
    assert get_scorer("silhouette")(model, X_IRIS, Y_IRIS) == pytest.approx(
        silhouette_score(X_IRIS, labels)
    )
    # Lower is better for Davies-Bouldin: the scorer negates it.
    assert get_scorer("neg_davies_bouldin")(model, X_IRIS) == pytest.approx(
        -davies_bouldin_score(X_IRIS, labels)
    )
    assert get_scorer("neg_mean_within_cluster_std")(model, X_IRIS) < 0
    assert get_scorer("calinski_harabasz")(model, X_IRIS) > 0
    # scikit-learn's names still work, callables pass through.
    assert get_scorer("adjusted_rand_score")(model, X_IRIS, Y_IRIS) > 0.5
    scorer = make_cluster_scorer(silhouette_score)
    assert get_scorer(scorer) is scorer


def test_cluster_scorer_by_hand():
    # Two clusters of two points, 1 apart inside, 10 apart between, plus a
    # noise row that is left out: silhouette (1 - 1/10) for every point.
    X = np.array([[0.0], [1.0], [10.0], [11.0], [500.0]])
    scorer = make_cluster_scorer(silhouette_score)
    model = _FixedLabels([0, 0, 1, 1, -1])
    a, b = 1.0, np.mean([10.0, 11.0])  # point 0: a = 1, b = mean(10, 11)
    expected_0 = 1 - a / b
    expected_1 = 1 - 1.0 / np.mean([9.0, 10.0])
    expected = np.mean([expected_0, expected_1, expected_1, expected_0])
    assert scorer(model, X) == pytest.approx(expected)
    # One cluster left: undefined, NaN.
    assert np.isnan(scorer(_FixedLabels([0, 0, 0, 0, -1]), X))
    assert np.isnan(scorer(_FixedLabels([0, 1, 2, 3, 4]), X))


def test_cluster_scorer_sample_size():
    model = KMeans(3, n_init=3, random_state=0).fit(X_IRIS)
    labels = model.predict(X_IRIS)
    scorer = make_cluster_scorer(silhouette_score, sample_size=40, random_state=1)
    rows = np.random.RandomState(1).choice(150, 40, replace=False)
    assert scorer(model, X_IRIS) == pytest.approx(
        silhouette_score(X_IRIS[rows], labels[rows])
    )
    assert "silhouette_score" in repr(scorer)
    assert "greater_is_better=False" in repr(
        make_cluster_scorer(davies_bouldin_score, greater_is_better=False)
    )


def test_grid_search_over_attack_budget():
    pipe = make_pipeline(
        UniformOutlierAttack(random_state=0), KMeans(3, n_init=2, random_state=0)
    )
    scoring = {
        name: get_scorer(name)
        for name in ("cluster_accuracy", "silhouette", "neg_davies_bouldin")
    }
    search = GridSearchCV(
        pipe,
        {"uniformoutlierattack__n_poison": [0.05, 0.5, 3.0]},
        scoring=scoring,
        refit=False,
        cv=CV,
    )
    search.fit(X_IRIS, Y_IRIS)
    for name in scoring:
        scores = search.cv_results_[f"mean_test_{name}"]
        assert scores.shape == (3,)
        assert np.isfinite(scores).all()
    # Three times as many outliers as rows cost held-out accuracy.
    accuracy = search.cv_results_["mean_test_cluster_accuracy"]
    assert accuracy[2] < accuracy[0]


def test_validation_curve_with_scorer():
    pipe = make_pipeline(
        UniformOutlierAttack(random_state=0), KMeans(3, n_init=2, random_state=0)
    )
    _, test = validation_curve(
        pipe,
        X_IRIS,
        Y_IRIS,
        param_name="uniformoutlierattack__n_poison",
        param_range=[0.05, 3.0],
        scoring=get_scorer("cluster_accuracy"),
        cv=CV,
    )
    assert test.shape == (2, 3)
    assert test[1].mean() < test[0].mean()


def test_dbscan_noise_counts_against_accuracy():
    # DBSCAN has no predict; use fitted labels through a fixed model.
    labels = DBSCAN(eps=0.3).fit_predict(X_IRIS)
    scorer = get_scorer("cluster_accuracy")
    model = _FixedLabels(labels)
    assert scorer(model, X_IRIS, Y_IRIS) == pytest.approx(
        cluster_accuracy(Y_IRIS, labels)
    )
    assert (labels == -1).any()


def test_bad_scorer_names():
    with pytest.raises(ValueError, match="not a known scorer"):
        get_scorer("no_such_score")
    with pytest.raises(InvalidParameterError, match="sample_size"):
        make_cluster_scorer(silhouette_score, sample_size=1)
    with pytest.raises(InvalidParameterError, match="score_func"):
        make_cluster_scorer("silhouette")
