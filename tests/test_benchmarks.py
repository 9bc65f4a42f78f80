"""The benchmark runner in --quick mode covers every registered component."""

import importlib.util
import json
import math
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def quick_results(tmp_path_factory):
    import sys

    sys.path.insert(0, str(BENCH))
    try:
        run = _load("run")
        out = tmp_path_factory.mktemp("bench") / "quick.json"
        status = run.main(["--quick", "--dtypes", "float64", "--output", str(out)])
        results = json.loads(out.read_text())
        components = _load("_components")
    finally:
        sys.path.remove(str(BENCH))
    return status, results, components


def test_quick_run_times_every_registered_case(quick_results):
    status, results, components = quick_results
    rows = results["results"]
    assert status == 0
    names = {r["name"] for r in rows}
    assert names == {c.name for c in components.CASES}
    for r in rows:
        assert r["status"] == "ok", (r["name"], r.get("error"))
        assert math.isfinite(r["time"]) and r["time"] > 0, r["name"]
        assert math.isfinite(r["ratio"]) and r["ratio"] > 0, r["name"]
        assert math.isfinite(r["peak_x"]) and r["peak_x"] >= 0, r["name"]


def test_a_crashing_case_is_an_error_and_fails_the_run(tmp_path):
    import sys

    sys.path.insert(0, str(BENCH))
    try:
        run = _load("run")
        components = _load("_components")

        def broken(cls, data):
            def call():
                raise RuntimeError("boom")

            return call, None

        case = components.Case("broken", "numpy", "sum", broken, "absolute")
        data = components.make_data(200, 3, "float64")
        refs = run.References(data, 1)
        row = run.run_case(case, data, refs, 1)
        assert row["status"] == "error" and "boom" in row["error"]

        missing = components.Case(
            "ghost", "skpoison.attacks", "NoSuchAttack", broken, "floor"
        )
        assert run.run_case(missing, data, refs, 1)["status"] == "missing"
    finally:
        sys.path.remove(str(BENCH))


def test_effect_benchmarks_quick_mode():
    # The effect studies quoted in the issue notes must keep running; in quick
    # mode they still show their headline effects.
    flip_rows = _load("effect_label_flip").main(["--quick"])
    first_below = {(name, strategy): first for name, strategy, _, first in flip_rows}
    assert first_below[("breast_cancer", "seed_shift")] == 0.3
    assert first_below[("breast_cancer", "random")] == 0.7

    mimicry_rows = _load("effect_mimicry").main(["--quick"])
    concealment = [row[3] for row in mimicry_rows if row[1] == "concealment"]
    assert concealment and all(0.0 <= c <= 1.0 for c in concealment)
    assert max(concealment) == 1.0


def test_hostile_battery_quick_mode():
    # Two estimators' hostile cases: every outcome is sorted, none is a hang
    # or a silently wrong result.
    totals = _load("hostile_battery").main(["--quick", "--quiet"])
    assert sum(totals.values()) > 50
    assert totals.get("hang", 0) == 0 and totals.get("silent wrong", 0) == 0


@pytest.mark.parametrize("level", ["loop", "estimator"])
def test_per_iteration_benchmark_quick_mode(level):
    # Both caps are reached (the data need more iterations than the caps),
    # and the seeded fit is scikit-learn's k-means from the same centres.
    rows = _load("bench_per_iteration").main(["--quick", "--level", level])
    assert len(rows) == 8
    assert {r["level"] for r in rows} == {level}
    assert all(r["status"] == "ok" for r in rows), rows
    seeded = [r for r in rows if r["name"] == "SemiSupervisedKMeans(seeded)"]
    assert all(r["same_labels_as_sklearn"] for r in seeded)
    # One pass, two caps; the ratio (NaN when 2e3 rows give scikit-learn no
    # positive slope) is the median of the passes' ratios, within their range.
    for r in rows:
        assert len(r["times"]) == 1 and len(r["times"][0]) == 2
        low, high = r["ratio_range"]
        assert math.isnan(r["ratio"]) or low <= r["ratio"] <= high


def test_query_order_benchmark_quick_mode():
    # The four ways are timed (and checked to give the same k-distances).
    rows = _load("bench_query_order").main(["--quick", "--intrinsic-dims", "3"])
    ways = ["one kneighbors call", "row order", "tree order", "whole clean-up"]
    assert [r["way"] for r in rows] == ways
    for r in rows:
        assert r["rows"] == 2000 and r["intrinsic_dim"] == 3 and r["growth"] is None
        assert math.isfinite(r["time"]) and r["time"] > 0
        low, high = r["ratio_range"]
        assert low <= r["ratio"] <= high
    assert rows[0]["ratio"] == 1.0


def test_approximate_dbscan_agreement_quick_mode():
    pytest.importorskip("faiss")
    rows = _load("effect_dbscan_approximate").main(["--quick"])
    (name, exact, approx, jaccard, agree, jaccard_same_eps) = rows[0]
    assert name == "breast_cancer" and exact == approx == 8
    assert jaccard == agree == jaccard_same_eps == 1.0


def test_blackbox_benchmarks_quick_mode():
    rows, spill = _load("effect_blackbox").main(["--quick"])
    assert {row[2] for row in rows} == {"random", "genetic"}
    assert all(row[6] == 20 for row in rows)
    # Chhabra et al.'s spill-over: one perturbed digit moves tens of rows.
    ((pair, switched, _),) = spill
    assert switched >= 10
    table, reach, times = _load("bench_blackbox").main(["--quick"])
    assert set(times) == {1, 2}


