"""Seeded and constrained k-means (Basu, Banerjee & Mooney, 2002)."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
)
from sklearn.metrics import pairwise_distances_argmin
from sklearn.metrics.pairwise import euclidean_distances
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from skpoison.cluster._lloyd import inertia, lloyd, mean_variance
from skpoison.utils._labels import labelled_classes, unlabelled_mask
from skpoison.utils._param_validation import Interval, StrOptions, _fit_context
from skpoison.utils._validation import check_finite_arithmetic, check_numeric_frame

__all__ = ["SemiSupervisedKMeans"]


def _seeds(X_seed, class_index, n_classes):
    """Mean of the labelled rows of each class (float64 sums), dtype of X."""
    initial = np.empty((n_classes, X_seed.shape[1]), dtype=X_seed.dtype)
    for h in range(n_classes):
        initial[h] = X_seed[class_index == h].mean(axis=0, dtype=np.float64)
    return initial


class SemiSupervisedKMeans(
    ClassNamePrefixFeaturesOutMixin, TransformerMixin, ClassifierMixin, BaseEstimator
):
    """Seeded k-means: start at the class means of a labelled sample.

    Seeded-KMeans and Constrained-KMeans of Basu, Banerjee & Mooney (2002).
    ``fit(X, y)`` takes ``y == -1`` for unlabelled rows. The initial centre of
    cluster ``h`` is the mean of the labelled rows of class ``classes_[h]``;
    Lloyd iterations then run over all rows, labelled or not. Cluster ``h``
    keeps class ``classes_[h]`` for its whole life, so the estimator is a
    semi-supervised classifier: :meth:`predict` returns class labels and
    :meth:`score` is accuracy.

    Because the labels ride along with the centres, whoever controls the
    labelled sample controls which cluster gets which class: flipping seed
    labels can misclassify whole clusters while the clustering itself looks
    unchanged (see :class:`skpoison.attacks.LabelFlipAttack`).

    Read more in the :ref:`User Guide <semi_supervised_kmeans>`.

    Parameters
    ----------
    n_clusters : int, default=None
        Number of clusters. ``None`` uses one cluster per class with labelled
        rows. An int must equal that number of classes: it is a check that
        every class you expect has labelled seed rows. A value larger than
        the classes seen raises a ``ValueError`` (a cluster without labelled
        rows would have no class to predict; extra unseeded clusters are not
        supported), as does a smaller value.

    method : {"seeded", "constrained"}, default="seeded"
        ``"seeded"``: the labelled rows only give the initial centres and are
        then assigned like any other row (Seeded-KMeans). ``"constrained"``:
        labelled rows stay in their class's cluster in every assignment step
        (Constrained-KMeans).

    cluster_labelled : bool, default=True
        Whether the labelled rows take part in the clustering. True (Basu et
        al.): the Lloyd iterations run over all rows. False: the labelled
        rows are a seed sample kept apart, as in the original study's
        notebooks: they only give the initial centres, and the iterations,
        ``inertia_`` and ``n_iter_`` use the unlabelled rows alone (at least
        one is needed). The labelled rows then get the class of their nearest
        final centre in ``labels_``, as :meth:`predict` would give them. With
        ``cluster_labelled=False`` the two ``method`` values coincide.

    max_iter : int, default=300
        Maximum number of Lloyd iterations.

    tol : float, default=1e-4
        Relative tolerance: the iterations stop when the squared shift of
        the centres is at most ``tol`` times the mean feature variance, as in
        :class:`sklearn.cluster.KMeans`. They also stop when no label changes.

    random_state : int, RandomState instance or None, default=None
        Not used: the algorithm is deterministic given the labelled seeds.
        Accepted so that the estimator can sit in sweeps that set
        ``random_state`` on every step.

    Attributes
    ----------
    classes_ : ndarray of shape (n_clusters,)
        The classes of the labelled rows, sorted; cluster ``h`` is class
        ``classes_[h]``.

    initial_centers_ : ndarray of shape (n_clusters, n_features)
        Mean of the labelled rows of each class: the seeds.

    cluster_centers_ : ndarray of shape (n_clusters, n_features)
        Final centres, in the dtype of ``X``.

    labels_ : ndarray of shape (n_samples,)
        Class label (``classes_[h]`` of its cluster ``h``) of every training
        row, labelled or not.

    transduction_ : ndarray of shape (n_samples,)
        Same as ``labels_``: the labels the model gives the training rows,
        named as in :class:`sklearn.semi_supervised.LabelSpreading`. With
        ``method="constrained"`` it equals ``y`` on the labelled rows.

    n_iter_ : int
        Number of Lloyd iterations run.

    inertia_ : float
        Sum of squared distances of the training rows to their cluster's
        centre (the unlabelled rows only with ``cluster_labelled=False``).

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``. Defined only when `X` has
        feature names that are all strings.

    See Also
    --------
    sklearn.cluster.KMeans : Unsupervised k-means; ``init`` takes given centres.
    sklearn.semi_supervised.LabelSpreading : Graph-based semi-supervised
        classifier with the same ``-1`` convention.
    skpoison.preprocessing.MaskLabels : Hide most labels to simulate a small
        labelled sample.
    skpoison.attacks.LabelFlipAttack : Poison the labelled seed sample.

    Notes
    -----
    Labels: numeric targets and object targets mark unlabelled rows with the
    integer ``-1``, so string classes go in an object array such as
    ``np.array(["a", -1, "b"], dtype=object)``. A string-dtype array has no
    unlabelled rows; a string ``"-1"`` in it raises a ``ValueError``. When
    every row is labelled the estimator is still well defined (a nearest
    class-mean start followed by k-means).

    Empty clusters: unlike :class:`sklearn.cluster.KMeans`, which moves the
    centre of an empty cluster to a far row, an empty cluster here keeps its
    previous centre, so that cluster ``h`` always remains class
    ``classes_[h]``. With ``method="constrained"`` a cluster is never empty.

    Cost: each iteration is scikit-learn's own Lloyd step (the kernel of
    :class:`sklearn.cluster.KMeans` with ``algorithm="lloyd"``: chunked
    distances and centre sums on all cores),
    ``O(n_samples * n_clusters * n_features)`` time and
    ``O(n_clusters * chunk)`` extra memory; computations stay in the dtype of
    ``X`` (float32 stays float32). ``"seeded"`` is exactly k-means started
    from the seeds; ``"constrained"`` runs the same step on the unlabelled
    rows only.

    References
    ----------
    .. [1] S. Basu, A. Banerjee and R. J. Mooney, "Semi-supervised clustering
       by seeding", Proceedings of the 19th International Conference on
       Machine Learning (ICML), pp. 27-34, 2002.

    Examples
    --------
    >>> import numpy as np
    >>> from skpoison.cluster import SemiSupervisedKMeans
    >>> X = np.array([[0.0], [1.0], [2.0], [10.0], [11.0], [12.0]])
    >>> y = np.array([0, -1, -1, -1, -1, 1])
    >>> model = SemiSupervisedKMeans().fit(X, y)
    >>> model.initial_centers_.ravel()
    array([ 0., 12.])
    >>> model.cluster_centers_.ravel()
    array([ 1., 11.])
    >>> model.labels_
    array([0, 0, 0, 1, 1, 1])
    >>> model.predict([[3.0], [9.0]])
    array([0, 1])
    """

    _parameter_constraints: dict = {
        "n_clusters": [Interval(Integral, 1, None, closed="left"), None],
        "method": [StrOptions({"seeded", "constrained"})],
        "cluster_labelled": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_clusters=None,
        *,
        method="seeded",
        cluster_labelled=True,
        max_iter=300,
        tol=1e-4,
        random_state=None,
    ):
        self.n_clusters = n_clusters
        self.method = method
        self.cluster_labelled = cluster_labelled
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Seed the centres with the labelled class means and run k-means.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data, labelled and unlabelled rows.

        y : array-like of shape (n_samples,)
            Class labels, ``-1`` for unlabelled rows. At least one row must
            be labelled.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        check_numeric_frame(X, owner="SemiSupervisedKMeans")
        X, y = validate_data(
            self,
            X,
            y,
            dtype=[np.float64, np.float32],
            order="C",
            y_numeric=False,
            multi_output=False,
        )
        check_finite_arithmetic(X, owner="SemiSupervisedKMeans")
        unlabelled = unlabelled_mask(y)
        labelled = ~unlabelled
        if not labelled.any():
            raise ValueError(
                "SemiSupervisedKMeans found no labelled rows: every y is -1. "
                "At least one row of each class must be labelled to seed its "
                "cluster."
            )
        if y.dtype.kind not in "Ob":
            check_classification_targets(y[labelled])
        classes, class_index = labelled_classes(y, labelled)
        n_classes = classes.shape[0]
        if self.n_clusters is not None and self.n_clusters != n_classes:
            if self.n_clusters < n_classes:
                raise ValueError(
                    f"n_clusters={self.n_clusters} is smaller than the "
                    f"{n_classes} classes with labelled rows; each class seeds "
                    "its own cluster. Use n_clusters=None."
                )
            raise ValueError(
                f"n_clusters={self.n_clusters} but only {n_classes} classes "
                f"have labelled rows ({list(classes)}): a class with no "
                "labelled row has no seed. Label at least one row of every "
                "class, or use n_clusters=None."
            )

        initial = _seeds(X[labelled], class_index, n_classes)
        if self.cluster_labelled:
            tol = self.tol * mean_variance(X) if self.tol > 0 else 0.0
            centers, clusters = self._run_lloyd(X, labelled, class_index, initial, tol)
            inertia_ = inertia(X, centers, clusters)
        else:
            centers, clusters, inertia_ = self._run_unlabelled(
                X, labelled, unlabelled, initial
            )

        self.classes_ = classes
        self.initial_centers_ = initial
        self.cluster_centers_ = centers
        self.labels_ = classes[clusters]
        self.transduction_ = self.labels_.copy()
        self.inertia_ = inertia_
        return self

    def _run_lloyd(self, X, labelled, class_index, initial, tol):
        """Lloyd from the seeds: final centres, and the cluster of every row.

        ``"seeded"`` is k-means from the seeds over all rows (scikit-learn's
        Lloyd step); ``"constrained"`` reassigns only the unlabelled rows,
        the labelled ones adding to their class's cluster at every step.
        Sets ``n_iter_``.
        """
        if self.method == "seeded":
            centers, clusters, self.n_iter_ = lloyd(
                X, initial, max_iter=self.max_iter, tol=tol
            )
            return centers, clusters
        free = np.flatnonzero(~labelled)
        centers, free_clusters, self.n_iter_ = lloyd(
            X[free],
            initial,
            max_iter=self.max_iter,
            tol=tol,
            fixed=(X[labelled], class_index),
        )
        clusters = np.empty(X.shape[0], dtype=np.intp)
        clusters[free] = free_clusters
        clusters[labelled] = class_index
        return centers, clusters

    def _run_unlabelled(self, X, labelled, unlabelled, initial):
        """Lloyd from the seeds over the unlabelled rows only.

        ``cluster_labelled=False``: the labelled rows gave the seeds and then
        only get the class of their nearest final centre. Sets ``n_iter_``.
        """
        if not unlabelled.any():
            raise ValueError(
                "cluster_labelled=False clusters the unlabelled rows only, "
                "but every row of y is labelled: mark the rows to cluster "
                "with -1."
            )
        X_fit = X[unlabelled]
        tol = self.tol * mean_variance(X_fit) if self.tol > 0 else 0.0
        centers, fit_clusters, self.n_iter_ = lloyd(
            X_fit, initial, max_iter=self.max_iter, tol=tol
        )
        clusters = np.empty(X.shape[0], dtype=np.intp)
        clusters[unlabelled] = fit_clusters
        # Nearest centre: |c|^2 - 2 x.c, an (n_labelled, n_clusters) array
        # (pairwise_distances_argmin's thread start-up costs more here).
        X_lab = X[labelled]
        dist = X_lab @ (-2 * centers.T)
        dist += np.einsum("ij,ij->i", centers, centers)
        clusters[labelled] = dist.argmin(axis=1)
        return centers, clusters, inertia(X_fit, centers, fit_clusters)

    @property
    def _n_features_out(self):
        """Number of columns of :meth:`transform`: one per cluster."""
        return self.cluster_centers_.shape[0]

    def fit_predict(self, X, y):
        """Fit and return the class label of every training row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.

        y : array-like of shape (n_samples,)
            Class labels, ``-1`` for unlabelled rows.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            ``labels_``.
        """
        return self.fit(X, y).labels_

    def predict(self, X):
        """Class of the nearest centre for each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            New data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted class labels.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        centers = self.cluster_centers_.astype(X.dtype, copy=False)
        return self.classes_[pairwise_distances_argmin(X, centers)]

    def transform(self, X):
        """Euclidean distance of each row to each cluster centre.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            New data.

        Returns
        -------
        distances : ndarray of shape (n_samples, n_clusters)
            Column ``h`` is the distance to the centre of class
            ``classes_[h]``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        return euclidean_distances(X, self.cluster_centers_.astype(X.dtype))

    def score(self, X, y, sample_weight=None):
        """Return the accuracy of :meth:`predict` on ``X`` against ``y``.

        The clusters carry class labels, so this is plain accuracy, not an
        accuracy after matching clusters to classes: a poisoned seed that
        renames whole clusters shows up here.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Test rows.
        y : array-like of shape (n_samples,)
            True class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            Share of rows whose predicted class equals ``y``.
        """
        return super().score(X, y, sample_weight=sample_weight)
