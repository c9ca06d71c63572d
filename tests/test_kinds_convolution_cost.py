"""grader.solver.kinds.convolution_cost: weights and MACs of standard vs depthwise-separable convolutions."""
from __future__ import annotations

from fractions import Fraction

import pytest

from grader.solver.kinds import KINDS
from grader.solver.kinds.convolution_cost import KIND, ConvolutionCost, parse, solve
from tests.homework import read_given

Q1_GIVEN = {"input": [30, 30, 20], "kernel": 3, "output": [15, 15, 40], "bias": False}

# SML homework 4, Q1: 30x30x20 -> 15x15x40 with 3x3 kernels (225 output positions).
Q1_NO_BIAS = {
    "standard.weights": 7200,  # 3*3*20*40
    "standard.macs": 1_620_000,  # 225 * 40 * 9 * 20
    "depthwise.weights": 180,  # 3*3*20
    "depthwise.macs": 40_500,  # 225 * 20 * 9
    "pointwise.weights": 800,  # 20*40
    "pointwise.macs": 180_000,  # 225 * 20 * 40
    "separable.weights": 980,  # 180 + 800
    "separable.macs": 220_500,  # 40500 + 180000
    "ratio": Fraction(49, 360),  # 220500 / 1620000 = 1/N + 1/K^2 = 1/40 + 1/9
}
# One bias per output channel of each step: +40 standard, +20 depthwise, +40 pointwise; MACs unchanged.
Q1_BIAS = {
    **Q1_NO_BIAS,
    "standard.weights": 7240,
    "depthwise.weights": 200,
    "pointwise.weights": 840,
    "separable.weights": 1040,
}
# Non-square: 10x8x3 -> 8x7x4 with a 3x2 kernel (8*7 = 56 positions, kernel area 6).
NON_SQUARE = {
    "standard.weights": 72,  # 6*3*4
    "standard.macs": 4032,  # 56 * 4 * 6 * 3
    "depthwise.weights": 18,  # 6*3
    "depthwise.macs": 1008,  # 56 * 3 * 6
    "pointwise.weights": 12,  # 3*4
    "pointwise.macs": 672,  # 56 * 3 * 4
    "separable.weights": 30,  # 18 + 12
    "separable.macs": 1680,  # 1008 + 672
    "ratio": Fraction(5, 12),  # 1680 / 4032 = 1/4 + 1/6 (N = 4, kernel area 6)
}
NON_SQUARE_BIAS = {**NON_SQUARE, "standard.weights": 76, "depthwise.weights": 21,
                   "pointwise.weights": 16, "separable.weights": 37}  # +4, +3, +4, +7


def read(given):
    return read_given(parse, given)


def test_registered_under_its_name():
    assert KINDS["convolution-cost"] is KIND
    assert KIND.parse is parse and KIND.solve is solve


def test_parse_homework_q1():
    spec, issues = read(Q1_GIVEN)
    assert issues == []
    assert isinstance(spec, ConvolutionCost)
    standard = spec.standard
    assert (standard.input_shape, standard.kernel, standard.output_shape, standard.bias) == (
        (30, 30, 20), (3, 3), (15, 15, 40), False
    )
    assert (spec.depthwise.output_shape, spec.pointwise.output_shape) == ((15, 15, 20), (15, 15, 40))


def test_bias_defaults_to_false():
    given = {key: value for key, value in Q1_GIVEN.items() if key != "bias"}
    spec, issues = read(given)
    assert issues == []
    assert spec.standard.bias is False


def test_ratio_is_optional_unless_asked():
    assert KIND.optional == ("ratio",)


@pytest.mark.parametrize(
    "given, expected",
    [
        (Q1_GIVEN, Q1_NO_BIAS),
        ({**Q1_GIVEN, "bias": True}, Q1_BIAS),
        ({**Q1_GIVEN, "kernel": [3, 3]}, Q1_NO_BIAS),
        ({"input": [10, 8, 3], "kernel": [3, 2], "output": [8, 7, 4]}, NON_SQUARE),
        ({"input": [10, 8, 3], "kernel": [3, 2], "output": [8, 7, 4], "bias": True}, NON_SQUARE_BIAS),
    ],
)
def test_solve(given, expected):
    spec, issues = read(given)
    assert issues == []
    answers = solve(spec)
    assert answers == expected
    assert all(isinstance(value, Fraction) for value in answers.values())


def test_kernel_order_is_height_then_width():
    """A 1x5 kernel on 8x4 -> 8x1 is not the same layer as 5x1: the MACs must follow the output."""
    one_by_five = solve(read({"input": [8, 5, 1], "kernel": [1, 5], "output": [8, 1, 2]})[0])
    # 8*1 positions, kernel area 5, 1 channel, 2 filters: weights 5*1*2 = 10, MACs 8 * 2 * 5 = 80
    assert one_by_five["standard.weights"] == 10
    assert one_by_five["standard.macs"] == 80


