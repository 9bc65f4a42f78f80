import pickle

import numpy as np
import pytest
from imblearn.pipeline import make_pipeline
from numpy.testing import assert_array_equal
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris, load_wine
from sklearn.ensemble import IsolationForest
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import (
    BridgeAttack,
    LabelFlipAttack,
    LabelShuffleAttack,
    MimicryAttack,
    UniformOutlierAttack,
)
from skpoison.base import BaseDefence, BaseInjectionAttack
from skpoison.cluster import SemiSupervisedKMeans
from skpoison.defences import OutlierRemover
from skpoison.model_selection import (
    FittedRun,
    PairedResult,
    evaluate_attack,
    fit_paired,
    robustness_curve,
)
from skpoison.preprocessing import MaskLabels

X_IRIS, Y_IRIS = load_iris(return_X_y=True)
CLEAN_COLUMNS = [
    "clean_silhouette",
    "clean_calinski_harabasz",
    "clean_davies_bouldin",
    "clean_adjusted_rand",
    "clean_cluster_accuracy",
]


class FarBlobAttack(BaseInjectionAttack):
    """Test attack: a tight blob of rows far beyond the data (seeded jitter)."""

    def __init__(self, n_poison=0.2, *, poison_label=-1, random_state=None):
        self.n_poison = n_poison
        self.poison_label = poison_label
        self.random_state = random_state

    def _generate(self, X, y, n_new, random_state):
        far = X.max(axis=0) + 10 * np.ptp(X, axis=0)
        return far + 0.01 * random_state.standard_normal((n_new, X.shape[1]))


class DuplicateAttack(BaseInjectionAttack):
    """Test attack: inject exact copies of randomly drawn clean rows."""

    def __init__(self, n_poison=0.2, *, poison_label=-1, random_state=None):
        self.n_poison = n_poison
        self.poison_label = poison_label
        self.random_state = random_state

    def _generate(self, X, y, n_new, random_state):
        return X[random_state.randint(X.shape[0], size=n_new)]


class SpyAttack(FarBlobAttack):
    """Test attack: records whether it was given labels."""

    def _generate(self, X, y, n_new, random_state):
        self.saw_labels_ = y is not None
        return super()._generate(X, y, n_new, random_state)


class ZScoreDefence(BaseDefence):
    """Test defence: remove rows whose first feature is > 2 std above its mean."""

    def _outlier_mask(self, X, y):
        z = (X[:, 0] - X[:, 0].mean()) / X[:, 0].std()
        return z > 2


def test_fit_paired_tracks_rows():
    result = fit_paired(
        KMeans(3, n_init=2), FarBlobAttack(n_poison=12), X_IRIS, Y_IRIS, random_state=0
    )
    assert isinstance(result, PairedResult)
    clean, poisoned = result.clean, result.poisoned
    assert isinstance(clean, FittedRun) and isinstance(poisoned, FittedRun)
    assert result.seed == 0 and clean.seed == poisoned.seed == 0
    # Clean rows first, in input order, then 12 injected rows.
    assert_array_equal(poisoned.sample_indices, np.r_[np.arange(150), [-1] * 12])
    assert_array_equal(poisoned.poison_mask, np.r_[[False] * 150, [True] * 12])
    assert_array_equal(clean.sample_indices, np.arange(150))
    assert not clean.poison_mask.any()
    assert poisoned.n_poison == 12 and clean.n_poison == 0
    assert_array_equal(poisoned.X_injected, poisoned.X_fit[150:])
    assert poisoned.X_fit.shape == (162, 4) and clean.X_fit.shape == (150, 4)
    assert poisoned.labels.shape == clean.labels.shape == (150,)
    assert poisoned.fit_labels.shape == (162,)
    assert poisoned.centers.shape == (3, 4) and poisoned.centers_in_input_space
    assert not poisoned.has_defence and poisoned.outlier_mask is None
    assert result.threat_model == {
        "attacker_sees_labels": True,
        "attack": repr(FarBlobAttack(n_poison=12)),
        "defence": None,
        "victim": repr(KMeans(3, n_init=2)),
    }
    # The victim's labels of the clean rows are predict(X).
    assert_array_equal(clean.labels, clean.model.predict(X_IRIS))
    # Picklable, with the same scores.
    again = pickle.loads(pickle.dumps(result))
    assert again.scores() == pytest.approx(result.scores(), nan_ok=True)


