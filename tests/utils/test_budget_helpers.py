"""The one count-or-fraction budget helper and its parameter constraints."""

import numpy as np
import pytest

from skpoison.utils._budget import (
    Count,
    Fraction,
    check_rows_fit_in_memory,
    resolve_budget,
)


@pytest.mark.parametrize(
    "value, n_available, can_exceed, expected",
    [
        (3, 10, False, 3),
        (np.int64(3), 10, False, 3),
        (0, 10, False, 0),
        (0.0, 10, False, 0),
        (0.5, 4, False, 2),
        (0.6, 4, False, 2),  # 2.4 rounds to 2
        (0.01, 4, False, 1),  # a positive fraction is at least one row
        (1.0, 4, False, 4),
        (np.float32(0.25), 150, False, 38),  # 37.5 rounds to even
        (2.0, 4, True, 8),
        (12, 4, True, 12),
    ],
)
def test_resolve_budget(value, n_available, can_exceed, expected):
    n_rows = resolve_budget(value, n_available, can_exceed=can_exceed)
    assert n_rows == expected and type(n_rows) is int


def test_resolve_budget_can_round_to_zero_when_asked():
    assert resolve_budget(0.01, 4, at_least_one=False) == 0
    assert resolve_budget(0.2, 4, at_least_one=False) == 1


@pytest.mark.parametrize(
    "value, n_available, match",
    [
        (5, 4, "n_poison=5 exceeds the 4 rows"),
        (1.5, 4, "fraction above 1"),
        (-1, 4, "must not be negative"),
        (-0.5, 4, "non-negative fraction"),
        (float("nan"), 4, "finite"),
        (float("inf"), 4, "finite"),
        (True, 4, "an int .* or a float"),
        ("3", 4, "an int .* or a float"),
        (1, 0, "found no rows"),
        (0.5, 0, "found no rows"),
    ],
)
def test_resolve_budget_errors(value, n_available, match):
    with pytest.raises(ValueError, match=match):
        resolve_budget(value, n_available)


def test_zero_budget_needs_no_rows():
    assert resolve_budget(0, 0) == 0
    assert resolve_budget(0.0, 0) == 0


def test_messages_name_the_parameter_and_the_estimator():
    with pytest.raises(ValueError, match="labelled_size=9 exceeds the 4 labelled"):
        resolve_budget(9, 4, name="labelled_size", what="labelled rows")
    with pytest.raises(ValueError, match="MyAttack found no labelled rows"):
        resolve_budget(1, 0, owner="MyAttack", what="labelled rows")


def test_count_constraint():
    count = Count(0)
    for value in (0, 3, np.int64(3), np.int32(0)):
        assert count.is_satisfied_by(value)
    for value in (-1, True, False, np.bool_(True), 1.0, np.float32(1.0)):
        assert not count.is_satisfied_by(value)
    assert str(count) == "an int in the range [0, inf)"


def test_fraction_constraint():
    fraction = Fraction(0, 1, closed="both")
    for value in (0.0, 0.25, 1.0, np.float32(0.25), np.float64(1.0), np.float16(0.5)):
        assert fraction.is_satisfied_by(value)
    for value in (1, 0, -0.1, 1.5, np.float32(1.5), np.nan, True, np.int64(1)):
        assert not fraction.is_satisfied_by(value)
    unbounded = Fraction(0, None, closed="left")
    assert unbounded.is_satisfied_by(2.5)
    assert not unbounded.is_satisfied_by(np.inf)
    assert not unbounded.is_satisfied_by(np.float32(np.inf))
    assert str(fraction) == "a float in the range [0.0, 1.0]"


def test_memory_check():
    check_rows_fit_in_memory(1000, 10, np.float64, owner="A", name="n", value=1)
    with pytest.raises(ValueError, match=r"n=1000000000000 asks A .*TiB"):
        check_rows_fit_in_memory(
            10**12, 3, np.float64, owner="A", name="n", value=10**12
        )
