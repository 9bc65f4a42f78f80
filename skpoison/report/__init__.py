"""The ``skpoison`` command line and its HTML robustness report."""

__all__: list[str] = []
