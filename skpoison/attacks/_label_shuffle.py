"""Label shuffling: permute the labels of a random subset of labelled rows."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

import numpy as np

from skpoison.attacks._label_flip import _labelled_setup
from skpoison.base import BaseAttack
from skpoison.utils._docstring import Substitution, _fitted_input_attributes_docstring
from skpoison.utils._param_validation import Interval, RealNotInt

__all__ = ["LabelShuffleAttack"]

_random_state_docstring = """random_state : int, RandomState instance or None, \
default=None
        Controls the rows chosen and the permutation. Pass an int for output
        that is the same across calls.""".rstrip()


@Substitution(
    random_state=_random_state_docstring,
    fitted_input_attributes=_fitted_input_attributes_docstring,
)
class LabelShuffleAttack(BaseAttack):
    """Permute the labels among a random subset of the labelled rows.

    ``n_poison`` labelled rows (``y != -1``) are drawn uniformly and their
    labels are randomly permuted among them: the class counts of the
    labelled sample are unchanged, only which row carries which label. This
    is the "label shuffling" of the original study, simulating mislabelling.
    ``X`` and the unlabelled rows are never touched.

    Read more in the :ref:`User Guide <label_shuffle_attack>`.

    Parameters
    ----------
    n_poison : int or float, default=0.1
        How many labelled rows take part in the shuffle. An int is a count
        (at most the number of labelled rows); a float in ``(0, 1]`` is a
        fraction of the labelled rows, rounded to the nearest count and at
        least one.

    {random_state}

    Attributes
    ----------
    shuffled_mask_ : ndarray of bool, shape (n_samples,)
        True for the rows that took part in the shuffle.

    n_shuffled_ : int
        Number of rows that took part in the shuffle, with a fractional
        ``n_poison`` resolved.

    poison_mask_ : ndarray of bool, shape (n_samples,)
        True for the rows whose label actually changed. A shuffled row may
        draw a label of its own class and stay clean.

    n_poison_ : int
        Number of rows whose label changed, ``poison_mask_.sum()``; at most
        ``n_shuffled_``.

    sample_indices_ : ndarray of shape (n_samples,)
        ``arange(n_samples)``: rows are altered, never added or removed.

    {fitted_input_attributes}

    See Also
    --------
    LabelFlipAttack : Flip labels to other classes, at random or targeted.
    skpoison.preprocessing.MaskLabels : Keep a small labelled sample.

    Notes
    -----
    ``poison_mask_`` marks changed labels, not shuffled rows, so that it
    means the same for every attack ("this row was altered"). The permutation
    is uniform, so with ``m`` shuffled rows a share of about
    ``sum_c p_c**2`` of them keep their label (``p_c`` the class shares among
    them); use :class:`LabelFlipAttack` to change exactly ``n_poison`` labels.
    ``X`` is returned as validated, not copied: label attacks never write to
    it.

    References
    ----------
    .. [1] B. Frenay and M. Verleysen, "Classification in the presence of
       label noise: a survey", IEEE Transactions on Neural Networks and
       Learning Systems, 25(5), pp. 845-869, 2014.

    Examples
    --------
    >>> import numpy as np
    >>> from skpoison.attacks import LabelShuffleAttack
    >>> X = np.zeros((6, 1))
    >>> y = np.array([0, 0, 0, 1, 1, -1])
    >>> attack = LabelShuffleAttack(n_poison=1.0, random_state=0)
    >>> X_res, y_res = attack.fit_resample(X, y)
    >>> np.bincount(y_res[y_res != -1]).tolist(), int(y_res[5])
    ([3, 2], -1)
    >>> attack.n_shuffled_, bool(attack.n_poison_ <= 5)
    (5, True)
    """

    _parameter_constraints: dict = {
        "n_poison": [
            Interval(Integral, 1, None, closed="left"),
            Interval(RealNotInt, 0, 1, closed="right"),
        ],
        "random_state": ["random_state"],
    }

    def __init__(self, n_poison=0.1, *, random_state=None):
        self.n_poison = n_poison
        self.random_state = random_state

    def _poison(self, X, y, random_state):
        rows, _, _, n_rows = _labelled_setup(self, y)
        chosen = np.sort(random_state.choice(rows, size=n_rows, replace=False))
        y_res = y.copy()
        y_res[chosen] = y[chosen][random_state.permutation(n_rows)]
        changed = chosen[y_res[chosen] != y[chosen]]
        shuffled = np.zeros(y.shape[0], dtype=bool)
        shuffled[chosen] = True
        self.shuffled_mask_ = shuffled
        self.n_shuffled_ = n_rows
        self.n_poison_ = int(changed.shape[0])
        return self._altered(X, y_res, changed)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags
