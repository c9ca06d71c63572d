"""grader.base.numbers: reading what students type, and writing numbers back for people."""
from __future__ import annotations

from fractions import Fraction

import pytest

from grader.base.numbers import (
    MAX_DIGITS,
    UnreadableNumber,
    format_number,
    read_number,
    to_plain,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        # plain integers and decimals, as text
        ("7200", Fraction(7200)),
        ("  42 ", Fraction(42)),
        ("+5", Fraction(5)),
        ("-0", Fraction(0)),
        ("0.5", Fraction(1, 2)),
        (".25", Fraction(1, 4)),
        ("5.", Fraction(5)),
        ("-2.75", Fraction(-11, 4)),
        ("0.000438568", Fraction(438568, 10**9)),
        # thousands separators, one kind per number
        ("1,620,000", Fraction(1620000)),
        ("1 620 000", Fraction(1620000)),
        ("1_620_000", Fraction(1620000)),
        ("1'620'000", Fraction(1620000)),
        ("1\u00a0620\u00a0000", Fraction(1620000)),  # no-break space
        ("1\u202f620\u202f000", Fraction(1620000)),  # narrow no-break space
        ("1,000", Fraction(1000)),
        ("220,500.5", Fraction(441001, 2)),  # 220500 + 1/2
        ("-40,500", Fraction(-40500)),
        # Unicode minus signs
        ("\u22123", Fraction(-3)),  # MINUS SIGN
        ("\u20133", Fraction(-3)),  # EN DASH
        ("\uff0d3", Fraction(-3)),  # FULLWIDTH HYPHEN-MINUS
        ("\u22120.5", Fraction(-1, 2)),
        # scientific notation
        ("1.62e6", Fraction(1620000)),  # 1.62 * 10^6
        ("1.62E+6", Fraction(1620000)),
        ("2.5e-3", Fraction(1, 400)),  # 25/10000
        ("-4.05e4", Fraction(-40500)),
        ("1e29", Fraction(10**29)),  # 30 digits: still allowed
        # fractions
        ("-1/2", Fraction(-1, 2)),
        ("3/4", Fraction(3, 4)),
        ("1 / 3", Fraction(1, 3)),
        ("\u22121/2", Fraction(-1, 2)),
        ("10/4", Fraction(5, 2)),
    ],
)
def test_read_number_accepts_text_formats(raw, expected):
    value = read_number(raw)
    assert value == expected
    assert isinstance(value, Fraction)


@pytest.mark.parametrize(
    "raw, expected",
    [
        (7200, Fraction(7200)),  # YAML int
        (-3, Fraction(-3)),
        (0, Fraction(0)),
        (10**30 - 1, Fraction(10**30 - 1)),  # 30 nines: the largest allowed
        (2.5, Fraction(5, 2)),  # YAML float
        (-0.125, Fraction(-1, 8)),
        (0.1, Fraction(1, 10)),  # the decimal it prints as, not 0.1000000000000000055...
        (0.000438568, Fraction(438568, 10**9)),
        (1e-7, Fraction(1, 10**7)),
        (1.62e6, Fraction(1620000)),
    ],
)
def test_read_number_accepts_python_numbers(raw, expected):
    value = read_number(raw)
    assert value == expected
    assert isinstance(value, Fraction)


def test_float_is_read_as_printed_decimal_not_binary_value():
    """Fraction(0.1) would be 3602879701896397/36028797018963968; students meant 1/10."""
    assert read_number(0.1) != Fraction(0.1)
    assert read_number(0.1) + read_number(0.2) == Fraction(3, 10)


@pytest.mark.parametrize(
    "raw, fragment",
    [
        (True, "true/false"),
        (False, "true/false"),
        (None, "nothing"),
        ([1, 2], "a list"),
        ((1,), "a list"),
        ({"a": 1}, "a mapping"),
        (object(), "object"),
        ("", "empty"),
        ("   ", "empty"),
        ("1,5", "ambiguous"),
        ("0,25", "ambiguous"),
        ("-3,14", "ambiguous"),
        ("1,2345", "ambiguous"),
        ("nan", "finite"),
        ("NaN", "finite"),
        ("inf", "finite"),
        ("-Infinity", "finite"),
        (".inf", "finite"),
        (float("nan"), "finite"),
        (float("inf"), "finite"),
        (float("-inf"), "finite"),
        ("1" * 65, "64 characters"),
        ("1" * 40, "30 digits"),
        ("1" * 31, "30 digits"),
        (10**40, "30 digits"),
        (10**30, "30 digits"),
        (1e300, "30 digits"),
        ("1e30", "30 digits"),  # 31 digits once written out
        ("1e1000", "exponent"),
        ("1e-999", "exponent"),
        ("1/0", "division by zero"),
        ("abc", "not a number"),
        ("1.620.000", "unexpected '.000'"),
        ("1,620 000", "unexpected character ','"),  # mixed separators
        ("12,34,567", "unexpected character ','"),
        ("1,2,3", "unexpected character ','"),
        ("0x10", "'x10' is not part of a number"),  # hexadecimal or 0 x 10? never guessed
        ("1/-2", "two signs or operators in a row ('/-')"),
        ("--3", "two signs or operators in a row ('--')"),
        ("3 cm", "'cm' is not part of a number"),
    ],
)
def test_read_number_rejects_with_informative_message(raw, fragment):
    with pytest.raises(UnreadableNumber) as info:
        read_number(raw)
    assert fragment in str(info.value)


