"""Poisoning attacks against clustering, and the defences that try to stop them.

Attacks and defences are resamplers (``fit_resample``) that chain with any
clusterer in an :class:`imblearn.pipeline.Pipeline`; they act only while the
pipeline is fitted, which is exactly the threat model of training-data
poisoning.

Subpackages
-----------
attacks
    Poisoning attacks (injection, perturbation, label attacks).
defences
    Resamplers that remove suspicious rows before clustering.
cluster
    Clusterers: :class:`~skpoison.cluster.SemiSupervisedKMeans`,
    :class:`~skpoison.cluster.KMeansMinusMinus`.
preprocessing
    :class:`~skpoison.preprocessing.MaskLabels`.
metrics
    Clustering and poisoning metrics, scorers and displays.
model_selection
    Paired clean-versus-poisoned evaluation and robustness curves.
datasets
    Dataset loaders and generators.
utils
    Validation helpers, discovery and public estimator checks.
"""

__version__ = "0.1.0.dev0"

__all__ = [
    "attacks",
    "cluster",
    "datasets",
    "defences",
    "metrics",
    "model_selection",
    "preprocessing",
    "utils",
    "__version__",
]
