"""Clusterers built for, and against, poisoning."""

from skpoison.cluster._kmeans_minus_minus import KMeansMinusMinus
from skpoison.cluster._semi_supervised_kmeans import SemiSupervisedKMeans

__all__: list[str] = ["KMeansMinusMinus", "SemiSupervisedKMeans"]
