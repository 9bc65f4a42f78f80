"""The one number formatter of ``skpoison report`` (and safe file names)."""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import math
import re

import numpy as np

__all__ = ["budget_label", "fmt", "fmt_pm", "pct", "slug"]

DASH = "–"


def slug(text):
    """Return a safe file-name fragment: lower-case letters, digits and dashes only."""
    text = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")
    return text[:60] or "x"


def _finite(value):
    return value is not None and math.isfinite(float(value))


def _decimals(scale, sig, *, floor=None):
    """Decimals that show ``sig`` significant figures of ``scale``.

    With ``floor``, magnitudes below ``10**floor`` get the decimals of
    ``10**floor`` (scores below 1 all get the same number of decimals).
    """
    if scale == 0 or not math.isfinite(scale):
        return sig - 1
    exponent = math.floor(math.log10(abs(scale)))
    if floor is not None:
        exponent = max(exponent, floor)
    return int(min(6, max(0, sig - 1 - exponent)))


def fmt(value, sig=3, *, signed=False):
    """Format a score with ``sig`` significant figures (integers as integers).

    Values below 1 get the decimals of values just below 1 (``0.043``, not
    ``0.0428``), so a column of scores has one precision.

    >>> fmt(0.61534), fmt(0.04281), fmt(68.595), fmt(107.2), fmt(5)
    ('0.615', '0.043', '68.6', '107', '5')
    """
    if not _finite(value):
        return DASH
    if isinstance(value, (int, np.integer, bool, np.bool_)):
        return f"{int(value):+d}" if signed else str(int(value))
    value = float(value)
    if abs(value) < 1e-12:
        value = 0.0
    decimals = _decimals(value, sig, floor=-1 if sig >= 3 else None)
    if round(value, decimals) == 0:
        value = 0.0  # no "-0.000"
    text = f"{value:+.{decimals}f}" if signed else f"{value:.{decimals}f}"
    return text.replace("-", "−")


def fmt_pm(mean, half, *, signed=True):
    """Format a mean and the half-width of its interval at the same precision.

    The half-width gets two significant figures and the mean as many
    decimals; without an interval the mean gets three significant figures.

    >>> fmt_pm(-0.01043, 0.0213)
    '−0.010 ± 0.021'
    >>> fmt_pm(-0.2, float("nan"))
    '−0.200'
    >>> fmt_pm(0.817223, 1e-16)
    '+0.817'
    >>> fmt_pm(-0.00004, 0.0083)
    '+0.0000 ± 0.0083'
    """
    if not _finite(mean):
        return DASH
    if not _finite(half) or abs(half) <= 1e-9 * max(1.0, abs(float(mean))):
        return fmt(mean, signed=signed)  # no interval, or one of rounding size
    decimals = _decimals(half, 2)
    if round(float(mean), decimals) == 0:
        mean = 0.0  # no "-0.000"
    sign = "+" if signed else ""
    text = f"{float(mean):{sign}.{decimals}f} ± {float(half):.{decimals}f}"
    return text.replace("-", "−")


def pct(value):
    """Format a share as a percentage (``0.05`` → ``'5 %'``).

    >>> pct(0.05), pct(0.125), pct(None)
    ('5 %', '12.5 %', '–')
    """
    if not _finite(value):
        return DASH
    return f"{100 * float(value):.3g} %"


def budget_label(section, value):
    """Return a budget as its unit says: a share of rows, or a flip ratio."""
    if section == "semi-supervised":
        return f"{float(value):g}"
    return pct(value)
