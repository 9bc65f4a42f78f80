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
# :func:`~skpoison.model_selection.evaluate_attack` fits k-means on the clean
# data and on the poisoned data with the same seeds. Internal scores are
# computed on all the rows the analyst holds (injected rows included); the
# adjusted Rand index compares the clusters of the 150 clean rows with the
# species.
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import UniformOutlierAttack
from skpoison.metrics import ClusterShiftDisplay
from skpoison.model_selection import evaluate_attack

X, y = load_iris(return_X_y=True)
X = StandardScaler().fit_transform(X)

attack = UniformOutlierAttack(n_poison=0.1, expansion=5.0)
kmeans = KMeans(n_clusters=3, n_init=10)
result = evaluate_attack(kmeans, attack, X, y, n_repeats=1, random_state=0)
scores = ["silhouette", "calinski_harabasz", "davies_bouldin", "adjusted_rand"]
for run in ("clean", "poisoned"):
    print(f"{run:10s}", *(f"{s}={result[f'{run}_{s}'][0]:.3f}" for s in scores))
print("false confidence:", bool(result["false_confidence"][0]))

# %%
# Projection on the first two principal components of the clean data
# -------------------------------------------------------------------
# The same two runs, drawn: injected points are red triangles, far outside the
# clean data, and the arrows show how far each k-means centre moved.
display = ClusterShiftDisplay.from_estimator(kmeans, attack, X, y, random_state=0)
display.figure_.tight_layout()
