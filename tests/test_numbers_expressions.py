"""grader.base.numbers: scientific notation, percentages, arithmetic and worked lines in students' answers.

Every expected value is worked out by hand in the comment beside it, never by the code under test.
"""
from __future__ import annotations

import json
import random
import subprocess
import sys
from fractions import Fraction

import pytest

from grader.base.numbers import UnreadableNumber, read_number


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1.62e6", Fraction(1620000)),
        ("1.62E+06", Fraction(1620000)),
        ("1.8e+5", Fraction(180000)),
        ("1.62×10^6", Fraction(1620000)),
        ("1.62 × 10^6", Fraction(1620000)),
        ("1.62 x 10^6", Fraction(1620000)),
        ("1.62 X 10^6", Fraction(1620000)),
        ("1.62x10^6", Fraction(1620000)),
        ("1.62*10**6", Fraction(1620000)),
        ("1.62 * 10 ** 6", Fraction(1620000)),
        ("1.62·10⁶", Fraction(1620000)),  # MIDDLE DOT, SUPERSCRIPT SIX
        ("1.62⋅10⁶", Fraction(1620000)),  # DOT OPERATOR
        ("1.62∙10⁶", Fraction(1620000)),  # BULLET OPERATOR
        ("2.2·10⁵", Fraction(220000)),
        ("4.05 × 10^4", Fraction(40500)),
        ("10^6", Fraction(1000000)),
        ("10^-3", Fraction(1, 1000)),
        ("10⁻³", Fraction(1, 1000)),  # SUPERSCRIPT MINUS
        ("1.62×10⁻⁶", Fraction(81, 50000000)),  # 162 / 10^8
        ("\u22122.5×10^\u22123", Fraction(-1, 400)),  # MINUS SIGN twice: -25 / 10^4
        ("2.5 × 10^0", Fraction(5, 2)),
    ],
)
def test_scientific_notation_in_every_spelling(raw, expected):
    value = read_number(raw)
    assert value == expected
    assert isinstance(value, Fraction)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("3*3*20*40", Fraction(7200)),
        ("3 × 3 × 20 × 40", Fraction(7200)),
        ("3 x 3 x 20 x 40", Fraction(7200)),
        ("3·3·20·40", Fraction(7200)),
        ("15²·3²·20·40", Fraction(1620000)),  # 225 * 9 * 800
        ("(15*15)*(3*3*20*40)", Fraction(1620000)),  # 225 * 7200
        ("(30-3+2)/2+1", Fraction(31, 2)),  # 29/2 + 1
        ("(30 \u2212 3 + 2) / 2 + 1", Fraction(31, 2)),
        ("2^3", Fraction(8)),
        ("2**3", Fraction(8)),
        ("2³", Fraction(8)),
        ("(1+2)²", Fraction(9)),
        ("2^-3", Fraction(1, 8)),
        ("(1/2)^2", Fraction(1, 4)),
        ("2*(-3)", Fraction(-6)),
        ("-3*2", Fraction(-6)),
        ("1/3 + 1/6", Fraction(1, 2)),  # 2/6 + 1/6
        ("0.1 + 0.2", Fraction(3, 10)),  # exact, not 0.30000000000000004
        ("200 + 840", Fraction(1040)),
        ("2^64", Fraction(18446744073709551616)),
        ("10^40/10^38", Fraction(100)),  # 10^40 has 41 digits: a step may exceed the answer's bound
        ("  -1 /  2 ", Fraction(-1, 2)),  # mixed spacing
        ("3 *3* 20 *40", Fraction(7200)),
    ],
)
def test_short_arithmetic_is_evaluated_exactly(raw, expected):
    value = read_number(raw)
    assert value == expected
    assert isinstance(value, Fraction)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("3 × 3 × 20 × 40 = 7200", Fraction(7200)),
        ("7200 = 3*3*20*40", Fraction(7200)),
        ("3*3*20*40 = 7,200", Fraction(7200)),
        ("15 x 15 x 7200 = 1.62 × 10^6", Fraction(1620000)),
        ("1620000 = 3 × 3 × 20 × 40 × 15²", Fraction(1620000)),  # 7200 * 225
        ("k*k*C_in*C_out = 3*3*20*40 = 7200", Fraction(7200)),  # names before the answer are working
        ("weights = 7200", Fraction(7200)),
        ("= 7200", Fraction(7200)),
        ("7200 = 7000", Fraction(7000)),  # the LAST side is the answer; earlier sides are not checked
    ],
)
def test_worked_line_is_read_by_its_last_side(raw, expected):
    assert read_number(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("13.6%", Fraction(136, 1000)),
        ("13.6 %", Fraction(136, 1000)),
        ("100%", Fraction(1)),
        ("\u22125%", Fraction(-1, 20)),
        ("0.5%", Fraction(1, 200)),
        ("1,000%", Fraction(10)),
        ("136/1000 = 13.6%", Fraction(136, 1000)),
        ("0.136", Fraction(136, 1000)),  # a ratio written as a ratio is read as well
        ("13.6% = 0.136", Fraction(136, 1000)),
    ],
)
def test_percentages_when_a_ratio_is_asked(raw, expected):
    assert read_number(raw, percent_allowed=True) == expected


