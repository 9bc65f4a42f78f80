# %%
# The attacker's feature weights
# ------------------------------
# A standalone fit of the attack shows which features get the most noise.
import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import load_wine
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import CentroidNoiseAttack
from skpoison.metrics import ClusterShiftDisplay
from skpoison.model_selection import evaluate_attack

data = load_wine()
X = StandardScaler().fit_transform(data.data)
y = data.target

attack = CentroidNoiseAttack(n_poison=0.2, random_state=0).fit(X, y)
print("Noisiest features (weight):")
for j in np.argsort(attack.feature_weights_)[::-1][:4]:
    print(f"  {data.feature_names[j]:30s} {attack.feature_weights_[j]:.2f}")

# %%
# Clean and poisoned clusterings
# ------------------------------
# :func:`~skpoison.model_selection.evaluate_attack` fits k-means on the clean
# data and on the poisoned data with the same seeds. Internal scores are
# computed on all the rows the analyst holds; the adjusted Rand index compares
# the clusters of the clean rows with the cultivars.
kmeans = KMeans(n_clusters=3, n_init=10)
result = evaluate_attack(kmeans, attack, X, y, n_repeats=1, random_state=0)
scores = ["silhouette", "calinski_harabasz", "davies_bouldin", "adjusted_rand"]
for run in ("clean", "poisoned"):
    print(f"{run:10s}", *(f"{s}={result[f'{run}_{s}'][0]:.3f}" for s in scores))

# %%
# Projection on the first two principal components of the clean data
# -------------------------------------------------------------------
# Injected points are red triangles: they start at the centre and spread
# towards the clusters. The arrows show how far each k-means centre moved.
display = ClusterShiftDisplay.from_estimator(kmeans, attack, X, y, random_state=0)
display.figure_.tight_layout()
