"""Hostile-input battery: count outcomes over skpoison's whole public API.

Every case is one isolated call on unusual or broken input, sorted by
:func:`skpoison.utils.estimator_checks.classify_outcome` into *clear error*,
*correct*, *unhelpful* (a low-level error), *silent wrong* (e.g. NaN output
from finite input) or *hang* (no answer within the time limit). The
estimator cases are :func:`~skpoison.utils.estimator_checks.hostile_input_cases`
over every public estimator (and each strategy/method variant); the rest
cover metrics, displays, evaluation functions, dataset helpers and the
parameter findings of issue 14.

Run::

    python benchmarks/hostile_battery.py            # totals, problems listed
    python benchmarks/hostile_battery.py --quick    # a few estimators only
    python benchmarks/hostile_battery.py --json out.json

Outcome counts do not depend on machine load (only the time limit does:
the default 10 s per case is far above what any case needs).
"""

import argparse
import inspect
import json
import sys
import warnings
from collections import Counter

import numpy as np

warnings.filterwarnings("ignore")


def _estimators(quick):
    from sklearn.ensemble import IsolationForest

    from skpoison.utils.discovery import all_estimators

    variants = {
        "LabelFlipAttack": [{"strategy": "random"}, {"strategy": "seed_shift"}],
        "SubtleOutlierAttack": [{"method": "scaled"}, {"method": "band"}],
        "BridgeAttack": [{"strategy": "interpolate"}, {"strategy": "shortest_link"}],
        "UniformOutlierAttack": [{}, {"outside_only": True}],
        "SemiSupervisedKMeans": [{"method": "seeded"}, {"method": "constrained"}],
        "OutlierRemover": [
            {"detector": IsolationForest(n_estimators=10, random_state=0)}
        ],
    }
    out = []
    for name, cls in all_estimators():
        if quick and name not in ("UniformOutlierAttack", "LabelFlipAttack"):
            continue
        for params in variants.get(name, [{}]):
            params = dict(params)
            if "random_state" in inspect.signature(cls).parameters:
                params.setdefault("random_state", 0)
            if name == "KMeansMinusMinus":
                params.setdefault("n_clusters", 3)
                params.setdefault("n_init", 2)
            label = name + "".join(
                f"[{k}={v}]" for k, v in params.items() if k not in ("random_state",)
            )
            out.append((label, cls(**params)))
    return out


def _finite_float(value):
    assert np.isfinite(float(value)), f"result {value!r} is not finite"


def _finite_all(value):
    if isinstance(value, dict):
        for key, v in value.items():
            # Undefined internal scores are documented as NaN.
            if key in ("silhouette", "calinski_harabasz", "davies_bouldin"):
                continue
            _finite_float(v)
    elif isinstance(value, tuple):
        for v in value:
            _finite_float(v)
    else:
        _finite_float(value)


