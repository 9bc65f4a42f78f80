"""Time the DBSCAN clean-up's k-distance query, in tree order and in row order.

    python benchmarks/bench_query_order.py [--quick] [--sizes 1e5,1e6]
        [--features 10] [--intrinsic-dims 2,3] [--repeats 3]
        [--output query_order.json]

The exact DBSCAN clean-up is one k-nearest-neighbour query of every row
(``k_distances``). It queries the rows in the leaf order of the fitted tree,
so consecutive queries visit the same nodes. This benchmark times, on the
blobs of ``run.py`` (8 centres drawn in ``--intrinsic-dims`` dimensions,
rotated into ``--features``), a tree fit plus that query three ways, and the
whole clean-up, taking turns in each of ``--repeats`` passes:

- scikit-learn's ``NearestNeighbors(n_neighbors=k).fit(X).kneighbors(X)``
  (one call);
- the same query in chunks of rows, in row order;
- ``k_distances``: the same chunks, in tree order;
- ``DBSCANOutlierRemover().fit``.

``k = 2 * n_features``, the clean-up's default. All four give the same
k-distances (checked). Printed: the median time of each, the median ratio to
scikit-learn's in the same pass with its range, and each way's growth from
one size to the next (ratio of median times).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.neighbors import NearestNeighbors

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _components import make_data  # noqa: E402

from skpoison.defences import DBSCANOutlierRemover  # noqa: E402
from skpoison.defences._dbscan import _query_rows, k_distances  # noqa: E402


def one_call(X, k):
    return NearestNeighbors(n_neighbors=k).fit(X).kneighbors(X)[0][:, -1]


def in_row_order(X, k):
    nn = NearestNeighbors().fit(X)
    out = np.empty(X.shape[0])
    step = _query_rows(X.shape[0])
    for start in range(0, X.shape[0], step):
        chunk = slice(start, start + step)
        out[chunk] = nn.kneighbors(X[chunk], n_neighbors=k)[0][:, -1]
    return out


def in_tree_order(X, k):
    return k_distances(NearestNeighbors().fit(X), X, k)


def clean_up(X, k):
    return DBSCANOutlierRemover(min_samples=k).fit(X).k_distances_


WAYS = {
    "one kneighbors call": one_call,
    "row order": in_row_order,
    "tree order": in_tree_order,
    "whole clean-up": clean_up,
}


def measure(n_rows, n_features, intrinsic_dim, repeats):
    X = make_data(n_rows, n_features, np.float64, intrinsic_dim=intrinsic_dim).X
    k = 2 * n_features
    times = {name: [] for name in WAYS}
    for _ in range(repeats):
        results = {}
        for name, way in WAYS.items():
            start = time.perf_counter()
            results[name] = way(X, k)
            times[name].append(time.perf_counter() - start)
        expected = results["one kneighbors call"]
        # The clean-up keeps its k-distances sorted (its knee curve).
        expected_sorted = np.sort(expected)
        for name, k_dist in results.items():
            same = np.array_equal(
                k_dist, expected_sorted if name == "whole clean-up" else expected
            )
            if not same:
                raise AssertionError(f"{name} gives other k-distances")
    ref = times["one kneighbors call"]
    rows = []
    for name, ts in times.items():
        ratios = [t / r for t, r in zip(ts, ref, strict=True)]
        rows.append(
            {
                "rows": n_rows,
                "features": n_features,
                "intrinsic_dim": intrinsic_dim,
                "way": name,
                "time": statistics.median(ts),
                "ratio": statistics.median(ratios),
                "ratio_range": [min(ratios), max(ratios)],
            }
        )
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2e3 rows, 1 pass")
    parser.add_argument("--sizes", default="1e5,1e6")
    parser.add_argument("--features", type=int, default=10)
    parser.add_argument("--intrinsic-dims", default="2,3")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--output")
    args = parser.parse_args(argv)
    sizes = [2000] if args.quick else [int(float(s)) for s in args.sizes.split(",")]
    dims = [int(d) for d in args.intrinsic_dims.split(",")]
    repeats = 1 if args.quick else args.repeats
    results = []
    for dim in dims:
        previous = {}
        for n_rows in sizes:
            for row in measure(n_rows, args.features, dim, repeats):
                before = previous.get(row["way"])
                row["growth"] = None if before is None else row["time"] / before
                previous[row["way"]] = row["time"]
                results.append(row)
                lo, hi = row["ratio_range"]
                growth = "" if before is None else f"  growth x{row['growth']:.1f}"
                print(
                    f"{n_rows:>9.0e} x {args.features} (intrinsic {dim})  "
                    f"{row['way']:<20} {row['time']:8.3f} s  "
                    f"ratio {row['ratio']:.2f} ({lo:.2f}-{hi:.2f}){growth}",
                    flush=True,
                )
    if args.output:
        Path(args.output).write_text(json.dumps({"results": results}, indent=1))
    return results


if __name__ == "__main__":
    main()
