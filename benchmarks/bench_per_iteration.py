"""Time the clusterers per Lloyd iteration against scikit-learn's KMeans.

    python benchmarks/bench_per_iteration.py [--quick] [--sizes 1e5,1e6]
        [--features 50] [--dtypes float64,float32] [--caps 3,63] [--repeats 5]
        [--level loop|estimator] [--output per_iteration.json]

Well-separated blobs converge in two or three iterations, where fixed costs
(validation, the variance pass, the last assignment) dominate and flatter any
implementation. Here the data need tens of iterations (``make_classification``
with 5 classes and 2 clusters per class), every fit starts from the same
centres (the seeds of ``SemiSupervisedKMeans``: the class means of a 20 %
labelled sample), runs with ``tol=0`` and is capped at two iteration counts;
the time per iteration is the slope ``(t(hi) - t(lo)) / (hi - lo)``, the fixed
costs cancelling out. scikit-learn's
``KMeans(init=<same centres>, n_init=1, algorithm="lloyd")`` is timed the same
way in the same run, the components taking turns: each of ``--repeats``
passes times every component at both caps, back to back. The per-iteration
time is the median of the passes' slopes, the ratio the median of the
passes' ratios to scikit-learn's slope in the same pass, given with its range
(the machine's speed drifts by tens of percent over minutes). Both caps must
be reached (a fit that converges earlier is reported, not timed).

``--level loop`` (default) times the Lloyd loops alone: scikit-learn's
``_kmeans_single_lloyd``, as ``KMeans.fit`` runs it, against skpoison's
shared ``lloyd`` with what each clusterer adds (the fixed labelled rows, the
trimming). ``--level estimator`` times whole fits. The slope cancels a fit's
fixed costs only when they repeat; at 1e6 rows the copies a fit makes
(scikit-learn centres a copy of ``X``) page-fault for a time that varied by a
second from fit to fit on the benchmark machine, more than 60 iterations cost.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import sys
import time
import warnings

import numpy as np

N_CLASSES = 5
LABELLED_SHARE = 0.2


def make_data(n_samples, n_features, dtype, seed=0):
    """Data needing tens of k-means iterations, and a 20 %-labelled target."""
    from sklearn.datasets import make_classification

    X, y = make_classification(
        n_samples=n_samples,
        n_features=n_features,
        n_informative=min(n_features, 10),
        n_redundant=0,
        n_classes=N_CLASSES,
        n_clusters_per_class=2,
        random_state=seed,
    )
    rng = np.random.default_rng(seed)
    y_semi = np.where(rng.random(n_samples) < LABELLED_SHARE, y, -1)
    return np.ascontiguousarray(X, dtype=dtype), y_semi


def _fits(X, y_semi, centers):
    """name -> fit(max_iter) returning the fitted estimator (n_iter_ set)."""
    from sklearn.cluster import KMeans

    from skpoison.cluster import KMeansMinusMinus, SemiSupervisedKMeans

    k = centers.shape[0]
    return {
        "sklearn KMeans(lloyd)": lambda it: KMeans(
            k, init=centers, n_init=1, algorithm="lloyd", max_iter=it, tol=0
        ).fit(X),
        "SemiSupervisedKMeans(seeded)": lambda it: SemiSupervisedKMeans(
            max_iter=it, tol=0
        ).fit(X, y_semi),
        "SemiSupervisedKMeans(constrained)": lambda it: SemiSupervisedKMeans(
            method="constrained", max_iter=it, tol=0
        ).fit(X, y_semi),
        "KMeansMinusMinus(n_outliers=0.05)": lambda it: KMeansMinusMinus(
            k, n_outliers=0.05, init=centers, max_iter=it, tol=0
        ).fit(X),
    }


def _loops(X, y_semi, centers):
    """name -> run(max_iter) of the Lloyd loops alone (``n_iter_`` set).

    The same computations as :func:`_fits` without what each fit does once
    (validation, scikit-learn's centred copy of ``X``, the split of the
    labelled rows): those allocate hundreds of MB at 1e6 rows, and on a
    virtual machine their page faults vary by a second from fit to fit,
    more than 60 iterations cost. scikit-learn's loop is its
    ``_kmeans_single_lloyd``, run as ``KMeans.fit`` runs it.
    """
    from types import SimpleNamespace

    from sklearn.cluster._kmeans import _kmeans_single_lloyd
    from threadpoolctl import threadpool_limits

    from skpoison.cluster._lloyd import _n_threads, lloyd

    n_threads = _n_threads()
    centers = np.asarray(centers, dtype=X.dtype)
    ones = np.ones(X.shape[0], dtype=X.dtype)
    labelled = y_semi != -1
    class_index = np.searchsorted(np.unique(y_semi[labelled]), y_semi[labelled])
    X_free, X_fixed = X[~labelled], X[labelled]
    n_out = round(0.05 * X.shape[0])

    def sklearn_loop(it):
        with threadpool_limits(limits=1, user_api="blas"):
            # A copy: the loop uses the initial centres as a buffer.
            labels, _, _, n_iter = _kmeans_single_lloyd(
                X, ones, centers.copy(), max_iter=it, tol=0, n_threads=n_threads
            )
        return SimpleNamespace(n_iter_=n_iter, labels_=labels)

    def ours(X_run, **kwargs):
        def run(it):
            _, labels, n_iter = lloyd(X_run, centers, max_iter=it, tol=0, **kwargs)
            return SimpleNamespace(n_iter_=n_iter, labels_=labels)

        return run

    return {
        "sklearn KMeans(lloyd)": sklearn_loop,
        "SemiSupervisedKMeans(seeded)": ours(X),
        "SemiSupervisedKMeans(constrained)": ours(X_free, fixed=(X_fixed, class_index)),
        "KMeansMinusMinus(n_outliers=0.05)": ours(X, n_trim=n_out),
    }


def _timed(call):
    gc.collect()
    t0 = time.perf_counter()
    out = call()
    return time.perf_counter() - t0, out


def measure(n_samples, n_features, dtype, caps, repeats, level="loop"):
    from skpoison.cluster import SemiSupervisedKMeans

    X, y_semi = make_data(n_samples, n_features, dtype)
    centers = SemiSupervisedKMeans(max_iter=1).fit(X, y_semi).initial_centers_
    lo, hi = caps
    fits = (_loops if level == "loop" else _fits)(X, y_semi, centers)
    times = {name: [] for name in fits}  # (t(lo), t(hi)) of each repeat
    reached, last = {}, {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning: the cap is the point
        # Repeats outermost: every component is timed in each pass, so a
        # machine that speeds up or slows down over minutes moves them all.
        for _ in range(repeats):
            for name, fit in fits.items():
                pair = []
                for cap in (lo, hi):
                    t, model = _timed(lambda fit=fit, cap=cap: fit(cap))
                    pair.append(t)
                    reached[name, cap] = model.n_iter_
                times[name].append(pair)
                last[name] = model
    # Each repeat's slope pairs two fits run back to back, and its ratio the
    # slopes of the same pass: the median and the range over the passes.
    slopes = {
        name: np.array([(t_hi - t_lo) / (hi - lo) for t_lo, t_hi in pairs])
        for name, pairs in times.items()
    }
    ref = slopes["sklearn KMeans(lloyd)"]
    rows = []
    for name, slope in slopes.items():
        ok = reached[name, lo] == lo and reached[name, hi] == hi
        ratios = slope / ref if ok and (ref > 0).all() else np.array([np.nan])
        rows.append(
            {
                "name": name,
                "n_samples": n_samples,
                "n_features": n_features,
                "dtype": np.dtype(dtype).name,
                "level": level,
                "times": times[name],
                "per_iter": float(np.median(slope)) if ok else float("nan"),
                "ratio": float(np.median(ratios)),
                "ratio_range": [float(ratios.min()), float(ratios.max())],
                "status": "ok" if ok else f"converged at {reached[name, hi]} < cap",
            }
        )
    # Same start, same iterations: the seeded fit is scikit-learn's k-means.
    sk = last["sklearn KMeans(lloyd)"]
    ours = last["SemiSupervisedKMeans(seeded)"]
    theirs = sk.labels_ if level == "loop" else ours.classes_[sk.labels_]
    rows[1]["same_labels_as_sklearn"] = bool(np.array_equal(ours.labels_, theirs))
    return rows


def _fmt(t):
    if not math.isfinite(t):
        return "-"
    return f"{t * 1e3:.2f} ms" if t < 1 else f"{t:.3f} s"


def table(rows):
    head = [
        "component",
        "rows",
        "dtype",
        "per iteration",
        "ratio to sklearn",
        "range",
        "status",
    ]
    lines = [
        [
            r["name"],
            f"{r['n_samples']:.0e}",
            r["dtype"],
            _fmt(r["per_iter"]),
            f"{r['ratio']:.2f}" if math.isfinite(r["ratio"]) else "-",
            "{:.2f}-{:.2f}".format(*r["ratio_range"])
            if math.isfinite(r["ratio"])
            else "-",
            r["status"],
        ]
        for r in rows
    ]
    widths = [max(len(h), *(len(x[i]) for x in lines)) for i, h in enumerate(head)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join(
        [fmt.format(*head), fmt.format(*("-" * w for w in widths))]
        + [fmt.format(*x) for x in lines]
    )


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="2e3 x 10, caps 2 and 4")
    p.add_argument("--sizes", default="1e5,1e6")
    p.add_argument("--features", type=int, default=50)
    p.add_argument("--dtypes", default="float64,float32")
    p.add_argument("--caps", default="3,63")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument(
        "--level",
        choices=["loop", "estimator"],
        default="loop",
        help="time the Lloyd loops alone (default) or whole fits",
    )
    p.add_argument("--output", default=None)
    args = p.parse_args(argv)
    if args.quick:
        sizes, n_features, caps, repeats = [2000], 10, (2, 4), 1
    else:
        sizes = [int(float(s)) for s in args.sizes.split(",")]
        n_features, repeats = args.features, args.repeats
        caps = tuple(int(c) for c in args.caps.split(","))
    rows = []
    for n in sizes:
        for dtype in args.dtypes.split(","):
            rows += measure(n, n_features, dtype, caps, repeats, args.level)
            print(table(rows[-4:]), flush=True)
            if args.output:
                with open(args.output, "w") as f:
                    json.dump({"caps": caps, "results": rows}, f, indent=1)
    print()
    print(table(rows))
    return rows


if __name__ == "__main__":
    main()
    sys.exit(0)
