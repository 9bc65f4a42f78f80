"""Scale-out benchmark: a sweep and a BlackBoxAttack on joblib, then on Dask.

    python benchmarks/bench_dask.py [--quick] [--rows 20000] [--output dask.json]

Two workloads of independent tasks:

- ``sweep``: ``robustness_curve(KMeans(8, n_init=1), BridgeAttack(), X,
  param_range=<5 budgets>, n_repeats=4)`` (4 clean fits + 20 paired tasks);
- ``blackbox``: ``BlackBoxAttack(KMeans(8, n_init=1), n_queries=100)``'s
  victim fits (one batch of queries per generation, fitted side by side).

each timed three ways:

1. plain joblib, ``n_jobs=1``;
2. ``with joblib.parallel_backend("dask"):`` on a ``LocalCluster`` with one
   single-threaded worker process;
3. the same with two single-threaded worker processes;

and reports the speed-up from one to two local workers. Results must not
depend on the backend: the script checks that they are identical to
``n_jobs=1``, and exits with status 1 otherwise. Timings need a quiet machine.
"""

import argparse
import json
import os
import sys
import time

import joblib
import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs

from skpoison.attacks import BlackBoxAttack, BridgeAttack
from skpoison.model_selection import robustness_curve


def sweep(X, y, budgets, n_repeats, n_jobs):
    return robustness_curve(
        KMeans(8, n_init=1, random_state=0),
        BridgeAttack(n_clusters=8),
        X,
        y,
        param_range=budgets,
        n_repeats=n_repeats,
        random_state=0,
        n_jobs=n_jobs,
        as_frame=False,
    )


def blackbox(X, n_queries, n_jobs):
    attack = BlackBoxAttack(
        KMeans(8, n_init=1, random_state=0),
        n_queries=n_queries,
        random_state=0,
        n_jobs=n_jobs,
    )
    X_res, _ = attack.fit_resample(X)
    return {"X_res": X_res, "history": np.asarray(attack.history_)}


def _numbers(result):
    """The numeric columns of a result, for a backend-independence check."""
    out = []
    for key in sorted(result):
        try:
            arr = np.asarray(result[key], dtype=float)
        except (TypeError, ValueError):
            continue
        out.append(arr.ravel())
    return np.concatenate(out) if out else np.array([])


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--quick",
        action="store_true",
        help="2e3 x 10 rows, 2 budgets x 2 repeats, 20 black-box queries",
    )
    p.add_argument("--rows", type=int, default=20_000)
    p.add_argument("--features", type=int, default=50)
    p.add_argument("--queries", type=int, default=100)
    p.add_argument("--output", default=None)
    args = p.parse_args(argv)

    from dask.distributed import Client, LocalCluster

    if args.quick:
        n, d, budgets, n_repeats, n_queries = 2_000, 10, [0.05, 0.2], 2, 20
    else:
        n, d = args.rows, args.features
        budgets, n_repeats, n_queries = [0.02, 0.05, 0.1, 0.2, 0.4], 4, args.queries
    X, y = make_blobs(n_samples=n, n_features=d, centers=8, random_state=0)
    workloads = {
        "sweep": (
            lambda Xs, ys, jobs, full=True: sweep(
                Xs, ys, budgets if full else budgets[:1], n_repeats if full else 1, jobs
            )
        ),
        "blackbox": (
            lambda Xs, ys, jobs, full=True: blackbox(
                Xs, n_queries if full else 20, jobs
            )
        ),
    }
    print(
        f"{n}x{d}: sweep = BridgeAttack x {len(budgets)} budgets x {n_repeats} "
        f"repeats; blackbox = {n_queries} queries; load {os.getloadavg()}",
        flush=True,
    )
    times = {name: {} for name in workloads}
    refs = {}
    for name, run in workloads.items():
        t, refs[name] = timed(lambda run=run: run(X, y, 1))
        times[name]["joblib n_jobs=1"] = t
        print(f"  {name:<9} joblib n_jobs=1          {t:.2f} s", flush=True)
    same = {name: True for name in workloads}
    for workers in (1, 2):
        key = f"dask {workers} worker(s)"
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
            ) as cluster,
            Client(cluster),
            joblib.parallel_backend("dask"),
        ):
            for name, run in workloads.items():
                # warm-up: import skpoison on the workers outside the timing
                run(X[:200], y[:200], None, full=False)
                times[name][key], res = timed(lambda run=run: run(X, y, None))
                same[name] &= np.array_equal(
                    _numbers(res), _numbers(refs[name]), equal_nan=True
                )
                print(f"  {name:<9} {key:<24} {times[name][key]:.2f} s", flush=True)
    speedups = {
        name: t["dask 1 worker(s)"] / t["dask 2 worker(s)"] for name, t in times.items()
    }
    for name, s in speedups.items():
        print(
            f"{name}: speed-up 1 -> 2 local workers {s:.2f}x; "
            f"identical to n_jobs=1: {same[name]}"
        )
    result = {
        "rows": n,
        "features": d,
        "budgets": budgets,
        "n_repeats": n_repeats,
        "n_queries": n_queries,
        "times": times,
        "speedup_1_to_2": speedups,
        "identical": {k: bool(v) for k, v in same.items()},
        "loadavg_end": os.getloadavg(),
    }
    if args.output:
        with open(args.output, "w") as f:
            json.dump(result, f, indent=1)
    return result


if __name__ == "__main__":
    sys.exit(0 if all(main()["identical"].values()) else 1)
