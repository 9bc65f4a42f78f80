"""Effect benchmark: concealment and eviction of MimicryAttack.

Against the DBSCAN knee clean-up (the attack's default detector) on
MinMax-scaled iris and breast cancer: the share of genuinely flagged outliers
no longer flagged after the attack (concealment) and of genuine inliers newly
flagged (eviction), mean over seeds, at several budgets; then the contextual
reversal (``reversal=True``) against three victims.

    python benchmarks/effect_mimicry.py            # 10 seeds, 7 budgets
    python benchmarks/effect_mimicry.py --quick    # 1 seed, 2 budgets
"""

import argparse

import numpy as np
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.ensemble import IsolationForest
from sklearn.neighbors import LocalOutlierFactor
from sklearn.preprocessing import MinMaxScaler

from skpoison.attacks import MimicryAttack
from skpoison.metrics import concealment_rate, eviction_rate

DATASETS = {"iris": load_iris, "breast_cancer": load_breast_cancer}


def _rates(X, seeds, **params):
    concealed, evicted = [], []
    for seed in seeds:
        attack = MimicryAttack(random_state=seed, **params).fit(X)
        concealed.append(
            concealment_rate(attack.flagged_before_, attack.flagged_after_)
        )
        evicted.append(eviction_rate(attack.flagged_before_, attack.flagged_after_))
    return float(np.mean(concealed)), float(np.mean(evicted))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    seeds = range(1 if args.quick else 10)
    budgets = (20, 80) if args.quick else (10, 20, 40, 80, 150, 300, 600)
    reversal_budgets = (1.0,) if args.quick else (0.1, 0.5, 1.0, 2.0, 4.0)
    victims = {
        "dbscan-knee": None,
        "isolation-forest": IsolationForest(random_state=0),
        "lof": LocalOutlierFactor(),
    }
    rows = []
    for name, loader in DATASETS.items():
        X = MinMaxScaler().fit_transform(loader().data)
        for budget in budgets:
            concealment, eviction = _rates(X, seeds, n_poison=budget)
            print(
                f"{name:14s} n_poison={budget:4d}  concealment={concealment:.2f}"
                f"  eviction={eviction:.3f}"
            )
            rows.append((name, "concealment", budget, concealment, eviction))
        for victim, detector in victims.items():
            for budget in reversal_budgets:
                _, eviction = _rates(
                    X, seeds[:3], n_poison=budget, detector=detector, reversal=True
                )
                print(
                    f"{name:14s} reversal vs {victim:16s} n_poison={budget:<4}"
                    f"  eviction={eviction:.3f}"
                )
                rows.append((name, f"reversal/{victim}", budget, None, eviction))
    return rows


if __name__ == "__main__":
    main()
