"""
=================================================
Subtle outliers that follow the wine covariance
=================================================

:class:`~skpoison.attacks.SubtleOutlierAttack` estimates the mean and
covariance of the data and injects points shaped like it. With
``method="band"`` they lie uniformly in a shell of Mahalanobis radius just
beyond the bulk of the data (by default between the square roots of the 0.95
and 0.999 chi-squared quantiles): no single feature looks extreme, but the
points surround the clusters and fill the space between them. Here 20% of
such points are added to the standardised wine data.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Clean and poisoned clusterings
# ------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import load_wine
from sklearn.decomposition import PCA
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    silhouette_score,
)
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import SubtleOutlierAttack

X, y = load_wine(return_X_y=True)
X = StandardScaler().fit_transform(X)

attack = SubtleOutlierAttack(n_poison=0.2, method="band", random_state=0)
X_poisoned, _ = attack.fit_resample(X)
injected = attack.poison_mask_
print(f"Mahalanobis band: {np.round(attack.radius_, 2)}, rank {attack.rank_}")
# Feature by feature, the injected points stay within the data's range.
inside = (X_poisoned[injected] >= X.min(axis=0)) & (
    X_poisoned[injected] <= X.max(axis=0)
)
print(f"share of injected values inside the clean range: {inside.mean():.2f}")

kmeans = KMeans(n_clusters=3, n_init=10, random_state=0)
labels_clean = kmeans.fit_predict(X)
labels_poisoned = kmeans.fit_predict(X_poisoned)

# %%
# Scores
# ------
# Internal scores on all the rows the analyst holds; the adjusted Rand index on
# the clean rows against the cultivars.
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
# Injected points are drawn as crosses: they ring the data in 13 dimensions,
# which the projection folds onto the clusters.
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
axes[1].set_title("k-means after 20% subtle outliers")
for ax in axes:
    ax.set_xlabel("PC 1")
axes[0].set_ylabel("PC 2")
fig.tight_layout()
