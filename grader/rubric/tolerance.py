"""How close an answer must be to count: small pure checks, one per kind of tolerance."""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from grader.base.numbers import Number


@dataclass(frozen=True)
class Tolerance:
    """An answer passes when it is within `absolute` OR within `relative` of the expected value, OR
    agrees with it to `significant_figures` (within half a unit of the last such figure).

    All unset means exact, which is the default for whole-number answers.
    """

    absolute: Fraction = Fraction(0)
    relative: Fraction = Fraction(0)
    significant_figures: int | None = None

    @property
    def is_exact(self) -> bool:
        return self.absolute == 0 and self.relative == 0 and self.significant_figures is None

    def describe(self) -> str:
        if self.is_exact:
            return "exact"
        parts = [f"{self.significant_figures} significant figures"] if self.significant_figures else []
        if self.absolute:
            parts.append(f"±{float(self.absolute):g}")
        if self.relative:
            parts.append(f"±{float(self.relative) * 100:g}%")
        return " or ".join(parts)


EXACT = Tolerance()
# ±0.5 %: every answer correctly rounded to 3 significant figures is within it (half a unit of the
# third figure is at most 0.5 % of the value), and so is a percentage to one decimal of a ratio
# above 0.1. Anchors: WeBWorK's default is 0.1 % (numRelPercentTolDefault = .1 in
# openwebwork/webwork2 conf/defaults.config), which refuses some 3-figure roundings (0.1005 → 0.101);
# PrairieLearn's pl-number-input takes rtol = 1e-2 (RTOL_DEFAULT); STACK's NumRelative 0.05.
DEFAULT_FOR_FRACTIONS = Tolerance(relative=Fraction(1, 200))
ROUNDED_FIGURES = 3


def default_tolerance(expected: Number) -> Tolerance:
    """Whole numbers are graded exactly; anything else accepts an answer rounded to 3 significant figures."""
    if isinstance(expected, Fraction) and expected.denominator == 1:
        return EXACT
    return DEFAULT_FOR_FRACTIONS


def rounded(value: Number, figures: int) -> Fraction:
    """`value` rounded to `figures` significant figures, exactly (as a student rounds it)."""
    exact = value if isinstance(value, Fraction) else Fraction(repr(value))
    if exact == 0:
        return exact
    exponent = math.floor(math.log10(abs(float(exact))))
    while abs(exact) >= Fraction(10) ** (exponent + 1):
        exponent += 1
    while abs(exact) < Fraction(10) ** exponent:
        exponent -= 1
    unit = Fraction(10) ** (exponent - figures + 1)
    halves_up = math.floor(abs(exact) / unit + Fraction(1, 2))  # a half rounds up, as people round
    return (halves_up if exact > 0 else -halves_up) * unit


def refuses_rounding(tolerance: Tolerance, expected: Number) -> str | None:
    """Why a non-whole answer's tolerance is too strict for a student who rounds, or None."""
    if isinstance(expected, Fraction) and expected.denominator == 1:
        return None
    if isinstance(expected, float) and expected.is_integer():
        return None
    three = rounded(expected, ROUNDED_FIGURES)
    if accepts(tolerance, expected, three):
        return None
    return (f"the answer {float(expected):.10g} is not whole, but its tolerance ({tolerance.describe()}) refuses "
            f"{float(three):g}, the answer to {ROUNDED_FIGURES} significant figures: set a tolerance such as "
            "{relative: 0.005}, or leave it to the default")


def distance(expected: Number, actual: Number) -> Number:
    """|actual − expected|: exact between Fractions, a float as soon as one side is a float (as
    Python's own mixed arithmetic does)."""
    if isinstance(expected, Fraction) and isinstance(actual, Fraction):
        return abs(actual - expected)
    return abs(float(actual) - float(expected))


def within_absolute(expected: Number, actual: Number, bound: Number) -> bool:
    return distance(expected, actual) <= bound


def within_relative(expected: Number, actual: Number, bound: Fraction) -> bool:
    scale = bound * abs(expected) if isinstance(expected, Fraction) else float(bound) * abs(expected)
    return distance(expected, actual) <= scale


def within_significant_figures(expected: Number, actual: Number, figures: int) -> bool:
    """|actual − expected| ≤ ½ · 10^(e − figures + 1), e the exponent of expected's leading digit:
    7,200 to 2 figures accepts 7,150 to 7,250."""
    if expected == 0:
        return actual == 0
    exponent = math.floor(math.log10(abs(float(expected))))
    if isinstance(expected, Fraction):  # log10 of a float can land one short at an exact power of 10
        while abs(expected) >= Fraction(10) ** (exponent + 1):
            exponent += 1
        while abs(expected) < Fraction(10) ** exponent:
            exponent -= 1
    return distance(expected, actual) <= Fraction(1, 2) * Fraction(10) ** (exponent - figures + 1)


def accepts(tolerance: Tolerance, expected: Number, actual: Number) -> bool:
    if actual == expected:
        return True
    figures = tolerance.significant_figures
    return (
        within_absolute(expected, actual, tolerance.absolute)
        or within_relative(expected, actual, tolerance.relative)
        or (figures is not None and within_significant_figures(expected, actual, figures))
    )
