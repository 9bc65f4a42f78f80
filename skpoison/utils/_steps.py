"""The steps of a (possibly nested) pipeline, and the first one fitted on labels.

The evaluation and the black-box attack both fit estimators that may be
pipelines holding pipelines; both need to know whether some step must be
given ``y``. A pipeline's own tags do not pass on its steps' need for ``y``,
so each step's ``target_tags.required`` is read.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn.pipeline import Pipeline
from sklearn.utils import get_tags


def flatten_steps(estimator):
    """Return the list of step objects of a (possibly nested) pipeline.

    ``None`` gives an empty list; an estimator that is not a pipeline gives
    itself; ``None`` and ``"passthrough"`` steps are skipped.
    """
    if estimator is None:
        return []
    if isinstance(estimator, Pipeline):  # imbalanced-learn's Pipeline subclasses it
        return [
            step
            for _, outer in estimator.steps
            for step in flatten_steps(outer)
            if step is not None and step != "passthrough"
        ]
    return [estimator]


def requires_labels(step):
    """Whether ``step`` requires ``y`` (its ``target_tags.required`` tag)."""
    if not hasattr(step, "__sklearn_tags__"):
        return False
    return bool(get_tags(step).target_tags.required)


def step_fitted_on_labels(estimator):
    """Return the first step of ``estimator`` that requires ``y``, or None."""
    return next((s for s in flatten_steps(estimator) if requires_labels(s)), None)
