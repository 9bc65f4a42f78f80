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
# The injected points
# -------------------
# A standalone fit of the attack: the Mahalanobis band, and the injected
# points feature by feature.
import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import load_wine
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import SubtleOutlierAttack
from skpoison.metrics import ClusterShiftDisplay
from skpoison.model_selection import evaluate_attack, fit_paired

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

# %%
# Clean and poisoned clusterings
# ------------------------------
# :func:`~skpoison.model_selection.evaluate_attack` refits the attack and
# k-means, clean and poisoned, with the same seeds. Internal scores are computed
# on all the rows the analyst holds; the adjusted Rand index compares the
# clusters of the clean rows with the cultivars.
kmeans = KMeans(n_clusters=3, n_init=10)
result = evaluate_attack(kmeans, attack, X, y, n_repeats=1, random_state=0)
# No row looks extreme, yet the clusters get less separated.
scores = result.filter(regex="silhouette|calinski|davies|adjusted_rand")
print(scores.T.round(3).to_string(header=False))

# %%
# A ring folded by the projection
# -------------------------------
# :class:`~skpoison.metrics.ClusterShiftDisplay` draws the same two runs in the
# first two principal components of the clean data. The injected points (red
# triangles) ring the data in 13 dimensions, which the projection folds onto
# the clusters; the arrows show how far each k-means centre moved.
display = ClusterShiftDisplay.from_paired(
    fit_paired(kmeans, attack, X, y, random_state=0)
)
display.figure_.tight_layout()
