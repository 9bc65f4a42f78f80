"""
====================================
Comparing all attacks on one dataset
====================================

:func:`~skpoison.model_selection.evaluate_attack` fits a clean and a poisoned
pipeline with the same seeds and reports internal scores, external scores,
model-to-model changes and a ``false_confidence`` flag. Running it for every
attack of :mod:`skpoison.attacks` at the same budget gives a comparison table.

Feature attacks poison unsupervised k-means. Label attacks need labels:
they poison a semi-supervised k-means that sees 20 % of the labels
(:class:`~skpoison.preprocessing.MaskLabels` runs in both pipelines, so both
see the same labelled rows and only the poisoned one has its labels altered).
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
import pandas as pd
from imblearn.pipeline import make_pipeline
from sklearn.cluster import KMeans
from sklearn.datasets import load_wine
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import (
    BridgeAttack,
    CentroidNoiseAttack,
    GaussianNoiseAttack,
    LabelFlipAttack,
    LabelShuffleAttack,
    MimicryAttack,
    SubtleOutlierAttack,
    UniformOutlierAttack,
)
from skpoison.cluster import SemiSupervisedKMeans
from skpoison.model_selection import evaluate_attack
from skpoison.preprocessing import MaskLabels

X, y = load_wine(return_X_y=True)
X = StandardScaler().fit_transform(X)

# %%
# Every attack at a 20 % budget
# -----------------------------
feature_attacks = {
    "GaussianNoiseAttack": GaussianNoiseAttack(n_poison=0.2, scale=1.0),
    "UniformOutlierAttack": UniformOutlierAttack(n_poison=0.2),
    "SubtleOutlierAttack": SubtleOutlierAttack(n_poison=0.2),
    "CentroidNoiseAttack": CentroidNoiseAttack(n_poison=0.2),
    "BridgeAttack": BridgeAttack(n_poison=0.2),
    "MimicryAttack": MimicryAttack(n_poison=0.2),
}
label_attacks = {
    "LabelFlipAttack": LabelFlipAttack(n_poison=0.2),
    "LabelShuffleAttack": LabelShuffleAttack(n_poison=0.2),
}

rows = {}
for name, attack in feature_attacks.items():
    result = evaluate_attack(
        KMeans(3, n_init=5), attack, X, y, n_repeats=3, random_state=0
    )
    rows[name] = result.mean(numeric_only=True)
for name, attack in label_attacks.items():
    result = evaluate_attack(
        SemiSupervisedKMeans(),
        make_pipeline(MaskLabels(0.2), attack),
        X,
        y,
        n_repeats=3,
        random_state=0,
    )
    rows[name + " (semi-supervised)"] = result.mean(numeric_only=True)
table = pd.DataFrame(rows).T

# %%
# The table
# ---------
# Means over 3 repeats. ``false_confidence`` is the share of repeats in which
# the internal scores improved while the external scores dropped.
columns = [
    "clean_adjusted_rand",
    "poisoned_adjusted_rand",
    "clean_silhouette",
    "poisoned_silhouette",
    "centroid_shift_mean",
    "assignment_change_rate",
    "coassociation_distance",
    "false_confidence",
]
with pd.option_context("display.width", 200, "display.max_columns", 20):
    print(table[columns].round(3).sort_values("poisoned_adjusted_rand"))

# %%
# For the semi-supervised model, plain accuracy also shows renamed classes,
# which the matched ``cluster_accuracy`` cannot see:
with pd.option_context("display.width", 200, "display.max_columns", 20):
    print(table.filter(like="accuracy").dropna().round(3))