@pytest.mark.parametrize("raw", ["13.6%", "100 %", "136/1000 = 13.6%", "%"])
def test_percentages_are_refused_unless_allowed(raw):
    with pytest.raises(UnreadableNumber, match="percentages are not expected here"):
        read_number(raw)


def test_percent_allowed_is_keyword_only_and_leaves_python_numbers_alone():
    with pytest.raises(TypeError):
        read_number("13.6%", True)  # type: ignore[misc]
    assert read_number(0.136, percent_allowed=True) == Fraction(136, 1000)
    assert read_number(7200, percent_allowed=True) == Fraction(7200)


@pytest.mark.parametrize(
    "raw, fragment",
    [
        ("1,5", "ambiguous"),
        ("about 7k", "'about' is not part of a number"),
        ("7k", "'k' is not part of a number"),
        ("7 k", "'k' is not part of a number"),
        ("1e5k", "'k' is not part of a number"),
        ("1.6 million", "'million' is not part of a number"),
        ("7x", "'x' is not part of a number"),
        ("7 x", "'x' is not part of a number"),
        ("3x3", "'x3' is not part of a number"),  # only a spaced x, or x before 10^, is a times sign
        ("2*k", "'k' is not part of a number"),
        ("exp(2)", "'exp' is not part of a number"),  # functions are refused: answers stay exact
        ("sqrt(4)", "'sqrt' is not part of a number"),
        ("3*3 = about 9", "'about' is not part of a number"),
        ("", "empty answer"),
        ("NaN", "not a finite number"),
        ("-inf", "not a finite number"),
        ("= nan", "not a finite number"),
        ("1" * 5000, "longer than 64 characters"),
        ("9" * 64, "more than 30 digits"),
        ("10^40", "more than 30 digits"),
        ("1/10^40", "more than 30 digits"),  # the denominator has 41 digits
        ("10^100000", "exponent larger than 64"),
        ("10^65", "exponent larger than 64"),
        ("2^2^2^2^2", "exponent larger than 64"),  # 2^(2^16)
        ("1e999999999", "exponent beyond ±100"),
        ("1+1e999999999", "exponent beyond ±100"),
        ("((9^64)^64)^64", "a step of the calculation has more than 100 digits"),
        ("0.1e-99*1e-99", "a step of the calculation has more than 100 digits"),
        ("1.2.3", "unexpected '.3'"),
        ("--5", "two signs or operators in a row ('--')"),
        ("+-3", "two signs or operators in a row ('+-')"),
        ("2*-3", "two signs or operators in a row ('*-')"),
        ("5 - -3", "two signs or operators in a row ('- -')"),
        ("5-", "ends too early"),
        ("(1+2", "ends too early"),
        ("2+()", "unexpected ')'"),
        ("(2)(3)", "unexpected '('"),  # no implicit multiplication
        ("2 3", "unexpected '3'"),
        ("1,000*3", "unexpected character ','"),  # thousands separators only in a lone number
        ("$7200", "unexpected character '$'"),
        ("1.62×10⁻", "unexpected character '⁻'"),
        ("=", "nothing after '='"),
        ("7200 =", "nothing after '='"),
        ("7200 =   ", "nothing after '='"),
        ("1/0", "division by zero"),
        ("0^-1", "zero raised to a negative power"),
        ("4^0.5", "a fractional power is not exact"),
        ("(-8)^(1/3)", "negative number raised to a fractional power"),
    ],
)
def test_unreadable_answers_name_the_problem(raw, fragment):
    with pytest.raises(UnreadableNumber) as info:
        read_number(raw)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    "raw, fragment",
    [("50%%", "unexpected character '%'"), ("%", "empty answer"), ("7k%", "'k' is not part of a number")],
)
def test_unreadable_percentages_name_the_problem(raw, fragment):
    with pytest.raises(UnreadableNumber) as info:
        read_number(raw, percent_allowed=True)
    assert fragment in str(info.value)


