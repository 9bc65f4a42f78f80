"""Estimator tags for resamplers, in the form imbalanced-learn reads them.

imbalanced-learn extends scikit-learn's tags with ``sampler_tags`` and an
``InputTags.dataframe`` field; its checks and ``Pipeline`` read them. Its tag
classes are private, so they are imported here only.
"""

from imblearn.utils._tags import InputTags, SamplerTags, Tags


def resampler_tags(sklearn_tags):
    """Convert scikit-learn tags of a resampler into imbalanced-learn tags."""
    input_tags = InputTags(
        two_d_array=True,
        sparse=False,
        allow_nan=sklearn_tags.input_tags.allow_nan,
        dataframe=True,
    )
    return Tags(
        estimator_type="sampler",
        target_tags=sklearn_tags.target_tags,
        transformer_tags=None,
        classifier_tags=None,
        regressor_tags=None,
        non_deterministic=sklearn_tags.non_deterministic,
        requires_fit=sklearn_tags.requires_fit,
        input_tags=input_tags,
        sampler_tags=SamplerTags(sample_indices=True),
    )
