"""Load a bundled scikit-learn dataset by name, or a CSV file with a target column."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import os
import warnings

import numpy as np
from sklearn.utils import Bunch

from skpoison.utils._optional import import_optional
from skpoison.utils._param_validation import validate_params

__all__ = ["BUNDLED_DATASETS", "load_dataset"]

#: Names :func:`load_dataset` resolves to scikit-learn's bundled loaders.
BUNDLED_DATASETS = ("iris", "wine", "breast_cancer", "digits")


def _bundled_loader(name):
    from sklearn import datasets

    return {
        "iris": datasets.load_iris,
        "wine": datasets.load_wine,
        "breast_cancer": datasets.load_breast_cancer,
        "digits": datasets.load_digits,
    }[name]


def _import_pandas():
    return import_optional("pandas", extra="report", caller="Reading a CSV file")


@validate_params(
    {
        "name_or_path": [str, os.PathLike],
        "target": [str, None],
        "return_X_y": ["boolean"],
        "as_frame": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def load_dataset(name_or_path, *, target=None, return_X_y=False, as_frame=False):
    r"""Load a bundled scikit-learn dataset by name, or a CSV file.

    A name in ``("iris", "wine", "breast_cancer", "digits")`` loads the
    dataset bundled with scikit-learn (no network needed). Anything else is
    read as the path of a CSV file with a header row:

    - the ``target`` column, if given, holds the class labels (numbers or
      strings); they are encoded as integers ``0..n_classes-1`` and the
      original values are kept in ``target_names``;
    - the numeric columns are the features; other columns (text, dates...)
      are ignored, listed in ``dropped_columns`` and announced with a
      :class:`UserWarning`;
    - rows with a missing value in a feature or in the target are dropped,
      listed in ``dropped_rows`` and announced with a :class:`UserWarning`.
      Nothing is dropped silently.

    Read more in the :ref:`User Guide <report_datasets>`.

    Parameters
    ----------
    name_or_path : str or path-like
        A bundled dataset name, or the path of a CSV file.

    target : str, default=None
        Name of the CSV column holding the class labels. ``None`` loads the
        CSV without a target (``target`` is then ``None``). Ignored, and must
        be ``None``, for a bundled dataset, whose target is known.

    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a :class:`~sklearn.utils.Bunch`.

    as_frame : bool, default=False
        Return ``data`` as a :class:`pandas.DataFrame` and ``target`` as a
        :class:`pandas.Series` (needs pandas), and add a ``frame`` entry.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the entries:

        data : ndarray or DataFrame of shape (n_samples, n_features)
            The numeric features, float64.
        target : ndarray or Series of shape (n_samples,) or None
            Integer class codes, or ``None`` without a target column.
        feature_names : list of str
            The feature column names.
        target_names : ndarray of shape (n_classes,) or None
            The original class label of each code.
        target_column : str or None
            Name of the target column.
        frame : DataFrame or None
            Features and target together, when ``as_frame=True``.
        dropped_rows : ndarray of int
            0-based positions (in the file's data rows) of the rows dropped
            because of missing values.
        dropped_columns : list of str
            Non-numeric columns that were ignored.
        notes : list of str
            A plain-language line for each thing dropped or ignored.
        source : str
            The dataset name or the file path.
        DESCR : str
            A short description.

    (data, target) : tuple if ``return_X_y`` is True
        The features and the target (``None`` without a target column).

    Raises
    ------
    ValueError
        The file does not exist, ``target`` is not a column, no numeric
        feature column remains, or no row remains once rows with missing
        values are dropped.

    See Also
    --------
    make_outlier_blobs : Synthetic blobs with a few genuine outliers.
    sklearn.datasets.load_iris : The bundled Iris loader.

    Examples
    --------
    >>> from skpoison.datasets import load_dataset
    >>> iris = load_dataset("iris")
    >>> iris.data.shape, iris.target_names.tolist()
    ((150, 4), ['setosa', 'versicolor', 'virginica'])

    A CSV file with a text column and a missing value:

    >>> import os, tempfile, warnings
    >>> path = os.path.join(tempfile.mkdtemp(), "toy.csv")
    >>> with open(path, "w") as f:
    ...     _ = f.write("a,b,city,kind\n1,2,Paris,x\n3,,Rome,y\n5,6,Oslo,z\n")
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     toy = load_dataset(path, target="kind")
    >>> toy.data.tolist(), toy.target.tolist(), toy.target_names.tolist()
    ([[1.0, 2.0], [5.0, 6.0]], [0, 1], ['x', 'z'])
    >>> toy.dropped_rows.tolist(), toy.dropped_columns
    ([1], ['city'])
    """
    key = os.fspath(name_or_path)
    if isinstance(name_or_path, str) and key in BUNDLED_DATASETS:
        bunch = _load_bundled(key, target=target, as_frame=as_frame)
    else:
        bunch = _load_csv(key, target=target, as_frame=as_frame)
    for note in bunch.notes:
        warnings.warn(note, UserWarning, stacklevel=2)
    if return_X_y:
        return bunch.data, bunch.target
    return bunch


def _load_bundled(name, *, target, as_frame):
    if target is not None:
        raise ValueError(
            f"target={target!r} is only for CSV files; the bundled dataset "
            f"{name!r} has its own target."
        )
    raw = _bundled_loader(name)(as_frame=as_frame)
    feature_names = [str(f) for f in raw.feature_names]
    target_names = (
        np.asarray(raw.target_names)
        if hasattr(raw, "target_names")
        else np.unique(np.asarray(raw.target))
    )
    data = raw.data
    y = raw.target
    if not as_frame:
        data = np.asarray(data, dtype=np.float64)
        y = np.asarray(y, dtype=np.intp)
    else:
        data = data.astype(np.float64)
    return Bunch(
        data=data,
        target=y,
        feature_names=feature_names,
        target_names=target_names,
        target_column="target",
        frame=raw.frame if as_frame else None,
        dropped_rows=np.empty(0, dtype=np.intp),
        dropped_columns=[],
        notes=[],
        source=name,
        DESCR=raw.DESCR,
    )


def _load_csv(path, *, target, as_frame):
    if not os.path.isfile(path):
        raise ValueError(
            f"No such file: {path!r} (and not a bundled dataset: "
            f"{', '.join(BUNDLED_DATASETS)})."
        )
    pd = _import_pandas()
    try:
        df = pd.read_csv(path)
    except pd.errors.EmptyDataError as exc:
        raise ValueError(f"The file {path!r} is empty.") from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ValueError(f"Cannot read {path!r} as a CSV file: {exc}") from exc
    df.columns = [str(c) for c in df.columns]
    if target is not None and target not in df.columns:
        raise ValueError(
            f"Unknown target column {target!r}; the columns are {list(df.columns)!r}."
        )
    if df.shape[0] == 0:
        raise ValueError(f"The file {path!r} has a header but no data rows.")

    feature_df = df.drop(columns=[target]) if target is not None else df
    numeric = feature_df.select_dtypes(include=["number", "bool"])
    dropped_columns = [c for c in feature_df.columns if c not in numeric.columns]
    notes = []
    if dropped_columns:
        notes.append(
            f"Ignored {len(dropped_columns)} non-numeric column(s): "
            f"{', '.join(dropped_columns)}."
        )
    if numeric.shape[1] == 0:
        raise ValueError(f"The file {path!r} has no numeric feature column.")
    numeric = numeric.astype(np.float64)

    all_nan = [c for c in numeric.columns if numeric[c].isna().all()]
    if len(all_nan) == numeric.shape[1]:
        raise ValueError(f"Every numeric column of {path!r} is empty (all NaN).")
    if all_nan:
        # A column with no value at all would drop every row: drop the column.
        numeric = numeric.drop(columns=all_nan)
        dropped_columns += all_nan
        notes.append(
            f"Ignored {len(all_nan)} column(s) with no value at all: "
            f"{', '.join(all_nan)}."
        )

    bad = ~np.isfinite(numeric.to_numpy()).all(axis=1)
    if target is not None:
        bad |= df[target].isna().to_numpy()
    dropped_rows = np.flatnonzero(bad).astype(np.intp)
    if dropped_rows.size:
        shown = ", ".join(str(i) for i in dropped_rows[:10])
        more = " ..." if dropped_rows.size > 10 else ""
        notes.append(
            f"Dropped {dropped_rows.size} of {df.shape[0]} row(s) with missing "
            f"or infinite values (0-based data rows {shown}{more})."
        )
    keep = ~bad
    if not keep.any():
        raise ValueError(
            f"No row of {path!r} is left once rows with missing values are dropped."
        )
    X_df = numeric.loc[keep].reset_index(drop=True)
    feature_names = list(X_df.columns)

    y = target_names = None
    if target is not None:
        labels = df.loc[keep, target].reset_index(drop=True)
        values = labels.to_numpy()
        if labels.dtype == object:
            values = values.astype(str)
        target_names, codes = np.unique(values, return_inverse=True)
        y = codes.astype(np.intp)

    frame = None
    if as_frame:
        data = X_df
        if y is not None:
            y = pd.Series(y, name=target)
            frame = pd.concat([X_df, y], axis=1)
        else:
            frame = X_df.copy()
    else:
        data = X_df.to_numpy(dtype=np.float64)
    return Bunch(
        data=data,
        target=y,
        feature_names=feature_names,
        target_names=target_names,
        target_column=target,
        frame=frame,
        dropped_rows=dropped_rows,
        dropped_columns=dropped_columns,
        notes=notes,
        source=path,
        DESCR=(
            f"CSV file {os.path.basename(path)}: {data.shape[0]} rows, "
            f"{data.shape[1]} numeric features"
            + (f", target column {target!r}." if target is not None else ".")
        ),
    )