def test_fit_paired_defence_bookkeeping():
    # The z-score defence flags the genuine iris rows with a long first
    # feature. The far blob inflates the spread: the blob is flagged and the
    # genuine outliers are not any more (concealment 1, no eviction).
    before = ZScoreDefence().fit(X_IRIS).outlier_mask_
    assert before.sum() > 0
    result = fit_paired(
        KMeans(3, n_init=2),
        FarBlobAttack(n_poison=12),
        X_IRIS,
        Y_IRIS,
        defence=ZScoreDefence(),
        random_state=0,
    )
    clean, poisoned = result.clean, result.poisoned
    assert_array_equal(clean.outlier_mask, before)
    assert_array_equal(poisoned.outlier_mask, np.r_[[False] * 150, [True] * 12])
    assert_array_equal(
        poisoned.defence_sample_indices, np.r_[np.arange(150), [-1] * 12]
    )
    assert poisoned.n_removed == poisoned.n_removed_poison == 12
    assert clean.n_removed == before.sum()
    assert_array_equal(clean.removed_clean_rows(150), before)
    assert not poisoned.removed_clean_rows(150).any()
    assert_array_equal(poisoned.X_removed, poisoned.X_injected)
    # The model saw the clean rows only: provenance of the fitted rows.
    assert_array_equal(poisoned.sample_indices, np.arange(150))
    row = result.scores()
    assert row["concealment_rate"] == 1.0
    assert row["eviction_rate"] == 0.0
    assert row["survival_rate"] == 0.0
    assert row["defence_precision"] == row["defence_recall"] == 1.0


class CopyAllAttack(BaseInjectionAttack):
    """Test attack: inject one exact copy of every clean row."""

    def __init__(self, n_poison=1.0, *, poison_label=-1, random_state=None):
        self.n_poison = n_poison
        self.poison_label = poison_label
        self.random_state = random_state

    def _generate(self, X, y, n_new, random_state):
        return X[np.arange(n_new) % X.shape[0]]


def test_row_count_alone_never_moves_the_internal_scores():
    # Every row twice: the k-means objective is doubled, so with a fixed
    # initialisation the poisoned model is the clean one. Scored on its own
    # 300 fitted rows, Calinski-Harabasz would double ((n - k) / (k - 1));
    # on the clean rows every paired difference is exactly 0.
    init = X_IRIS[[0, 50, 100]]
    result = fit_paired(
        KMeans(3, init=init, n_init=1), CopyAllAttack(), X_IRIS, Y_IRIS, random_state=0
    )
    assert result.poisoned.X_fit.shape[0] == 300
    assert_array_equal(result.poisoned.labels, result.clean.labels)
    row = result.scores()
    for name in (
        "silhouette",
        "calinski_harabasz",
        "davies_bouldin",
        "mean_within_cluster_std",
        "adjusted_rand",
    ):
        assert row[f"diff_{name}"] == 0.0, name
    from skpoison.metrics import clustering_report

    on_fitted = clustering_report(result.poisoned.X_fit, result.poisoned.fit_labels)
    assert on_fitted["calinski_harabasz"] == pytest.approx(
        row["clean_calinski_harabasz"] * 297 / 147
    )


