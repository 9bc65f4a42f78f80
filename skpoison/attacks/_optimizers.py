"""Derivative-free searches for :class:`~skpoison.attacks.BlackBoxAttack`.

Every search works on a vector ``z`` of ``n_rows * n_features`` entries in the
unit cube (``bounded=True``) or in the real space around it (``False``): the
attack maps ``z`` to the poisoning rows. A search is an ask/tell loop: ``ask(n)``
returns ``n`` candidates, ``tell(Z, scores)`` gives their scores back (higher
is more damage, ``-inf`` for a candidate the victim failed on). The attack
evaluates each batch of candidates in parallel, so a batch is one generation.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Real

import numpy as np
from sklearn.metrics.pairwise import euclidean_distances

from skpoison.attacks._objectives import REMOVED
from skpoison.utils._optional import import_optional

# Candidates per generation (also the smallest query budget).
POPULATION = 20
# Genetic search: elites kept unchanged, tournament size, crossover rate,
# per-entry mutation rate, per-row reset rate, mutation scale at the first
# and at the last generation (in units of the unit cube).
_N_ELITE = 2
_TOURNAMENT = 3
_CROSSOVER_RATE = 0.9
_MUTATION_RATE = 0.2
_RESET_RATE = 0.05
_SIGMA_START = 0.25
_SIGMA_END = 0.02
# Initial range of an unbounded search, in unit-cube coordinates.
_UNBOUNDED_INIT = (-1.0, 2.0)
# Share of the genetic search's first generation drawn as clumps.
_CLUMP_SHARE = 0.5
_CLUMP_SPREAD = 0.02


def feasible_bounds(region, X):
    """Lower and upper bounds of the poisoning rows, or ``(None, None)``."""
    if region is None:
        return None, None
    if isinstance(region, str):
        return X.min(axis=0).astype(np.float64), X.max(axis=0).astype(np.float64)
    if isinstance(region, Real):
        low, high = X.min(axis=0), X.max(axis=0)
        margin = float(region) * (high - low)
        return (low - margin).astype(np.float64), (high + margin).astype(np.float64)
    bounds = np.asarray(region, dtype=np.float64)
    if bounds.shape != (2, X.shape[1]):
        raise ValueError(
            f"feasible_region has shape {bounds.shape}; explicit bounds must have "
            f"shape (2, n_features) = (2, {X.shape[1]}): lower, then upper."
        )
    if not np.all(np.isfinite(bounds)):
        raise ValueError("feasible_region bounds must be finite (no NaN or inf).")
    if np.any(bounds[0] > bounds[1]):
        raise ValueError("feasible_region: a lower bound exceeds its upper bound.")
    return bounds[0], bounds[1]


def boundary_rows(X, labels, n_rows, random_state):
    """Pick the rows with the smallest margin between two cluster means."""
    valid = labels != REMOVED
    classes = np.unique(labels[valid & (labels != -1)])
    if classes.size < 2:
        return np.sort(random_state.choice(X.shape[0], size=n_rows, replace=False))
    means = np.stack([X[labels == c].mean(axis=0) for c in classes])
    dist = euclidean_distances(X, means)
    rows = np.arange(X.shape[0])
    own = np.searchsorted(classes, labels).clip(0, classes.size - 1)
    matched = valid & (classes[own] == labels)
    own_dist = dist[rows, own]
    dist[rows, own] = np.inf
    margin = dist.min(axis=1) - own_dist
    margin[~matched] = np.inf
    return np.sort(np.argsort(margin, kind="stable")[:n_rows])


def guided_candidate(X, labels, targets, d):
    """Cinà et al.'s guided candidate: each feature towards the next cluster."""
    classes = np.unique(labels[(labels != REMOVED) & (labels != -1)])
    z = np.full((targets.size, d), 0.5)
    if classes.size < 2:
        return z
    means = np.stack([X[labels == c].mean(axis=0) for c in classes])
    for i, row in enumerate(targets):
        dist = np.sqrt(((means - X[row]) ** 2).sum(axis=1))
        own = labels[row]
        if own in classes:
            dist[np.searchsorted(classes, own)] = np.inf
        direction = np.sign(means[np.argmin(dist)] - X[row])
        z[i] = 0.5 + 0.5 * direction
    return z


