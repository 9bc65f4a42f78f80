"""Effect benchmark: accuracy of seeded k-means against the label-flip ratio.

Reproduces the study's set-up: StandardScaler on all features, MaskLabels(0.2)
(stratified, seeded per repeat), LabelFlipAttack(ratio, strategy), then
SemiSupervisedKMeans (seeded); accuracy of ``labels_`` against the true labels
of all rows, mean and std over seeds, the share of seeds whose accuracy
falls below 0.4, and the smallest ratio whose mean accuracy falls below 0.4.

    python benchmarks/effect_label_flip.py            # 20 seeds, ratios 0..1
    python benchmarks/effect_label_flip.py --quick    # 2 seeds, 3 ratios
    python benchmarks/effect_label_flip.py --seeds 200 --strategies random
"""

import argparse

import numpy as np
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import LabelFlipAttack
from skpoison.cluster import SemiSupervisedKMeans
from skpoison.preprocessing import MaskLabels

DATASETS = {"iris": load_iris, "breast_cancer": load_breast_cancer}
STRATEGIES = ("random", "seed_shift")


def flip_curve(X, y, strategy, ratios, seeds):
    """Return (mean, std) accuracy at each ratio."""
    scores = flip_scores(X, y, strategy, ratios, seeds)
    return scores.mean(axis=1).tolist(), scores.std(axis=1).tolist()


def flip_scores(X, y, strategy, ratios, seeds):
    """Accuracy of every seed at every ratio, shape (n_ratios, n_seeds)."""
    table = []
    for ratio in ratios:
        scores = []
        for seed in seeds:
            _, y_seed = MaskLabels(0.2, random_state=seed).fit_resample(X, y)
            if ratio > 0:
                attack = LabelFlipAttack(
                    float(ratio), strategy=strategy, random_state=seed
                )
                _, y_seed = attack.fit_resample(X, y_seed)
            labels = SemiSupervisedKMeans().fit(X, y_seed).labels_
            scores.append(np.mean(labels == y))
        table.append(scores)
    return np.asarray(table)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument(
        "--strategies", nargs="+", choices=STRATEGIES, default=list(STRATEGIES)
    )
    args = parser.parse_args(argv)
    n_seeds = 2 if args.quick else args.seeds
    ratios = [0.0, 0.3, 0.7] if args.quick else np.round(np.arange(0, 1.01, 0.1), 1)
    print(f"{n_seeds} seeds; ratios " + " ".join(f"{r:.1f}" for r in ratios))
    rows = []
    for name, loader in DATASETS.items():
        X, y = loader(return_X_y=True)
        X = StandardScaler().fit_transform(X)
        for strategy in args.strategies:
            scores = flip_scores(X, y, strategy, ratios, range(n_seeds))
            means, stds = scores.mean(axis=1), scores.std(axis=1)
            below_share = (scores < 0.4).mean(axis=1)
            below = [r for r, m in zip(ratios, means, strict=True) if m < 0.4]
            first = float(below[0]) if below else None
            print(
                f"{name:14s} {strategy:10s} "
                + " ".join(f"{m:.3f}" for m in means)
                + f"  | first ratio < 0.4: {first}"
            )
            print(f"{'':14s} {'(std)':10s} " + " ".join(f"{s:.3f}" for s in stds))
            print(
                f"{'':14s} {'(< 0.4)':10s} " + " ".join(f"{b:.3f}" for b in below_share)
            )
            rows.append((name, strategy, means, first))
    return rows


if __name__ == "__main__":
    main()
