"""Paired clean-versus-poisoned evaluation and robustness curves."""

from skpoison.model_selection._evaluate import evaluate_attack
from skpoison.model_selection._paired import FittedRun, PairedResult, fit_paired
from skpoison.model_selection._plot import RobustnessCurveDisplay
from skpoison.model_selection._robustness import robustness_curve
from skpoison.model_selection._security import (
    SecurityEvaluationDisplay,
    security_evaluation,
)
from skpoison.model_selection._transfer import TransferMatrixDisplay, transfer_matrix

__all__: list[str] = [
    "FittedRun",
    "PairedResult",
    "RobustnessCurveDisplay",
    "SecurityEvaluationDisplay",
    "TransferMatrixDisplay",
    "evaluate_attack",
    "fit_paired",
    "robustness_curve",
    "security_evaluation",
    "transfer_matrix",
]
