"""grader.kinds.output_size: padding, stride and filters from W2 = (W1 - F + 2P)/S + 1, taken exactly."""
from __future__ import annotations

from fractions import Fraction

import pytest

from grader.kinds import KINDS
from grader.kinds.output_size import KIND, OutputSize, output_extent, parse, preferred_solution, solve
from tests.homework import read_given

Q2 = {"input": [20, 20, 10], "output": [20, 20, 10]}


def read(given):
    return read_given(parse, given)


def test_registered_under_its_name():
    assert KINDS["output-size"] is KIND
    assert KIND.parse is parse and KIND.solve is solve


@pytest.mark.parametrize(
    "size, kernel, padding, stride, expected",
    [
        (20, 1, 0, 1, 20),  # (20 - 1 + 0)/1 + 1
        (20, 3, 1, 1, 20),  # (20 - 3 + 2)/1 + 1
        (30, 3, 1, 2, Fraction(31, 2)),  # (30 - 3 + 2)/2 + 1 = 29/2 + 1: not floored
        (31, 3, 1, 2, 16),  # 30/2 + 1
        (32, 3, 0, 2, Fraction(31, 2)),  # 29/2 + 1
    ],
)
def test_output_extent_is_exact(size, kernel, padding, stride, expected):
    assert output_extent(size, kernel, padding, stride) == expected


def test_parse_homework_q2_part_b():
    spec, issues = read({**Q2, "kernel": 3})
    assert issues == []
    assert spec == OutputSize(input_shape=(20, 20, 10), output_shape=(20, 20, 10), kernel=(3, 3), stride=None, padding=None)


@pytest.mark.parametrize(
    "given, padding, stride, filters",
    [
        # SML homework 4, Q2 (a): (20 - 1 + 2P)/S + 1 = 20 -> S = 1, P = 0
        ({**Q2, "kernel": 1}, 0, 1, 10),
        # Q2 (b): (20 - 3 + 2P)/S + 1 = 20 -> S = 1, 17 + 2P = 19, P = 1
        ({**Q2, "kernel": 3}, 1, 1, 10),
        ({**Q2, "kernel": [3, 3]}, 1, 1, 10),
        ({**Q2, "kernel": 5}, 2, 1, 10),  # 15 + 2P = 19
        # fixed stride 2: (31 - 3 + 2P)/2 + 1 = 16 -> 28 + 2P = 30, P = 1
        ({"input": [31, 31, 3], "kernel": 3, "output": [16, 16, 8], "stride": 2}, 1, 2, 8),
        # fixed stride 2: (32 - 4 + 2P)/2 + 1 = 16 -> P = 1
        ({"input": [32, 32, 3], "kernel": 4, "output": [16, 16, 8], "stride": 2}, 1, 2, 8),
        # smallest stride wins: 7 -> 3 with F = 3: S = 1 needs P = -1; S = 2 fits with P = 0 (S = 3, P = 1 fits too)
        ({"input": [7, 7, 1], "kernel": 3, "output": [3, 3, 1]}, 0, 2, 1),
        # fixed padding 1 rules out S = 2 and leaves (4 + 2)/3 + 1 = 3
        ({"input": [7, 7, 1], "kernel": 3, "output": [3, 3, 1], "padding": 1}, 1, 3, 1),
        # both fixed and consistent
        ({"input": [7, 7, 1], "kernel": 3, "output": [3, 3, 1], "padding": 0, "stride": 2}, 0, 2, 1),
        # W1 - F + 2P = 0 fits every stride: the smallest is 1
        ({"input": [5, 5, 2], "kernel": 5, "output": [1, 1, 7]}, 0, 1, 7),
        # non-square input: (9 - 3 + 2P)/S + 1 = 4 and (7 - 3 + 2P)/S + 1 = 3 -> S = 2, P = 0
        ({"input": [9, 7, 2], "kernel": 3, "output": [4, 3, 6]}, 0, 2, 6),
        # non-square kernel 3x1 on 10x10: 7 + 2P + 1 = 8 and 9 + 2P + 1 = 10 -> P = 0, S = 1
        ({"input": [10, 10, 1], "kernel": [3, 1], "output": [8, 10, 4]}, 0, 1, 4),
        # filters are the output depth, whatever the input depth
        ({"input": [20, 20, 10], "kernel": 3, "output": [20, 20, 64]}, 1, 1, 64),
    ],
)
def test_solve(given, padding, stride, filters):
    spec, issues = read(given)
    assert issues == []
    answers = solve(spec)
    assert answers == {"padding": padding, "stride": stride, "filters": filters}
    assert all(isinstance(value, Fraction) for value in answers.values())
    # independent check of the chosen pair with the formula written out here
    for size, kernel, out in zip(spec.input_shape[:2], spec.kernel, spec.output_shape[:2]):
        assert Fraction(size - kernel + 2 * padding, stride) + 1 == out


