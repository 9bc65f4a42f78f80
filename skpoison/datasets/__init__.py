"""Dataset loaders and generators."""

from skpoison.datasets._generators import make_outlier_blobs
from skpoison.datasets._load import load_dataset

__all__: list[str] = ["load_dataset", "make_outlier_blobs"]
