"""Chunked passes over the rows of a dense array."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

# Elements per chunk of a pass (about 0.5 MB of float64): the chunk stays in
# cache and no temporary grows with the rows.
CHUNK_ELEMENTS = 2**16


def chunk_rows(n_features):
    """Rows per chunk of a pass over an array with ``n_features`` columns."""
    return max(64, CHUNK_ELEMENTS // max(n_features, 1))


def max_sq_norm(X):
    """Largest squared row norm of ``X``, in float64, chunked.

    The scale of the rounding error of distances computed from ``X``.
    """
    top = 0.0
    step = chunk_rows(X.shape[1])
    for start in range(0, X.shape[0], step):
        chunk = X[start : start + step].astype(np.float64, copy=False)
        top = max(top, float(np.einsum("ij,ij->i", chunk, chunk).max(initial=0.0)))
    return top