@pytest.mark.parametrize(
    "given",
    [
        # 32 -> 16 with F = 3: (29 + 2P)/S = 15 with P in 0..2 -> 29, 31, 33, none a multiple of 15
        {"input": [32, 32, 3], "kernel": 3, "output": [16, 16, 8]},
        # stride 2 fixed: 29 + 2P = 30 -> P = 1/2
        {"input": [32, 32, 3], "kernel": 3, "output": [16, 16, 8], "stride": 2},
        # both fixed but wrong: (20 - 3 + 0)/1 + 1 = 18, not 20
        {**Q2, "kernel": 3, "stride": 1, "padding": 0},
        # 4 -> 10 with F = 3 needs P = 4, above the kernel size
        {"input": [4, 4, 1], "kernel": 3, "output": [10, 10, 1]},
        # 3x1 kernel keeping 20x10: the height needs P = 1, the width P = 0; one P serves both
        {"input": [20, 10, 1], "kernel": [3, 1], "output": [20, 10, 5]},
    ],
)
def test_impossible_shapes_report_on_output(given):
    spec, issues = read(given)
    assert spec is None
    assert len(issues) == 1
    field, expected = issues[0]
    assert field == "given.output"
    assert "no stride" in expected and "padding 0.." in expected


def test_impossible_message_names_the_shapes():
    _, issues = read({"input": [32, 32, 3], "kernel": 3, "output": [16, 16, 8]})
    assert issues == [
        ("given.output", "no stride ≥ 1 and padding 0..2 turn input (32, 32) into output (16, 16) with a 3×3 kernel")
    ]


def test_preferred_solution_is_none_when_impossible_and_solve_refuses():
    spec = OutputSize(input_shape=(32, 32, 3), output_shape=(16, 16, 8), kernel=(3, 3), stride=2, padding=None)
    assert preferred_solution(spec) is None
    with pytest.raises(ValueError):
        solve(spec)


@pytest.mark.parametrize(
    "given, field, fragment",
    [
        ({"output": [20, 20, 10], "kernel": 3}, "given.input", "required but missing"),
        ({"input": [20, 20, 10], "kernel": 3}, "given.output", "required but missing"),
        (Q2, "given.kernel", "required but missing"),
        ({**Q2, "kernel": 3, "stride": 0}, "given.stride", "≥ 1"),
        ({**Q2, "kernel": 3, "stride": 1.5}, "given.stride", "whole number"),
        ({**Q2, "kernel": 3, "padding": -1}, "given.padding", "≥ 0"),
        ({**Q2, "kernel": 3, "padding": "1"}, "given.padding", "whole number"),
        ({**Q2, "kernel": [3]}, "given.kernel", "list of 2 whole numbers"),
        ({**Q2, "kernel": 0}, "given.kernel[0]", "≥ 1"),
        ({"input": [20, 20], "output": [20, 20, 10], "kernel": 3}, "given.input", "list of 3 whole numbers"),
        ({**Q2, "kernel": 3, "filters": 10}, "given.filters", "unknown field"),
        ({**Q2, "kernel": 3, "strides": 1}, "given.strides", "did you mean 'stride'?"),
    ],
)
def test_parse_reports_problems(given, field, fragment):
    _, issues = read(given)
    assert any(name == field and fragment in expected for name, expected in issues), issues


@pytest.mark.parametrize("given", [Q2, {**Q2, "kernel": 0}, {"input": [20, 20], "output": [20, 20, 10], "kernel": 3}])
def test_missing_or_invalid_shapes_give_no_spec(given):
    spec, issues = read(given)
    assert spec is None
    assert issues
