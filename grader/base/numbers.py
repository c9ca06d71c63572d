"""Reading numbers the way students really type them, and writing them back for people.

Reading is kept apart from grading: text that cannot be read unambiguously raises
`UnreadableNumber` (a format problem), and is never guessed into a wrong answer.
"""
from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Iterable, Iterator

from grader.base.errors import ExpressionError
from grader.base.expressions import BinOp, Call, Const, Expr, Neg, Number, Var, evaluate, parse_expression

MAX_CHARS = 64
MAX_DIGITS = 30
MAX_EXPONENT = 100

_SYMBOLS = {
    **dict.fromkeys(map(ord, "\u2212\u2012\u2013\ufe63\uff0d"), "-"),  # minus signs and dashes
    **dict.fromkeys(map(ord, "\u00d7\u00b7\u22c5\u2219"), "*"),  # times signs: × · ⋅ ∙
}
_SUPERSCRIPT_DIGITS = str.maketrans("\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207a\u207b",
                                    "0123456789+-")
_SUPERSCRIPT = re.compile("[\u207a\u207b]?[\u2070\u00b9\u00b2\u00b3\u2074-\u2079]+")
# `x` is a times sign only between spaces (`3 x 3`) or before a power of ten (`1.62x10^6`), so that
# `7x` and `0x10` stay unreadable instead of being guessed.
_TIMES_X = re.compile(r"(?<=[\d.)])(?:\s*[xX]\s*(?=10\s*\^)|\s+[xX]\s+(?=[\d.(]))")
_GROUP_SEPARATORS = ",_ \u00a0\u202f\u2009\u2007'\u2019"
_LITERAL = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?P<sep>[" + re.escape(_GROUP_SEPARATORS) + r"])\d{3}(?:(?P=sep)\d{3})*(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d{1,2}|[+-]?\d+,\d{4,}")
_WORD = re.compile(r"(?<=[\d.])[eE](?=[+-]?\d)|(?P<word>[^\W\d]\w*)")  # the `e` of `1.6e6` is no word
_DOUBLED_OPERATOR = re.compile(r"[-+*/]\s*[-+*/]")  # `10^-3` is fine: an exponent may carry a sign
_NOT_FINITE = {"nan", "inf", "infinity", ".nan", ".inf"}

ZERO = Fraction(0)  # shared: a Fraction is immutable, and making one costs a microsecond


class UnreadableNumber(ValueError):
    """The answer's text is not a number we can read without guessing."""


def read_number(raw: object, *, percent_allowed: bool = False) -> Fraction:
    """Return the exact value a student wrote; floats are taken as the decimal they print as.

    Text may be a number (`1,620,000`, `1.62×10⁶`, `-1/2`), a short arithmetic expression
    (`3 × 3 × 20 × 40`), or a worked line whose LAST side is the answer (`3*3*20*40 = 7200`);
    earlier sides are not checked. Names, units and functions (`7k`, `exp(2)`) are refused, and so
    are fractional powers, so that the value stays an exact Fraction. `13.6%` reads as 0.136 only
    with `percent_allowed`, since elsewhere a percentage is a different number from the one asked for.
    """
    if isinstance(raw, bool):
        raise UnreadableNumber("true/false is not a number")
    if isinstance(raw, int):
        return _bounded(Fraction(raw))
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise UnreadableNumber("not a finite number")
        return _bounded(Fraction(repr(raw)))
    if isinstance(raw, str):
        return _read_text(raw, percent_allowed)
    raise UnreadableNumber(f"expected a number, found {describe(raw)}")


def _read_text(raw: str, percent_allowed: bool) -> Fraction:
    text = raw.strip()
    if len(text) > MAX_CHARS:
        raise UnreadableNumber(f"longer than {MAX_CHARS} characters")
    answer = _last_side(_normalized(text))
    if not answer.endswith("%"):
        return _read_value(answer)
    if not percent_allowed:
        raise UnreadableNumber("percentages are not expected here: give the number itself")
    return _bounded(_read_value(answer[:-1].rstrip()) / 100)


def _normalized(text: str) -> str:
    """One spelling for each symbol, so that `1.62·10⁶` and `1.62 x 10**6` read as `1.62*10^6`."""
    text = text.translate(_SYMBOLS)
    text = _SUPERSCRIPT.sub(lambda match: "^" + match.group().translate(_SUPERSCRIPT_DIGITS), text)
    return _TIMES_X.sub("*", text.replace("**", "^"))


# A cell (`B2`, `$AA$10`) or a function (`SUM(`) in a formula; not an exponent (`1e3`) nor a word (`nan`)
_FORMULA_REFERENCE = re.compile(r"(?<![\w.$])\$?[A-Za-z]{1,3}\$?\d+\b|[A-Za-z]\w*\s*\(")


def _last_side(text: str) -> str:
    """The answer in a worked line `3*3*20*40 = 7200` is its last side; the others are working."""
    if "=" not in text:
        return text
    if text.startswith("=") and _FORMULA_REFERENCE.search(text):
        raise UnreadableNumber(
            "a spreadsheet formula with no value stored: open and save the file in a spreadsheet program, or type the number"
        )
    answer = text.rsplit("=", 1)[1].strip()
    if not answer:
        raise UnreadableNumber("nothing after '=': the last side of a worked line is the answer")
    return answer


def _read_value(text: str) -> Fraction:
    if not text:
        raise UnreadableNumber("empty answer")
    if text.lower().lstrip("+-") in _NOT_FINITE:
        raise UnreadableNumber("not a finite number")
    grouped = _GROUPED.fullmatch(text)
    if grouped:
        text = text.replace(grouped.group("sep"), "")
    elif _DECIMAL_COMMA.fullmatch(text):
        raise UnreadableNumber("ambiguous: a comma may be a decimal point or a thousands separator")
    if not re.search(r"\d", text):
        raise UnreadableNumber("not a number")
    return _read_expression(text)


def _read_expression(text: str) -> Fraction:
    """Evaluate with the rubric's own safe parser (grader.base.expressions), one bounded step at a time."""
    _refuse_misreadings(text)
    try:
        steps = [_exact_step(evaluate(step, {})) for step in _steps(parse_expression(text))]
    except ExpressionError as error:
        raise UnreadableNumber(str(error)) from None
    return _bounded(steps[-1])


def _refuse_misreadings(text: str) -> None:
    """Refuse what the parser would read differently from the student (`7k`, `--5`, `2*-3`) or
    could not bound (a literal such as `1e999999999`), before it is parsed."""
    for literal in _LITERAL.finditer(text):
        _check_literal(literal.group())
    word = next((match["word"] for match in _WORD.finditer(text) if match["word"]), None)
    if word:
        raise UnreadableNumber(f"{word!r} is not part of a number (no words, units, names or functions)")
    doubled = _DOUBLED_OPERATOR.search(text)
    if doubled:
        raise UnreadableNumber(
            f"two signs or operators in a row ({doubled.group()!r}); a negative number after an operator needs brackets"
        )


def _steps(tree: Expr) -> Iterator[Expr]:
    """Every subexpression, operands before the operation on them, ending with the whole, so that
    each step is checked before a bigger one is built on it (`((9^64)^64)^64` is never computed)."""
    for part in vars(tree).values():
        if isinstance(part, (Const, Var, Neg, BinOp, Call)):
            yield from _steps(part)
    yield tree


def _exact_step(value: Number) -> Fraction:
    if isinstance(value, float):
        raise UnreadableNumber("a fractional power is not exact: give the number itself")
    if _too_long(value, MAX_EXPONENT):
        raise UnreadableNumber(f"a step of the calculation has more than {MAX_EXPONENT} digits")
    return value


def _check_literal(literal: str) -> None:
    """Refuse a literal before `Fraction` expands it: `1e999999999` would take minutes."""
    mantissa, _, exponent = literal.lower().partition("e")
    if exponent and abs(int(exponent)) > MAX_EXPONENT:
        raise UnreadableNumber(f"exponent beyond ±{MAX_EXPONENT}")
    if sum(ch.isdigit() for ch in mantissa) > MAX_DIGITS:
        raise UnreadableNumber(f"more than {MAX_DIGITS} digits")


def _too_long(value: Fraction, digits: int) -> bool:
    return abs(value) >= 10**digits or value.denominator >= 10**digits


def _bounded(value: Fraction) -> Fraction:
    if _too_long(value, MAX_DIGITS):
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


def sums_by(pairs: Iterable[tuple[str, Fraction]]) -> dict[str, Fraction]:
    """Exact sums per name (points per problem), names in order of first appearance."""
    grouped: dict[str, list[Fraction]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return {name: exact_sum(values) for name, values in grouped.items()}


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
