"""Preprocessing resamplers."""

__all__: list[str] = []
