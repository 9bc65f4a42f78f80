"""Hide most labels at fit time, to simulate a small labelled sample."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.utils import check_random_state

from skpoison.base import BaseResampler
from skpoison.utils._budget import Count, Fraction, resolve_budget
from skpoison.utils._docstring import Substitution, _fitted_input_attributes_docstring
from skpoison.utils._labels import unlabelled_mask

__all__ = ["MaskLabels"]

_random_state_docstring = """random_state : int, RandomState instance or None, \
default=None
        Controls which rows keep their label. Pass an int for output that is
        the same across calls.""".rstrip()


def _masked_dtype(dtype):
    """Return a label dtype holding both ``dtype``'s classes and the integer -1."""
    if dtype.kind in "if":
        return dtype
    if dtype.kind == "u":
        return np.promote_types(dtype, np.int8)
    return np.dtype(object)


def _stratified_quotas(class_counts, n_keep):
    """Share ``n_keep`` rows among classes in proportion, at least one each.

    Largest-remainder rounding, so the quotas sum to ``n_keep`` whenever
    ``n_keep`` is at least the number of classes (otherwise every class gets
    one row).
    """
    counts = np.asarray(class_counts)
    exact = n_keep * counts / counts.sum()
    quotas = np.maximum(np.floor(exact).astype(np.intp), 1)
    quotas = np.minimum(quotas, counts)
    short = n_keep - quotas.sum()
    order = np.argsort(-(exact - np.floor(exact)), kind="stable")
    while short > 0:
        for c in order:
            if short > 0 and quotas[c] < counts[c]:
                quotas[c] += 1
                short -= 1
    return quotas


@Substitution(
    random_state=_random_state_docstring,
    fitted_input_attributes=_fitted_input_attributes_docstring,
)
class MaskLabels(BaseResampler):
    """Keep a share of the labels and mark the other rows unlabelled (-1).

    At fit time only, ``labelled_size`` of the labelled rows keep their label
    (a stratified sample by default) and the others get ``-1``, the
    "unlabelled" marker of :mod:`sklearn.semi_supervised`. ``X`` is returned
    unchanged. In a pipeline it reproduces the "small labelled sample" set-up
    of semi-supervised clustering inside cross-validation: the model is fitted
    on few labels, while held-out folds are scored against their full labels,
    because resamplers act only during ``fit``::

        make_pipeline(MaskLabels(0.2), LabelFlipAttack(0.3), SemiSupervisedKMeans())

    It is a preprocessing step, not an attack: it records no ``poison_mask_``.

    Read more in the :ref:`User Guide <mask_labels>`.

    Parameters
    ----------
    labelled_size : float or int, default=0.2
        How many labels to keep. A float in ``(0, 1]`` is a fraction of the
        labelled rows (rounded, at least one); an int is a count, at most the
        number of labelled rows.

    stratify : bool, default=True
        Keep the class proportions of the labelled rows (largest-remainder
        rounding) and at least one row of every class, so that every class
        can seed its cluster. With fewer rows to keep than classes, one row
        per class is kept, which is more than ``labelled_size``. ``False``
        draws the rows uniformly, and a class may lose all its labels.

    {random_state}

    Attributes
    ----------
    labelled_mask_ : ndarray of bool, shape (n_samples,)
        True for the rows that kept their label.

    n_labelled_ : int
        Number of rows that kept their label.

    sample_indices_ : ndarray of shape (n_samples,)
        ``arange(n_samples)``: rows are neither added nor removed.

    {fitted_input_attributes}

    See Also
    --------
    skpoison.cluster.SemiSupervisedKMeans : K-means seeded by the labelled rows.
    skpoison.attacks.LabelFlipAttack : Flip labels of the labelled rows.

    Notes
    -----
    Rows already marked ``-1`` stay unlabelled and are not counted. Integer
    and float labels keep their dtype (unsigned integers are widened to hold
    ``-1``); string or boolean labels come back as an object array holding the
    integer ``-1``, the form :class:`skpoison.cluster.SemiSupervisedKMeans`
    and :mod:`sklearn.semi_supervised` expect.

    References
    ----------
    .. [1] S. Basu, A. Banerjee and R. J. Mooney, "Semi-supervised clustering
       by seeding", ICML 2002: the labelled seed sample is a small share of
       the data.

    Examples
    --------
    >>> import numpy as np
    >>> from skpoison.preprocessing import MaskLabels
    >>> X = np.arange(20.0).reshape(10, 2)
    >>> y = np.array([0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    >>> masker = MaskLabels(labelled_size=0.4, random_state=0)
    >>> X_res, y_res = masker.fit_resample(X, y)
    >>> int((y_res == -1).sum()), np.bincount(y_res[y_res != -1]).tolist()
    (6, [2, 2])
    """

    _parameter_constraints: dict = {
        "labelled_size": [
            Count(1),
            Fraction(0, 1, closed="right"),
        ],
        "stratify": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(self, labelled_size=0.2, *, stratify=True, random_state=None):
        self.labelled_size = labelled_size
        self.stratify = stratify
        self.random_state = random_state

    def _fit_resample(self, X, y):
        random_state = check_random_state(self.random_state)
        labelled = np.flatnonzero(~unlabelled_mask(y))
        n_lab = labelled.shape[0]
        if n_lab == 0:
            raise ValueError("MaskLabels found no labelled rows: every y is -1.")
        size = self.labelled_size
        n_keep = resolve_budget(
            size, n_lab, name="labelled_size", owner="MaskLabels", what="labelled rows"
        )

        if self.stratify:
            try:
                _, inverse, counts = np.unique(
                    y[labelled], return_inverse=True, return_counts=True
                )
            except TypeError as exc:
                raise ValueError(
                    "The labelled rows of y mix strings and numbers; use one "
                    "label type (and the integer -1 for unlabelled rows)."
                ) from exc
            quotas = _stratified_quotas(counts, n_keep)
            keep = np.concatenate(
                [
                    random_state.choice(labelled[inverse == c], size=q, replace=False)
                    for c, q in enumerate(quotas)
                ]
            )
        else:
            keep = random_state.choice(labelled, size=n_keep, replace=False)

        labelled_mask = np.zeros(y.shape[0], dtype=bool)
        labelled_mask[keep] = True
        y_res = y.astype(_masked_dtype(y.dtype), copy=True)
        y_res[~labelled_mask] = -1
        self.labelled_mask_ = labelled_mask
        self.n_labelled_ = int(labelled_mask.sum())
        return X, y_res, np.arange(X.shape[0], dtype=np.intp)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags
