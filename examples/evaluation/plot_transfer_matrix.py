"""
===================================================
Does a poisoning crafted on one model hurt another?
===================================================

An attacker who cannot query the deployed clustering model crafts the
poisoning against one they can (a *surrogate*) and hopes the damage carries
over to the real one (the *victim*).
:func:`~skpoison.model_selection.transfer_matrix` measures this for every
pair of surrogate and victim, and
:class:`~skpoison.model_selection.TransferMatrixDisplay` draws the result as
a heatmap.

**Threat model.** The attacker knows the clean training data (standardised
wine, 178 rows) and adds 5 % of rows (9 rows), each inside the range of the
data. They may fit the surrogate on data of their choice and read the labels
it gives (:class:`~skpoison.attacks.BlackBoxAttack`, here 100 fits per
surrogate). They know nothing about the victim: the poisoning found against
the surrogate is handed, unchanged, to every victim. The damage is measured
on the 178 genuine rows only: the adjusted Rand index (ARI) of the victim's
clusters against the three cultivars, poisoned minus clean, with the same
seeds in both runs.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Surrogates and victims
# ----------------------
# Three surrogates the attacker could fit. The victims add a Gaussian
# mixture, HDBSCAN, seeded k-means learning from a 20 % labelled sample
# (:class:`~skpoison.cluster.SemiSupervisedKMeans`; the injected rows carry
# no label) and a k-means behind an isolation-forest clean-up. Spectral
# clustering and HDBSCAN have no ``predict``: they are scored by the labels
# they give the genuine rows they were fitted on.
import matplotlib.pyplot as plt
from imblearn.pipeline import make_pipeline
from sklearn.cluster import HDBSCAN, AgglomerativeClustering, KMeans, SpectralClustering
from sklearn.datasets import load_wine
from sklearn.ensemble import IsolationForest
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from skpoison.attacks import BlackBoxAttack
from skpoison.cluster import SemiSupervisedKMeans
from skpoison.defences import OutlierRemover
from skpoison.model_selection import TransferMatrixDisplay, transfer_matrix
from skpoison.preprocessing import MaskLabels

X, y = load_wine(return_X_y=True)
X = StandardScaler().fit_transform(X)

surrogates = {
    "k-means": KMeans(3, n_init=10),
    "Ward": AgglomerativeClustering(3, linkage="ward"),
    "spectral": SpectralClustering(3, affinity="nearest_neighbors"),
}
victims = {
    **surrogates,
    "Gaussian mixture": GaussianMixture(3),
    "HDBSCAN": HDBSCAN(min_cluster_size=10, copy=True),
    "seeded k-means": make_pipeline(MaskLabels(0.2), SemiSupervisedKMeans()),
    "IsolationForest + k-means": make_pipeline(
        OutlierRemover(IsolationForest(n_estimators=50)), KMeans(3, n_init=10)
    ),
}

# %%
# Craft once per surrogate, evaluate on every victim
# --------------------------------------------------
# The attack's ``victim`` is replaced by each surrogate in turn. Two repeats,
# each with its own seed for the crafting and for the victims.
attack = BlackBoxAttack(KMeans(3), n_poison=0.05, n_queries=100)
# Hundreds of fits on small data: one thread each is faster than many.
with threadpool_limits(limits=1):
    result = transfer_matrix(
        attack, surrogates, victims, X, y, n_repeats=2, random_state=0
    )
result.groupby("victim", sort=False)["clean_adjusted_rand"].mean().round(2)

# %%
# The heatmap
# -----------
# One row per surrogate, one column per victim; each cell is the mean ARI
# change over the repeats (more negative: more damage).
fig, ax = plt.subplots(figsize=(8, 3.8))
TransferMatrixDisplay.from_results(result, "diff_adjusted_rand", ax=ax)
ax.set_title("ARI change against the cultivars, 9 injected rows")
fig.tight_layout()
plt.show()

# %%
# What the heatmap shows
# ----------------------
# - **The diagonal** (the victim is the surrogate) is the attack at full
#   strength: the attacker queried the very model they poison. k-means and
#   spectral clustering lose more than half their ARI (0.90 and 0.88 clean),
#   Ward about 0.35 of its 0.79: the injected rows form a clump that captures
#   a cluster and two cultivars merge.
# - **k-means and Ward transfer to each other**: both minimise the spread
#   within clusters, so a clump that captures a k-means centroid also wins a
#   Ward cluster. A poisoning crafted against spectral clustering, which
#   follows nearest-neighbour links rather than centroids, carries over
#   less, and only in some repeats.
# - **The Gaussian mixture is hit or miss**: the same poisoning leaves one of
#   its fits intact and wrecks another, hence a mean between the two.
# - **HDBSCAN does not find the cultivars in the first place** (clean ARI
#   about 0.26; it labels many rows noise), so there is nothing to lose.
# - **Seeded k-means resists**: its centres start at the means of the
#   labelled rows, so a clump of unlabelled rows does not pull one away.
# - **The clean-up removes poisonings crafted against undefended
#   surrogates**: a clump far enough from the data to capture a centroid is
#   isolated in a few splits. An attacker who expects a clean-up must query a
#   defended surrogate (put the pipeline among the surrogates).
#
# A hundred fits per surrogate and two repeats keep this example fast; the
# user guide (:ref:`transfer_matrix`) gives the matrix at 200 fits and five
# repeats, with its spread: a search either finds a clump that captures a
# cluster or does not, so single cells vary from seed to seed.
