import numpy as np
import pytest
from imblearn.pipeline import make_pipeline
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.cluster import DBSCAN, AgglomerativeClustering, KMeans
from sklearn.datasets import load_iris
from sklearn.ensemble import IsolationForest
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import BridgeAttack, UniformOutlierAttack
from skpoison.base import BaseDefence, BaseInjectionAttack
from skpoison.defences import OutlierRemover
from skpoison.model_selection import evaluate_attack
from skpoison.model_selection._evaluate import RESULT_COLUMNS
from skpoison.utils._param_validation import InvalidParameterError

X_IRIS, Y_IRIS = load_iris(return_X_y=True)


class FarBlobAttack(BaseInjectionAttack):
    """Test attack: a tight blob of rows far beyond the data (seeded jitter)."""

    def __init__(self, n_poison=0.2, *, poison_label=-1, random_state=None):
        self.n_poison = n_poison
        self.poison_label = poison_label
        self.random_state = random_state

    def _generate(self, X, y, n_new, random_state):
        far = X.max(axis=0) + 10 * np.ptp(X, axis=0)
        return far + 0.01 * random_state.standard_normal((n_new, X.shape[1]))


class ThresholdDefence(BaseDefence):
    """Test defence: remove the rows whose first feature exceeds a threshold."""

    def __init__(self, threshold=100.0):
        self.threshold = threshold

    def _outlier_mask(self, X, y):
        return X[:, 0] > self.threshold


_SCORES = [
    "silhouette",
    "calinski_harabasz",
    "davies_bouldin",
    "mean_within_cluster_std",
    "adjusted_rand",
    "adjusted_mutual_info",
    "cluster_accuracy",
]
EXPECTED_COLUMNS = [
    "repeat",
    "seed",
    *[
        f"{run}_{name}"
        for name in [*_SCORES, "accuracy"]
        for run in ("clean", "poisoned")
    ],
    *[f"diff_{name}" for name in [*_SCORES, "accuracy"]],
    *[f"noise_{name}" for name in _SCORES],
    "centroid_shift_mean",
    "centroid_shift_max",
    "assignment_change_rate",
    "coassociation_distance",
    "n_poison",
    "clean_n_removed",
    "poisoned_n_removed",
    "survival_rate",
    "defence_precision",
    "defence_recall",
    "concealment_rate",
    "eviction_rate",
    "attacker_sees_labels",
    "false_confidence",
]


def test_result_format():
    pd = pytest.importorskip("pandas")
    assert RESULT_COLUMNS == EXPECTED_COLUMNS
    kwargs = dict(n_repeats=3, random_state=0)
    est, attack = KMeans(3, n_init=2), UniformOutlierAttack(n_poison=0.1)
    frame = evaluate_attack(est, attack, X_IRIS, Y_IRIS, **kwargs)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == EXPECTED_COLUMNS
    assert_array_equal(frame["repeat"], [0, 1, 2])
    data = evaluate_attack(est, attack, X_IRIS, Y_IRIS, as_frame=False, **kwargs)
    assert list(data) == EXPECTED_COLUMNS
    for name, column in data.items():
        assert column.shape == (3,)
        assert_array_equal(column, frame[name].to_numpy())
    assert data["false_confidence"].dtype == bool
    # Same random_state, same result; each repeat has its own seed.
    again = evaluate_attack(est, attack, X_IRIS, Y_IRIS, as_frame=False, **kwargs)
    for name in EXPECTED_COLUMNS:
        assert_array_equal(data[name], again[name])
    assert np.unique(data["seed"]).size == 3
    assert_array_equal(data["n_poison"], 15)


def test_far_blob_fools_internal_scores():
    # The seed study's finding: a distant tight blob becomes its own cluster
    # and the genuine rows are squeezed into two clusters. Scored on the
    # same clean rows, the two-cluster split of iris looks better to the
    # silhouette and Davies-Bouldin while the external scores drop.
    result = evaluate_attack(
        KMeans(3, n_init=3),
        FarBlobAttack(n_poison=0.2),
        X_IRIS,
        Y_IRIS,
        n_repeats=3,
        random_state=0,
        as_frame=False,
    )
    assert np.all(result["poisoned_silhouette"] > result["clean_silhouette"])
    assert np.all(result["poisoned_davies_bouldin"] < result["clean_davies_bouldin"])
    assert np.all(result["poisoned_adjusted_rand"] < result["clean_adjusted_rand"])
    assert np.all(
        result["poisoned_cluster_accuracy"] < result["clean_cluster_accuracy"] - 0.1
    )
    assert result["false_confidence"].all()
    # A centre moved to the blob, far away; a third of the rows changed.
    assert np.all(result["centroid_shift_max"] > 10)
    assert np.all(result["assignment_change_rate"] > 0.1)
    assert np.all(result["coassociation_distance"] > 0.1)
    # No defence: defence columns are NaN.
    assert np.isnan(result["survival_rate"]).all()
    assert np.isnan(result["defence_precision"]).all()
    assert_array_equal(result["poisoned_n_removed"], 0)