def test_blackbox_effect_eval_seeds_average_the_victims():
    # --eval-seeds n scores a poisoning by the mean ARI over n victim seeds.
    from sklearn.datasets import load_iris
    from sklearn.metrics import adjusted_rand_score
    from sklearn.preprocessing import StandardScaler

    bench = _load("effect_blackbox")
    data = load_iris()
    X, y = StandardScaler().fit_transform(data.data), data.target
    X_fit = X[::2]
    singles = [
        adjusted_rand_score(y, bench._victim(3, True, seed).fit(X_fit).predict(X))
        for seed in (bench._EVAL_SEED, bench._EVAL_SEED + 1)
    ]
    assert singles[0] != singles[1]  # the forest's seed matters here
    assert bench._score(X, y, X_fit, 3, True) == singles[0]
    assert bench._score(X, y, X_fit, 3, True, n_eval=2) == pytest.approx(
        (singles[0] + singles[1]) / 2
    )


def test_blackbox_effect_known_victim_is_the_attacked_one():
    # --known-victim: the attack queries the deployed victim (seeds fixed)
    # and the poisoning is scored on that same victim.
    from sklearn.datasets import load_iris
    from sklearn.metrics import adjusted_rand_score
    from sklearn.preprocessing import StandardScaler

    from skpoison.attacks import BlackBoxAttack

    bench = _load("effect_blackbox")
    data = load_iris()
    X, y = StandardScaler().fit_transform(data.data), data.target
    (row,) = bench.effect(
        ["iris"], [0], 20, ("genetic",), defences=(True,), known_victim=True
    )
    victim = bench._victim(3, True, bench._KNOWN_SEED)
    X_poisoned, _ = BlackBoxAttack(
        victim, n_poison=0.05, n_queries=20, random_state=0
    ).fit_resample(X)
    assert row[3] == adjusted_rand_score(y, victim.fit(X).predict(X))
    assert row[4] == adjusted_rand_score(y, victim.fit(X_poisoned).predict(X))


def test_dask_benchmark_quick_mode():
    pytest.importorskip("distributed")
    result = _load("bench_dask").main(["--quick"])
    assert set(result["speedup_1_to_2"]) == {"sweep", "blackbox"}
    # Dask workers give exactly the n_jobs=1 results.
    assert result["identical"] == {"sweep": True, "blackbox": True}


def test_report_scale_benchmark_quick_mode():
    (row,) = _load("bench_report_scale").main(["--quick", "--attacks", "bridge"])
    assert row["rows"] == 2_000 and row["returncode"] == 0, row["stderr_tail"]
    assert row["wall_s"] > 0 and row["peak_rss_mb"] > 0
    # Summed over the report and its workers (where /proc exists).
    assert row["peak_tree_pss_mb"] is None or row["peak_tree_pss_mb"] > 0


def test_memory_benchmark_quick_mode():
    rows = _load("bench_memory").main(["--quick"])
    assert [r["victim"] for r in rows] == ["KMeans", "KMeansMinusMinus"]
    # The victim's fit happens inside the evaluation; the bound itself is
    # tested at a size where fixed buffers do not dominate (test_memory.py).
    assert all(0 < r["victim_fit_x"] < r["peak_x"] < 4 for r in rows), rows


def test_sampled_dbscan_agreement_quick_mode():
    rows = _load("effect_dbscan_sampled").main(["--quick"])
    names = ["report", "report+uniform", "report+bridge"]
    assert [r["data"] for r in rows] == [n for n in names for _ in range(2)]
    for r in rows:
        assert 0 <= r["jaccard"] <= 1 and 0.9 <= r["agree"] <= 1
        assert r["eps_exact"] > 0 and r["eps_sampled"] > 0
    poisoned = [r for r in rows if r["data"] != "report"]
    assert all(0 <= r["recall_sampled"] <= 1 for r in poisoned)


def test_blackbox_transfer_quick_mode():
    # Spectral clustering (no predict) and seeded k-means (fitted on labels)
    # among the surrogates and victims, bare and behind the clean-up.
    result, tables = _load("effect_blackbox").transfer(n_queries=20, n_repeats=1)
    victims = set(result["victim"])
    assert {"spectral", "sskm", "spectral+iforest", "sskm+iforest"} <= victims
    assert {"spectral", "sskm"} <= set(result["surrogate"])
    for mean, _ in tables.values():
        assert mean.notna().all().all()
    assert result["clean_accuracy"][result["victim"] == "sskm"].notna().all()


def test_benchmark_data_with_a_lower_intrinsic_dimension():
    import sys

    import numpy as np

    sys.path.insert(0, str(BENCH))
    try:
        components = importlib.import_module("_components")
    finally:
        sys.path.remove(str(BENCH))
    X = components.make_data(500, 10, "float32", intrinsic_dim=3).X
    assert X.shape == (500, 10) and X.dtype == np.float32
    # Rotated, not padded: every feature varies, yet the rows span 3 dimensions.
    assert (X.std(axis=0) > 0.1).all()
    singular = np.linalg.svd(X.astype(np.float64), compute_uv=False)
    assert singular[2] > 1.0 and singular[3] < 1e-4 * singular[0]
    with pytest.raises(ValueError, match="intrinsic_dim"):
        components.make_data(50, 10, "float64", intrinsic_dim=11)
