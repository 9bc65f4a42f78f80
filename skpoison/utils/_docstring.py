"""Parameter text shared by several docstrings, written once.

Use it with :class:`Substitution`, as imbalanced-learn does::

    @Substitution(random_state=_random_state_docstring)
    class MyAttack(BaseInjectionAttack):
        '''...

Parameters
----------
        {random_state}
        '''
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause


class Substitution:
    """Decorate a function's or a class's docstring with ``str.format``.

    Parameters
    ----------
    **kwargs : str
        Named pieces of text to substitute for ``{name}`` fields.
    """

    def __init__(self, **kwargs):
        self.params = kwargs

    def __call__(self, obj):
        """Return ``obj`` with its docstring formatted."""
        if obj.__doc__:
            obj.__doc__ = obj.__doc__.format(**self.params)
        return obj


_random_state_docstring = """random_state : int, RandomState instance or None, \
default=None
        Controls the randomness of the attack. Pass an int for output that is
        the same across calls.""".rstrip()

_n_poison_injection_docstring = """n_poison : int or float, default=0.1
        How many rows to inject. An int is a count; a float is a fraction of
        the input rows (it may exceed 1.0), rounded to the nearest count and
        at least one. ``0`` means no attack: the input comes back unchanged.""".rstrip()

_n_poison_label_docstring = """n_poison : int or float, default=0.1
        How many labelled rows (``y != -1``) to attack. An int is a count (at
        most the number of labelled rows); a float in ``[0, 1]`` is a fraction
        of the labelled rows, rounded to the nearest count and at least one.
        ``0`` means no attack: ``y`` comes back unchanged.""".rstrip()

_poison_label_docstring = """poison_label : int, str or "nearest", default=-1
        Target given to injected rows when ``y`` is passed. The default ``-1``
        marks them unlabelled (scikit-learn's semi-supervised convention);
        ``"nearest"`` copies the label of the nearest clean row, so that the
        injected rows look like clean data to a label-aware pipeline.""".rstrip()

_clip_docstring = """clip : bool, default=False
        If True, every injected value is clipped to its feature's range over
        the input rows (minimum to maximum), so that injected rows stay
        feasible, for example inside ``[0, 1]`` after min-max scaling, as the
        original study's mimicry notebook does.""".rstrip()

_fitted_input_attributes_docstring = """n_features_in_ : int
        Number of features seen during ``fit_resample``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit_resample``. Defined only when `X`
        has feature names that are all strings.""".rstrip()

_budget_attributes_docstring = """n_poison_ : int
        The resolved budget: ``n_poison`` as a number of rows, with a fraction
        resolved. 0 means the attack did nothing; it then sets only
        ``sample_indices_``, ``poison_mask_``, ``n_poison_``, ``n_changed_``
        and the fitted input attributes.

    n_changed_ : int
        Rows actually injected or altered, ``poison_mask_.sum()``; at most
        ``n_poison_``. It is smaller when an altered row happens to keep its
        value (a shuffled label drawing its own class).""".rstrip()

_injection_attributes_docstring = f"""sample_indices_ : ndarray of shape \
(n_samples_new,)
        For each output row, the input row it came from, or ``-1`` for an
        injected row.

    poison_mask_ : ndarray of bool, shape (n_samples_new,)
        True for the injected rows (always the last ``n_poison_`` rows).

    {_budget_attributes_docstring}

    {_fitted_input_attributes_docstring}""".rstrip()

_label_attack_attributes_docstring = f"""sample_indices_ : ndarray of shape \
(n_samples,)
        ``arange(n_samples)``: rows are altered, never added or removed.

    poison_mask_ : ndarray of bool, shape (n_samples,)
        True for the rows whose label changed.

    {_budget_attributes_docstring}

    classes_ : ndarray of shape (n_classes,)
        Classes of the labelled rows, sorted (not set when ``n_poison_`` is 0).

    {_fitted_input_attributes_docstring}""".rstrip()
