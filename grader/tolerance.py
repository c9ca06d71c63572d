"""How close an answer must be to count: small pure checks, one per kind of tolerance."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from grader.numbers import Number


@dataclass(frozen=True)
class Tolerance:
    """An answer passes when it is within `absolute` OR within `relative` of the expected value.

    Both zero means exact, which is the default for whole-number answers.
    """

    absolute: Fraction = Fraction(0)
    relative: Fraction = Fraction(0)

    @property
    def is_exact(self) -> bool:
        return self.absolute == 0 and self.relative == 0

    def describe(self) -> str:
        if self.is_exact:
            return "exact"
        parts = []
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


def within_absolute(expected: Number, actual: Number, bound: Number) -> bool:
    return abs(actual - expected) <= bound


def within_relative(expected: Number, actual: Number, bound: Number) -> bool:
    return abs(actual - expected) <= bound * abs(expected)


def accepts(tolerance: Tolerance, expected: Number, actual: Number) -> bool:
    if actual == expected:
        return True
    return within_absolute(expected, actual, tolerance.absolute) or within_relative(
        expected, actual, tolerance.relative
    )
