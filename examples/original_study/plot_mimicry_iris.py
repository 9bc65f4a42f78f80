"""
==========================================
Mimicry against the DBSCAN clean-up (iris)
==========================================

The notebook ``mimicry_based_attack_(Iris)`` scales iris to ``[0, 1]``,
purges the outliers that DBSCAN finds with ``eps`` at the knee of the
8-distance curve, and clusters the rest with ``KMeans(3, random_state=42)``.
The attack groups the 3 flagged rows with ``KMeans(3, random_state=42)`` and
injects ``150 // 3 = 49`` rows around each group centre, with a standard
deviation of 0.0976 (the mean within-cluster standard deviation of the clean
clustering), clipped to ``[0, 1]``. The clean-up then keeps the outliers and
the poisoned clustering *scores better* than the clean one.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# The notebook's protocol with skpoison
# -------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris
from sklearn.metrics import (
    calinski_harabasz_score,
    davies_bouldin_score,
    silhouette_score,
)
from sklearn.preprocessing import MinMaxScaler

from skpoison.attacks import MimicryAttack
from skpoison.defences import DBSCANOutlierRemover
from skpoison.metrics import KDistanceDisplay

X = MinMaxScaler().fit_transform(load_iris().data)


def purge_and_cluster(X):
    """The notebook's pipeline: DBSCAN knee clean-up, then KMeans(3, 42)."""
    remover = DBSCANOutlierRemover()
    X_clean, _ = remover.fit_resample(X)
    labels = KMeans(n_clusters=3, random_state=42).fit_predict(X_clean)
    stds = [X_clean[labels == k].std(axis=0) for k in range(3)]
    scores = {
        "silhouette": silhouette_score(X_clean, labels),
        "Calinski-Harabasz": calinski_harabasz_score(X_clean, labels),
        "Davies-Bouldin": davies_bouldin_score(X_clean, labels),
        "mean within-cluster std": float(np.mean(stds)),
    }
    return remover, scores


clean_remover, clean = purge_and_cluster(X)
cloud_std = round(clean["mean within-cluster std"], 4)
attack = MimicryAttack(
    n_poison=3 * (clean_remover.sample_indices_.size // 3),
    n_groups=KMeans(n_clusters=3, random_state=42),
    cloud_std=cloud_std,
    budget_split="even",
    clip=True,
    random_state=0,
)
X_poisoned, _ = attack.fit_resample(X)
poisoned_remover, poisoned = purge_and_cluster(X_poisoned)

# %%
# Notebook versus skpoison
# ------------------------
# The notebook's figures are copied from its saved outputs.
notebook = {
    "eps (clean)": 0.24,
    "outliers flagged (clean)": 3,
    "injected rows per group": 49,
    "injection std": 0.0976,
    "eps (poisoned)": 0.20,
    "rows flagged (poisoned)": 1,
    "silhouette, clean": 0.4890,
    "silhouette, poisoned": 0.5127,
    "Calinski-Harabasz, clean": 366.4486,
    "Calinski-Harabasz, poisoned": 488.7650,
    "Davies-Bouldin, clean": 0.7681,
    "Davies-Bouldin, poisoned": 0.8466,
}
ours = {
    "eps (clean)": clean_remover.eps_,
    "outliers flagged (clean)": attack.outliers_.size,
    "injected rows per group": attack.n_per_group_[0],
    "injection std": attack.spread_[0],
    "eps (poisoned)": poisoned_remover.eps_,
    "rows flagged (poisoned)": int(poisoned_remover.outlier_mask_.sum()),
    "silhouette, clean": clean["silhouette"],
    "silhouette, poisoned": poisoned["silhouette"],
    "Calinski-Harabasz, clean": clean["Calinski-Harabasz"],
    "Calinski-Harabasz, poisoned": poisoned["Calinski-Harabasz"],
    "Davies-Bouldin, clean": clean["Davies-Bouldin"],
    "Davies-Bouldin, poisoned": poisoned["Davies-Bouldin"],
}
still = int(poisoned_remover.outlier_mask_[attack.outliers_].sum())
print(
    f"genuine outliers still removed after the attack: {still} "
    f"of {attack.outliers_.size}"
)
print(f"{'':30s} {'notebook':>10s} {'skpoison':>10s}")
for key, value in notebook.items():
    print(f"{key:30s} {value:10.4g} {float(ours[key]):10.4g}")

# %%
# The notebook's draw is one of many: over seeds 0-9 the poisoned scores
# spread as follows.
runs = []
for seed in range(10):
    X_seed, _ = attack.set_params(random_state=seed).fit_resample(X)
    scores = purge_and_cluster(X_seed)[1]
    runs.append([scores["silhouette"], scores["Calinski-Harabasz"]])
    runs[-1].append(scores["Davies-Bouldin"])
runs = np.array(runs)
names = ["silhouette", "Calinski-Harabasz", "Davies-Bouldin"]
for name, column in zip(names, runs.T, strict=True):
    print(f"poisoned {name:18s} {column.mean():8.4g} +- {column.std():.2g}")

# %%
# Where and why they differ
# -------------------------
# The clean side matches: the same ``eps`` (0.242, which the notebook rounds
# to 0.24), the same 3 outliers, the same scores to four decimals. On the
# poisoned side the notebook draws its clouds with the unseeded global
# ``np.random``, so its poisoned scores cannot be reproduced draw for draw;
# ours are seeded draws of the same distribution, and the notebook's figures
# lie within their spread. The notebook also
# rounds ``eps`` to two decimals before running DBSCAN (0.24, then 0.20);
# skpoison keeps the knee as found. The finding stands: the clean-up no
# longer removes the genuine outliers, and every internal score but
# Davies-Bouldin *improves* under attack.
#
# The k-distance curves show why: the clouds add rows with small
# 8-distances and move the knee down.
_, ax = plt.subplots(figsize=(6, 4))
KDistanceDisplay.from_estimator(clean_remover, ax=ax, label="clean")
KDistanceDisplay.from_estimator(poisoned_remover, ax=ax, label="poisoned")
ax.set_title("The DBSCAN clean-up's knee, before and after mimicry")
plt.show()
