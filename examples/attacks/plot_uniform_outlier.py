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
from skpoison.model_selection import evaluate_attack, fit_paired

X, y = load_iris(return_X_y=True)
X = StandardScaler().fit_transform(X)

attack = UniformOutlierAttack(n_poison=0.1, expansion=5.0)
kmeans = KMeans(n_clusters=3, n_init=10)
result = evaluate_attack(kmeans, attack, X, y, n_repeats=1, random_state=0)
# The silhouette rises while the adjusted Rand index falls: ``evaluate_attack``
# flags this pattern as false confidence.
scores = result.filter(regex="silhouette|calinski|davies|adjusted_rand")
print(scores.T.round(3).to_string(header=False))
print("false confidence:", bool(result["false_confidence"].iloc[0]))

# %%
# Where the centres went
# ----------------------
# :class:`~skpoison.metrics.ClusterShiftDisplay` draws the same two runs in the
# first two principal components of the clean data. The injected points (red
# triangles) lie far outside the clean data, and the arrows show the k-means
# centres they pull away from the species.
display = ClusterShiftDisplay.from_paired(
    fit_paired(kmeans, attack, X, y, random_state=0)
)
display.figure_.tight_layout()
