"""Paired clean-versus-poisoned evaluation and robustness curves."""

__all__: list[str] = []
