"""
==========================================
Bridging the two closest wine cultivars
==========================================

:class:`~skpoison.attacks.BridgeAttack` finds the two groups with the closest
centroids (from the labels when the attacker has them, here the cultivars) and
injects points between them. ``strategy="interpolate"`` mixes random pairs of
members of the two groups (a thick cloud that pulls k-means centroids
together); ``strategy="shortest_link"`` lays the points evenly along the
segment between the two closest members, the bridge of Biggio et al. (2013)
that joins clusters for single-linkage and density-based clusterers. Both are
run with 30% of injected points on the standardised wine data; the plot shows
the shortest link.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Clean and poisoned clusterings
# ------------------------------
import matplotlib.pyplot as plt
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

from skpoison.attacks import BridgeAttack

X, y = load_wine(return_X_y=True)
X = StandardScaler().fit_transform(X)
kmeans = KMeans(n_clusters=3, n_init=10, random_state=0)

runs = {"clean": (X, kmeans.fit_predict(X), None)}
for strategy in ("interpolate", "shortest_link"):
    attack = BridgeAttack(n_poison=0.3, strategy=strategy, random_state=0)
    X_poisoned, _ = attack.fit_resample(X, y)
    runs[strategy] = (X_poisoned, kmeans.fit_predict(X_poisoned), attack)
print(f"bridged cultivars: {attack.clusters_}, link rows: {attack.link_}")

# %%
# Scores
# ------
# Internal scores on all the rows the analyst holds; the adjusted Rand index on
# the clean rows against the cultivars.
print(f"{'':14s} {'silhouette':>10s} {'CH':>8s} {'DB':>6s} {'ARI':>6s}")
for name, (data, labels, _) in runs.items():
    print(
        f"{name:14s} {silhouette_score(data, labels):10.3f} "
        f"{calinski_harabasz_score(data, labels):8.1f} "
        f"{davies_bouldin_score(data, labels):6.3f} "
        f"{adjusted_rand_score(y, labels[: len(y)]):6.3f}"
    )

# %%
# Projection on the first two principal components of the clean data
# -------------------------------------------------------------------
# The bridge points (crosses) run between the two closest cultivars.
pca = PCA(n_components=2).fit(X)
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharex=True, sharey=True)
data, labels, _ = runs["clean"]
P = pca.transform(data)
axes[0].scatter(P[:, 0], P[:, 1], c=labels, cmap="viridis", s=15)
axes[0].set_title("k-means on clean data")
data, labels, attack = runs["shortest_link"]
injected = attack.poison_mask_
P = pca.transform(data)
axes[1].scatter(
    P[~injected, 0],
    P[~injected, 1],
    c=labels[~injected],
    cmap="viridis",
    s=15,
    vmin=0,
    vmax=2,
)
axes[1].scatter(
    P[injected, 0],
    P[injected, 1],
    c=labels[injected],
    cmap="viridis",
    marker="x",
    s=30,
    vmin=0,
    vmax=2,
)
axes[1].set_title("k-means after a 30% shortest-link bridge")
for ax in axes:
    ax.set_xlabel("PC 1")
axes[0].set_ylabel("PC 2")
fig.tight_layout()
