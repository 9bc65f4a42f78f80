"""
=========================================================
Centroid noise along the discriminative wine features
=========================================================

:class:`~skpoison.attacks.CentroidNoiseAttack` injects points around the
centre of the data, with more noise on the features that separate the groups
best. The feature weights are per-feature ANOVA F statistics, between-group
over within-group variance, computed from the labels when the attacker has
them (here the cultivars) or from a k-means it fits otherwise. The points
stretch from the centre along the directions that separate the clusters,
filling the gaps between them. Here 20% of such points are added to the
standardised wine data.
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

from skpoison.attacks import CentroidNoiseAttack

data = load_wine()
X = StandardScaler().fit_transform(data.data)
y = data.target

attack = CentroidNoiseAttack(n_poison=0.2, random_state=0)
X_poisoned, _ = attack.fit_resample(X, y)
injected = attack.poison_mask_

print("Noisiest features (weight):")
for j in np.argsort(attack.feature_weights_)[::-1][:4]:
    print(f"  {data.feature_names[j]:30s} {attack.feature_weights_[j]:.2f}")

kmeans = KMeans(n_clusters=3, n_init=10, random_state=0)
labels_clean = kmeans.fit_predict(X)
labels_poisoned = kmeans.fit_predict(X_poisoned)

# %%
# Scores
# ------
# Internal scores on all the rows the analyst holds; the adjusted Rand index on
# the clean rows against the cultivars.
print(f"{'':10s} {'silhouette':>10s} {'CH':>8s} {'DB':>6s} {'ARI':>6s}")
for name, data_, labels in [
    ("clean", X, labels_clean),
    ("poisoned", X_poisoned, labels_poisoned),
]:
    print(
        f"{name:10s} {silhouette_score(data_, labels):10.3f} "
        f"{calinski_harabasz_score(data_, labels):8.1f} "
        f"{davies_bouldin_score(data_, labels):6.3f} "
        f"{adjusted_rand_score(y, labels[: len(y)]):6.3f}"
    )

# %%
# Projection on the first two principal components of the clean data
# -------------------------------------------------------------------
# Injected points are drawn as crosses: they start at the centre and spread
# towards the clusters.
pca = PCA(n_components=2).fit(X)
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharex=True, sharey=True)
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
axes[1].set_title("k-means after 20% centroid noise")
for ax in axes:
    ax.set_xlabel("PC 1")
axes[0].set_ylabel("PC 2")
fig.tight_layout()
