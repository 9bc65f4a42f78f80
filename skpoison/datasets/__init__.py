"""Dataset loaders and generators."""

__all__: list[str] = []