def _api_cases():
    """``(case_id, call, check_result)`` for the non-estimator public API."""
    from sklearn.cluster import DBSCAN, KMeans
    from sklearn.datasets import make_blobs

    from skpoison import attacks, cluster, datasets, metrics, model_selection
    from skpoison.preprocessing import MaskLabels
    from skpoison.utils.discovery import all_estimators

    X, y = make_blobs(60, centers=3, n_features=4, random_state=0)
    s = np.array(["setosa", "versicolor", "virginica"], dtype=object)[y]
    s_unl = s.copy()
    s_unl[::4] = -1
    mixed = np.array(["a", 1, "c"], dtype=object)[y]
    with_none = np.array(["a", None, "c"], dtype=object)[y]
    label_sets = {
        "int": y,
        "str": np.array(["a", "b", "c"])[y],
        "str with -1": s_unl,
        "mixed str/int": mixed,
        "None in labels": with_none,
        "bool": y == 0,
        "float NaN": np.where(np.arange(60) == 3, np.nan, y),
        "2-D": np.column_stack([y, y]),
        "empty": y[:0],
        "length differs": y[:-1],
    }
    cases = []
    for func in (
        metrics.cluster_accuracy,
        metrics.assignment_change_rate,
        metrics.coassociation_distance,
    ):
        for label, lab in label_sets.items():
            other = lab if label not in ("length differs",) else y
            cases.append(
                (f"{func.__name__}({label})", lambda f=func, a=other, b=lab: f(a, b),
                 _finite_float)
            )
        cases.append(
            (f"{func.__name__}(int, str with -1)", lambda f=func: f(y, s_unl),
             _finite_float)
        )
    big = np.arange(20000)
    cases.append(
        ("assignment_change_rate(20000 labels)",
         lambda: metrics.assignment_change_rate(big, big), _finite_float)
    )
    cases.append(
        ("cluster_accuracy(20000 labels)",
         lambda: metrics.cluster_accuracy(big, big[::-1]), _finite_float)
    )
    for func in (metrics.mean_within_cluster_std, metrics.clustering_report):
        for label, lab in label_sets.items():
            cases.append(
                (f"{func.__name__}(labels {label})", lambda f=func, lab=lab: f(X, lab),
                 _finite_all)
            )
        for scale in (1e150, 1e300, 5e307):
            Xs = X / np.abs(X).max() * scale
            cases.append(
                (f"{func.__name__}(X x {scale:g})", lambda f=func, Xs=Xs: f(Xs, y),
                 _finite_all)
            )
        cases.append(
            (f"{func.__name__}(1e300 X, y_true str with -1)",
             lambda f=func: f(X, y, s_unl) if f is metrics.clustering_report
             else f(X, s_unl), _finite_all)
        )
    C = np.array([[0.0, 0.0], [1.0, 1.0]])
    for label, (a, b) in {
        "huge 1e300": (C * 1e300, C[::-1] * 1e300 + 1e300),
        "near max": (C * 1.7e308, -C * 1.7e308),
        "NaN": (C * np.nan, C),
        "features differ": (C, np.ones((2, 3))),
        "empty": (C[:0], C),
        "1-D": (C[0], C),
    }.items():
        cases.append(
            (f"centroid_shift({label})", lambda a=a, b=b: metrics.centroid_shift(a, b),
             _finite_all)
        )
    for func in (metrics.concealment_rate, metrics.eviction_rate):
        for label, (a, b) in {
            "empty": ([], []),
            "2-D": (np.ones((2, 2), bool), np.ones((2, 2), bool)),
            "lengths differ": ([True, False], [True]),
            "floats": ([0.5, 1.0], [0.0, 1.0]),
        }.items():
            cases.append(
                (f"{func.__name__}({label})", lambda f=func, a=a, b=b: f(a, b),
                 _finite_float)
            )
    for label, args in {
        "empty": ([], []),
        "lengths differ": ([True, False], [True]),
    }.items():
        cases.append(
            (f"survival_rate({label})", lambda a=args: metrics.survival_rate(*a),
             _finite_float)
        )
    dbscan = DBSCAN(eps=2.0).fit(X)
    kmeans = KMeans(3, n_init=2, random_state=0).fit(X)
    for name in ("silhouette", "calinski_harabasz", "davies_bouldin"):
        cases.append(
            (f"scorer {name} on DBSCAN",
             lambda n=name: metrics.get_scorer(n)(dbscan, X), lambda v: None)
        )
    cases.append(("get_scorer(5)", lambda: metrics.get_scorer(5), None))
    cases.append(("get_scorer('nope')", lambda: metrics.get_scorer("nope"), None))
    cases.append(
        ("scorer silhouette on KMeans, 1e300 X",
         lambda: metrics.get_scorer("silhouette")(kmeans, X * 1e300), lambda v: None)
    )
    # Displays.
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    def display(labels_a, labels_b, **kw):
        def call():
            try:
                return metrics.ClusterShiftDisplay.from_predictions(
                    X, labels_a, labels_b, **kw
                )
            finally:
                plt.close("all")

        return call

    for label, lab in label_sets.items():
        other = lab if label != "length differs" else y
        cases.append((f"ClusterShiftDisplay({label})", display(other, lab), None))
    cases.append(("ClusterShiftDisplay(int vs str with -1)", display(y, s_unl), None))
    cases.append(
        ("ClusterShiftDisplay(huge X)",
         lambda: metrics.ClusterShiftDisplay.from_predictions(X * 1e300, y, y), None)
    )
    # RobustnessCurveDisplay.from_results: bad inputs.
    RCD = model_selection.RobustnessCurveDisplay
    good = {
        "n_poison": [0.1, 0.1, 0.2, 0.2],
        "poisoned_adjusted_rand": [0.9, 0.8, 0.7, 0.6],
        "clean_adjusted_rand": [1.0, 1.0, 1.0, 1.0],
    }

    def rcd(results, **kw):
        def call():
            try:
                return RCD.from_results(results, **kw)
            finally:
                plt.close("all")

        return call

    for label, (res, kw) in {
        "None": (None, {}),
        "missing column": ({"n_poison": [0.1]}, {}),
        "unequal lengths": ({**good, "n_poison": [0.1]}, {}),
        "one quantile": (good, {"spread": "quantile", "quantiles": (0.5,)}),
        "empty": ({k: [] for k in good}, {}),
    }.items():
        cases.append((f"RobustnessCurveDisplay.from_results({label})", rcd(res, **kw),
                      None))
    # Evaluation functions.
    attack = attacks.UniformOutlierAttack(n_poison=0.1, random_state=0)
    ssk = cluster.SemiSupervisedKMeans(random_state=0)
    km = KMeans(3, n_init=2, random_state=0)
    cases += [
        ("evaluate_attack(SemiSupervisedKMeans, no y)",
         lambda: model_selection.evaluate_attack(ssk, attack, X, n_repeats=1), None),
        ("evaluate_attack(n_repeats=True)",
         lambda: model_selection.evaluate_attack(km, attack, X, n_repeats=True), None),
        ("evaluate_attack(n_repeats=0)",
         lambda: model_selection.evaluate_attack(km, attack, X, n_repeats=0), None),
        ("evaluate_attack(y str with -1)",
         lambda: model_selection.evaluate_attack(
             ssk, attack, X, s_unl, n_repeats=1, as_frame=False), None),
        ("evaluate_attack(huge X)",
         lambda: model_selection.evaluate_attack(km, attack, X * 1e300, n_repeats=1),
         None),
        ("robustness_curve(y str with -1)",
         lambda: model_selection.robustness_curve(
             ssk, attack, X, s_unl, param_range=[0.1], n_repeats=1, as_frame=False),
         None),
        ("robustness_curve(param_range=[])",
         lambda: model_selection.robustness_curve(
             km, attack, X, param_range=[], n_repeats=1), None),
    ]
    # Datasets and discovery.
    for label, box in {
        "(nan, nan)": (np.nan, np.nan),
        "(1.0,)": (1.0,),
        "('a', 'b')": ("a", "b"),
        "(5, -5)": (5.0, -5.0),
        "(inf, inf)": (-np.inf, np.inf),
        "(-1e308, 1e308)": (-1e308, 1e308),
    }.items():
        cases.append(
            (f"make_outlier_blobs(center_box={label})",
             lambda b=box: datasets.make_outlier_blobs(center_box=b, random_state=0),
             lambda r: _finite_float(np.abs(r[0]).max()))
        )
    for label, kw in {
        "n_samples=0": {"n_samples": 0},
        "n_features=0": {"n_features": 0},
        "n_outliers=-1": {"n_outliers": -1},
        "cluster_std=-1": {"cluster_std": -1.0},
    }.items():
        cases.append(
            (f"make_outlier_blobs({label})",
             lambda kw=kw: datasets.make_outlier_blobs(**kw, random_state=0), None)
        )
    cases += [
        ("all_estimators(5)", lambda: all_estimators(5), None),
        ("all_estimators('nope')", lambda: all_estimators("nope"), None),
        ("load_dataset('nope')", lambda: datasets.load_dataset("nope"), None),
        ("load_dataset(5)", lambda: datasets.load_dataset(5), None),
    ]
    # Parameter findings of issue 14.
    big153 = X / np.abs(X).max() * 1e153

    def resample(est, data, target=None):
        return lambda: est.fit_resample(data, target)

    def finite_out(result):
        _finite_float(np.abs(np.asarray(result[0], dtype=float)).max())

    cases += [
        ("GaussianNoiseAttack(scale=1e308)",
         resample(attacks.GaussianNoiseAttack(scale=1e308, random_state=0), X),
         finite_out),
        ("UniformOutlierAttack(expansion=1e308)",
         resample(attacks.UniformOutlierAttack(expansion=1e308, random_state=0), X),
         finite_out),
        ("UniformOutlierAttack(outside_only, expansion=1e-300)",
         resample(attacks.UniformOutlierAttack(
             outside_only=True, expansion=1e-300, random_state=0), X), finite_out),
        ("SubtleOutlierAttack(band, radius=(1e200, 1e300))",
         resample(attacks.SubtleOutlierAttack(
             method="band", radius=(1e200, 1e300), random_state=0), X), finite_out),
        ("LabelFlipAttack(seed_shift, n_poison=2) 1e153",
         resample(attacks.LabelFlipAttack(
             n_poison=2, strategy="seed_shift", random_state=0), big153, y),
         finite_out),
        ("CentroidNoiseAttack(noise_scale=1e308)",
         resample(attacks.CentroidNoiseAttack(noise_scale=1e308, random_state=0), X),
         finite_out),
        ("SemiSupervisedKMeans near 1e308 then predict",
         lambda: cluster.SemiSupervisedKMeans(random_state=0)
         .fit(X / np.abs(X).max() * 1.5e308, y)
         .predict(X), lambda v: None),
    ]

    def masked_then(est):
        def call():
            _, yb = MaskLabels(0.5, random_state=0).fit_resample(X, y == 0)
            return est.fit(X, yb) if not hasattr(est, "fit_resample") else (
                est.fit_resample(X, yb))

        return call

    cases += [
        ("MaskLabels(bool y) -> SemiSupervisedKMeans",
         masked_then(cluster.SemiSupervisedKMeans(random_state=0)), None),
        ("MaskLabels(bool y) -> LabelFlipAttack",
         masked_then(attacks.LabelFlipAttack(random_state=0)), None),
    ]

    def mimicry_twice():
        from skpoison.defences import KMeansNoiseRemover

        def run():
            est = attacks.MimicryAttack(detector=KMeansNoiseRemover(3),
                                        random_state=0)
            return est.fit_resample(X)[0]

        return run(), run()

    def same(pair):
        assert np.array_equal(pair[0], pair[1]), "same random_state, different output"

    cases.append(("MimicryAttack(detector=KMeansNoiseRemover(3)) twice",
                  mimicry_twice, same))
    return cases


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two estimators only")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--json", help="write every case's outcome here")
    parser.add_argument("--quiet", action="store_true", help="totals only")
    args = parser.parse_args(argv)

    from skpoison.utils.estimator_checks import (
        OUTCOMES,
        classify_outcome,
        hostile_input_cases,
    )

    rows = []
    for label, est in _estimators(args.quick):
        for case_id, call, check, must_succeed in hostile_input_cases(est):
            outcome, detail = classify_outcome(call, check, time_limit=args.time_limit)
            if must_succeed and outcome == "clear error":
                outcome = "unhelpful"  # a valid input was refused
            rows.append({"case": f"{label}: {case_id}", "outcome": outcome,
                         "detail": detail})
    if not args.quick:
        for case_id, call, check in _api_cases():
            outcome, detail = classify_outcome(call, check, time_limit=args.time_limit)
            rows.append({"case": case_id, "outcome": outcome, "detail": detail})
    totals = Counter(r["outcome"] for r in rows)
    if not args.quiet:
        for r in rows:
            if r["outcome"] not in ("clear error", "correct"):
                print(f"[{r['outcome']}] {r['case']}: {r['detail'][:200]}")
    print(f"{len(rows)} cases: " + ", ".join(f"{o} {totals.get(o, 0)}" for o in OUTCOMES))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"totals": dict(totals), "cases": rows}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
