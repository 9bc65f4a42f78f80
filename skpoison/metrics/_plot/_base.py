"""Helpers shared by the displays."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

from skpoison.utils._optional import import_optional


def _check_matplotlib(caller):
    """Import ``matplotlib.pyplot``, or fail with a message naming the extra."""
    return import_optional("matplotlib.pyplot", extra="plot", caller=caller)