@pytest.mark.parametrize("raw", ["abc", "one", "lots", "x", "7200 = x", "+"])
def test_text_without_digits_is_simply_not_a_number(raw):
    """Other modules show this reason verbatim ("Could not read 'one' as a number: not a number.")."""
    with pytest.raises(UnreadableNumber) as info:
        read_number(raw)
    assert str(info.value) == "not a number"


SLOW_IF_UNBOUNDED = [
    "10^100000",
    "9^64^64",
    "((9^64)^64)^64",
    "((((9^64)^64)^64)^64)^64",
    "1e999999999",
    "1e99*1e99*1e99*1e99*1e99*1e99",
    "99999999999999999999^64",
    "(1/3+1/7+1/11+1/13+1/17+1/19+1/23+1/29+1/31+1/37)^64",
    "(" * 63 + "1",
    "2" + "^2" * 31,
    "-" * 64,
    "1" * 10**6,
]


HOSTILE_PROGRAM = """
import json, sys
from grader.base.numbers import UnreadableNumber, read_number
report = []
for raw in json.load(sys.stdin):
    try:
        read_number(raw)
        report.append(False)
    except UnreadableNumber:
        report.append(True)
print(json.dumps(report))
"""


def test_hostile_input_is_refused_before_it_is_computed():
    """In a child process, so that an unbounded computation (a missing bound) fails this test
    instead of hanging the run; speed itself is measured by benchmarks/, not here."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", HOSTILE_PROGRAM],
            input=json.dumps(SLOW_IF_UNBOUNDED), capture_output=True, text=True, timeout=30,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("a hostile input ran for more than 30 seconds")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [True] * len(SLOW_IF_UNBOUNDED)


PIECES = ["1", "2", "9", "0", "64", ".", ",", "e", "E", "+", "-", "\u2212", "*", "**", "/", "^", "(", ")",
          "=", "%", " ", "x", " x ", "×", "·", "⁶", "⁻", "²", "10^", "9^64", "1e99", "1e-99", "k", "_", "'"]
OPERANDS = ["1", "2", "9", "0", "64", "0.5", "1e99", "1e-99", "9^64", "10⁻⁶", "(2", "3)", "-1", "1,000", "7k"]
OPERATORS = ["+", "-", "*", "/", "^", "**", " x ", "×", "·", " = ", "%", "^-"]


def random_answers(count: int, seed: int) -> list[str]:
    """Half any jumble of pieces, half operand-operator chains, which more often get evaluated."""
    rng = random.Random(seed)
    jumbles = ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 16))) for _ in range(count // 2)]
    chains = [
        "".join(rng.choice(OPERANDS) + rng.choice(OPERATORS) for _ in range(rng.randint(0, 6))) + rng.choice(OPERANDS)
        for _ in range(count - count // 2)
    ]
    return jumbles + chains


def test_random_short_strings_read_or_raise_only_unreadable_number():
    readable = refused = 0
    for raw in random_answers(4000, seed=20261124):
        try:
            value = read_number(raw, percent_allowed=len(raw) % 2 == 0)
        except UnreadableNumber:
            refused += 1
        else:
            assert isinstance(value, Fraction), raw
            assert abs(value) < 10**30 and value.denominator < 10**30, raw
            readable += 1
    assert readable > 100 and refused > 100  # the strings exercise both evaluation and refusal


@pytest.mark.parametrize(
    "program",
    [
        "import grader.base.expressions, grader.base.numbers; print(grader.base.numbers.read_number('2*3'))",
        "import grader.base.numbers; print(grader.base.numbers.read_number('2*3'))",
    ],
)
def test_reading_expressions_works_whichever_module_is_imported_first(program):
    """grader.base.expressions imports grader.base.numbers, so numbers may only import it when reading."""
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, "6"), done.stderr
