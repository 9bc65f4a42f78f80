"""
===============================================
The worst case: an optimised black-box attack
===============================================

:class:`~skpoison.attacks.BlackBoxAttack` only *queries* the victim: it fits
clones of it on candidate poisoned data and reads the labels they give the
clean rows. Nothing about the model's internals is used, so the victim can be
any clusterer or a whole pipeline. Here the victim is k-means (two clusters,
ten initialisations) on the standardised breast cancer data, and the attacker
injects 5 % of rows (28 rows) inside the data's range. A genetic search and
a random search of the same region get the same budget of victim fits; the
curves show the best damage each has found after each query (one minus the
adjusted Rand index between the victim's clusters of the clean rows before
and after poisoning).
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Two searches, one budget
# ------------------------
import matplotlib.pyplot as plt
from sklearn.cluster import KMeans
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from skpoison.attacks import BlackBoxAttack

X, y = load_breast_cancer(return_X_y=True)
X = StandardScaler().fit_transform(X)
victim = KMeans(n_clusters=2, n_init=10, random_state=0)

attacks = {}
# Many fits on small data: one thread each is faster than many (OpenMP
# threads cost more than they save on such short fits).
with threadpool_limits(limits=1):
    for optimizer in ("random", "genetic"):
        attack = BlackBoxAttack(
            victim, n_poison=0.05, optimizer=optimizer, n_queries=60, random_state=0
        )
        attacks[optimizer] = (attack, attack.fit_resample(X)[0])

# %%
# What the victim learns
# ----------------------
# The poisoned data is handed to a fresh k-means (another seed, which the
# attacker never queried); its clusters of the clean rows are compared with
# the true diagnoses.
clean = KMeans(n_clusters=2, n_init=10, random_state=1).fit(X).predict(X)
print(f"clean: ARI against the diagnoses {adjusted_rand_score(y, clean):.2f}")
for optimizer, (attack, X_poisoned) in attacks.items():
    labels = KMeans(n_clusters=2, n_init=10, random_state=1).fit(X_poisoned)
    ari = adjusted_rand_score(y, labels.predict(X))
    print(
        f"{optimizer:8s}: {attack.n_queries_} queries, ARI against the diagnoses "
        f"{ari:.2f}, injected rows {attack.perturbation_norms_['l2']:.1f} std "
        "from the clean rows (l2)"
    )

# %%
# Best damage after each query
# ----------------------------
# A tight clump of injected rows captures one of the two centroids: the
# victim then splits the data into "the clump" and "everything else". Uniform
# draws in the 30-dimensional box almost never produce a clump; the genetic
# search works on clumps (a few centres, a spread each, and which injected
# row belongs to which) and refines them. See
# :ref:`blackbox_attack` for the benchmark over data sets, defences and
# seeds.
fig, ax = plt.subplots(figsize=(6, 3.5))
for optimizer, (attack, _) in attacks.items():
    ax.plot(range(1, attack.n_queries_ + 1), attack.history_, label=optimizer)
ax.set_xlabel("victim fits (queries)")
ax.set_ylabel("best damage (1 - ARI vs clean fit)")
ax.legend()
fig.tight_layout()
plt.show()