def test_budget_zero_is_the_clean_point():
    result = fit_paired(
        KMeans(3, n_init=2), UniformOutlierAttack(n_poison=0), X_IRIS, Y_IRIS
    )
    assert result.poisoned is result.clean
    curve = robustness_curve(
        KMeans(3, n_init=2),
        UniformOutlierAttack(),
        X_IRIS,
        Y_IRIS,
        param_range=[0, 0.1],
        n_repeats=2,
        random_state=0,
        as_frame=False,
    )
    zero = curve["param_value"] == 0
    assert_array_equal(curve["n_poison"][zero], 0)
    for name in curve:
        if name.startswith("diff_"):
            finite = np.isfinite(curve[name][zero])
            assert_array_equal(curve[name][zero][finite], 0.0, err_msg=name)
    assert_array_equal(curve["assignment_change_rate"][zero], 0.0)
    assert not curve["false_confidence"][zero].any()
    assert_array_equal(curve["n_poison"][~zero], 15)
    # n_poison=0 in evaluate_attack, nested in a pipeline.
    result = evaluate_attack(
        SemiSupervisedKMeans(),
        make_pipeline(MaskLabels(0.2), LabelFlipAttack(n_poison=0)),
        X_IRIS,
        Y_IRIS,
        n_repeats=2,
        random_state=0,
        as_frame=False,
    )
    assert_array_equal(result["diff_accuracy"], 0.0)


def test_clean_run_is_shared():
    first = fit_paired(
        KMeans(3, n_init=2), BridgeAttack(n_poison=0.1), X_IRIS, Y_IRIS, random_state=5
    )
    second = fit_paired(
        KMeans(3, n_init=2),
        UniformOutlierAttack(n_poison=0.1),
        X_IRIS,
        Y_IRIS,
        clean_run=first.clean,
    )
    assert second.clean is first.clean and second.seed == 5
    alone = fit_paired(
        KMeans(3, n_init=2),
        UniformOutlierAttack(n_poison=0.1),
        X_IRIS,
        Y_IRIS,
        random_state=5,
    )
    assert second.scores() == pytest.approx(alone.scores(), nan_ok=True)
    with pytest.raises(ValueError, match="another seed or other steps"):
        fit_paired(
            KMeans(3, n_init=2),
            BridgeAttack(),
            X_IRIS,
            random_state=6,
            clean_run=first.clean,
        )
    with pytest.raises(ValueError, match="another seed or other steps"):
        fit_paired(KMeans(4, n_init=2), BridgeAttack(), X_IRIS, clean_run=first.clean)


def test_attacker_without_labels():
    attack = SpyAttack(n_poison=10)
    result = fit_paired(
        KMeans(3, n_init=2),
        attack,
        X_IRIS,
        Y_IRIS,
        attacker_sees_labels=False,
        random_state=0,
    )
    spy = result.poisoned.steps[0]
    assert spy.saw_labels_ is False
    # The model still got labels: genuine rows keep theirs, injected -1.
    assert_array_equal(result.poisoned.y_fit, np.r_[Y_IRIS, [-1] * 10])
    assert result.threat_model["attacker_sees_labels"] is False
    # The scores still use y.
    assert np.isfinite(result.scores()["poisoned_adjusted_rand"])
    result = fit_paired(KMeans(3, n_init=2), attack, X_IRIS, Y_IRIS, random_state=0)
    assert result.poisoned.steps[0].saw_labels_ is True
    # The evaluations record the threat model.
    frame = evaluate_attack(
        KMeans(3, n_init=2),
        BridgeAttack(n_poison=10),
        X_IRIS,
        Y_IRIS,
        attacker_sees_labels=False,
        n_repeats=1,
        as_frame=True,
    )
    assert not frame["attacker_sees_labels"].any()
    assert frame.attrs["threat_model"]["attacker_sees_labels"] is False


@pytest.mark.parametrize(
    "attack, name",
    [
        (LabelFlipAttack(), "LabelFlipAttack"),
        (make_pipeline(MaskLabels(0.2), LabelShuffleAttack()), "LabelShuffleAttack"),
    ],
)
def test_label_attack_without_labels_is_an_error(attack, name):
    msg = f"{name} needs the labels y, but attacker_sees_labels=False"
    with pytest.raises(ValueError, match=msg):
        fit_paired(
            SemiSupervisedKMeans(), attack, X_IRIS, Y_IRIS, attacker_sees_labels=False
        )
    with pytest.raises(ValueError, match=msg):
        evaluate_attack(
            SemiSupervisedKMeans(),
            attack,
            X_IRIS,
            Y_IRIS,
            attacker_sees_labels=False,
            n_repeats=1,
        )


# ---------------------------------------------------------------------------
# The seed rule
# ---------------------------------------------------------------------------


