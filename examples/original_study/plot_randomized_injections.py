"""
==========================================
Randomized injections against k-means
==========================================

The notebook ``randomized_injection_attack`` clusters raw iris (cm) with
``KMeans(3, n_init=10, random_state=0)`` and compares silhouette,
Calinski-Harabasz and Davies-Bouldin before and after five randomized
attacks: Gaussian noise of 0.2 cm on every feature, 5 uniform outliers in a
far box, 5 subtle outliers (draws of the data's Gaussian pushed twice as far
from the mean), shuffling 20 % of the labels, and 10 outliers from a small
neural generator trained to put its samples at a standardised distance of
1.5 to 3.5 from the mean.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# The notebook's protocol with skpoison
# -------------------------------------
# Each attack is one skpoison resampler with the notebook's settings; the
# neural generator is replaced by its closed form,
# :class:`~skpoison.attacks.MixtureTailOutlierAttack` with one component
# (the tails of the fitted Gaussian). Every attack runs with 10 seeds.
import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris
from sklearn.metrics import (
    calinski_harabasz_score,
    davies_bouldin_score,
    silhouette_score,
)

from skpoison.attacks import (
    GaussianNoiseAttack,
    LabelShuffleAttack,
    MixtureTailOutlierAttack,
    SubtleOutlierAttack,
    UniformOutlierAttack,
)

X, y = load_iris(return_X_y=True)
FAR_BOX = ((10.0, 5.0, 10.0, 5.0), (15.0, 10.0, 15.0, 10.0))
attacks = {
    "Noisy": GaussianNoiseAttack(noise_std=0.2),
    "Outlier": UniformOutlierAttack(n_poison=5, bounds=FAR_BOX),
    "Subtle": SubtleOutlierAttack(n_poison=5, exaggeration=2.0),
    "Shuffled": LabelShuffleAttack(n_poison=0.2),
    "Model": MixtureTailOutlierAttack(n_poison=10, n_components=1, tail=0.05),
}
# The notebook's saved outputs: silhouette, Calinski-Harabasz, Davies-Bouldin.
notebook = {
    "Original": (0.5528, 561.63, 0.6620),
    "Noisy": (0.5164, 444.06, 0.7341),
    "Outlier": (0.6791, 547.64, 0.3786),
    "Subtle": (0.5408, 515.98, 0.6800),
    "Shuffled": (0.5528, 561.63, 0.6620),
    "Model": (0.5211, 502.97, 0.7209),
}


def scores(X):
    labels = KMeans(n_clusters=3, n_init=10, random_state=0).fit_predict(X)
    return (
        silhouette_score(X, labels),
        calinski_harabasz_score(X, labels),
        davies_bouldin_score(X, labels),
    )


ours = {"Original": np.array([scores(X)])}
for name, attack in attacks.items():
    runs = []
    for seed in range(10):
        X_poisoned, _ = attack.set_params(random_state=seed).fit_resample(X, y)
        runs.append(scores(X_poisoned))
    ours[name] = np.array(runs)

# %%
# Notebook versus skpoison (mean and spread over 10 seeds)
# --------------------------------------------------------
header = ["silhouette", "Calinski-Harabasz", "Davies-Bouldin"]
print(f"{'':9s}" + "".join(f"{h:>30s}" for h in header))
print(f"{'':9s}" + "   notebook   skpoison (+- std)" * 3)
for name, reference in notebook.items():
    mean, std = ours[name].mean(axis=0), ours[name].std(axis=0)
    std[std < 1e-9] = 0.0
    cells = [
        f"{r:11.4g} {m:10.4g} (+-{s:5.2g})"
        for r, m, s in zip(reference, mean, std, strict=True)
    ]
    print(f"{name:9s}" + "".join(f"{c:>30s}" for c in cells))

# %%
# Where and why they differ
# -------------------------
# *Original* and *Shuffled* match to four decimals: k-means never sees the
# labels, so shuffling them changes nothing (the notebook's point: a label
# attack hurts only a model that uses labels; see the seeded k-means
# examples). *Outlier* matches: the 5 far points form one tight cluster of
# their own and the silhouette rises from 0.553 to about 0.68, the
# "false confidence" of internal scores. *Noisy* and *Subtle* are within our
# spread; the notebook's draws are single ones (the noise is unseeded, and
# the subtle outliers use ``np.random.seed(42)`` with numpy's own
# multivariate-normal routine, which factorises the covariance differently
# from skpoison, so even the same seed gives other points).
#
# *Model* differs in kind, not only in draw: the notebook's generator is a
# small neural network trained with an unseeded loop, so its 10 points
# cannot be reproduced at all. Its loss only asks for a standardised
# distance of 1.5 to 3.5 from the mean; the fitted Gaussian's tails give
# points with the same purpose in closed form, without training, and with a
# seed. Both lower every score a little, as the notebook found.
