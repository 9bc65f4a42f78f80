"""
===================================================
Where label flipping moves the seeds of k-means
===================================================

Seeded k-means (:class:`~skpoison.cluster.SemiSupervisedKMeans`) starts each
cluster at the mean of a class's labelled rows. Flipping 40% of the labelled
rows of Iris with ``LabelFlipAttack(strategy="seed_shift")`` moves every seed
into another class's cluster. Lloyd's iterations then converge to the same
clusters as without the attack, but each cluster carries the wrong class: the
clustering looks unchanged while almost every row is misclassified.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Clean and poisoned seeds
# ------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_iris
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import LabelFlipAttack
from skpoison.cluster import SemiSupervisedKMeans
from skpoison.preprocessing import MaskLabels

iris = load_iris()
X = StandardScaler().fit_transform(iris.data)
y = iris.target
_, y_masked = MaskLabels(0.2, random_state=0).fit_resample(X, y)
attack = LabelFlipAttack(0.4, strategy="seed_shift")
_, y_poisoned = attack.fit_resample(X, y_masked)
print("seed of each class steered to the cluster of:", attack.target_map_)

clean = SemiSupervisedKMeans().fit(X, y_masked)
poisoned = SemiSupervisedKMeans().fit(X, y_poisoned)
for name, model in (("clean", clean), ("poisoned", poisoned)):
    print(
        f"{name:8s} accuracy={model.score(X, y):.2f} "
        f"silhouette={silhouette_score(X, model.labels_):.2f} "
        f"ARI={adjusted_rand_score(y, model.labels_):.2f}"
    )

# %%
# The same partition under other names: the adjusted Rand index and the
# silhouette ignore the cluster names, so they do not see the attack; only
# the accuracy does.
#
# PCA picture
# -----------
# Points are coloured by their true class; labelled rows are circled in the
# colour of the label the model was given. Crosses are the seeds (class means
# of the labelled rows), stars the final centres, each in its class colour.
pca = PCA(n_components=2).fit(X)
P = pca.transform(X)
colors = np.array(["tab:blue", "tab:orange", "tab:green"])
fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), sharex=True, sharey=True)
for ax, model, labels, title in (
    (axes[0], clean, y_masked, "clean labelled sample"),
    (axes[1], poisoned, y_poisoned, "40% of the labels flipped (seed_shift)"),
):
    ax.scatter(P[:, 0], P[:, 1], c=colors[y], s=12, alpha=0.4)
    lab = labels != -1
    ax.scatter(
        P[lab, 0], P[lab, 1], facecolors="none", edgecolors=colors[labels[lab]], s=70
    )
    seeds = pca.transform(model.initial_centers_)
    centers = pca.transform(model.cluster_centers_)
    for h, cls in enumerate(model.classes_):
        ax.annotate(
            "",
            xy=centers[h],
            xytext=seeds[h],
            arrowprops={"arrowstyle": "->", "color": colors[cls]},
        )
    ax.scatter(*seeds.T, marker="X", s=150, c=colors[model.classes_], edgecolors="k")
    ax.scatter(*centers.T, marker="*", s=300, c=colors[model.classes_], edgecolors="k")
    ax.set(title=f"{title}\naccuracy {model.score(X, y):.2f}", xlabel="PC 1")
axes[0].set_ylabel("PC 2")
handles = [
    plt.Line2D([], [], marker="o", linestyle="", color=c, label=n)
    for c, n in zip(colors, iris.target_names, strict=True)
]
axes[1].legend(handles=handles, loc="upper right")
fig.tight_layout()