class _Search:
    """Shared state: shape of ``z``, bounds and the random generator."""

    def __init__(self, n_rows, n_features, *, bounded, n_generations, rng, seeds=()):
        self.n_rows = n_rows
        self.n_features = n_features
        self.dim = n_rows * n_features
        self.bounded = bounded
        self.n_generations = max(1, n_generations)
        self.rng = rng
        self.seeds = [np.asarray(s, dtype=np.float64).ravel() for s in seeds]
        self.generation = 0

    def _uniform(self, n):
        low, high = (0.0, 1.0) if self.bounded else _UNBOUNDED_INIT
        return self.rng.uniform(low, high, size=(n, self.dim))

    def _clip(self, Z):
        return np.clip(Z, 0.0, 1.0) if self.bounded else Z

    def tell(self, Z, scores):
        self.generation += 1


class RandomSearch(_Search):
    """Uniform draws in the feasible region: the baseline yardstick."""

    def ask(self, n):
        return self._uniform(n)


class GeneticSearch(_Search):
    """Elitist genetic search over row placements.

    In the spirit of Cinà et al. (2022): a population of candidate poisonings,
    tournament selection, crossover that swaps whole poisoning rows between
    two parents, Gaussian mutation whose scale decays geometrically from
    ``_SIGMA_START`` to ``_SIGMA_END`` over the planned generations, and a
    rare reset of a whole row (a fresh uniform draw) to keep exploring. The
    ``_N_ELITE`` best candidates survive unchanged and are not re-queried.

    The first generation is half uniform draws, half *clumps* (every row of
    the candidate near one random point): a tight group of poisoning rows is
    what steals a centroid or survives a density-based clean-up, and uniform
    draws almost never produce one. Seeds given by the attack (e.g. Cinà et
    al.'s guided direction for perturbations) replace the first draws.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.population = None
        self.scores = None

    def ask(self, n):
        if self.population is None:
            return self._first(n)
        return self._offspring(n)

    def _first(self, n):
        Z = self._uniform(n)
        n_clumps = int(round(_CLUMP_SHARE * n))
        if n_clumps:
            centres = self._uniform(n_clumps).reshape(n_clumps, self.n_rows, -1)[:, :1]
            noise = self.rng.normal(
                0.0, _CLUMP_SPREAD, size=(n_clumps, self.n_rows, self.n_features)
            )
            Z[n - n_clumps :] = self._clip(centres + noise).reshape(n_clumps, -1)
        for i, seed in enumerate(self.seeds[:n]):
            Z[i] = seed
        return Z

    def _sigma(self):
        t = min(self.generation / self.n_generations, 1.0)
        return _SIGMA_START * (_SIGMA_END / _SIGMA_START) ** t

    def _offspring(self, n):
        P, s = self.population, self.scores
        k = min(_TOURNAMENT, P.shape[0])

        def pick():
            entrants = self.rng.choice(P.shape[0], size=k, replace=False)
            return entrants[np.argmax(s[entrants])]

        children = np.empty((n, self.dim))
        for i in range(n):
            child = P[pick()].reshape(self.n_rows, -1).copy()
            if self.rng.uniform() < _CROSSOVER_RATE:
                other = P[pick()].reshape(self.n_rows, -1)
                swap = self.rng.uniform(size=self.n_rows) < 0.5
                child[swap] = other[swap]
            mutate = self.rng.uniform(size=child.shape) < _MUTATION_RATE
            child += mutate * self.rng.normal(0.0, self._sigma(), size=child.shape)
            reset = self.rng.uniform(size=self.n_rows) < _RESET_RATE
            if reset.any():
                child[reset] = self._uniform(1).reshape(self.n_rows, -1)[reset]
            children[i] = self._clip(child).ravel()
        return children

    def tell(self, Z, scores):
        scores = np.asarray(scores, dtype=np.float64)
        if self.population is None:
            P, s = Z, scores
        else:
            P = np.concatenate([self.population, Z])
            s = np.concatenate([self.scores, scores])
        # Survivors: the best of parents and children, as many as a generation.
        order = np.argsort(-s, kind="stable")[: max(POPULATION, _N_ELITE)]
        self.population, self.scores = P[order], s[order]
        super().tell(Z, scores)

    def n_ask(self):
        """Candidates to query in the next generation (elites are not re-queried)."""
        if self.population is None:
            return POPULATION
        return POPULATION - _N_ELITE


class CMASearch(_Search):
    """CMA-ES (Hansen's ``cma`` package), a well-tested evolution strategy.

    CMA-ES adapts a full (or, above 100 dimensions, diagonal) covariance of
    its search distribution, so it follows correlated directions that a
    genetic search finds only by chance; it is the standard derivative-free
    optimiser for continuous problems of moderate dimension. Bounds use the
    package's own boundary handling. Failed candidates are told a large
    finite cost. A partial last generation is queried but not told.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cma = import_optional("cma", extra="optimize", caller="optimizer='cmaes'")
        x0 = self.seeds[0] if self.seeds else np.full(self.dim, 0.5)
        options = {
            "popsize": POPULATION,
            "seed": int(self.rng.randint(1, 2**31 - 1)),
            "verbose": -9,
            "CMA_diagonal": self.dim > 100,
        }
        if self.bounded:
            options["bounds"] = [0.0, 1.0]
        self.es = cma.CMAEvolutionStrategy(x0, 0.3, options)
        self._asked = None

    def ask(self, n):
        self._asked = np.asarray(self.es.ask(), dtype=np.float64)
        return self._clip(self._asked[:n])

    def tell(self, Z, scores):
        scores = np.asarray(scores, dtype=np.float64)
        if scores.shape[0] == self._asked.shape[0]:
            finite = np.isfinite(scores)
            worst = scores[finite].min() if finite.any() else 0.0
            cost = -np.where(finite, scores, worst - 1.0)
            self.es.tell(list(self._asked), cost.tolist())
        super().tell(Z, scores)


# Structured search (injections): clumps. Largest number of clumps, range of
# a clump's spread (unit-cube units, log-uniform), share of centres drawn
# towards the corners of the region, and Beta shape of those draws.
_MAX_CLUMPS = 4
_SPREAD_RANGE = (1e-3, 0.3)
# Centre kinds, and the probability of each: uniform, corner (each coordinate
# from a U-shaped Beta), a clean row, a product of the marginals (each
# coordinate from another clean row), a vertex of the region (each coordinate
# at a bound).
_CENTRE_KINDS = (0.05, 0.2, 0.05, 0.4, 0.3)
_CORNER_BETA = 0.3
# Mutation: chance that a child snaps some centre coordinates to a bound, and
# that it merges one clump into another.
_SNAP_RATE = 0.2
# Share of first-generation candidates with balanced clumps, and with tight
# ones (every spread at its smallest).
_BALANCED = 0.5
_TIGHT = 0.5
_MERGE_RATE = 0.1
# A run of the clump search that has not raised its best damage by
# _STALL_GAIN in _PATIENCE generations starts afresh from a new first
# generation (the best candidates seen are kept by the attack). Behind a
# clean-up damage comes in jumps (a clump survives or it does not), and a
# population converged on clumps that do not survive stays there: on wine
# behind IsolationForest, 2 attack seeds of 5 stalled at a damage of 0.14-0.21
# from query 160 on, where the others had jumped to 0.6 by query 60-100.
_PATIENCE = 5
_STALL_GAIN = 0.01


class ClumpSearch(_Search):
    """Genetic search over *clumps* of injected rows.

    A candidate is a few clump centres (at most ``_MAX_CLUMPS``), one spread
    per clump and an assignment of each injected row to a clump; it decodes
    into rows ``centre + spread * noise`` (fixed standard-normal noise per
    row). The search space is thus a few points, not ``n_rows`` independent
    rows: what damages a clusterer is a dense group that captures a centroid
    (a far clump, one per cluster it steals: ``k - 1`` far clumps put every
    clean row in one cluster), bridges two clusters, or, behind an
    isolation-based clean-up, is dense enough not to be isolated. Centres are
    drawn uniformly, towards the corners of the region (each coordinate from a
    U-shaped Beta distribution: in many dimensions the corners are far from
    the data), at a vertex, at a clean row (``anchors``) or with each
    coordinate at a tail quantile of the clean rows. Spreads are log-uniform;
    half the first generation has tight clumps, half deals the rows to the
    clumps in turn (equal sizes).

    The genetic loop follows Cinà et al. (2022) on this encoding: the best
    ``POPULATION`` candidates survive (elites never re-queried), tournaments of
    three, crossover swaps whole clumps between two parents, mutation moves
    centres (Gaussian, scale decaying from 0.25 to 0.02), snaps some
    coordinates of a centre to the nearer bound, rescales spreads, reassigns
    rows, merges two clumps, and rarely redraws a centre. A run whose best
    damage has not grown by ``_STALL_GAIN`` in ``_PATIENCE`` generations
    restarts from a new first generation, its mutation scale decaying again
    over the generations left.
    """

    def __init__(self, *args, anchors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.anchors = None if anchors is None or not len(anchors) else anchors
        if self.anchors is not None:
            self._sorted = np.sort(self.anchors, axis=0)
        self.m_max = min(_MAX_CLUMPS, self.n_rows)
        self.population = None
        self.scores = None
        self._asked = None
        self.n_restarts = 0
        self._start = 0  # generation at which the current run began
        self._run_best = -np.inf
        self._improved = 0  # generation of the current run's last gain

    def _centres(self, n):
        low, high = (0.0, 1.0) if self.bounded else _UNBOUNDED_INIT
        C = self.rng.uniform(low, high, size=(n, self.n_features))
        kind = self.rng.choice(len(_CENTRE_KINDS), size=n, p=_CENTRE_KINDS)
        corner = kind == 1
        if corner.any():
            beta = self.rng.beta(
                _CORNER_BETA, _CORNER_BETA, size=(corner.sum(), self.n_features)
            )
            C[corner] = low + beta * (high - low)
        if self.anchors is not None:
            anchor = kind == 2
            picks = self.rng.randint(len(self.anchors), size=anchor.sum())
            C[anchor] = self.anchors[picks]
            # Each coordinate at a tail-favouring quantile of the clean rows.
            marginal = kind == 3
            q = self.rng.beta(
                _CORNER_BETA, _CORNER_BETA, size=(marginal.sum(), self.n_features)
            )
            picks = np.rint(q * (len(self.anchors) - 1)).astype(np.intp)
            C[marginal] = self._sorted[picks, np.arange(self.n_features)]
        vertex = kind == 4
        if vertex.any():
            side = self.rng.randint(2, size=(vertex.sum(), self.n_features))
            C[vertex] = np.where(side, high, low)
        return C

    def _spreads(self, n):
        lo, hi = np.log(_SPREAD_RANGE)
        return np.exp(self.rng.uniform(lo, hi, size=n))

    def _genome(self):
        m = self.rng.randint(1, self.m_max + 1)
        C = np.full((self.m_max, self.n_features), 0.5)
        C[:] = self._centres(self.m_max)
        if self.rng.uniform() < _BALANCED:
            # Rows dealt in turn to the clumps: sizes differ by at most one.
            a = self.rng.permutation(np.arange(self.n_rows) % m)
        else:
            a = self.rng.randint(0, m, size=self.n_rows)
        spreads = self._spreads(self.m_max)
        if self.rng.uniform() < _TIGHT:
            spreads[:] = _SPREAD_RANGE[0]
        return {
            "C": C,
            "s": spreads,
            "a": a,
            "e": self.rng.normal(size=(self.n_rows, self.n_features)),
        }

    def decode(self, g):
        rows = g["C"][g["a"]] + g["s"][g["a"], None] * g["e"]
        return self._clip(rows).ravel()

    def _mutate(self, g):
        g = {key: value.copy() for key, value in g.items()}
        t = (self.generation - self._start) / max(1, self.n_generations - self._start)
        t = min(t, 1.0)
        sigma = _SIGMA_START * (_SIGMA_END / _SIGMA_START) ** t
        used = np.unique(g["a"])
        move = self.rng.uniform(size=g["C"].shape) < _MUTATION_RATE
        g["C"] += move * self.rng.normal(0.0, sigma, size=g["C"].shape)
        g["C"] = self._clip(g["C"])
        g["s"] *= np.exp(
            self.rng.normal(0.0, 0.5, size=g["s"].shape)
            * (self.rng.uniform(size=g["s"].shape) < 0.3)
        )
        g["s"] = np.clip(g["s"], *_SPREAD_RANGE)
        redraw = self.rng.uniform(size=self.m_max) < _RESET_RATE
        if redraw.any():
            g["C"][redraw] = self._centres(int(redraw.sum()))
        if self.rng.uniform() < _SNAP_RATE:
            # Push some coordinates of one clump to the nearer bound.
            low, high = (0.0, 1.0) if self.bounded else _UNBOUNDED_INIT
            j = self.rng.choice(used)
            snap = self.rng.uniform(size=self.n_features) < 0.5
            near = np.where(g["C"][j] > (low + high) / 2, high, low)
            g["C"][j, snap] = near[snap]
        if used.size > 1 and self.rng.uniform() < _MERGE_RATE:
            src, dst = self.rng.choice(used, size=2, replace=False)
            g["a"][g["a"] == src] = dst
        reassign = self.rng.uniform(size=self.n_rows) < 0.1
        if reassign.any():
            # Mostly move rows between the clumps in use; sometimes open one.
            pool = used if self.rng.uniform() < 0.8 else np.arange(self.m_max)
            g["a"][reassign] = self.rng.choice(pool, size=int(reassign.sum()))
        return g

    def _cross(self, g, h):
        g = {key: value.copy() for key, value in g.items()}
        swap = self.rng.uniform(size=self.m_max) < 0.5
        g["C"][swap] = h["C"][swap]
        g["s"][swap] = h["s"][swap]
        return g

    def ask(self, n):
        if self.population is None:
            genomes = [self._genome() for _ in range(n)]
        else:
            P, s = self.population, self.scores
            k = min(_TOURNAMENT, len(P))

            def pick():
                entrants = self.rng.choice(len(P), size=k, replace=False)
                return P[entrants[np.argmax(s[entrants])]]

            genomes = []
            for _ in range(n):
                child = pick()
                if self.rng.uniform() < _CROSSOVER_RATE:
                    child = self._cross(child, pick())
                genomes.append(self._mutate(child))
        self._asked = genomes
        return np.stack([self.decode(g) for g in genomes])

    def tell(self, Z, scores):
        scores = np.asarray(scores, dtype=np.float64)
        genomes = self._asked[: len(scores)]
        if self.population is None:
            P, s = genomes, scores
        else:
            P = self.population + genomes
            s = np.concatenate([self.scores, scores])
        order = np.argsort(-s, kind="stable")[:POPULATION]
        self.population, self.scores = [P[i] for i in order], s[order]
        super().tell(Z, scores)
        best = float(self.scores[0]) if len(self.scores) else -np.inf
        if best > self._run_best + _STALL_GAIN:
            self._run_best, self._improved = best, self.generation
        stalled = self.generation - self._improved >= _PATIENCE
        if stalled and self.n_generations - self.generation >= _PATIENCE:
            self.population = self.scores = None
            self._start = self._improved = self.generation
            self._run_best = -np.inf
            self.n_restarts += 1

    def n_ask(self):
        """Candidates to query in the next generation (elites are not re-queried)."""
        if self.population is None:
            return POPULATION
        return POPULATION - _N_ELITE


SEARCHES = {"genetic": GeneticSearch, "random": RandomSearch, "cmaes": CMASearch}


def make_search(
    name, n_rows, n_features, *, bounded, n_queries, rng, seeds=(), anchors=None
):
    """Build the search named ``name`` for ``n_queries`` victim fits.

    ``anchors`` (clean rows in unit-cube coordinates) marks an injection: the
    genetic search then searches over clumps (:class:`ClumpSearch`).
    """
    kwargs = dict(
        bounded=bounded, n_generations=n_queries // POPULATION, rng=rng, seeds=seeds
    )
    if name == "genetic" and anchors is not None:
        return ClumpSearch(n_rows, n_features, anchors=anchors, **kwargs)
    return SEARCHES[name](n_rows, n_features, **kwargs)


def batch_size(search):
    """Candidates the search wants in its next generation."""
    n_ask = getattr(search, "n_ask", None)
    return n_ask() if n_ask is not None else POPULATION
