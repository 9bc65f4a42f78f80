"""Defences: resamplers that remove suspicious rows before clustering."""

__all__: list[str] = []
