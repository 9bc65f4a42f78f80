"""
===========================================================
Security evaluation: how many rows, and how far they move
===========================================================

A single damage figure says little about a clustering pipeline's security:
what matters is how the damage grows with what the attacker controls.
Following Biggio and Roli's security evaluation curves, and Cinà et al.
(2022) for clustering, we grid two parameters of the attacker's budget, the
number of rows they move and how far each may move, and run the optimised
attack at every point with
:func:`~skpoison.model_selection.security_evaluation`;
:class:`~skpoison.model_selection.SecurityEvaluationDisplay` draws one score
over the grid.

**Threat model.** The attacker controls ``n_poison`` existing rows of the
training data and may move each by at most ``max_perturbation`` standard
deviations per feature (an ℓ∞ bound, without leaving the data's range); the
other rows are untouched. They can fit the victim, a k-means on the
standardised wine data, on data of their choice and read its labels, 100
times per attack (:class:`~skpoison.attacks.BlackBoxAttack` with
``mode="perturb"``). The damage is measured on the rows the attacker did not
move: the adjusted Rand index (ARI) of the poisoned model's clusters against
the three cultivars, with the same seeds as the clean model.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# The grid
# --------
# Each grid point is two paired repeats (a clean and a poisoned k-means with
# the same seeds); the repeats use the same seeds at every grid point, so the
# differences between points are not seed noise.
import matplotlib.pyplot as plt
from sklearn.cluster import KMeans
from sklearn.datasets import load_wine
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from skpoison.attacks import BlackBoxAttack
from skpoison.model_selection import SecurityEvaluationDisplay, security_evaluation

X, y = load_wine(return_X_y=True)
X = StandardScaler().fit_transform(X)
victim = KMeans(3, n_init=3)
attack = BlackBoxAttack(victim, mode="perturb", n_queries=100)
grid = {"n_poison": [0.02, 0.05, 0.1, 0.2], "max_perturbation": [0.5, 1.0, 2.0, 4.0]}
# Thousands of fits on small data: one thread each is faster than many.
with threadpool_limits(limits=1):
    result = security_evaluation(
        victim, attack, X, y, param_grid=grid, n_repeats=2, random_state=0
    )
print(f"clean ARI: {result['clean_adjusted_rand'].mean():.2f}")

# %%
# The heatmap
# -----------
# Columns: the share of rows moved (2 % to 20 %, i.e. 4 to 36 of the 178
# rows); rows: the largest move per feature, in standard deviations. Each
# cell is the mean ARI of the poisoned model against the cultivars (lower:
# more damage; the clean model's is printed above).
fig, ax = plt.subplots(figsize=(6, 4))
SecurityEvaluationDisplay.from_results(result, "poisoned_adjusted_rand", ax=ax)
ax.set_xlabel("share of rows moved (n_poison)")
ax.set_ylabel("largest move per feature (std)")
fig.tight_layout()
plt.show()

# %%
# Reading it
# ----------
# Neither resource alone is enough here. A few rows moved far (the left
# columns), or many rows moved by up to one standard deviation (the top
# rows), leave k-means at about its clean ARI: the moved rows stay among
# their cluster's neighbours and the centres barely shift. The damage appears
# only in the bottom-right corner, where enough rows can travel far enough to
# gather into a group that pulls a centre away and merges two cultivars. A
# defender reads the grid as "up to which budget is my pipeline safe", along
# both axes at once: here, moves of a standard deviation or less cost at
# most a few hundredths of ARI at every budget tried.
#
# A hundred fits per attack and two repeats keep this example fast; the
# search is a maximisation, so each cell is a lower bound on the worst case
# at that point, and more queries can only find more damage.
