"""Displays: plots of what an attack did, built like scikit-learn's Displays."""

from skpoison.metrics._plot.cluster_shift import ClusterShiftDisplay

__all__ = ["ClusterShiftDisplay"]
