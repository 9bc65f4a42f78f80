# %%
# The bridged groups
# ------------------
# A standalone fit of the attack shows the two closest cultivars it bridges
# and the two rows its shortest link joins.
from sklearn.cluster import KMeans
from sklearn.datasets import load_wine
from sklearn.preprocessing import StandardScaler

from skpoison.attacks import BridgeAttack
from skpoison.metrics import ClusterShiftDisplay
from skpoison.model_selection import evaluate_attack

X, y = load_wine(return_X_y=True)
X = StandardScaler().fit_transform(X)

attack = BridgeAttack(n_poison=0.3, strategy="shortest_link", random_state=0)
attack.fit_resample(X, y)
print(f"bridged cultivars: {attack.clusters_}, link rows: {attack.link_}")

# %%
# Clean and poisoned clusterings
# ------------------------------
# :func:`~skpoison.model_selection.evaluate_attack` fits k-means on the clean
# data and on the poisoned data with the same seeds, for each strategy.
# Internal scores are computed on all the rows the analyst holds; the adjusted
# Rand index compares the clusters of the clean rows with the cultivars.
kmeans = KMeans(n_clusters=3, n_init=10)
scores = ["silhouette", "calinski_harabasz", "davies_bouldin", "adjusted_rand"]
for strategy in ("interpolate", "shortest_link"):
    result = evaluate_attack(
        kmeans,
        attack.set_params(strategy=strategy),
        X,
        y,
        n_repeats=1,
        random_state=0,
    )
    runs = ("clean", "poisoned") if strategy == "interpolate" else ("poisoned",)
    for run in runs:
        name = "clean" if run == "clean" else strategy
        print(
            f"{name:14s}",
            *(f"{s}={result[f'{run}_{s}'][0]:.3f}" for s in scores),
        )

# %%
# Projection on the first two principal components of the clean data
# -------------------------------------------------------------------
# The shortest-link bridge points (red triangles) run between the two closest
# cultivars; the arrows show how far each k-means centre moved.
display = ClusterShiftDisplay.from_estimator(kmeans, attack, X, y, random_state=0)
display.figure_.tight_layout()
