"""Label flipping on the labelled seed sample of semi-supervised clustering."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from itertools import permutations

import numpy as np
from scipy.optimize import linear_sum_assignment

from skpoison.base import BaseLabelAttack
from skpoison.cluster import SemiSupervisedKMeans
from skpoison.utils._docstring import (
    Substitution,
    _label_attack_attributes_docstring,
    _n_poison_label_docstring,
)
from skpoison.utils._param_validation import StrOptions

__all__ = ["LabelFlipAttack"]

# All derangements are tried up to this many classes (9 for 4 classes);
# beyond it, two assignment-problem derangements.
_MAX_EXHAUSTIVE_CLASSES = 4
# Number of greedy rounds at most: a large budget flips several rows a round.
_MAX_ROUNDS = 200

_random_state_docstring = """random_state : int, RandomState instance or None, \
default=None
        Controls the rows flipped and their new classes for
        ``strategy="random"``; ``"seed_shift"`` is deterministic. Pass an int
        for output that is the same across calls.""".rstrip()


def _derangement_candidates(nu):
    """Candidate class maps ``tau``: class ``c`` is steered to cluster ``tau[c]``."""
    k = nu.shape[0]
    if k <= _MAX_EXHAUSTIVE_CLASSES:
        return [
            np.array(p)
            for p in permutations(range(k))
            if all(p[c] != c for c in range(k))
        ]
    dist = ((nu[:, None, :] - nu[None, :, :]) ** 2).sum(-1)
    big = dist.max() * k + 1.0
    candidates = []
    for cost in (dist, -dist):  # nearest other cluster, farthest other cluster
        cost = cost.copy()
        np.fill_diagonal(cost, big)
        candidates.append(linear_sum_assignment(cost)[1])
    return candidates


def _margins(dist, tau):
    """Seed margin per label: distance to its target centre minus to the nearest other.

    ``dist[..., l, j]`` is the squared distance of label ``l``'s seed mean to
    reference centre ``j`` and ``tau`` (broadcast against ``dist[..., 0]``)
    the target centre of each label; a negative margin means the seed sits
    nearer its target than any other centre.
    """
    k = dist.shape[-1]
    tau = np.broadcast_to(tau, dist.shape[:-1])
    is_target = np.arange(k) == tau[..., None]
    target = np.where(is_target, dist, 0.0).sum(axis=-1)
    other = np.where(is_target, np.inf, dist).min(axis=-1)
    return target - other


def _greedy_flips(X_lab, z, tau, nu, n_flips, clip):
    """Greedily move labelled rows between labels to push seeds towards ``tau``.

    The loss is ``sum_l max(margin_l, -clip)``: smooth in the seed means, and
    flat once a seed sits well inside its target cluster, so the budget goes
    to the seeds still outside. Each move takes a row that has not been
    flipped yet to a new label; no label is emptied while another move
    exists. Moving row ``i`` changes the seed means of its old label ``a``
    and of its new label ``c`` only; their distances to the reference centres
    are expanded with dot products, ``O(n_labelled * k * (k + d))`` a round.
    """
    n, k = X_lab.shape[0], nu.shape[0]
    z = z.copy()
    S = np.zeros((k, X_lab.shape[1]))
    np.add.at(S, z, X_lab)
    counts = np.bincount(z, minlength=k).astype(np.float64)
    xx = np.einsum("ij,ij->i", X_lab, X_lab)
    P = X_lab @ nu.T  # (n, k): x_i . nu_j
    nn = np.einsum("ij,ij->i", nu, nu)
    flipped = np.zeros(n, dtype=bool)
    rows_idx = np.arange(n)
    done = 0
    per_round = max(1, -(-n_flips // _MAX_ROUNDS))
    while done < n_flips:
        means = S / np.maximum(counts, 1)[:, None]
        dist = ((means[:, None, :] - nu[None, :, :]) ** 2).sum(-1)
        phi = np.maximum(_margins(dist, tau), -clip)  # (k,)
        XS = X_lab @ S.T  # (n, k)
        SN = S @ nu.T  # (k, k)
        SS = np.einsum("ij,ij->i", S, S)
        # Remove row i from its label a = z[i].
        a = z
        na = np.maximum(counts[a] - 1, 1)[:, None]
        rem = (SS[a] - 2 * XS[rows_idx, a] + xx)[:, None] / na**2
        rem = rem - 2 * (SN[a] - P) / na + nn
        phi_rem = np.maximum(_margins(rem, tau[a]), -clip)
        # Add row i to label c, for every c.
        nc = (counts + 1)[None, :, None]
        add = (SS[None, :] + 2 * XS + xx[:, None])[:, :, None] / nc**2
        add = add - 2 * (SN[None, :, :] + P[:, None, :]) / nc + nn
        phi_add = np.maximum(_margins(add, tau), -clip)  # (n, k)
        gain = phi_rem[:, None] - phi[a][:, None] + phi_add - phi[None, :]
        gain[flipped] = np.inf
        gain[rows_idx, a] = np.inf
        emptying = counts[a] <= 1
        if np.isfinite(gain[~emptying]).any():
            gain[emptying] = np.inf
        best_c = gain.argmin(axis=1)
        best = gain[rows_idx, best_c]
        order = np.argsort(best, kind="stable")
        take = min(per_round, n_flips - done)
        moved = 0
        for i in order:
            if moved == take or not np.isfinite(best[i]):
                break
            old, new = z[i], best_c[i]
            if counts[old] <= 1 and moved > 0:
                continue
            S[old] -= X_lab[i]
            S[new] += X_lab[i]
            counts[old] -= 1
            counts[new] += 1
            z[i] = new
            flipped[i] = True
            moved += 1
        done += moved
    return z, flipped


def _surrogate_loss(X, y_poisoned, classes, nu, tau, clip):
    """Loss of the final centres of a surrogate model fitted on the poison."""
    model = SemiSupervisedKMeans().fit(X, y_poisoned)
    centers = np.asarray(model.cluster_centers_, dtype=np.float64)
    if model.classes_.shape[0] != classes.shape[0]:  # a label was emptied
        return np.inf
    dist = ((centers[:, None, :] - nu[None, :, :]) ** 2).sum(-1)
    return float(np.maximum(_margins(dist, tau), -clip).sum())


@Substitution(
    n_poison=_n_poison_label_docstring,
    random_state=_random_state_docstring,
    attributes=_label_attack_attributes_docstring,
)
class LabelFlipAttack(BaseLabelAttack):
    """Flip the labels of labelled rows, at random or to misplace the seeds.

    The attack targets the labelled sample of a semi-supervised model such as
    :class:`skpoison.cluster.SemiSupervisedKMeans`, whose initial centres are
    the class means of the labelled rows and whose clusters carry those
    classes along. It changes the label of ``n_poison`` labelled rows
    (``y != -1``) and never touches ``X`` or the unlabelled rows.

    - ``strategy="random"`` flips each of ``n_poison`` labelled rows, drawn
      uniformly, to a uniformly drawn other class (the original study's
      attack). Accuracy stays flat until a seed mean crosses into another
      cluster: mean accuracy of seeded k-means falls below 0.4 at 70% of
      the labels on Iris and 60% on Breast cancer (200 seeds; at 50% on
      Breast cancer only half the seeds do; see the User Guide).
    - ``strategy="seed_shift"`` chooses the rows and their new classes so
      that each class's seed mean lands in another class's cluster. It maps
      each class ``c`` to a target cluster ``tau(c) != c`` (a derangement),
      then greedily moves the rows whose relabelling most reduces a smooth
      loss of the seed means: for every label, its distance to the target
      cluster's centre minus its distance to the nearest other centre,
      clipped once the seed is well inside the target. The reference centres
      are those of a clean :class:`~skpoison.cluster.SemiSupervisedKMeans`
      fitted on all rows (the attacker sees ``X`` and the labelled rows). Of
      the candidate derangements, the one whose poisoned labels move the
      final centres of such a surrogate model furthest towards the targets
      is kept. Whole clusters then change class while the clustering itself
      is unchanged.

    Read more in the :ref:`User Guide <label_flip_attack>`.

    Parameters
    ----------
    {n_poison}

    strategy : {{"random", "seed_shift"}}, default="random"
        How to choose the rows and their new labels (see above).

    {random_state}

    Attributes
    ----------
    {attributes}

    flip_counts_ : ndarray of shape (n_classes, n_classes)
        ``flip_counts_[i, j]`` rows of class ``classes_[i]`` were relabelled
        ``classes_[j]``.

    target_map_ : dict or None
        For ``"seed_shift"``, the class whose cluster each class's seed is
        steered to; ``None`` for ``"random"``.

    See Also
    --------
    LabelShuffleAttack : Permute the labels of labelled rows.
    skpoison.preprocessing.MaskLabels : Keep a small labelled sample.
    skpoison.cluster.SemiSupervisedKMeans : The seeded model this attack aims at.

    Notes
    -----
    ``X`` is returned as validated, not copied: label attacks never write to
    it. ``y`` must be given; ``-1`` marks unlabelled rows, which are never
    flipped nor counted in the budget. The random strategy may relabel every
    row of a class, which removes that class's seed; ``"seed_shift"`` keeps
    at least one row per label whenever it can.

    ``"seed_shift"`` costs one clean and one surrogate fit per candidate
    derangement (all of them up to four classes, two from assignment problems
    on the centre distances beyond), plus greedy rounds of
    ``O(n_labelled * n_classes * (n_classes + n_features))``; budgets above
    200 rows flip several rows a round.

    Every flipped row gets a label different from its own, so ``n_changed_``
    equals ``n_poison_``.

    References
    ----------
    .. [1] S. Basu, A. Banerjee and R. J. Mooney, "Semi-supervised clustering
       by seeding", ICML 2002.
    .. [2] B. Biggio, B. Nelson and P. Laskov, "Support vector machines under
       adversarial label noise", Asian Conference on Machine Learning (ACML),
       2011: random and adversarial label flips.
    .. [3] H. Xiao, H. Xiao and C. Eckert, "Adversarial label flips attack on
       support vector machines", ECAI 2012.

    Examples
    --------
    >>> import numpy as np
    >>> from skpoison.attacks import LabelFlipAttack
    >>> from skpoison.cluster import SemiSupervisedKMeans
    >>> X = np.array([[0.0], [0.2], [0.4], [0.6], [5.0], [5.2], [5.4], [5.6]])
    >>> y = np.array([0, 0, 0, -1, 1, 1, 1, -1])
    >>> SemiSupervisedKMeans().fit(X, y).labels_
    array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> attack = LabelFlipAttack(n_poison=4, strategy="seed_shift")
    >>> X_res, y_res = attack.fit_resample(X, y)
    >>> y_res
    array([ 1,  1,  0, -1,  1,  0,  0, -1])
    >>> attack.target_map_
    {{0: 1, 1: 0}}
    >>> SemiSupervisedKMeans().fit(X_res, y_res).labels_
    array([1, 1, 1, 1, 0, 0, 0, 0])
    """

    _parameter_constraints: dict = {
        **BaseLabelAttack._parameter_constraints,
        "strategy": [StrOptions({"random", "seed_shift"})],
    }

    def __init__(self, n_poison=0.1, *, strategy="random", random_state=None):
        self.n_poison = n_poison
        self.strategy = strategy
        self.random_state = random_state

    def _computes_on_features(self):
        return self.strategy != "random"  # random flips never look at X

    def _relabel(self, X, y, rows, class_index, n_flips, random_state):
        classes = self.classes_
        k = classes.shape[0]
        if k < 2:
            raise ValueError(
                "LabelFlipAttack needs labelled rows of at least two classes to "
                f"flip labels between; found only {list(classes)}."
            )
        if self.strategy == "random":
            chosen = np.sort(random_state.choice(rows.shape[0], n_flips, replace=False))
            shift = random_state.randint(1, k, size=n_flips)
            new_index = class_index.copy()
            new_index[chosen] = (class_index[chosen] + shift) % k
            self.target_map_ = None
        else:
            new_index, tau = self._seed_shift(X, y, rows, classes, class_index, n_flips)
            self.target_map_ = {_py(classes[c]): _py(classes[tau[c]]) for c in range(k)}
        changed = new_index != class_index
        flip_counts = np.zeros((k, k), dtype=np.intp)
        np.add.at(flip_counts, (class_index[changed], new_index[changed]), 1)
        self.flip_counts_ = flip_counts
        return new_index

    def _seed_shift(self, X, y, rows, classes, class_index, n_flips):
        # The surrogate fits run on X as given (float32 stays float32); the
        # greedy search works in float64 on the labelled rows and centres.
        nu = SemiSupervisedKMeans().fit(X, y).cluster_centers_
        nu = np.asarray(nu, dtype=np.float64)
        gaps = ((nu[:, None, :] - nu[None, :, :]) ** 2).sum(-1)
        clip = 0.25 * gaps[~np.eye(nu.shape[0], dtype=bool)].mean()
        X_lab = np.asarray(X[rows], dtype=np.float64)
        best = None
        for tau in _derangement_candidates(nu):
            z, _ = _greedy_flips(X_lab, class_index, tau, nu, n_flips, clip)
            y_try = y.copy()
            y_try[rows] = classes[z]
            loss = _surrogate_loss(X, y_try, classes, nu, tau, clip)
            if best is None or loss < best[0]:
                best = (loss, z, tau)
        return best[1], best[2]


def _py(value):
    """Return a numpy scalar as the matching Python scalar (readable mappings)."""
    return value.item() if isinstance(value, np.generic) else value