def test_external_scores_are_on_clean_rows():
    # KMeans(3) on iris, clean: the external scores are those of the model's
    # predictions on X.
    result = evaluate_attack(
        KMeans(3, n_init=3, random_state=0),
        FarBlobAttack(n_poison=5),
        X_IRIS,
        Y_IRIS,
        n_repeats=1,
        random_state=0,
        as_frame=False,
    )
    # The victim's seed was set by the user: it is kept.
    labels = KMeans(3, n_init=3, random_state=0).fit(X_IRIS).predict(X_IRIS)
    assert result["clean_adjusted_rand"][0] == pytest.approx(
        adjusted_rand_score(Y_IRIS, labels)
    )


def test_defence_columns_by_hand():
    # The threshold defence removes exactly the far blob (first feature far
    # above iris's 7.9): survival 0, precision 1, recall 1.
    result = evaluate_attack(
        KMeans(3, n_init=2),
        FarBlobAttack(n_poison=12),
        X_IRIS,
        Y_IRIS,
        defence=ThresholdDefence(threshold=20.0),
        n_repeats=2,
        random_state=1,
        as_frame=False,
    )
    assert_array_equal(result["n_poison"], 12)
    assert_array_equal(result["clean_n_removed"], 0)
    assert_array_equal(result["poisoned_n_removed"], 12)
    assert_array_equal(result["survival_rate"], 0.0)
    assert_array_equal(result["defence_precision"], 1.0)
    assert_array_equal(result["defence_recall"], 1.0)
    # With the blob removed, both pipelines fit the same rows with the same
    # seeds: nothing changes.
    assert_array_equal(result["assignment_change_rate"], 0.0)
    assert_array_equal(result["centroid_shift_max"], 0.0)
    assert not result["false_confidence"].any()

    # A defence that removes some genuine rows (first feature > 7) and no
    # injected row... is impossible here; one that removes everything above
    # 7 removes both: 12 injected + 13 genuine iris rows with x0 > 7.
    n_genuine = int((X_IRIS[:, 0] > 7).sum())
    result = evaluate_attack(
        KMeans(3, n_init=2),
        FarBlobAttack(n_poison=12),
        X_IRIS,
        Y_IRIS,
        defence=ThresholdDefence(threshold=7.0),
        n_repeats=1,
        random_state=1,
        as_frame=False,
    )
    assert result["clean_n_removed"][0] == n_genuine
    assert result["poisoned_n_removed"][0] == 12 + n_genuine
    assert result["defence_precision"][0] == pytest.approx(12 / (12 + n_genuine))
    assert result["survival_rate"][0] == 0.0


def test_defence_that_keeps_the_poison():
    result = evaluate_attack(
        KMeans(3, n_init=2),
        FarBlobAttack(n_poison=10),
        X_IRIS,
        defence=ThresholdDefence(threshold=1e9),
        n_repeats=1,
        random_state=0,
        as_frame=False,
    )
    assert result["survival_rate"][0] == 1.0
    assert result["defence_recall"][0] == 0.0
    assert np.isnan(result["defence_precision"][0])  # nothing removed


def test_without_y():
    result = evaluate_attack(
        KMeans(3, n_init=2),
        FarBlobAttack(),
        X_IRIS,
        n_repeats=2,
        random_state=0,
        as_frame=False,
    )
    for name in ("adjusted_rand", "adjusted_mutual_info", "cluster_accuracy"):
        assert np.isnan(result[f"clean_{name}"]).all()
        assert np.isnan(result[f"poisoned_{name}"]).all()
    assert not result["false_confidence"].any()
    assert np.isfinite(result["poisoned_silhouette"]).all()
    assert np.isfinite(result["coassociation_distance"]).all()


def test_estimators_without_centres_or_predict():
    # Agglomerative clustering has neither cluster_centers_ nor predict: the
    # shift is NaN and the clean rows' labels come from the fitted labels.
    result = evaluate_attack(
        AgglomerativeClustering(3),
        FarBlobAttack(n_poison=10),
        X_IRIS,
        Y_IRIS,
        n_repeats=1,
        random_state=0,
        as_frame=False,
    )
    assert np.isnan(result["centroid_shift_mean"]).all()
    assert np.isnan(result["centroid_shift_max"]).all()
    clean = AgglomerativeClustering(3).fit_predict(X_IRIS)
    assert result["clean_adjusted_rand"][0] == pytest.approx(
        adjusted_rand_score(Y_IRIS, clean)
    )
    # DBSCAN behind a defence: clean rows the defence removed count as noise.
    result = evaluate_attack(
        DBSCAN(eps=0.5),
        FarBlobAttack(n_poison=10),
        X_IRIS,
        Y_IRIS,
        defence=ThresholdDefence(threshold=7.0),
        n_repeats=1,
        random_state=0,
        as_frame=False,
    )
    assert np.isfinite(result["poisoned_adjusted_rand"]).all()
    assert np.isnan(result["centroid_shift_mean"]).all()


