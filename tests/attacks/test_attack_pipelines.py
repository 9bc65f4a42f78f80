"""Every injection and noise attack inside an imbalanced-learn pipeline."""

import pickle

import numpy as np
import pytest
from imblearn.pipeline import make_pipeline
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris
from sklearn.model_selection import GridSearchCV
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import (
    BridgeAttack,
    CentroidNoiseAttack,
    GaussianNoiseAttack,
    SubtleOutlierAttack,
    UniformOutlierAttack,
)

ATTACKS = [
    (GaussianNoiseAttack(scale=0.5, random_state=0), [0.5, 1.0]),
    (UniformOutlierAttack(expansion=2.0, random_state=0), [0.05, 0.2]),
    (SubtleOutlierAttack(method="band", random_state=0), [0.05, 0.2]),
    (CentroidNoiseAttack(random_state=0), [0.05, 0.2]),
    (BridgeAttack(random_state=0), [0.05, 0.2]),
]
IDS = [type(attack).__name__ for attack, _ in ATTACKS]


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def _pipeline(attack):
    return make_pipeline(clone(attack), KMeans(3, n_init=3, random_state=0))


@pytest.mark.parametrize("attack, budgets", ATTACKS, ids=IDS)
@pytest.mark.parametrize("with_y", [False, True])
def test_fit_then_predict_bypasses_the_attack(iris, attack, budgets, with_y):
    X, y = iris
    pipe = _pipeline(attack)
    pipe.fit(X, y if with_y else None)
    fitted_attack = pipe[0]
    assert fitted_attack.poison_mask_.sum() == fitted_attack.n_poison_
    # The clusterer saw the poisoned rows...
    n_seen = fitted_attack.sample_indices_.shape[0]
    assert pipe[-1].labels_.shape == (n_seen,)
    # ...but predict on clean data goes straight to the clusterer.
    labels = pipe.predict(X)
    assert labels.shape == (150,)
    assert_array_equal(labels, pipe[-1].predict(X))


@pytest.mark.parametrize("attack, budgets", ATTACKS, ids=IDS)
def test_grid_search_over_budget(iris, attack, budgets):
    X, y = iris
    pipe = _pipeline(attack)
    step = pipe.steps[0][0]
    search = GridSearchCV(
        pipe, {f"{step}__n_poison": budgets}, scoring="adjusted_rand_score", cv=3
    )
    search.fit(X, y)
    assert search.best_params_[f"{step}__n_poison"] in budgets
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))


@pytest.mark.parametrize("attack, budgets", ATTACKS, ids=IDS)
def test_pickle_and_clone(iris, attack, budgets):
    X, y = iris
    pipe = _pipeline(attack).fit(X, y)
    restored = pickle.loads(pickle.dumps(pipe))
    assert_array_equal(restored.predict(X), pipe.predict(X))
    assert_array_equal(restored[0].poison_mask_, pipe[0].poison_mask_)
    fresh = clone(pipe)
    assert not hasattr(fresh[0], "poison_mask_")
    assert fresh[0].get_params() == pipe[0].get_params()
    # A clone refits to the same output: the attack is reproducible.
    X_a, _ = clone(attack).fit_resample(X, y)
    X_b, _ = pickle.loads(pickle.dumps(attack)).fit_resample(X, y)
    assert_array_equal(X_a, X_b)
