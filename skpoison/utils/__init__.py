"""Utilities: discovery of estimators, public contract checks, docstring helpers."""

__all__: list[str] = []
