"""Helpers shared by the displays."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause


def _check_matplotlib(caller):
    """Import ``matplotlib.pyplot``, or fail with a message naming the extra."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - matplotlib is a test dependency
        raise ImportError(
            f"{caller} needs matplotlib: pip install skpoison[plot]"
        ) from exc
    return plt