def test_unreadable_number_is_a_value_error():
    with pytest.raises(ValueError):
        read_number("abc")


def test_length_limit_is_64_characters_after_stripping():
    inside_64 = "1" + " " * 61 + "/2"  # 1 + 61 + 2 = 64 characters
    assert read_number("  " + inside_64 + "  ") == Fraction(1, 2)
    with pytest.raises(UnreadableNumber, match="64 characters"):
        read_number("1" + " " * 62 + "/2")  # 65 characters


@pytest.mark.parametrize(
    "value, expected",
    [
        (Fraction(1620000), "1620000"),
        (Fraction(-40500), "-40500"),
        (Fraction(0), "0"),
        (Fraction(1, 2), "0.5"),
        (Fraction(-3, 2), "-1.5"),
        (Fraction(1, 20), "0.05"),  # 5/100
        (Fraction(-1, 1000), "-0.001"),
        (Fraction(441001, 2), "220500.5"),
        (Fraction(438568, 10**9), "0.000438568"),
        (Fraction(1, 3), "0.3333333333"),  # non-terminating: 10 significant digits
        (Fraction(-2, 3), "-0.6666666667"),
        (Fraction(200, 7), "28.57142857"),  # 28.571428571... to 10 digits
        (2.0, "2"),
        (-7200.0, "-7200"),
        (2.5, "2.5"),
        (0.1, "0.1"),
        (0.298371108760002, "0.2983711088"),
        (1e20, "1e+20"),  # whole but too large to print in full
    ],
)
def test_format_number(value, expected):
    assert format_number(value) == expected


@pytest.mark.parametrize("value", [Fraction(7, 8), Fraction(-123456789, 1000), Fraction(1620000)])
def test_format_number_round_trips_exact_values(value):
    assert read_number(format_number(value)) == value


@pytest.mark.parametrize("value, expected", [(float("inf"), "inf"), (float("nan"), "nan")])
def test_format_number_non_finite_float(value, expected):
    assert format_number(value) == expected


@pytest.mark.parametrize(
    "value, expected, kind",
    [
        (Fraction(1620000), 1620000, int),
        (Fraction(-10), -10, int),
        (Fraction(1, 2), 0.5, float),
        (Fraction(-1, 8), -0.125, float),
        (0.25, 0.25, float),
        (3.0, 3.0, float),  # a float stays a float
    ],
)
def test_to_plain(value, expected, kind):
    plain = to_plain(value)
    assert plain == expected
    assert type(plain) is kind


# Properties: whatever a student types, the reader gives a value or says why it cannot.
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.binary() | st.dates()
ANYTHING = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=12)
NUMBERISH = st.text(alphabet="0123456789+-−.,_ eE/'\u00a0naifNIF", max_size=40)


@settings(max_examples=800)
@given(st.one_of(ANYTHING, NUMBERISH))
def test_any_value_is_read_or_refused_with_a_reason(raw: object) -> None:
    try:
        value = read_number(raw)
    except UnreadableNumber as error:
        assert str(error)
    else:
        assert isinstance(value, Fraction) and abs(value) < 10**MAX_DIGITS


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_whole_numbers_read_back_however_they_are_grouped(number: int) -> None:
    for text in (str(number), f"{number:,}", f"{number:_}", f"{number:,}".replace(",", " "), str(number).replace("-", "\u2212")):
        assert read_number(text) == number, text


@given(st.integers(min_value=-(10**9), max_value=10**9), st.integers(min_value=1, max_value=10**6))
def test_fractions_read_back_exactly(numerator: int, denominator: int) -> None:
    assert read_number(f"{numerator}/{denominator}") == Fraction(numerator, denominator)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e20, max_value=1e20))
def test_finite_floats_read_as_the_decimal_they_print_as_or_are_too_long(number: float) -> None:
    exact = Fraction(repr(number))
    try:
        assert read_number(number) == exact
    except UnreadableNumber as error:
        assert str(error) == f"more than {MAX_DIGITS} digits"
        assert len(str(exact.denominator)) > MAX_DIGITS


def test_sums_by_name_are_exact_and_keep_the_first_order() -> None:
    from grader.base.numbers import sums_by

    sums = sums_by([("q2", Fraction(1, 3)), ("q1", Fraction(2)), ("q2", Fraction(2, 3)), ("q1", Fraction(1, 2))])
    assert list(sums.items()) == [("q2", Fraction(1)), ("q1", Fraction(5, 2))]


@pytest.mark.parametrize(("raw", "expected"), [
    ("=B2*3", None), ("=SUM(B2:C2)", None), ("=$A$1+1", None), ("=2e3*B2", None),  # formulas over cells: never guessed
    ("=3*3*20*40", 7200), ("=1.5e3", 1500),  # plain arithmetic, as a spreadsheet shows it
])
def test_a_spreadsheet_formula_with_no_stored_value_is_named_as_such(raw: str, expected: int | None) -> None:
    if expected is not None:
        assert read_number(raw) == expected
        return
    with pytest.raises(UnreadableNumber) as caught:
        read_number(raw)
    assert str(caught.value).startswith("a spreadsheet formula with no value stored")


def test_a_word_after_an_equals_sign_is_not_taken_for_a_formula() -> None:
    with pytest.raises(UnreadableNumber) as caught:
        read_number("= nan")
    assert str(caught.value) == "not a finite number"
