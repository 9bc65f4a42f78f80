"""Clustering and poisoning metrics, scorers and displays."""

from skpoison.metrics._poisoning import concealment_rate, eviction_rate, survival_rate

__all__ = [
    "concealment_rate",
    "eviction_rate",
    "survival_rate",
]
