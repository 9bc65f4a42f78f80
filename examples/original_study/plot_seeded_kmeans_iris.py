"""
=================================================
Flipping the labels of seeded k-means (iris)
=================================================

The notebook ``exploit_semi_supervised_KMeans_(Iris)`` keeps a stratified
20 % labelled sample apart (``train_test_split(..., test_size=0.2,
stratify=y, random_state=42)``), standardises the data on the other 80 %,
seeds k-means with the class means of the sample and clusters the 80 %
only. The attack flips a share of the sample's labels to a random other
class; the clusters barely move, but whole clusters get the wrong class.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# The notebook's protocol with skpoison
# -------------------------------------
# :class:`~skpoison.cluster.SemiSupervisedKMeans` with
# ``cluster_labelled=False`` takes the seeds from the labelled rows and
# clusters only the unlabelled ones, as the notebook does.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import LabelFlipAttack
from skpoison.cluster import SemiSupervisedKMeans

X, y = load_iris(return_X_y=True)
x_in, x_seed, y_in, y_seed = train_test_split(
    X, y, test_size=0.2, stratify=y, random_state=42
)
scaler = StandardScaler().fit(x_in)
X_all = np.vstack([scaler.transform(x_seed), scaler.transform(x_in)])
y_all = np.concatenate([y_seed, np.full(y_in.shape, -1)])
NOTEBOOK_RATIO = 0.8


def accuracy(flip_ratio, seed):
    """Accuracy on the clustered 80 % after flipping ``flip_ratio`` of the seeds."""
    y_poisoned = y_all
    n_flips = int(flip_ratio * y_seed.size)  # the notebook rounds down
    if n_flips > 0:
        attack = LabelFlipAttack(n_flips, strategy="random", random_state=seed)
        _, y_poisoned = attack.fit_resample(X_all, y_all)
    model = SemiSupervisedKMeans(cluster_labelled=False).fit(X_all, y_poisoned)
    return np.mean(model.labels_[y_seed.size :] == y_in)


clean = accuracy(0.0, 0)
seeds = range(100)
at_ratio = np.array([accuracy(NOTEBOOK_RATIO, s) for s in seeds])

# %%
# Notebook versus skpoison
# ------------------------
print(f"{'':42s} {'notebook':>9s} {'skpoison':>9s}")
print(f"{'clean accuracy':42s} {0.83:9.2f} {clean:9.3f}")
print(
    f"{f'accuracy, {NOTEBOOK_RATIO:.0%} of the seed labels flipped':42s} "
    f"{0.22:9.2f} {at_ratio.mean():9.3f}"
)
print(
    f"  (100 seeds: std {at_ratio.std():.3f}, share below 0.4 "
    f"{np.mean(at_ratio < 0.4):.2f}, min {at_ratio.min():.3f}, "
    f"max {at_ratio.max():.3f})"
)

# %%
# The notebook's curve: mean accuracy over 100 draws per flip ratio
# ------------------------------------------------------------------
ratios = np.round(np.linspace(0, 1, 11), 1)
curve = np.array([[accuracy(r, s) for s in seeds] for r in ratios])
fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(ratios, curve.mean(axis=1), marker="o", color="lightcoral", label="mean")
ax.fill_between(
    ratios,
    curve.mean(axis=1) - curve.std(axis=1),
    curve.mean(axis=1) + curve.std(axis=1),
    color="lightcoral",
    alpha=0.2,
    label="mean +- std",
)
ax.set(xlabel="Flip ratio", ylabel="Accuracy", ylim=(0, 1))
ax.set_title("Seeded k-means under random label flipping (100 seeds)")
ax.legend()
plt.show()
for r, row in zip(ratios, curve, strict=True):
    print(
        f"ratio {r:.1f}: mean {row.mean():.3f}, "
        f"share below 0.4 {np.mean(row < 0.4):.2f}"
    )

# %%
# Where and why they differ
# -------------------------
# The clean accuracy is the notebook's, 100 of 120 rows: the same split, the
# same seeds and, with ``cluster_labelled=False``, the same k-means run as
# ``KMeans(3, init=seeds, n_init=1)`` on the 80 %. The flipped figure
# differs because the notebook flips with the unseeded global
# ``np.random``: its 0.22 is a single draw, ours the mean of 100 seeded
# draws, and single draws spread widely at this ratio. The notebook's
# reading holds: below about half the labels the attack rarely changes
# anything; from 70 % on most draws misclassify whole clusters.
