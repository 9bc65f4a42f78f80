"""Metrics of what a poisoning attack did to an outlier detector or a defence.

All three are shares in [0, 1] computed from boolean masks, so they need no
model: pass the masks that ``OutlierRemover.outlier_mask_`` and
``BaseAttack.poison_mask_`` give, aligned on the same rows.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from skpoison.utils._param_validation import validate_params


def _check_masks(**masks):
    arrays = {}
    for name, mask in masks.items():
        array = np.asarray(mask)
        if array.ndim != 1:
            raise ValueError(f"{name} must be 1-D, got shape {array.shape}.")
        if array.dtype != bool:
            if array.dtype.kind not in "iu" or not np.isin(array, (0, 1)).all():
                raise ValueError(f"{name} must be a boolean mask.")
            array = array.astype(bool)
        arrays[name] = array
    lengths = {name: a.shape[0] for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"Masks have different lengths: {lengths}.")
    return arrays.values()


def _share(numerator, denominator, what):
    if denominator == 0:
        raise ValueError(f"There are no {what}; the rate is undefined.")
    return float(numerator / denominator)


@validate_params(
    {"outliers_before": ["array-like"], "outliers_after": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def concealment_rate(outliers_before, outliers_after):
    """Share of genuine outliers that are no longer flagged after poisoning.

    Parameters
    ----------
    outliers_before : array-like of bool, shape (n_samples,)
        True where the detector flagged a genuine row on the clean data.
    outliers_after : array-like of bool, shape (n_samples,)
        True where the detector flagged the same genuine row on the poisoned
        data (injected rows excluded, so both masks align).

    Returns
    -------
    rate : float
        ``|before & ~after| / |before|``.

    Raises
    ------
    ValueError
        If no row was flagged before poisoning (nothing to conceal).

    Examples
    --------
    >>> from skpoison.metrics import concealment_rate
    >>> concealment_rate([True, True, False, False], [False, True, False, False])
    0.5
    """
    before, after = _check_masks(
        outliers_before=outliers_before, outliers_after=outliers_after
    )
    return _share(
        np.count_nonzero(before & ~after),
        np.count_nonzero(before),
        "outliers flagged before poisoning",
    )


@validate_params(
    {"outliers_before": ["array-like"], "outliers_after": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def eviction_rate(outliers_before, outliers_after):
    """Share of genuine inliers that become flagged after poisoning.

    This measures the "contextual reversal" of a mimicry attack: the detector
    purges genuine data instead of the outliers.

    Parameters
    ----------
    outliers_before : array-like of bool, shape (n_samples,)
        True where the detector flagged a genuine row on the clean data.
    outliers_after : array-like of bool, shape (n_samples,)
        True where the detector flagged the same genuine row on the poisoned
        data.

    Returns
    -------
    rate : float
        ``|~before & after| / |~before|``.

    Examples
    --------
    >>> from skpoison.metrics import eviction_rate
    >>> eviction_rate([True, False, False, False], [False, True, False, False])
    0.3333...
    """
    before, after = _check_masks(
        outliers_before=outliers_before, outliers_after=outliers_after
    )
    return _share(
        np.count_nonzero(~before & after),
        np.count_nonzero(~before),
        "inliers before poisoning",
    )


@validate_params(
    {"poison_mask": ["array-like"], "removed_mask": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def survival_rate(poison_mask, removed_mask):
    """Share of injected rows that a defence kept.

    Parameters
    ----------
    poison_mask : array-like of bool, shape (n_samples,)
        True for injected rows (an attack's ``poison_mask_``).
    removed_mask : array-like of bool, shape (n_samples,)
        True for rows the defence removed (its ``outlier_mask_``), on the
        same rows.

    Returns
    -------
    rate : float
        ``|poison & ~removed| / |poison|``; 1 - survival is the defence's
        recall on injected rows.

    Examples
    --------
    >>> from skpoison.metrics import survival_rate
    >>> survival_rate([False, True, True, True], [False, True, False, False])
    0.6666...
    """
    poison, removed = _check_masks(poison_mask=poison_mask, removed_mask=removed_mask)
    return _share(
        np.count_nonzero(poison & ~removed), np.count_nonzero(poison), "injected rows"
    )
