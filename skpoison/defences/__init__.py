"""Defences: resamplers that remove suspicious rows before clustering."""

from skpoison.defences._dbscan import DBSCANOutlierRemover
from skpoison.defences._detection import detect_outliers, outlier_checker
from skpoison.defences._noise_removal import KMeansNoiseRemover
from skpoison.defences._outlier_remover import OutlierRemover

__all__: list[str] = [
    "DBSCANOutlierRemover",
    "KMeansNoiseRemover",
    "OutlierRemover",
    "detect_outliers",
    "outlier_checker",
]
