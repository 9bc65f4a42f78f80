"""Clusterers built for, and against, poisoning."""

__all__: list[str] = []
