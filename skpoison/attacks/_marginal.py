"""Marginal sampling: inject rows whose features are drawn independently."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from skpoison.base import BaseInjectionAttack
from skpoison.utils._docstring import (
    Substitution,
    _clip_docstring,
    _injection_attributes_docstring,
    _n_poison_injection_docstring,
    _poison_label_docstring,
    _random_state_docstring,
)

__all__ = ["MarginalOutlierAttack"]


@Substitution(
    n_poison=_n_poison_injection_docstring,
    poison_label=_poison_label_docstring,
    clip=_clip_docstring,
    random_state=_random_state_docstring,
    attributes=_injection_attributes_docstring,
)
class MarginalOutlierAttack(BaseInjectionAttack):
    """Inject rows whose features are drawn independently from their marginals.

    Each feature of an injected row is the value of that feature in a row
    drawn uniformly at random, independently for every feature: the injected
    rows follow the product of the data's empirical marginal distributions.
    Every single value is a genuine one, so no feature-wise range check can
    flag them; what makes them outliers is that they break the dependencies
    between features (a long petal with a narrow width). This is the
    marginal-sampling family of Steinbuss & Böhm's catalogue of artificial
    outliers [1]_, introduced by Abe, Zadrozny and Langford [2]_.

    Read more in the :ref:`User Guide <outlier_catalogue>`.

    Parameters
    ----------
    {n_poison}

    {poison_label}

    {clip}

    {random_state}

    Attributes
    ----------
    {attributes}

    source_rows_ : ndarray of shape (`n_poison_`, n_features)
        ``source_rows_[i, j]`` is the input row whose feature ``j`` the
        ``i``-th injected row copies.

    See Also
    --------
    UniformOutlierAttack : Points uniform in an expanded bounding box.
    GaussianTailOutlierAttack : Tails of a Gaussian fitted to the data.

    Notes
    -----
    Clustered or correlated data have most of their product-of-marginals
    mass where no genuine row lies; independent data are left unchanged in
    distribution (the injected rows then look exactly like genuine ones).
    The cost is ``O(n_poison * n_features)``: one random index and one read
    per injected value.

    References
    ----------
    .. [1] G. Steinbuss and K. Böhm, "Generating artificial outliers in the
       absence of genuine ones - a survey", ACM Transactions on Knowledge
       Discovery from Data 15(2), 2021.
    .. [2] N. Abe, B. Zadrozny and J. Langford, "Outlier detection by active
       learning", KDD 2006.

    Examples
    --------
    >>> import numpy as np
    >>> from skpoison.attacks import MarginalOutlierAttack
    >>> X = np.array([[0.0, 0.0], [1.0, 10.0], [2.0, 20.0]])
    >>> attack = MarginalOutlierAttack(n_poison=4, random_state=0)
    >>> X_res, _ = attack.fit_resample(X)
    >>> X_res[3:]
    array([[ 0., 10.],
           [ 0., 10.],
           [ 1., 20.],
           [ 0., 20.]])
    >>> attack.source_rows_
    array([[0, 1],
           [0, 1],
           [1, 2],
           [0, 2]])
    """

    _parameter_constraints: dict = {**BaseInjectionAttack._parameter_constraints}

    def __init__(
        self,
        n_poison=0.1,
        *,
        poison_label=-1,
        clip=False,
        random_state=None,
    ):
        self.n_poison = n_poison
        self.poison_label = poison_label
        self.clip = clip
        self.random_state = random_state

    def _generate(self, X, y, n_new, random_state):
        n, d = X.shape
        self.source_rows_ = random_state.randint(n, size=(n_new, d))
        return X[self.source_rows_, np.arange(d)]
