"""Paired clean-versus-poisoned evaluation and robustness curves."""

from skpoison.model_selection._evaluate import evaluate_attack
from skpoison.model_selection._robustness import robustness_curve

__all__: list[str] = ["evaluate_attack", "robustness_curve"]
