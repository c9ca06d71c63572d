"""grader.solver.kinds.output_size: W2 = (W1 - F + 2P)/S + 1 with one or two unknowns, taken exactly."""
from __future__ import annotations

from fractions import Fraction

import pytest

from grader.solver.kinds import KINDS
from grader.solver.kinds.output_size import (
    KIND,
    constraints,
    output_extent,
    parse,
    preferred_solution,
    solutions,
    solve,
)
from tests.homework import read_given

Q2 = {"input": [20, 20, 10], "output": [20, 20, 10]}
F = Fraction


def read(given):
    return read_given(parse, given)


def answers(given):
    spec, issues = read(given)
    assert issues == []
    result = solve(spec)
    assert all(isinstance(value, Fraction) for value in result.values())
    return result


def test_registered_under_its_name():
    assert KINDS["output-size"] is KIND


@pytest.mark.parametrize(
    "size, kernel, padding, stride, expected",
    [
        (20, 1, 0, 1, 20),  # (20 - 1 + 0)/1 + 1
        (20, 3, 1, 1, 20),  # (20 - 3 + 2)/1 + 1
        (30, 3, 1, 2, F(31, 2)),  # (30 - 3 + 2)/2 + 1 = 29/2 + 1: not floored
        (31, 3, 1, 2, 16),  # 30/2 + 1
    ],
)
def test_output_extent_is_exact(size, kernel, padding, stride, expected):
    assert output_extent(size, kernel, padding, stride) == expected


@pytest.mark.parametrize(
    "given, expected",
    [
        # SML homework 4, Q2 (a): (20 - 1 + 2P)/S + 1 = 20 -> S = 1, P = 0
        ({**Q2, "kernel": 1}, {"padding": 0, "stride": 1, "filters": 10}),
        # Q2 (b): S = 1, 17 + 2P = 19, P = 1
        ({**Q2, "kernel": 3}, {"padding": 1, "stride": 1, "filters": 10}),
        ({**Q2, "kernel": 5}, {"padding": 2, "stride": 1, "filters": 10}),  # 15 + 2P = 19
        # stride given: (31 - 3 + 2P)/2 + 1 = 16 -> 28 + 2P = 30, P = 1
        ({"input": [31, 31, 3], "kernel": 3, "output": [16, 16, 8], "stride": 2}, {"padding": 1, "filters": 8}),
        # smallest stride wins: 7 -> 3 with F = 3: S = 1 needs P = -1; S = 2, P = 0 fits (S = 3, P = 1 too)
        ({"input": 7, "kernel": 3, "output": 3}, {"padding": 0, "stride": 2}),
        # padding given as 1 rules out S = 2 and leaves (4 + 2)/3 + 1 = 3
        ({"input": 7, "kernel": 3, "output": 3, "padding": 1}, {"stride": 3}),
        # one unknown, the output: (224 - 7 + 6)/2 + 1 = 112.5 is no solution, so 225 -> (225 - 7 + 6)/2 + 1 = 113
        ({"input": 225, "kernel": 7, "padding": 3, "stride": 2}, {"output": 113}),
        # the kernel: 32 + 0 - (28 - 1)*1 = 5 (LeNet C1)
        ({"input": 32, "output": 28, "padding": 0, "stride": 1}, {"kernel": 5}),
        # the input: (56 - 1)*2 + 3 - 2 = 111
        ({"output": 56, "kernel": 3, "padding": 1, "stride": 2}, {"input": 111}),
        # non-square input: (9 - 3 + 2P)/S + 1 = 4 and (7 - 3 + 2P)/S + 1 = 3 -> S = 2, P = 0
        ({"input": [9, 7, 2], "kernel": 3, "output": [4, 3, 6]}, {"padding": 0, "stride": 2, "filters": 6}),
        # filters stated apart from the output
        ({"input": 20, "output": 20, "kernel": 3, "filters": 64}, {"padding": 1, "stride": 1, "filters": 64}),
        # two unknowns, kernel and padding, at stride 1: F - 2P = 1: smallest padding 0 with F = 1
        ({"input": 20, "output": 20, "stride": 1}, {"kernel": 1, "padding": 0}),
    ],
)
def test_solve_prefers_the_smallest_stride_then_padding(given, expected):
    assert answers(given) == expected


