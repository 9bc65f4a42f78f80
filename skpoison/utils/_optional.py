"""Optional dependencies: import them, or say which extra brings them."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import importlib

# Distribution name of an import name, where they differ.
_DISTRIBUTION = {"faiss": "faiss-cpu"}


def import_optional(module, *, extra, caller):
    """Import ``module``, or raise an ImportError naming the extra that brings it.

    skpoison is installed from a clone of its repository (it is not on PyPI),
    so the hint is ``pip install ".[extra]"`` run there, or the package alone.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        package = _DISTRIBUTION.get(top, top)
        raise ImportError(
            f"{caller} needs {package}, from skpoison's '{extra}' extra: run "
            f'pip install ".[{extra}]" in a clone of the skpoison repository '
            f"(skpoison is not on PyPI), or pip install {package}."
        ) from exc


def frame_or_dict(data, as_frame, *, columns=None, caller="as_frame=True"):
    """Return ``data`` (a dict of 1-D arrays) or its DataFrame.

    ``as_frame`` is True (pandas required), False, or "auto" (a DataFrame
    when pandas is installed).
    """
    if as_frame is False:
        return data
    try:
        import pandas as pd
    except ImportError:
        if as_frame is True:
            import_optional("pandas", extra="report", caller=caller)
        return data
    return pd.DataFrame(data, columns=columns)
