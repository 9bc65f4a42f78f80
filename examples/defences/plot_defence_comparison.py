"""
==========================================================
Which defence removes which attack's points?
==========================================================

Every defence in :mod:`skpoison.defences` removes rows before k-means. Here
each one faces four injection attacks on the MinMax-scaled iris data (15
injected rows, 10% of the data):

- :class:`~skpoison.attacks.UniformOutlierAttack`: points uniform in a box
  around the data;
- :class:`~skpoison.attacks.SubtleOutlierAttack`: points shaped like the data,
  pushed outward;
- :class:`~skpoison.attacks.BridgeAttack`: points between the two closest
  classes;
- :class:`~skpoison.attacks.MimicryAttack`: dense clouds around the genuine
  outliers (built against the DBSCAN clean-up).

For each pair we report the defence's precision and recall on the injected
rows (of the rows it removed, the share that were injected; of the injected
rows, the share it removed) and the adjusted Rand index of k-means, fitted on
the defended data, on the clean rows.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Attacks, defences and the scores
# --------------------------------
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris
from sklearn.ensemble import IsolationForest
from sklearn.metrics import adjusted_rand_score
from sklearn.neighbors import LocalOutlierFactor
from sklearn.preprocessing import MinMaxScaler

from skpoison.attacks import (
    BridgeAttack,
    MimicryAttack,
    SubtleOutlierAttack,
    UniformOutlierAttack,
)
from skpoison.cluster import KMeansMinusMinus
from skpoison.defences import DBSCANOutlierRemover, KMeansNoiseRemover, OutlierRemover
from skpoison.metrics import survival_rate

X, y = load_iris(return_X_y=True)
X = MinMaxScaler().fit_transform(X)
n_poison = 15

attacks = {
    "uniform": UniformOutlierAttack(n_poison=n_poison, random_state=0),
    "subtle": SubtleOutlierAttack(n_poison=n_poison, random_state=0),
    "bridge": BridgeAttack(n_poison=n_poison, random_state=0),
    "mimicry": MimicryAttack(n_poison=n_poison, random_state=0),
}
# The budgeted defences remove 10% of the rows, the share injected.
defences = {
    "none": None,
    "DBSCAN knee": DBSCANOutlierRemover(),
    "IsolationForest": OutlierRemover(IsolationForest(random_state=0)),
    "LOF": OutlierRemover(LocalOutlierFactor()),
    "k-means--": OutlierRemover(
        KMeansMinusMinus(n_clusters=3, n_outliers=0.1, random_state=0)
    ),
    "noise removal": KMeansNoiseRemover(n_outliers=0.1, n_clusters=3, random_state=0),
}


def kmeans_ari(X_train):
    km = KMeans(n_clusters=3, n_init=10, random_state=0).fit(X_train)
    return adjusted_rand_score(y, km.predict(X))


rows = []
for attack_name, attack in attacks.items():
    X_poisoned, _ = attack.fit_resample(X)
    injected = attack.poison_mask_
    for defence_name, defence in defences.items():
        if defence is None:
            removed = np.zeros(X_poisoned.shape[0], dtype=bool)
            X_kept = X_poisoned
        else:
            defence = clone(defence)
            X_kept, _ = defence.fit_resample(X_poisoned)
            removed = defence.outlier_mask_
        n_removed = removed.sum()
        rows.append(
            {
                "attack": attack_name,
                "defence": defence_name,
                "removed": n_removed,
                "precision": (removed & injected).sum() / n_removed
                if n_removed
                else np.nan,
                "recall": 1 - survival_rate(injected, removed),
                "genuine removed": (removed & ~injected).sum(),
                "ARI": kmeans_ari(X_kept),
            }
        )
results = pd.DataFrame(rows)
print(f"k-means on the clean data: ARI = {kmeans_ari(X):.3f}")
print(results.round(2).to_string(index=False))

# %%
# Recall on the injected rows, and the ARI recovered
# --------------------------------------------------
# The uniform outliers are the easy case: every detector removes most of
# them. Subtle outliers and bridges sit close to or inside the data, so
# density detectors see little; the budgeted defences (k-means--, noise
# removal) remove their quota wherever the farthest or loneliest rows are.
# The mimicry clouds are dense by construction: the DBSCAN clean-up they were
# built against removes none of them, and the genuine outliers they protect
# stay in the data.
fig, axes = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
for ax, column in zip(axes, ["recall", "ARI"], strict=True):
    table = results.pivot(index="defence", columns="attack", values=column)
    table = table.loc[list(defences)]
    table.plot.bar(ax=ax, rot=30)
    ax.set_title("Recall on injected rows" if column == "recall" else "ARI of k-means")
    ax.set_xlabel("")
axes[1].axhline(kmeans_ari(X), color="k", linestyle="--", label="clean")
axes[1].legend(loc="lower left", fontsize="small")
plt.show()