def test_every_solution_is_listed_for_the_constraint():
    spec, _ = read({"input": 7, "kernel": 3, "output": 3})
    # (4 + 2P)/S = 2 with P in 0..2: P = 0, S = 2; P = 1, S = 3; P = 2, S = 4
    assert sorted((s["padding"], s["stride"]) for s in solutions(spec)) == [(0, 2), (1, 3), (2, 4)]
    assert preferred_solution(spec) == {"padding": 0, "stride": 2}


def test_the_constraint_accepts_any_valid_pair_and_refuses_the_rest():
    spec, _ = read({"input": 7, "kernel": 3, "output": 3})
    (rule,) = constraints(spec)
    assert rule.names == ("padding", "stride")
    assert rule.satisfied_by({"padding": F(1), "stride": F(3)})  # (7 - 3 + 2)/3 + 1 = 3
    assert rule.satisfied_by({"padding": F(2), "stride": F(4)})  # (7 - 3 + 4)/4 + 1 = 3
    assert not rule.satisfied_by({"padding": F(1), "stride": F(2)})  # (6)/2 + 1 = 4
    assert not rule.satisfied_by({"padding": F(3), "stride": F(5)})  # (10)/5 + 1 = 3, but P >= F
    assert not rule.satisfied_by({"padding": F(1, 2), "stride": F(2)})  # not whole
    assert "W2 = (W1 − F + 2P)/S + 1" in rule.describe()


def test_ranges_widen_or_narrow_the_search():
    spec, issues = read({"input": 7, "kernel": 3, "output": 3, "ranges": {"stride": [3, 4]}})
    assert issues == []
    assert solve(spec) == {"padding": 1, "stride": 3}  # S = 2 is out of range now
    (rule,) = constraints(spec)
    assert not rule.satisfied_by({"padding": F(0), "stride": F(2)})


@pytest.mark.parametrize(
    "given, fragment",
    [
        # 32 -> 16 with F = 3: (29 + 2P)/S = 15 with P in 0..2 -> 29, 31, 33, none a multiple of 15
        ({"input": 32, "kernel": 3, "output": 16}, "no whole numbers"),
        # stride 2 given: 29 + 2P = 30 -> P = 1/2
        ({"input": 32, "kernel": 3, "output": 16, "stride": 2}, "no whole numbers"),
        # 4 -> 10 with F = 3 needs P = 4, above the kernel size
        ({"input": 4, "kernel": 3, "output": 10}, "padding below the kernel"),
        # 3x1 kernel keeping 20x10: the height needs P = 1, the width P = 0; one P serves both
        ({"input": [20, 10, 1], "kernel": [3, 1], "output": [20, 10, 5]}, "no whole numbers"),
        # everything given: nothing to find
        ({**Q2, "kernel": 3, "stride": 1, "padding": 1}, "one or two unknowns"),
        # three unknowns
        ({"input": 20, "output": 20}, "found 3"),
    ],
)
def test_unanswerable_questions_are_refused_with_the_reason(given, fragment):
    spec, issues = read(given)
    assert spec is None
    assert [field for field, _ in issues] == ["given"]
    assert fragment in issues[0][1]


@pytest.mark.parametrize(
    "given, field, fragment",
    [
        ({**Q2, "kernel": 3, "stride": 0}, "given.stride", "≥ 1"),
        ({**Q2, "kernel": 3, "stride": 1.5}, "given.stride", "whole numbers"),
        ({**Q2, "kernel": 3, "padding": -1}, "given.padding", "≥ 0"),
        ({**Q2, "kernel": 3, "stride": [1, 2]}, "given.stride", "one number for both axes"),
        ({**Q2, "kernel": 0}, "given.kernel", "≥ 1"),
        ({**Q2, "kernel": 3, "strides": 1}, "given.strides", "did you mean 'stride'?"),
        ({**Q2, "kernel": 3, "ranges": {"stride": [4, 2]}}, "given.ranges.stride", "[lowest, highest]"),
        ({**Q2, "kernel": 3, "ranges": {"dilation": [1, 2]}}, "given.ranges.dilation", "expected one of"),
    ],
)
def test_parse_reports_problems(given, field, fragment):
    spec, issues = read(given)
    assert spec is None
    assert any(name == field and fragment in expected for name, expected in issues), issues