def test_estimator_pipeline_and_real_defence():
    estimator = make_pipeline(StandardScaler(), KMeans(3, n_init=2))
    result = evaluate_attack(
        estimator,
        BridgeAttack(n_poison=0.2),
        X_IRIS,
        Y_IRIS,
        defence=OutlierRemover(IsolationForest(n_estimators=20)),
        n_repeats=2,
        random_state=0,
        as_frame=False,
    )
    assert_array_equal(result["n_poison"], 30)
    assert np.all(result["poisoned_n_removed"] > 0)
    assert np.all((result["survival_rate"] >= 0) & (result["survival_rate"] <= 1))
    assert_array_equal(result["survival_rate"] + result["defence_recall"], 1.0)
    # The final step's centres live in two different scaled spaces (each
    # scaler was fitted on its run's data): no centroid shift.
    assert np.isnan(result["centroid_shift_mean"]).all()
    assert np.all(result["clean_adjusted_rand"] > 0.4)


def test_n_jobs_gives_the_same_result():
    kwargs = dict(n_repeats=2, random_state=0, as_frame=False)
    one = evaluate_attack(
        KMeans(3, n_init=2), BridgeAttack(), X_IRIS, Y_IRIS, n_jobs=1, **kwargs
    )
    two = evaluate_attack(
        KMeans(3, n_init=2), BridgeAttack(), X_IRIS, Y_IRIS, n_jobs=2, **kwargs
    )
    for name in EXPECTED_COLUMNS:
        assert_array_equal(one[name], two[name])


def test_inputs_not_modified():
    X, y = X_IRIS.copy(), Y_IRIS.copy()
    attack, estimator = FarBlobAttack(), KMeans(3, n_init=2)
    params = clone(attack).get_params(), clone(estimator).get_params()
    evaluate_attack(estimator, attack, X, y, n_repeats=1, random_state=0)
    assert_array_equal(X, X_IRIS)
    assert_array_equal(y, Y_IRIS)
    assert attack.get_params() == params[0]
    assert estimator.get_params() == params[1]
    assert not hasattr(attack, "poison_mask_")


def test_bad_input():
    est, attack = KMeans(3, n_init=2), FarBlobAttack()
    with pytest.raises(InvalidParameterError, match="n_repeats"):
        evaluate_attack(est, attack, X_IRIS, n_repeats=0)
    with pytest.raises(InvalidParameterError, match="n_repeats"):
        evaluate_attack(est, attack, X_IRIS, n_repeats=True)  # not a count
    with pytest.raises(InvalidParameterError, match="attack"):
        evaluate_attack(est, KMeans(), X_IRIS)
    with pytest.raises(InvalidParameterError, match="as_frame"):
        evaluate_attack(est, attack, X_IRIS, as_frame="yes")
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        evaluate_attack(est, attack, X_IRIS, Y_IRIS[:10])
    X_nan = X_IRIS.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        evaluate_attack(est, attack, X_nan)
    with pytest.raises(ValueError, match="1-D"):
        evaluate_attack(est, attack, X_IRIS, np.c_[Y_IRIS, Y_IRIS])


def test_semi_supervised_set_up():
    # MaskLabels runs in both pipelines (same seed, same labelled rows); the
    # label attack only in the poisoned one. y is the full labels.
    from skpoison.attacks import LabelFlipAttack
    from skpoison.cluster import SemiSupervisedKMeans
    from skpoison.preprocessing import MaskLabels

    attack = make_pipeline(MaskLabels(0.2), LabelFlipAttack(n_poison=0.3))
    result = evaluate_attack(
        SemiSupervisedKMeans(),
        attack,
        X_IRIS,
        Y_IRIS,
        n_repeats=2,
        random_state=0,
        as_frame=False,
    )
    # 30 labelled rows, 30 % of them flipped.
    assert_array_equal(result["n_poison"], 9)
    # A classifier: its plain accuracy is reported and, on iris, clean
    # seeded k-means is right on most rows.
    assert np.all(result["clean_accuracy"] > 0.8)
    assert np.isfinite(result["poisoned_accuracy"]).all()
    # k-means gets no plain accuracy (its labels are arbitrary).
    plain = evaluate_attack(
        KMeans(3, n_init=2), FarBlobAttack(), X_IRIS, Y_IRIS, n_repeats=1
    )
    assert np.isnan(plain["clean_accuracy"]).all()
