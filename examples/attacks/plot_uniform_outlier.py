"""
==============================================
Far uniform outliers and false confidence
==============================================

:class:`~skpoison.attacks.UniformOutlierAttack` injects points drawn uniformly
in the data's bounding box widened by ``expansion`` times each feature's range
on each side. ``expansion=0.2`` gives the artificial outliers of the outlier
detection literature; here ``expansion=5`` throws 10% of points far outside
the iris data. k-means spends clusters on them, so the species collapse into
one cluster, yet the silhouette *improves*: the far points make "well
separated" clusters. Internal scores alone give false confidence.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Clean and poisoned clusterings
# ------------------------------
import matplotlib.pyplot as plt
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris
from sklearn.decomposition import PCA
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    silhouette_score,
)
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import UniformOutlierAttack

X, y = load_iris(return_X_y=True)
X = StandardScaler().fit_transform(X)

attack = UniformOutlierAttack(n_poison=0.1, expansion=5.0, random_state=0)
X_poisoned, _ = attack.fit_resample(X)
injected = attack.poison_mask_

kmeans = KMeans(n_clusters=3, n_init=10, random_state=0)
labels_clean = kmeans.fit_predict(X)
labels_poisoned = kmeans.fit_predict(X_poisoned)

# %%
# Scores
# ------
# Internal scores on all the rows the analyst holds; the adjusted Rand index on
# the 150 clean rows against the species.
print(f"{'':10s} {'silhouette':>10s} {'CH':>8s} {'DB':>6s} {'ARI':>6s}")
for name, data, labels in [
    ("clean", X, labels_clean),
    ("poisoned", X_poisoned, labels_poisoned),
]:
    print(
        f"{name:10s} {silhouette_score(data, labels):10.3f} "
        f"{calinski_harabasz_score(data, labels):8.1f} "
        f"{davies_bouldin_score(data, labels):6.3f} "
        f"{adjusted_rand_score(y, labels[: len(y)]):6.3f}"
    )

# %%
# Projection on the first two principal components of the clean data
# -------------------------------------------------------------------
# Injected points are drawn as crosses.
pca = PCA(n_components=2).fit(X)
fig, axes = plt.subplots(1, 2, figsize=(10, 4))
P = pca.transform(X)
axes[0].scatter(P[:, 0], P[:, 1], c=labels_clean, cmap="viridis", s=15)
axes[0].set_title("k-means on clean data")
P = pca.transform(X_poisoned)
axes[1].scatter(
    P[~injected, 0],
    P[~injected, 1],
    c=labels_poisoned[~injected],
    cmap="viridis",
    s=15,
    vmin=0,
    vmax=2,
)
axes[1].scatter(
    P[injected, 0],
    P[injected, 1],
    c=labels_poisoned[injected],
    cmap="viridis",
    marker="x",
    s=30,
    vmin=0,
    vmax=2,
)
axes[1].set_title("k-means after 10% far uniform outliers")
for ax in axes:
    ax.set_xlabel("PC 1")
axes[0].set_ylabel("PC 2")
fig.tight_layout()
