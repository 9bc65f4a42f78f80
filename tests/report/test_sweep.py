import numpy as np
import pytest
from sklearn.metrics import accuracy_score, adjusted_rand_score

from skpoison.report._sweep import ReportConfig, prepare_data, run_report


@pytest.fixture(scope="module")
def iris_results():
    data = prepare_data(dataset="iris")
    config = ReportConfig(
        attacks=["bridge", "label-flip"],
        budgets=[0.1],
        flip_ratios=[0.7],
        repeats=3,
        defence="none",
        seed=3,
        progress=False,
    )
    return data, run_report(data, config)


def test_prepare_data_defaults():
    data = prepare_data(dataset="iris")
    assert data.n_clusters == 3 and data.labelled_size == 0.2
    # standard scaling by default
    np.testing.assert_allclose(data.X.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(data.X.std(axis=0), 1)
    raw = prepare_data(dataset="iris", scale="none", n_clusters=2, labelled_size=0)
    assert raw.n_clusters == 2 and raw.labelled_size == 0
    assert raw.X.max() > 7  # sepal length in cm
    mm = prepare_data(dataset="wine", scale="minmax")
    assert mm.X.min() == 0 and mm.X.max() == 1


def test_prepare_data_labelled_sample_too_small():
    with pytest.raises(ValueError, match="without a labelled row"):
        prepare_data(dataset="iris", labelled_size=0.005)


def test_picture_replays_the_sweep_run(iris_results):
    # The picture is one run of the sweep, replayed with the same seeds: its
    # scores are exactly those of that repeat in the results.
    data, results = iris_results
    curves = results.curves
    pic = results.pictures[("kmeans", "bridge")]
    row = curves[
        (curves["section"] == "kmeans")
        & (curves["attack"] == "bridge")
        & (curves["repeat"] == pic.repeat)
    ].iloc[0]
    assert adjusted_rand_score(data.y, pic.poisoned_labels) == pytest.approx(
        row["poisoned_adjusted_rand"]
    )
    assert adjusted_rand_score(data.y, pic.clean_labels) == pytest.approx(
        row["clean_adjusted_rand"]
    )
    assert pic.poison_mask.sum() == row["n_poison"] == 15
    # the median repeat of the three
    scores = curves[curves["attack"] == "bridge"]["poisoned_adjusted_rand"]
    assert row["poisoned_adjusted_rand"] == pytest.approx(np.median(scores))


def test_class_accuracy_is_paired_with_the_sweep(iris_results):
    data, results = iris_results
    curves = results.curves
    flip = curves[curves["attack"] == "label-flip"]
    # plain accuracy never exceeds accuracy under the best matching
    assert (
        flip["poisoned_accuracy"] <= flip["poisoned_cluster_accuracy"] + 1e-12
    ).all()
    assert (flip["clean_accuracy"] <= flip["clean_cluster_accuracy"] + 1e-12).all()
    pic = results.pictures[("semi-supervised", "label-flip")]
    row = flip[flip["repeat"] == pic.repeat].iloc[0]
    assert accuracy_score(data.y, pic.poisoned_labels) == pytest.approx(
        row["poisoned_accuracy"]
    )
    assert adjusted_rand_score(data.y, pic.poisoned_labels) == pytest.approx(
        row["poisoned_adjusted_rand"]
    )


def test_no_defence_means_no_defence_section(iris_results):
    _, results = iris_results
    assert set(results.curves["section"]) == {"kmeans", "semi-supervised"}
    assert results.concealment is None


def test_picture_of_large_data_draws_a_stated_sample(monkeypatch):
    from skpoison.report import _sweep

    # 150 rows and pictures of at most 60: a sample of 60 rows, and the same
    # share (60 / 150) of the 30 injected rows.
    monkeypatch.setattr(_sweep, "PICTURE_ROWS", 60)
    data = prepare_data(dataset="iris")
    config = ReportConfig(
        attacks=["bridge"],
        budgets=[0.2],
        flip_ratios=[0.7],
        repeats=1,
        defence="none",
        seed=0,
        progress=False,
    )
    pic = run_report(data, config).pictures[("kmeans", "bridge")]
    assert pic.shown.size == 60 and np.all(np.diff(pic.shown) > 0)
    assert pic.poison_mask.sum() == 30
    assert pic.X_moved.shape == (12, 4)
    # The labels stay whole (the scores of the picture's run); no poisoned
    # copy of X nor fitted steps are kept.
    assert pic.clean_labels.shape == pic.poisoned_labels.shape == (150,)
    assert pic.X is data.X
    assert not {"X_poisoned", "result", "clean_model"} & set(pic)
    assert pic.clean_centers.shape == pic.poisoned_centers.shape == (3, 4)
