"""
==============================================
Accuracy of seeded k-means against flip ratio
==============================================

:class:`~skpoison.cluster.SemiSupervisedKMeans` seeds each cluster with the
mean of a class's labelled rows and keeps that class for the cluster. Here 20%
of the labels are kept (:class:`~skpoison.preprocessing.MaskLabels`), a share
of them is flipped by :class:`~skpoison.attacks.LabelFlipAttack`, and the
accuracy of the model on all rows is measured against the true labels.

Random flips (the original study's attack) leave accuracy flat until a seed
crosses into another cluster. ``strategy="seed_shift"`` chooses which rows to
flip, and to which class, so that every seed lands in another class's
cluster: it needs far fewer flips.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Accuracy over repeated samples
# ------------------------------
# Features are standardised; each seed draws a new labelled sample and, for
# the random strategy, new flips. Ten seeds keep the example quick; the user
# guide reports 20.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import LabelFlipAttack
from skpoison.cluster import SemiSupervisedKMeans
from skpoison.preprocessing import MaskLabels

ratios = np.round(np.arange(0.0, 1.01, 0.1), 1)
seeds = range(10)
datasets = {"Iris": load_iris, "Breast cancer": load_breast_cancer}
results = {}
for name, loader in datasets.items():
    X, y = loader(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    for strategy in ("random", "seed_shift"):
        accuracy = np.empty((len(ratios), len(seeds)))
        for s in seeds:
            _, y_masked = MaskLabels(0.2, random_state=s).fit_resample(X, y)
            for i, ratio in enumerate(ratios):
                y_fit = y_masked
                if ratio > 0:
                    attack = LabelFlipAttack(
                        float(ratio), strategy=strategy, random_state=s
                    )
                    _, y_fit = attack.fit_resample(X, y_masked)
                model = SemiSupervisedKMeans().fit(X, y_fit)
                accuracy[i, s] = np.mean(model.labels_ == y)
        results[name, strategy] = accuracy

# %%
# Mean and spread
# ---------------
# The band spans the 10th to 90th percentile over the seeds.
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
for ax, name in zip(axes, datasets, strict=True):
    for strategy, color in (("random", "tab:blue"), ("seed_shift", "tab:red")):
        accuracy = results[name, strategy]
        low, high = np.percentile(accuracy, [10, 90], axis=1)
        ax.plot(ratios, accuracy.mean(axis=1), "o-", color=color, label=strategy)
        ax.fill_between(ratios, low, high, color=color, alpha=0.2)
    ax.axhline(0.4, color="gray", linestyle=":", linewidth=1)
    ax.set(title=name, xlabel="share of labelled rows flipped")
axes[0].set_ylabel("accuracy on all rows")
axes[0].legend()
fig.tight_layout()

# %%
# Smallest ratio that drives mean accuracy below 0.4:
for (name, strategy), accuracy in results.items():
    below = ratios[accuracy.mean(axis=1) < 0.4]
    first = below[0] if below.size else None
    print(f"{name:14s} {strategy:10s} {first}")
