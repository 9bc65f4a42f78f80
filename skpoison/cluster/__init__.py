"""Clusterers built for, and against, poisoning."""

from skpoison.cluster._kmeans_minus_minus import KMeansMinusMinus

__all__: list[str] = ["KMeansMinusMinus"]
