"""
================================================
Noise at the centre and bridges between clusters
================================================

The notebook ``Cluster_poisoning_between_two_clusters`` standardises iris,
clusters it with ``KMeans(n_clusters=3, random_state=42)`` and injects 20
points of two kinds: Gaussian noise around the data's mean, stronger on the
petal features (``CentroidNoiseAttack``), and "bridge" points interpolated
between random members of the two closest clusters plus a little noise
(``BridgeAttack``). It then sweeps the amount of centre noise from 0 to 50 %.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# The notebook's protocol with skpoison
# -------------------------------------
# The notebook scores the adjusted Rand index on all rows, the injected ones
# carrying a label ``-1`` of their own; we do the same to compare, and also
# give skpoison's convention (the clean rows only, as
# :func:`~skpoison.model_selection.evaluate_attack` does).
import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    silhouette_score,
)
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import BridgeAttack, CentroidNoiseAttack

X, y = load_iris(return_X_y=True)
X = StandardScaler().fit_transform(X)


def victim():
    # The notebook's victim. In scikit-learn >= 1.4 it runs a single
    # k-means++ initialisation (n_init="auto").
    return KMeans(n_clusters=3, random_state=42)


def scores(X_poisoned, model=None):
    labels = (model or victim()).fit_predict(X_poisoned)
    y_all = np.concatenate([y, np.full(X_poisoned.shape[0] - y.size, -1)])
    return {
        "silhouette": silhouette_score(X_poisoned, labels),
        "Davies-Bouldin": davies_bouldin_score(X_poisoned, labels),
        "Calinski-Harabasz": calinski_harabasz_score(X_poisoned, labels),
        "ARI (all rows)": adjusted_rand_score(y_all, labels),
        "ARI (clean rows)": adjusted_rand_score(y, labels[: y.size]),
    }


# The notebook's centre noise: sepal features x 0.25, petal features x 1.0
# of each feature's spread, from np.random.seed(42).
centre = CentroidNoiseAttack(
    n_poison=20, feature_weights=[0.25, 0.25, 1.0, 1.0], random_state=42
)
bridge = BridgeAttack(
    n_poison=20, clusterer=victim(), alpha=(0.3, 0.7), noise=0.2, random_state=42
)
results = {
    "clean": scores(X),
    "centre noise": scores(centre.fit_resample(X)[0]),
    "bridge": scores(bridge.fit_resample(X)[0]),
}

# %%
# Notebook versus skpoison
# ------------------------
notebook = {
    "clean": (0.4799, 0.7894, 157.3602, 0.4328),
    "centre noise": (0.4071, 1.0142, 144.6544, 0.3454),
    "bridge": (0.4741, 0.8270, 291.1677, 0.5600),
}
names = ["silhouette", "Davies-Bouldin", "Calinski-Harabasz", "ARI (all rows)"]
for run, reference in notebook.items():
    print(run)
    for name, value in zip(names, reference, strict=True):
        ours = results[run][name]
        print(f"  {name:20s} notebook {value:9.4f}   skpoison {ours:9.4f}")
    ours = results[run]["ARI (clean rows)"]
    print(f"  {'ARI (clean rows)':20s} {'':18s} skpoison {ours:9.4f}")

# %%
# The bridge's outcome is bimodal: over 20 seeds the single-initialisation
# victim either keeps its clean solution or jumps to a better one.
runs = []
for seed in range(20):
    s = scores(bridge.set_params(random_state=seed).fit_resample(X)[0])
    runs.append([s["Calinski-Harabasz"], s["ARI (all rows)"]])
runs = np.array(runs)
jump = runs[:, 1] > 0.5
print(
    f"bridge, 20 seeds: {jump.sum()} jump (Calinski-Harabasz "
    f"{runs[jump, 0].mean():.0f}, ARI {runs[jump, 1].mean():.3f}), "
    f"{(~jump).sum()} stay (Calinski-Harabasz {runs[~jump, 0].mean():.0f}, "
    f"ARI {runs[~jump, 1].mean():.3f})"
)
bridge.set_params(random_state=42)

# %%
# The victim's single initialisation
# ----------------------------------
# The clean ARI of 0.433 is not k-means' best: ``KMeans(3, random_state=42)``
# now runs one initialisation, and that one converges to a poor solution.
# With ten initialisations the clean ARI is 0.620, and the attacks have a
# different baseline to move.
ten = KMeans(n_clusters=3, n_init=10, random_state=42)
for run, X_run in {
    "clean": X,
    "centre noise": centre.fit_resample(X)[0],
    "bridge": bridge.set_params(clusterer=ten).fit_resample(X)[0],
}.items():
    ari = scores(X_run, ten)["ARI (clean rows)"]
    print(f"n_init=10, {run:13s} ARI (clean rows) {ari:.3f}")

# %%
# The noise sweep
# ---------------
# The notebook reports the best Calinski-Harabasz and ARI at 20 % centre
# noise (195.845 and 0.4811).
for pct in [0, 5, 10, 20, 30, 40, 50]:
    n = int(len(X) * pct / 100)
    X_run = X if n == 0 else centre.set_params(n_poison=n).fit_resample(X)[0]
    s = scores(X_run)
    print(
        f"{pct:3d} %  Calinski-Harabasz {s['Calinski-Harabasz']:8.3f}  "
        f"ARI (all rows) {s['ARI (all rows)']:.4f}"
    )

# %%
# Where and why they differ
# -------------------------
# The centre noise is the notebook's draw for draw: the same seed, the same
# standard normal draws, the same weights, so every figure matches, and so
# does the sweep. The bridge points follow the notebook's recipe (pairs of
# members of the two closest k-means clusters, a weight uniform in
# ``[0.3, 0.7]``, noise of 0.2 standard deviations) but draw their random
# numbers in another order, so they are other points from the same
# distribution. With the single-initialisation victim that matters a lot:
# in about a quarter of the seeds the bridge tips k-means into a better
# solution (Calinski-Harabasz about 290, ARI about 0.545, near the
# notebook's 291 and 0.560), in the rest it leaves the clean one (about 195
# and 0.43). Seed 42 happens to be of the second kind; the notebook's draw
# was of the first.
#
# Two of the notebook's readings need care. Its clean baseline is a poor
# k-means solution (a single initialisation, ARI 0.433 against 0.620 with
# ten), so "the bridge *raises* the ARI to 0.56" says more about the
# initialisation than about the attack. And its ARI counts the injected rows
# as a class of their own; skpoison scores the clean rows only, the ones the
# analyst cares about.