def test_user_seeded_victim_is_kept():
    # A victim seeded by the user keeps its seed in every repeat: its clean
    # run is the same in each, the one the user would fit by hand.
    result = evaluate_attack(
        KMeans(3, init="random", n_init=1, max_iter=2, random_state=7),
        UniformOutlierAttack(n_poison=0.3),
        X_IRIS,
        Y_IRIS,
        n_repeats=3,
        random_state=0,
        as_frame=False,
    )
    by_hand = KMeans(3, init="random", n_init=1, max_iter=2, random_state=7)
    by_hand = by_hand.fit(X_IRIS).predict(X_IRIS)
    from sklearn.metrics import adjusted_rand_score

    assert_array_equal(
        result["clean_adjusted_rand"], adjusted_rand_score(Y_IRIS, by_hand)
    )
    # The unseeded attack is re-seeded in each repeat: different poisons.
    assert np.unique(result["poisoned_silhouette"]).size > 1


def test_random_state_instances_are_kept():
    # A RandomState given by the user is a set seed: every repeat (and both
    # runs) start from a copy of its state.
    result = evaluate_attack(
        KMeans(
            3,
            init="random",
            n_init=1,
            max_iter=2,
            random_state=np.random.RandomState(3),
        ),
        UniformOutlierAttack(n_poison=0.3, random_state=np.random.RandomState(4)),
        X_IRIS,
        Y_IRIS,
        n_repeats=3,
        random_state=0,
        as_frame=False,
    )
    assert np.unique(result["clean_silhouette"]).size == 1
    assert np.unique(result["poisoned_silhouette"]).size == 1


def test_all_seeded_components_give_identical_repeats_and_calls():
    kwargs = dict(
        param_range=[0.1, 0.3], n_repeats=3, random_state=None, as_frame=False
    )
    curves = [
        robustness_curve(
            KMeans(3, n_init=1, random_state=0),
            UniformOutlierAttack(random_state=1),
            X_IRIS,
            Y_IRIS,
            defence=OutlierRemover(IsolationForest(n_estimators=10, random_state=2)),
            **kwargs,
        )
        for _ in range(2)
    ]
    for name in curves[0]:
        if name == "seed":
            continue  # drawn from random_state=None, used by nothing
        assert_array_equal(curves[0][name], curves[1][name], err_msg=name)
    # Everything seeded: the repeats are identical too.
    for value in (0.1, 0.3):
        at = curves[0]["param_value"] == value
        assert np.unique(curves[0]["poisoned_adjusted_rand"][at]).size == 1


def test_victim_seed_does_not_depend_on_the_attack():
    # The attacks have 1 and 2 random_state parameters (the mimicry attack's
    # detector has its own): the clean runs are the same, repeat by repeat.
    kwargs = dict(n_repeats=3, random_state=0, as_frame=False)
    victim = KMeans(3, init="random", n_init=1, max_iter=2)
    one = evaluate_attack(victim, UniformOutlierAttack(), X_IRIS, Y_IRIS, **kwargs)
    two = evaluate_attack(
        victim,
        MimicryAttack(detector=OutlierRemover(IsolationForest(n_estimators=10))),
        X_IRIS,
        Y_IRIS,
        **kwargs,
    )
    for name in CLEAN_COLUMNS:
        assert_array_equal(one[name], two[name], err_msg=name)
    # Different seeds per repeat for the unseeded victim (a rough k-means).
    assert np.unique(one["clean_silhouette"]).size > 1


