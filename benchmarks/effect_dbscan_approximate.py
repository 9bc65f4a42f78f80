"""Agreement of the approximate DBSCAN clean-up with the exact noise set.

    python benchmarks/effect_dbscan_approximate.py [--quick]

``DBSCANOutlierRemover(algorithm="approximate")`` (faiss HNSW) against the
exact ``DBSCANOutlierRemover()`` (whose noise set is DBSCAN's exactly), with
default settings (eps at the knee), and with the approximate search given the
exact eps. Figures: noise counts, Jaccard index of the two noise sets, share
of rows on which they agree. Not a timing benchmark: results do not depend on
the machine's load.
"""

from __future__ import annotations

import argparse

import numpy as np


def _jaccard(a, b):
    union = (a | b).sum()
    return 1.0 if union == 0 else float((a & b).sum() / union)


def data_sets(quick):
    from sklearn.datasets import (
        load_breast_cancer,
        load_digits,
        load_wine,
        make_blobs,
        make_classification,
    )
    from sklearn.preprocessing import MinMaxScaler

    sets = {"breast_cancer": MinMaxScaler().fit_transform(load_breast_cancer().data)}
    if quick:
        return sets
    sets["digits"] = MinMaxScaler().fit_transform(load_digits().data)
    sets["wine"] = MinMaxScaler().fit_transform(load_wine().data)
    for seed in range(3):
        X, _ = make_blobs(
            50000, centers=10, n_features=10, cluster_std=2.0, random_state=seed
        )
        noise = np.random.default_rng(seed).uniform(-15, 15, (1000, 10))
        sets[f"blobs 5e4x10 + 1000 uniform, seed {seed}"] = np.concatenate([X, noise])
    for seed in range(2):
        X, _ = make_classification(
            40000,
            n_features=50,
            n_informative=10,
            n_classes=5,
            n_clusters_per_class=2,
            random_state=seed,
        )
        sets[f"make_classification 4e4x50, seed {seed}"] = X
    return sets


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="breast cancer only")
    args = p.parse_args(argv)
    from skpoison.defences import DBSCANOutlierRemover

    rows = []
    print(
        "| data | exact noise | approximate noise | Jaccard | rows agreeing "
        "| Jaccard at the exact eps |"
    )
    print("|---|---|---|---|---|---|")
    for name, X in data_sets(args.quick).items():
        exact = DBSCANOutlierRemover().fit(X)
        approx = DBSCANOutlierRemover(algorithm="approximate").fit(X)
        same = DBSCANOutlierRemover(algorithm="approximate", eps=exact.eps_).fit(X)
        e, a, s = exact.outlier_mask_, approx.outlier_mask_, same.outlier_mask_
        row = (
            name,
            int(e.sum()),
            int(a.sum()),
            _jaccard(e, a),
            float(np.mean(e == a)),
            _jaccard(e, s),
        )
        rows.append(row)
        print(
            f"| {row[0]} | {row[1]} | {row[2]} | {row[3]:.3f} | {row[4]:.4f} "
            f"| {row[5]:.3f} |",
            flush=True,
        )
    return rows


if __name__ == "__main__":
    main()
