"""Scale-out benchmark: a robustness_curve sweep on joblib, then on Dask.

    python benchmarks/bench_dask_sweep.py [--quick] [--rows 20000] [--output dask.json]

Times ``robustness_curve(KMeans(8, n_init=1), BridgeAttack(), X, param_range=5
budgets, n_repeats=4)`` (20 independent tasks) three ways:

1. plain joblib, ``n_jobs=1``;
2. ``with joblib.parallel_backend("dask"):`` on a ``LocalCluster`` with one
   single-threaded worker;
3. the same with two single-threaded workers.

and reports the speed-up from one to two local workers. Results must not
depend on the backend; the script checks that the three result tables agree.
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

from skpoison.attacks import BridgeAttack
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


def _numbers(result):
    """The numeric columns of a result, for a backend-independence check."""
    if isinstance(result, dict):
        out = []
        for key in sorted(result):
            try:
                arr = np.asarray(result[key], dtype=float)
            except (TypeError, ValueError):
                continue
            out.append(arr.ravel())
        return np.concatenate(out) if out else np.array([])
    return np.asarray(result, dtype=float).ravel()


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--quick", action="store_true", help="2e3 rows, 2 budgets x 2 repeats"
    )
    p.add_argument("--rows", type=int, default=20_000)
    p.add_argument("--features", type=int, default=50)
    p.add_argument("--output", default=None)
    args = p.parse_args(argv)

    from dask.distributed import Client, LocalCluster

    if args.quick:
        n, d, budgets, n_repeats = 2_000, 10, [0.05, 0.2], 2
    else:
        n, d, budgets, n_repeats = (
            args.rows,
            args.features,
            [0.02, 0.05, 0.1, 0.2, 0.4],
            4,
        )
    X, y = make_blobs(n_samples=n, n_features=d, centers=8, random_state=0)
    tasks = len(budgets) * n_repeats
    print(
        f"robustness_curve: BridgeAttack x {len(budgets)} budgets x "
        f"{n_repeats} repeats "
        f"({tasks} tasks) on {n}x{d}; load {os.getloadavg()}",
        flush=True,
    )

    times = {}
    times["joblib n_jobs=1"], ref = timed(lambda: sweep(X, y, budgets, n_repeats, 1))
    print(f"  joblib n_jobs=1          {times['joblib n_jobs=1']:.2f} s", flush=True)
    same = True
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
        ):
            # warm-up: import skpoison on the workers outside the timing
            with joblib.parallel_backend("dask"):
                sweep(X[:200], y[:200], budgets[:1], 1, -1)
                times[key], res = timed(lambda: sweep(X, y, budgets, n_repeats, -1))
        same &= np.allclose(_numbers(res), _numbers(ref), equal_nan=True)
        print(f"  {key:<24} {times[key]:.2f} s", flush=True)
    speedup = times["dask 1 worker(s)"] / times["dask 2 worker(s)"]
    print(
        f"speed-up 1 -> 2 local workers: {speedup:.2f}x; "
        f"results identical across backends: {same}"
    )
    if args.output:
        with open(args.output, "w") as f:
            json.dump(
                {
                    "rows": n,
                    "features": d,
                    "budgets": budgets,
                    "n_repeats": n_repeats,
                    "times": times,
                    "speedup_1_to_2": speedup,
                    "identical": bool(same),
                    "loadavg_end": os.getloadavg(),
                },
                f,
                indent=1,
            )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
