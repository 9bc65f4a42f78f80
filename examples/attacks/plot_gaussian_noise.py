"""
=============================================
Gaussian noise on every row of the iris data
=============================================

:class:`~skpoison.attacks.GaussianNoiseAttack` adds Gaussian noise to existing
rows, with a standard deviation proportional to each feature's own spread. No
row is added: the attacker blurs the data it is given. Here every row of the
standardised iris data gets noise with the spread of the data itself
(``scale=1.0``), and k-means with three clusters is fitted before and after.
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

from skpoison.attacks import GaussianNoiseAttack

X, y = load_iris(return_X_y=True)
X = StandardScaler().fit_transform(X)

attack = GaussianNoiseAttack(scale=1.0, random_state=0)
X_poisoned, _ = attack.fit_resample(X)

kmeans = KMeans(n_clusters=3, n_init=10, random_state=0)
labels_clean = kmeans.fit_predict(X)
labels_poisoned = kmeans.fit_predict(X_poisoned)

# %%
# Scores
# ------
# Internal scores are computed on the data the analyst holds (poisoned rows
# included); the adjusted Rand index compares the clusters of the original rows
# with the species. Here every row was perturbed, so all 150 rows count.
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
# The noisy rows smear the boundary between versicolor and virginica.
pca = PCA(n_components=2).fit(X)
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharex=True, sharey=True)
for ax, data, labels, title in [
    (axes[0], X, labels_clean, "clean"),
    (axes[1], X_poisoned, labels_poisoned, "Gaussian noise (scale=1.0)"),
]:
    P = pca.transform(data)
    ax.scatter(P[:, 0], P[:, 1], c=labels, cmap="viridis", s=15)
    ax.set_title(f"k-means on {title} data")
    ax.set_xlabel("PC 1")
axes[0].set_ylabel("PC 2")
fig.tight_layout()