def test_input_spatial_size_does_not_change_the_cost():
    """Only the output positions are multiplied: a student using 30x30 instead of 15x15 must be wrong."""
    bigger_input = solve(read({**Q1_GIVEN, "input": [64, 64, 20]})[0])
    assert bigger_input == Q1_NO_BIAS


@pytest.mark.parametrize(
    "given, field, fragment",
    [
        ({"kernel": 3, "output": [15, 15, 40]}, "given.input", "required but missing"),
        ({"input": [30, 30, 20], "output": [15, 15, 40]}, "given.kernel", "required but missing"),
        ({"input": [30, 30, 20], "kernel": 3}, "given.filters", "required: the number of filters"),
        ({**Q1_GIVEN, "input": [30, 30]}, "given.input", "list of 3 whole numbers"),
        ({**Q1_GIVEN, "input": "30x30x20"}, "given.input", "list of 3 whole numbers"),
        ({**Q1_GIVEN, "kernel": [3, 3, 3]}, "given.kernel", "list of 2 whole numbers"),
        ({**Q1_GIVEN, "kernel": True}, "given.kernel", "list of 2 whole numbers"),
        ({**Q1_GIVEN, "kernel": 0}, "given.kernel", "≥ 1"),
        ({**Q1_GIVEN, "input": [30, 0, 20]}, "given.input[1]", "≥ 1"),
        ({**Q1_GIVEN, "output": [15, 15.5, 40]}, "given.output[1]", "whole number"),
        ({**Q1_GIVEN, "output": [15, 15, "40"]}, "given.output[2]", "whole number"),
        ({**Q1_GIVEN, "bias": "yes"}, "given.bias", "true or false"),
        ({**Q1_GIVEN, "bias": 1}, "given.bias", "true or false"),
        ({**Q1_GIVEN, "stride": 1}, "given.output", "turn (30, 30, 20) into (28, 28, 40), not (15, 15, 40)"),
        ({**Q1_GIVEN, "groups": 2}, "given.groups", "has one group"),
        ({**Q1_GIVEN, "biass": True}, "given.biass", "did you mean 'bias'?"),
    ],
)
def test_parse_reports_problems(given, field, fragment):
    """The rubric loader rejects a part whenever issues were recorded, so the issue is what counts."""
    _, issues = read(given)
    assert any(name == field and fragment in expected for name, expected in issues), issues


def test_parse_reports_every_problem_not_only_the_first():
    spec, issues = read({"input": [30, 30], "kernal": 3, "output": [15, 15, 40], "bias": "no"})
    assert spec is None
    fields = sorted(name for name, _ in issues)
    assert fields == ["given.bias", "given.input", "given.kernal", "given.kernel"]


def test_parse_rejects_a_non_mapping():
    spec, issues = read([30, 30, 20])
    assert spec is None
    assert ("given", "expected a mapping of fields") in issues


def test_geometry_instead_of_output_and_flops() -> None:
    """Q1 stated with stride 2 and padding 1 (which produce 15x15), counted in FLOPs."""
    given = {"input": [30, 30, 20], "kernel": 3, "stride": 2, "padding": 1, "filters": 40, "count": "flops"}
    spec, issues = read(given)
    assert issues == []
    assert solve(spec) == {
        "standard.weights": 7200, "standard.flops": 3_240_000,  # 2 x 1,620,000
        "depthwise.weights": 180, "depthwise.flops": 81_000,  # 2 x 40,500
        "pointwise.weights": 800, "pointwise.flops": 360_000,  # 2 x 180,000
        "separable.weights": 980, "separable.flops": 441_000,
        "ratio": Fraction(49, 360),  # FLOPs double both sides: the ratio is unchanged
    }


def test_channel_multiplier_widens_the_depthwise_step() -> None:
    given = {"input": [8, 8, 4], "kernel": 3, "padding": "same", "filters": 6, "channel_multiplier": 2}
    spec, issues = read(given)
    assert issues == []
    result = solve(spec)
    # depthwise: 8 filters of 3x3x1 = 72 weights, 64 positions -> 4608 MACs
    # pointwise: 1x1x8 -> 6 = 48 weights, 64 positions -> 3072 MACs; standard 3*3*4*6 = 216, 13824 MACs
    assert (result["depthwise.weights"], result["depthwise.macs"]) == (72, 4608)
    assert (result["pointwise.weights"], result["pointwise.macs"]) == (48, 3072)
    assert (result["standard.weights"], result["standard.macs"]) == (216, 13_824)
    assert result["ratio"] == Fraction(4608 + 3072, 13_824)
