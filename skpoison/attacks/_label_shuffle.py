"""Label shuffling: permute the labels of a random subset of labelled rows."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from skpoison.base import BaseLabelAttack
from skpoison.utils._docstring import (
    Substitution,
    _label_attack_attributes_docstring,
    _n_poison_label_docstring,
)

__all__ = ["LabelShuffleAttack"]

_random_state_docstring = """random_state : int, RandomState instance or None, \
default=None
        Controls the rows chosen and the permutation. Pass an int for output
        that is the same across calls.""".rstrip()


@Substitution(
    n_poison=_n_poison_label_docstring,
    random_state=_random_state_docstring,
    attributes=_label_attack_attributes_docstring,
)
class LabelShuffleAttack(BaseLabelAttack):
    """Permute the labels among a random subset of the labelled rows.

    ``n_poison`` labelled rows (``y != -1``) are drawn uniformly and their
    labels are randomly permuted among them: the class counts of the
    labelled sample are unchanged, only which row carries which label. This
    is the "label shuffling" of the original study, simulating mislabelling.
    ``X`` and the unlabelled rows are never touched.

    Read more in the :ref:`User Guide <label_shuffle_attack>`.

    Parameters
    ----------
    {n_poison}
        These rows take part in the shuffle.

    {random_state}

    Attributes
    ----------
    {attributes}

    shuffled_mask_ : ndarray of bool, shape (n_samples,)
        True for the rows that took part in the shuffle. A shuffled row may
        draw a label of its own class and stay clean: ``poison_mask_`` marks
        only the rows whose label changed.

    n_shuffled_ : int
        Number of rows that took part in the shuffle, ``n_poison_``.

    See Also
    --------
    LabelFlipAttack : Flip labels to other classes, at random or targeted.
    skpoison.preprocessing.MaskLabels : Keep a small labelled sample.

    Notes
    -----
    ``poison_mask_`` marks changed labels (``n_changed_`` of them), not
    shuffled rows (``n_poison_`` of them), so that it means the same for every
    attack ("this row was altered"). The permutation
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
    >>> attack.n_poison_, attack.n_shuffled_, bool(attack.n_changed_ <= 5)
    (5, 5, True)
    """

    def __init__(self, n_poison=0.1, *, random_state=None):
        self.n_poison = n_poison
        self.random_state = random_state

    def _relabel(self, X, y, rows, class_index, n_rows, random_state):
        chosen = np.sort(random_state.choice(rows.shape[0], size=n_rows, replace=False))
        new_index = class_index.copy()
        new_index[chosen] = class_index[chosen][random_state.permutation(n_rows)]
        shuffled = np.zeros(y.shape[0], dtype=bool)
        shuffled[rows[chosen]] = True
        self.shuffled_mask_ = shuffled
        self.n_shuffled_ = n_rows
        return new_index
