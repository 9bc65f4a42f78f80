"""Clustering and poisoning metrics, scorers and displays."""

from skpoison.metrics._clustering import (
    CentroidShift,
    assignment_change_rate,
    centroid_shift,
    cluster_accuracy,
    clustering_report,
    coassociation_distance,
    mean_within_cluster_std,
)
from skpoison.metrics._plot import ClusterShiftDisplay, KDistanceDisplay
from skpoison.metrics._poisoning import concealment_rate, eviction_rate, survival_rate
from skpoison.metrics._scorer import get_scorer, make_cluster_scorer

__all__ = [
    "CentroidShift",
    "ClusterShiftDisplay",
    "KDistanceDisplay",
    "assignment_change_rate",
    "centroid_shift",
    "cluster_accuracy",
    "clustering_report",
    "coassociation_distance",
    "concealment_rate",
    "eviction_rate",
    "get_scorer",
    "make_cluster_scorer",
    "mean_within_cluster_std",
    "survival_rate",
]
