"""
==================================================
The artificial-outlier catalogue, one picture each
==================================================

Steinbuss and Böhm (2021) survey the ways of generating *artificial
outliers* when genuine ones are rare. skpoison provides the main families as
injection attacks. Each panel below injects 150 points into the same
two-feature slice of iris (petal length and width, two elongated, correlated
clusters) and shows where each generator puts them.

- :class:`~skpoison.attacks.UniformOutlierAttack`: uniform in the widened
  bounding box (the expanded hyper-rectangle);
- :class:`~skpoison.attacks.GaussianTailOutlierAttack`: the tails of one
  Gaussian fitted to the data, with its correlation;
- :class:`~skpoison.attacks.MarginalOutlierAttack`: each feature from a
  different row, genuine values in impossible combinations;
- :class:`~skpoison.attacks.LowDensityOutlierAttack`: where a kernel density
  estimate of the data is low, including the gap between the clusters;
- :class:`~skpoison.attacks.MixtureTailOutlierAttack`: the tails of a fitted
  Gaussian mixture, a shell around each cluster (the original study's
  learned generator, in closed form).
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Generate
# --------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_iris
from sklearn.neighbors import NearestNeighbors

from skpoison.attacks import (
    GaussianTailOutlierAttack,
    LowDensityOutlierAttack,
    MarginalOutlierAttack,
    MixtureTailOutlierAttack,
    UniformOutlierAttack,
)

X = load_iris().data[:, 2:]  # petal length, petal width (cm)
generators = {
    "Expanded box": UniformOutlierAttack(n_poison=150, expansion=0.2),
    "Gaussian tails": GaussianTailOutlierAttack(n_poison=150, tail=0.05),
    "Marginal sampling": MarginalOutlierAttack(n_poison=150),
    "Low density (KDE)": LowDensityOutlierAttack(n_poison=150),
    "Mixture tails": MixtureTailOutlierAttack(n_poison=150, n_components=2),
}

# %%
# Where each generator puts its points
# ------------------------------------
# The grey points are the genuine rows, the red crosses the injected ones.
fig, axes = plt.subplots(1, 5, figsize=(17, 3.6), sharex=True, sharey=True)
nn = NearestNeighbors(n_neighbors=1).fit(X)
for ax, (name, attack) in zip(axes, generators.items(), strict=True):
    attack.set_params(random_state=0)
    X_res, _ = attack.fit_resample(X)
    new = X_res[attack.poison_mask_]
    ax.scatter(*X.T, s=10, c="0.6", label="genuine")
    ax.scatter(*new.T, s=14, c="tab:red", marker="x", label="injected")
    ax.set_title(name)
    ax.set_xlabel("petal length (cm)")
    # How far the injected points are from the nearest genuine row.
    dist = nn.kneighbors(new)[0].ravel()
    print(f"{name:18s} median distance to the data: {np.median(dist):.2f} cm")
axes[0].set_ylabel("petal width (cm)")
axes[0].legend(loc="upper left", fontsize="small")
fig.tight_layout()
plt.show()

# %%
# What sets them apart
# --------------------
# The expanded box fills the whole box, corners included, far from every
# cluster. The Gaussian tails follow the overall correlation but know nothing
# of the two clusters: they sit beyond both ends of the data. Marginal
# sampling keeps every coordinate genuine: its points sit on the grid of
# observed values, many of them in the empty top-left and bottom-right. The
# low-density generator avoids every dense region, whatever its shape, and
# fills the gap. The mixture tails hug each cluster: they are the hardest to
# tell from genuine data, like the subtle outliers of the original study.
