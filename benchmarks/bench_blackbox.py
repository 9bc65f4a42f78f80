"""Timing benchmark of BlackBoxAttack: time to reach a damage, warm starts, n_jobs.

Run on a quiet machine (wall times). On standardised wine against
``KMeans(3, n_init=10)``, at a 5 % injection budget:

1. time to reach a target damage (1 - ARI between the victim's labels of the
   clean rows before and after poisoning, scored on the exact victim): the
   damage random search reaches with the largest budget. Each configuration
   (plain genetic search; genetic search on warm-started queries, i.e. k-means
   from the clean centres with ``n_init=1``; random search) runs at growing
   query budgets; the time to reach is that of the first budget that does;
2. the same plain genetic attack with ``n_jobs=1`` and ``n_jobs=2``;
3. the per-query overhead on iris against a cheap victim (``KMeans(3,
   n_init=1)``, one thread): attack time / (n_queries x one victim fit and
   predict on data of the poisoned size), measured in the same process. 1.0
   is no overhead at all.

    python benchmarks/bench_blackbox.py            # budgets 50..500, 3 seeds
    python benchmarks/bench_blackbox.py --quick    # a smoke run
"""

import argparse
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris, load_wine
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from skpoison.attacks import BlackBoxAttack

CONFIGS = {
    "genetic": {"optimizer": "genetic"},
    "genetic+warm": {"optimizer": "genetic", "warm_start": True},
    "random": {"optimizer": "random"},
}


def _run(X, n_queries, seed, n_jobs=None, **params):
    attack = BlackBoxAttack(
        KMeans(n_clusters=3, n_init=10, random_state=0),
        n_poison=0.05,
        n_queries=n_queries,
        n_jobs=n_jobs,
        random_state=seed,
        **params,
    )
    start = time.perf_counter()
    attack.fit(X)
    return attack.best_score_, time.perf_counter() - start


def overhead(n_queries, repeats):
    """Attack time over n_queries plain victim fits (best of ``repeats``)."""
    X = StandardScaler().fit_transform(load_iris().data)
    X_fit = np.vstack([X, X[:8]])
    victim = KMeans(n_clusters=3, n_init=1, random_state=0)
    with threadpool_limits(1):
        fits, attacks = [], []
        for _ in range(repeats):
            start = time.perf_counter()
            for _ in range(n_queries):
                KMeans(n_clusters=3, n_init=1, random_state=0).fit(X_fit).predict(X)
            fits.append(time.perf_counter() - start)
            start = time.perf_counter()
            BlackBoxAttack(victim, n_queries=n_queries, random_state=0).fit(X)
            attacks.append(time.perf_counter() - start)
    ratio = min(attacks) / min(fits)
    print(
        f"per-query overhead on iris: attack {min(attacks):.2f}s / {n_queries} "
        f"victim fits {min(fits):.2f}s = {ratio:.2f}",
        flush=True,
    )
    return ratio


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args(argv)
    X = StandardScaler().fit_transform(load_wine().data)
    budgets = (20,) if args.quick else (50, 100, 200, 350, 500)
    seeds = range(1 if args.quick else args.seeds)

    table = {}
    for name, params in CONFIGS.items():
        for budget in budgets:
            runs = [_run(X, budget, seed, **params) for seed in seeds]
            damage = float(np.mean([r[0] for r in runs]))
            seconds = float(np.mean([r[1] for r in runs]))
            table[name, budget] = (damage, seconds)
            print(
                f"{name:13s} n_queries={budget:4d}  damage={damage:.3f}  "
                f"time={seconds:.1f}s",
                flush=True,
            )
    target = table["random", budgets[-1]][0]
    print(f"\ntarget damage (random search, {budgets[-1]} queries): {target:.3f}")
    reach = {}
    for name in CONFIGS:
        hits = [table[name, b][1] for b in budgets if table[name, b][0] >= target]
        reach[name] = min(hits) if hits else float("nan")
        print(f"{name:13s} time to reach: {reach[name]:.1f} s")

    overhead(20 if args.quick else 100, 1 if args.quick else 5)
    times = {}
    for n_jobs in (1, 2):
        runs = [_run(X, budgets[-1], seed, n_jobs=n_jobs) for seed in seeds]
        times[n_jobs] = float(np.mean([r[1] for r in runs]))
        print(f"genetic n_jobs={n_jobs}: {times[n_jobs]:.1f}s")
    print(f"speed-up of n_jobs=2: {times[1] / times[2]:.2f}x")
    return table, reach, times


if __name__ == "__main__":
    main()
