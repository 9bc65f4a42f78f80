"""Displays: plots of what an attack did, built like scikit-learn's Displays."""

from skpoison.metrics._plot.cluster_shift import ClusterShiftDisplay
from skpoison.metrics._plot.k_distance import KDistanceDisplay

__all__ = ["ClusterShiftDisplay", "KDistanceDisplay"]
