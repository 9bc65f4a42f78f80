"""Every public estimator against scikit-learn's, imbalanced-learn's and our checks.

Estimators are found by :func:`skpoison.utils.discovery.all_estimators`, so a
new one is checked without editing this file. Expected failures are listed
once, below, each with its reason; no estimator is skipped as a whole.
"""

import inspect

import pytest
from imblearn.utils.estimator_checks import (
    estimator_checks_generator as imblearn_checks_generator,
)
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.ensemble import IsolationForest
from sklearn.utils.estimator_checks import parametrize_with_checks

from skpoison.utils.discovery import all_estimators
from skpoison.utils.estimator_checks import (
    check_hostile_inputs,
    parametrize_with_resampler_checks,
)

# Constructor arguments for estimators whose defaults cannot run on the small
# datasets of the checks.
_INSTANCE_PARAMS = {
    "OutlierRemover": {"detector": IsolationForest(n_estimators=10, random_state=0)},
    # A required victim; one generation of cheap queries keeps the checks fast.
    "BlackBoxAttack": {
        "victim": KMeans(n_clusters=2, n_init=1, random_state=0),
        "n_queries": 20,
    },
}


def _instances(type_filter=None):
    instances = []
    for name, cls in all_estimators(type_filter):
        params = dict(_INSTANCE_PARAMS.get(name, {}))
        if "random_state" in inspect.signature(cls).parameters:
            params.setdefault("random_state", 0)
        instances.append(cls(**params))
    return instances


# --- Expected failures, one place, each with its reason --------------------

# imbalanced-learn's sampler checks assume a class-balancing sampler.
_IMBLEARN_SAMPLER_REASONS = {
    "check_samplers_fit": (
        "expects a sampling_strategy_ attribute: poisoning is not class balancing"
    ),
    "check_samplers_one_label": (
        "expects a single-class y to be rejected; attacks and defences accept it "
        "(clustering pipelines may pass one class or only -1)"
    ),
    "check_samplers_multiclass_ova": (
        "passes a one-hot (multi-output) y; skpoison targets are 1-D class labels "
        "with -1 for unlabelled rows, so 2-D y is rejected"
    ),
    "check_samplers_pandas_sparse": (
        "sparse input is not supported: attacks compute dense statistics "
        "(covariances, centroids) and a clear TypeError is raised"
    ),
    "check_sampler_get_feature_names_out": (
        "resamplers are not transformers and have no get_feature_names_out"
    ),
    "check_sampler_get_feature_names_out_pandas": (
        "resamplers are not transformers and have no get_feature_names_out"
    ),
}

# scikit-learn checks expected to fail, by estimator class name. Checks that
# fail for every resampler go under "resampler".
_SKLEARN_EXPECTED_FAILURES: dict[str, dict[str, str]] = {
    "resampler": {},
    "SemiSupervisedKMeans": {
        **dict.fromkeys(
            [
                "check_dont_overwrite_parameters",
                "check_fit2d_1feature",
                "check_fit2d_predict1d",
                "check_methods_sample_order_invariance",
                "check_methods_subset_invariance",
            ],
            "the check sets n_clusters=1 or 2, as for an unsupervised clusterer, on "
            "targets with 2 or 3 classes; each labelled class seeds its own cluster, "
            "so a smaller n_clusters is a ValueError by design (tested in "
            "tests/cluster/test_semi_supervised_kmeans.py)",
        ),
        "check_classifiers_classes": (
            "uses -1 as a class label; -1 marks unlabelled rows (scikit-learn's "
            "semi-supervised convention)"
        ),
    },
}


def _sklearn_expected_failures(estimator):
    failures = dict(_SKLEARN_EXPECTED_FAILURES.get(type(estimator).__name__, {}))
    if hasattr(estimator, "fit_resample"):
        failures.update(_SKLEARN_EXPECTED_FAILURES["resampler"])
    return failures


# Label attacks need a second class to flip to, so they do reject one class.
_REJECTS_ONE_CLASS = {"LabelFlipAttack"}


def _imblearn_expected_failures(estimator):
    if not hasattr(estimator, "fit_resample"):
        return {}
    failures = dict(_IMBLEARN_SAMPLER_REASONS)
    if type(estimator).__name__ in _REJECTS_ONE_CLASS:
        del failures["check_samplers_one_label"]
    return failures


@parametrize_with_checks(
    _instances(), expected_failed_checks=_sklearn_expected_failures
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def _imblearn_cases():
    # imbalanced-learn's own parametrize_with_checks hands pytest a generator,
    # which pytest deprecates; build the list here instead.
    cases = []
    for estimator in _instances("resampler"):
        cases.extend(
            imblearn_checks_generator(
                estimator,
                expected_failed_checks=_imblearn_expected_failures(estimator),
                mark="xfail",
            )
        )
    return cases


def _case_id(value):
    if hasattr(value, "fit"):
        return type(value).__name__
    func = getattr(value, "func", value)
    return getattr(func, "__name__", str(value))


@pytest.mark.parametrize("estimator, check", _imblearn_cases(), ids=_case_id)
def test_imblearn_sampler_checks(estimator, check):
    check(estimator)


@parametrize_with_resampler_checks(_instances("resampler"))
def test_resampler_contract(estimator, check):
    check(estimator)


def test_every_estimator_is_discovered():
    names = {name for name, _ in all_estimators()}
    assert names, "discovery found no estimator"


@pytest.mark.parametrize("estimator", _instances(), ids=_case_id)
def test_hostile_inputs(estimator):
    # Huge/tiny magnitudes, non-numeric columns, bool/str/mixed labels, empty,
    # one row, NaN/inf, wrong shapes and budgets: a clear error or a correct
    # result. A hang is an endless loop, so the limit is generous (30 s) to
    # stay clear of a loaded machine's slow but finite cases.
    if "n_init" in estimator.get_params():
        estimator = clone(estimator).set_params(n_init=1)  # keep it fast
    check_hostile_inputs(type(estimator).__name__, estimator, time_limit=30)
