"""grader.rubric.tolerance: when an answer is close enough to count."""
from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from grader.rubric.tolerance import (
    DEFAULT_FOR_FRACTIONS,
    EXACT,
    Tolerance,
    accepts,
    default_tolerance,
    refuses_rounding,
    rounded,
    within_absolute,
    within_relative,
)

F = Fraction
PERCENT = Tolerance(relative=F(1, 100))
HUNDREDTH = Tolerance(absolute=F(1, 100))
BOTH = Tolerance(absolute=F(1), relative=F(1, 100))


def test_exact_is_the_default():
    assert Tolerance() == EXACT
    assert EXACT.is_exact
    assert EXACT.absolute == 0 and EXACT.relative == 0


@pytest.mark.parametrize("tolerance", [PERCENT, HUNDREDTH, BOTH, DEFAULT_FOR_FRACTIONS])
def test_non_zero_bounds_are_not_exact(tolerance):
    assert not tolerance.is_exact


def test_tolerance_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        EXACT.absolute = F(1)  # type: ignore[misc]


@pytest.mark.parametrize(
    "tolerance, text",
    [
        (EXACT, "exact"),
        (HUNDREDTH, "±0.01"),
        (PERCENT, "±1%"),  # 1/100 * 100 = 1
        (BOTH, "±1 or ±1%"),
        (Tolerance(absolute=F(1, 2), relative=F(5, 100)), "±0.5 or ±5%"),
        (DEFAULT_FOR_FRACTIONS, "±0.5%"),  # 1/200 * 100 = 0.5
    ],
)
def test_describe(tolerance, text):
    assert tolerance.describe() == text


def test_default_for_fractions_is_half_a_percent_relative():
    assert DEFAULT_FOR_FRACTIONS.relative == F(1, 200)
    assert DEFAULT_FOR_FRACTIONS.absolute == 0


# The separable/standard MAC ratio of tests/homework.py: 220500 / 1620000 = 0.136111...
RATIO = F(220500, 1620000)


@pytest.mark.parametrize(("answer", "accepted"), [
    (F("0.136"), True),  # 3 significant figures: 0.08 % off
    (F("0.1361"), True),  # 4 significant figures
    (F("13.6") / 100, True),  # as a percentage, 13.6 %
    (F("0.14"), False),  # 2 significant figures: 2.9 % off
    (F("0.137"), False),  # a wrong third figure: 0.65 % off
    (F(1620000, 220500), False),  # the ratio inverted
])
def test_the_default_accepts_a_ratio_to_three_or_four_figures(answer, accepted):
    assert accepts(DEFAULT_FOR_FRACTIONS, RATIO, answer) is accepted


@pytest.mark.parametrize("expected", [F("0.1005"), F("0.9995"), F(1, 3), F(2, 3), F("100.5"), F(-1, 7)])
def test_the_default_accepts_every_correct_rounding_to_three_figures(expected):
    assert refuses_rounding(DEFAULT_FOR_FRACTIONS, expected) is None
    assert refuses_rounding(Tolerance(relative=F(1, 1000)), F("0.1005")) is not None  # WeBWorK's 0.1 %: 0.101 is 0.5 % off


def test_rounding_to_three_figures_is_exact():
    assert (rounded(F("0.1005"), 3), rounded(F(2, 3), 3), rounded(F(-1, 7), 3), rounded(F(7200), 2)) == (
        F("0.101"), F("0.667"), F("-0.143"), F(7200))


@pytest.mark.parametrize(
    "expected, tolerance",
    [
        (F(7200), EXACT),
        (F(-10), EXACT),
        (F(0), EXACT),
        (F(1, 2), DEFAULT_FOR_FRACTIONS),
        (F(-1, 3), DEFAULT_FOR_FRACTIONS),
        (0.2983711088, DEFAULT_FOR_FRACTIONS),  # a float from sigmoid and friends
    ],
)
def test_default_tolerance(expected, tolerance):
    assert default_tolerance(expected) == tolerance


