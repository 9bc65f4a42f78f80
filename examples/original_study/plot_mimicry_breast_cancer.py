"""
===================================================
Mimicry against the DBSCAN clean-up (breast cancer)
===================================================

The notebook ``mimicry_based_attack_(Breast_cancer)`` scales the 30
features to ``[0, 1]``, purges the outliers that DBSCAN finds with
``min_samples = 60`` and ``eps`` at the knee of the 60-distance curve, and
clusters the rest with ``KMeans(2, random_state=42)``. The attack groups the
8 flagged rows with ``KMeans(2, random_state=42)`` and injects
``561 // 2 = 280`` rows around each group centre, with a standard deviation
of 0.1071 (the mean within-cluster standard deviation of the clean
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
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import (
    calinski_harabasz_score,
    davies_bouldin_score,
    silhouette_score,
)
from sklearn.preprocessing import MinMaxScaler

from skpoison.attacks import MimicryAttack
from skpoison.defences import DBSCANOutlierRemover
from skpoison.metrics import KDistanceDisplay

X = MinMaxScaler().fit_transform(load_breast_cancer().data)


def purge_and_cluster(X):
    """The notebook's pipeline: DBSCAN knee clean-up, then KMeans(2, 42)."""
    remover = DBSCANOutlierRemover()
    X_clean, _ = remover.fit_resample(X)
    labels = KMeans(n_clusters=2, random_state=42).fit_predict(X_clean)
    stds = [X_clean[labels == k].std(axis=0) for k in range(2)]
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
    n_poison=2 * (clean_remover.sample_indices_.size // 2),
    n_groups=KMeans(n_clusters=2, random_state=42),
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
    "eps (clean)": 0.99,
    "outliers flagged (clean)": 8,
    "injected rows per group": 280,
    "injection std": 0.1071,
    "eps (poisoned)": 0.86,
    "rows flagged (poisoned)": 9,
    "silhouette, clean": 0.3853,
    "silhouette, poisoned": 0.5130,
    "Calinski-Harabasz, clean": 377.5418,
    "Calinski-Harabasz, poisoned": 1261.8382,
    "Davies-Bouldin, clean": 1.1155,
    "Davies-Bouldin, poisoned": 0.6937,
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
# The notebook's draw is one of many: over seeds 0-4 the poisoned scores
# spread as follows.
runs = []
for seed in range(5):
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
# The clean side matches: ``eps`` 0.9895 (the notebook rounds it to 0.99),
# the same 8 outliers, the same scores to three or four decimals. The
# notebook's clouds are unseeded, so its poisoned figures are one draw of
# the same distribution as ours, and they lie close to our spread.
#
# What the scores hide: with the notebook's placement the clean-up still
# removes most of the genuine outliers (``genuine outliers still removed``
# above). The scores improve because 560 dense injected rows outweigh the
# 561 genuine ones, not because the outliers are concealed. skpoison's
# default placement (verified rounds, one cloud per flagged row) conceals
# all of them with a seventh of the budget:
from skpoison.metrics import concealment_rate

default = MimicryAttack(n_poison=80, random_state=0).fit(X)
rate = concealment_rate(default.flagged_before_, default.flagged_after_)
print(f"MimicryAttack(n_poison=80): concealment rate {rate:.2f}")

# %%
# The k-distance curves show why: the clouds add rows with small
# 8-distances and move the knee down.
_, ax = plt.subplots(figsize=(6, 4))
KDistanceDisplay.from_estimator(clean_remover, ax=ax, label="clean")
KDistanceDisplay.from_estimator(poisoned_remover, ax=ax, label="poisoned")
ax.set_title("The DBSCAN clean-up's knee, before and after mimicry")
plt.show()
