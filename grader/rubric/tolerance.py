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
DEFAULT_FOR_FRACTIONS = Tolerance(relative=Fraction(1, 10**6))


def default_tolerance(expected: Number) -> Tolerance:
    """Whole numbers are graded exactly; anything else allows for rounding in the sixth digit."""
    if isinstance(expected, Fraction) and expected.denominator == 1:
        return EXACT
    return DEFAULT_FOR_FRACTIONS


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