@pytest.mark.parametrize(
    "expected, actual, bound, result",
    [
        (F(1), F(101, 100), F(1, 100), True),  # |1.01 - 1| = 0.01, on the bound
        (F(1), F(99, 100), F(1, 100), True),
        (F(1), F(102, 100), F(1, 100), False),  # 0.02 > 0.01
        (F(-5), F(-51, 10), F(1, 10), True),  # |-5.1 + 5| = 0.1
        (F(-5), F(-52, 10), F(1, 10), False),
        (F(3), F(3), F(0), True),
        (F(3), F(3) + F(1, 10**20), F(0), False),
    ],
)
def test_within_absolute(expected, actual, bound, result):
    assert within_absolute(expected, actual, bound) is result


@pytest.mark.parametrize(
    "expected, actual, bound, result",
    [
        (F(200), F(202), F(1, 100), True),  # 1% of 200 = 2, on the bound
        (F(200), F(198), F(1, 100), True),
        (F(200), F(20201, 100), F(1, 100), False),  # 2.01 > 2
        (F(-200), F(-202), F(1, 100), True),  # bound scales with |expected|
        (F(-200), F(-203), F(1, 100), False),
        (F(0), F(1, 10**30), F(1, 100), False),  # relative to zero is exact
        (F(0), F(0), F(1, 100), True),
    ],
)
def test_within_relative(expected, actual, bound, result):
    assert within_relative(expected, actual, bound) is result


@pytest.mark.parametrize(
    "tolerance, expected, actual, result",
    [
        (EXACT, F(7200), F(7200), True),
        (EXACT, F(7200), F(7201), False),
        (EXACT, F(1620000), F(1620000, 1) + F(1, 10**9), False),
        (EXACT, F(1, 2), 0.5, True),  # equal values of different types
        (HUNDREDTH, F(1), F(101, 100), True),
        (HUNDREDTH, F(1), F(102, 100), False),
        (PERCENT, F(1000), F(1010), True),
        (PERCENT, F(1000), F(1011), False),
        # either bound is enough: 1 + 1% of 1000 = 10 for the relative, 1 for the absolute
        (BOTH, F(1000), F(1010), True),  # relative allows 10
        (BOTH, F(1, 10), F(11, 10), True),  # absolute allows 1, relative only 0.001
        (BOTH, F(1000), F(1011), False),  # 11 > max(1, 10)
        (BOTH, F(1, 10), F(12, 10), False),  # 1.1 > max(1, 0.001)
        # the default for fractions: within 0.5 % of the key, 1/3 within 1/600 = 0.00167
        (DEFAULT_FOR_FRACTIONS, F(1, 3), F("0.333"), True),  # off by 1/3000 = 0.1 %
        (DEFAULT_FOR_FRACTIONS, F(1, 3), F("0.33"), False),  # off by 1/300 = 1 %
        (DEFAULT_FOR_FRACTIONS, F("0.298371109"), 0.2983711087600027, True),  # off by 2.4e-10
        (DEFAULT_FOR_FRACTIONS, F("0.298371109"), F("0.298"), True),  # off by 0.12 %
        (DEFAULT_FOR_FRACTIONS, F("0.298371109"), F("0.296"), False),  # off by 0.79 %
    ],
)
def test_accepts(tolerance, expected, actual, result):
    assert accepts(tolerance, expected, actual) is result


@pytest.mark.parametrize(
    ("expected", "actual", "figures", "accepted"),
    [
        (Fraction(7200), Fraction(7150), 2, True),  # 7,200 to 2 figures: 7,150 ... 7,250
        (Fraction(7200), Fraction(7149), 2, False),
        (Fraction(1000), Fraction(1005), 3, True),  # an exact power of ten: 995 ... 1,005
        (Fraction(1000), Fraction(1006), 3, False),
        (Fraction(-49, 360), Fraction(-136, 1000), 3, True),  # -0.13611 to 3 figures is -0.136
        (0.0556, Fraction(556, 10000), 3, True),
        (Fraction(0), Fraction(0), 2, True),
        (Fraction(0), Fraction(1, 10**9), 2, False),
    ],
)
def test_significant_figures(expected, actual, figures, accepted) -> None:
    from grader.rubric.tolerance import within_significant_figures

    assert within_significant_figures(expected, actual, figures) is accepted
    assert accepts(Tolerance(significant_figures=figures), expected, actual) is accepted
    assert Tolerance(significant_figures=figures).describe() == f"{figures} significant figures"
