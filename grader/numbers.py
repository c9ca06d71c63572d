"""Reading numbers the way students really type them, and writing them back for people.

Reading is kept apart from grading: text that cannot be read unambiguously raises
`UnreadableNumber` (a format problem), and is never guessed into a wrong answer.
"""
from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Iterable, Union

Number = Union[Fraction, float]

MAX_CHARS = 64
MAX_DIGITS = 30
MAX_EXPONENT = 100

_MINUS_SIGNS = dict.fromkeys(map(ord, "\u2212\u2012\u2013\ufe63\uff0d"), "-")
_GROUP_SEPARATORS = ",_ \u00a0\u202f\u2009\u2007'"
_PLAIN = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?P<sep>[" + re.escape(_GROUP_SEPARATORS) + r"])\d{3}(?:(?P=sep)\d{3})*(?:\.\d+)?")
_FRACTION = re.compile(r"(?P<num>[+-]?\d+)\s*/\s*(?P<den>\d+)")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d{1,2}|[+-]?\d+,\d{4,}")


class UnreadableNumber(ValueError):
    """The answer's text is not a number we can read without guessing."""


def read_number(raw: object) -> Fraction:
    """Return the exact value a student wrote; floats are taken as the decimal they print as."""
    if isinstance(raw, bool):
        raise UnreadableNumber("true/false is not a number")
    if isinstance(raw, int):
        return _bounded(Fraction(raw))
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise UnreadableNumber("not a finite number")
        return _bounded(Fraction(repr(raw)))
    if isinstance(raw, str):
        return _read_text(raw)
    raise UnreadableNumber(f"expected a number, found {describe(raw)}")


def _read_text(raw: str) -> Fraction:
    text = raw.strip().translate(_MINUS_SIGNS)
    if not text:
        raise UnreadableNumber("empty answer")
    if len(text) > MAX_CHARS:
        raise UnreadableNumber(f"longer than {MAX_CHARS} characters")
    if text.lower().lstrip("+-") in {"nan", "inf", "infinity", ".nan", ".inf"}:
        raise UnreadableNumber("not a finite number")
    if _PLAIN.fullmatch(text):
        return _bounded(_decimal(text))
    grouped = _GROUPED.fullmatch(text)
    if grouped:
        return _bounded(_decimal(text.replace(grouped.group("sep"), "")))
    fraction = _FRACTION.fullmatch(text)
    if fraction:
        if int(fraction.group("den")) == 0:
            raise UnreadableNumber("division by zero")
        return _bounded(Fraction(int(fraction.group("num")), int(fraction.group("den"))))
    if _DECIMAL_COMMA.fullmatch(text):
        raise UnreadableNumber("ambiguous: a comma may be a decimal point or a thousands separator")
    raise UnreadableNumber("not a number")


def _decimal(text: str) -> Fraction:
    mantissa, _, exponent = text.lower().partition("e")
    if exponent and abs(int(exponent)) > MAX_EXPONENT:
        raise UnreadableNumber(f"exponent beyond ±{MAX_EXPONENT}")
    if sum(ch.isdigit() for ch in mantissa) > MAX_DIGITS:
        raise UnreadableNumber(f"more than {MAX_DIGITS} digits")
    return Fraction(text)


def _bounded(value: Fraction) -> Fraction:
    if abs(value) >= 10**MAX_DIGITS or len(str(value.denominator)) > MAX_DIGITS:
        raise UnreadableNumber(f"more than {MAX_DIGITS} digits")
    return value


def describe(raw: object) -> str:
    """What kind of value this is, in words, without printing (or recursing into) the value."""
    if raw is None:
        return "nothing"
    if isinstance(raw, dict):
        return "a mapping"
    if isinstance(raw, (list, tuple)):
        return "a list"
    if isinstance(raw, bool):
        return "true/false"
    return f"a {type(raw).__name__}"


def format_number(value: Number) -> str:
    """Exact integers and terminating decimals in full; anything else to 10 significant digits."""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        if _terminates(value.denominator):
            return _exact_decimal(value)
        return f"{float(value):.10g}"
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"


def exact_sum(values: Iterable[Fraction]) -> Fraction:
    """Sum of fractions; whole numbers (the usual points) are added as ints, which is far faster."""
    items = list(values)
    if all(item.denominator == 1 for item in items):
        return Fraction(sum(item.numerator for item in items))
    return sum(items, Fraction(0))


def to_plain(value: Number) -> int | float:
    """The JSON-friendly form of a value: an int when it is whole, a float otherwise."""
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    return float(value)


def _terminates(denominator: int) -> bool:
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


def _exact_decimal(value: Fraction) -> str:
    places = 0
    scaled = value
    while scaled.denominator != 1:
        scaled *= 10
        places += 1
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled.numerator)).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"