def test_one_clean_baseline_per_repeat_in_a_sweep():
    curve = robustness_curve(
        KMeans(3, n_init=1),
        {"bridge": BridgeAttack(), "uniform": UniformOutlierAttack()},
        X_IRIS,
        Y_IRIS,
        param_range=[0.05, 0.2],
        n_repeats=3,
        random_state=0,
        as_frame=False,
    )
    assert list(curve)[:2] == ["attack", "param_value"]
    assert_array_equal(curve["attack"], ["bridge"] * 6 + ["uniform"] * 6)
    for name in CLEAN_COLUMNS:
        values = curve[name].reshape(4, 3)  # (attack, value) x repeat
        assert (values == values[0]).all(), name
    # Per-attack param names, for pipelines.
    semi = robustness_curve(
        SemiSupervisedKMeans(),
        {
            "flip": make_pipeline(MaskLabels(0.2), LabelFlipAttack()),
            "shuffle": make_pipeline(MaskLabels(0.2), LabelShuffleAttack()),
        },
        X_IRIS,
        Y_IRIS,
        param_name={
            "flip": "labelflipattack__n_poison",
            "shuffle": "labelshuffleattack__n_poison",
        },
        param_range=[0.5],
        n_repeats=2,
        random_state=0,
        as_frame=False,
    )
    assert_array_equal(semi["clean_accuracy"][:2], semi["clean_accuracy"][2:])
    with pytest.raises(ValueError, match="no entry"):
        robustness_curve(
            SemiSupervisedKMeans(),
            {"flip": LabelFlipAttack()},
            X_IRIS,
            Y_IRIS,
            param_name={},
            param_range=[0.5],
        )


# ---------------------------------------------------------------------------
# False confidence
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("loader", [load_iris, load_wine])
def test_duplicate_rows_never_raise_the_flag(loader):
    # Copies of clean rows add no information: whatever small changes they
    # cause must not read as "internal scores up, external down".
    X, y = loader(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    curve = robustness_curve(
        KMeans(3, n_init=3),
        DuplicateAttack(),
        X,
        y,
        param_range=[0.1, 0.5, 1.0],
        n_repeats=5,
        random_state=0,
        as_frame=False,
    )
    assert not curve["false_confidence"].any()


def test_iris_bridge_is_not_false_confidence():
    # The case of issue 10: Calinski-Harabasz grew with the row count while
    # the silhouette got worse. Scored on the same clean rows, no flag.
    X = StandardScaler().fit_transform(X_IRIS)
    curve = robustness_curve(
        KMeans(3, n_init=10),
        BridgeAttack(n_clusters=3),
        X,
        Y_IRIS,
        param_range=[0.05, 0.1, 0.2, 0.3],
        n_repeats=5,
        random_state=0,
        as_frame=False,
    )
    assert not curve["false_confidence"].any()


def test_far_blob_is_false_confidence_with_noise_columns():
    result = evaluate_attack(
        KMeans(3, n_init=3),
        FarBlobAttack(n_poison=0.2),
        X_IRIS,
        Y_IRIS,
        n_repeats=3,
        random_state=0,
        as_frame=False,
    )
    assert result["false_confidence"].all()
    # The noise is the larger spread over repeats of the clean score and of
    # the paired difference.
    for name in ("silhouette", "adjusted_rand"):
        expected = max(
            np.std(result[f"clean_{name}"], ddof=1),
            np.std(result[f"diff_{name}"], ddof=1),
        )
        assert_array_equal(result[f"noise_{name}"], expected)
    # One repeat: no noise estimate, no flag; two: a noise, but no flag.
    for n_repeats in (1, 2):
        few = evaluate_attack(
            KMeans(3, n_init=3),
            FarBlobAttack(n_poison=0.2),
            X_IRIS,
            Y_IRIS,
            n_repeats=n_repeats,
            random_state=0,
            as_frame=False,
        )
        assert np.isnan(few["noise_silhouette"]).all() == (n_repeats == 1)
        assert not few["false_confidence"].any()


def test_label_flip_moves_classes_not_clusters():
    # The original study on iris: flipping the whole labelled sample makes
    # seeded k-means call the classes by wrong names while the clusters
    # themselves barely move (median over 10 seeds).
    X = StandardScaler().fit_transform(X_IRIS)
    curve = robustness_curve(
        SemiSupervisedKMeans(),
        make_pipeline(MaskLabels(0.2), LabelFlipAttack()),
        X,
        Y_IRIS,
        param_name="labelflipattack__n_poison",
        param_range=[1.0],
        n_repeats=10,
        random_state=0,
        as_frame=False,
    )
    assert np.median(curve["poisoned_accuracy"]) < 0.4
    assert np.median(curve["clean_accuracy"]) > 0.75
    assert np.median(curve["assignment_change_rate"]) < 0.2
