"""How close the report's sampled DBSCAN clean-up is to the exact one.

    python benchmarks/effect_dbscan_sampled.py [--quick] [--rows 50000]
        [--sample 20000] [--seeds 5]

Above 20 000 rows ``skpoison report`` cleans the data with DBSCAN on a random
sample of 20 000 rows, extended to the other rows by DBSCAN's rule for
joining a cluster (``skpoison.report._defence.SampledDBSCAN``), instead of
DBSCAN's exact noise on all rows (``DBSCANOutlierRemover``, O(n^2) distance
computations above 15 features). This script fits both on the same data and
prints eps, the rows each removes, their Jaccard index and the share of rows
on which they agree, for several sample seeds. Effect figures: they do not
depend on the machine's load. Data:

- ``report``: the report benchmark's CSV data (``make_classification``, 20
  features, 4 classes, 2 clusters per class), standard-scaled as the report
  does;
- ``report+uniform`` and ``report+bridge``: the same, poisoned as in the
  report's defence section by ``UniformOutlierAttack`` and ``BridgeAttack``
  (5 % injected rows, seed 0); ``recall`` is the share of the injected rows
  each clean-up removes (1 - the report's survival rate).

``--quick``: 4 000 rows, a 1 000-row sample, 2 seeds (a smoke run).
"""

import argparse

import numpy as np
from sklearn.datasets import make_classification
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import BridgeAttack, UniformOutlierAttack
from skpoison.defences import DBSCANOutlierRemover
from skpoison.report._defence import SampledDBSCAN


def _data(name, n):
    """Rows, and True for the injected ones."""
    X, _ = make_classification(
        n_samples=n,
        n_features=20,
        n_informative=10,
        n_redundant=5,
        n_classes=4,
        n_clusters_per_class=2,
        random_state=0,
    )
    X = StandardScaler().fit_transform(X)
    if name == "report":
        return X, np.zeros(n, dtype=bool)
    attack = {
        "report+uniform": UniformOutlierAttack(n_poison=0.05, random_state=0),
        "report+bridge": BridgeAttack(n_poison=0.05, n_clusters=4, random_state=0),
    }[name]
    X_poisoned, _ = attack.fit_resample(X)
    return X_poisoned, attack.poison_mask_


def _share(mask, injected):
    return float(mask[injected].mean()) if injected.any() else None


def _recall(mask, injected):
    share = _share(mask, injected)
    return "" if share is None else f" ({share:.1%} of the injected rows)"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--rows", type=int, default=50_000)
    p.add_argument("--sample", type=int, default=20_000)
    p.add_argument("--seeds", type=int, default=5)
    args = p.parse_args(argv)
    if args.quick:
        args.rows, args.sample, args.seeds = 4_000, 1_000, 2
    rows = []
    for name in ("report", "report+uniform", "report+bridge"):
        X, injected = _data(name, args.rows)
        exact = DBSCANOutlierRemover().fit(X)
        e_mask = exact.outlier_mask_
        print(
            f"{name} {X.shape[0]} x {X.shape[1]}: exact eps {exact.eps_:.4g}, "
            f"removes {int(e_mask.sum())}{_recall(e_mask, injected)}",
            flush=True,
        )
        for seed in range(args.seeds):
            sampled = SampledDBSCAN(max_rows=args.sample, random_state=seed).fit(X)
            s_mask = sampled.outlier_mask_
            union = int((e_mask | s_mask).sum())
            jaccard = 1.0 if union == 0 else int((e_mask & s_mask).sum()) / union
            row = {
                "data": name,
                "seed": seed,
                "eps_exact": exact.eps_,
                "eps_sampled": sampled.eps_,
                "removed_exact": int(e_mask.sum()),
                "removed_sampled": int(s_mask.sum()),
                "jaccard": jaccard,
                "agree": float(np.mean(e_mask == s_mask)),
                "recall_exact": _share(e_mask, injected),
                "recall_sampled": _share(s_mask, injected),
            }
            rows.append(row)
            print(
                f"  seed {seed}: sampled eps {row['eps_sampled']:.4g}, removes "
                f"{row['removed_sampled']}{_recall(s_mask, injected)}; Jaccard "
                f"{jaccard:.3f}, rows agreeing {row['agree']:.4f}",
                flush=True,
            )
    return rows


if __name__ == "__main__":
    main()
