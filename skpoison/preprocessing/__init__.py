"""Preprocessing resamplers."""

from skpoison.preprocessing._mask_labels import MaskLabels

__all__: list[str] = ["MaskLabels"]
