"""The mistakes each kind knows, checked against values worked out by hand for each mistake."""
from __future__ import annotations

from fractions import Fraction

import pytest

from grader.solver.kinds import (
    backprop,
    convolution,
    convolution_cost,
    layer_table,
    output_size,
)
from tests.homework import Q3_NODES, Q3_VALUES, read_given

F = Fraction


def found(kind, given: dict) -> dict[tuple[str, str], Fraction]:
    spec, issues = read_given(kind.parse, given)
    assert issues == []
    return {(m.answer, m.label): m.value for m in kind.mistakes(spec)}


Q1 = {"input": [30, 30, 20], "kernel": 3, "output": [15, 15, 40]}


@pytest.mark.parametrize(
    ("answer", "label", "value"),
    [
        ("standard.weights", "bias counted", 7240),  # 3*3*20*40 + 40 biases
        ("depthwise.weights", "bias counted", 200),  # 180 + 20
        ("separable.weights", "bias counted", 1040),  # 200 + 840
        ("standard.macs", "FLOPs instead of MACs", 3_240_000),  # 2 x 1,620,000
        ("standard.macs", "input size instead of output size", 6_480_000),  # 30*30*40*9*20
        ("depthwise.macs", "input size instead of output size", 162_000),  # 30*30*20*9
        ("standard.weights", "input channels left out", 360),  # 3*3*40
        ("depthwise.weights", "depthwise counted as a full convolution", 7200),  # 3*3*C_in*C_out = 3*3*20*40
        ("separable.macs", "depthwise counted as a full convolution", 1_800_000),  # 15*15*7200 + 180,000
    ],
)
def test_convolution_cost_mistakes(answer: str, label: str, value: int) -> None:
    assert found(convolution_cost, Q1)[(answer, label)] == value


def test_forgotten_biases_when_the_layer_has_them() -> None:
    assert found(convolution_cost, {**Q1, "bias": True})[("standard.weights", "biases left out")] == 7200


@pytest.mark.parametrize(
    ("answer", "label", "value"),
    [
        ("parameters", "bias counted", 34_848 + 96),  # the layer has no bias here
        ("macs", "FLOPs instead of MACs", 2 * 105_415_200),
        ("macs", "input size instead of output size", 227 * 227 * 34_848),
        ("activations", "input size instead of output size", 227 * 227 * 96),
        ("weights", "input channels left out", 11 * 11 * 96),
    ],
)
def test_convolution_mistakes(answer: str, label: str, value: int) -> None:
    assert found(convolution, {"input": [227, 227, 3], "kernel": 11, "stride": 4, "filters": 96})[(answer, label)] == value


@pytest.mark.parametrize(
    ("given", "answer", "label", "value"),
    [
        # key P = 1 (S = 1): with (W - F + P)/S + 1 a student finds P = 2
        ({"input": 20, "output": 20, "kernel": 3}, "padding", "P instead of 2P", 2),
        # without the + 1: 20 = (17 + 2P)/1 -> P = 3/2
        ({"input": 20, "output": 20, "kernel": 3}, "padding", "the + 1 left out", F(3, 2)),
        # output unknown: key (32 - 5 + 4)/1 + 1 = 32; with P: (32 - 5 + 2) + 1 = 30; without + 1: 31
        ({"input": 32, "kernel": 5, "padding": 2, "stride": 1}, "output", "P instead of 2P", 30),
        ({"input": 32, "kernel": 5, "padding": 2, "stride": 1}, "output", "the + 1 left out", 31),
    ],
)
def test_output_size_mistakes(given: dict, answer: str, label: str, value: Fraction) -> None:
    assert found(output_size, given)[(answer, label)] == value


def test_backprop_mistakes_on_homework_question_3() -> None:
    mistakes = found(backprop, {"values": Q3_VALUES, "nodes": Q3_NODES, "loss": "L"})
    assert mistakes[("grad.z", "sign error")] == 10  # 2(t - z) instead of 2(z - t)
    assert mistakes[("grad.x1", "sign error")] == -40
    assert mistakes[("grad.z", "factor 2 left out")] == -5  # (z - t) instead of 2(z - t)
    # dL/dy1 = 10*w2_11 (via z1) + (-10)*w2_12 (via z2) = 10 + 10: each path alone gives 10
    assert mistakes[("grad.y1", "path through z2 left out")] == 10
    assert mistakes[("grad.y1", "path through z1 left out")] == 10
    # dL/dx2 = 20*w1_21 (via y1) + 10*w1_22 (via y2) = 20 - 10
    assert mistakes[("grad.x2", "path through y1 left out")] == -10
    assert mistakes[("grad.x2", "path through y2 left out")] == 20


def test_no_factor_2_mistake_without_a_square() -> None:
    mistakes = found(backprop, {"values": {"x": 2, "w": 3}, "nodes": {"L": "w*x"}, "loss": "L"})
    assert not any(label == "factor 2 left out" for _, label in mistakes)


def test_layer_table_mistakes() -> None:
    given = {"input": [8, 8, 3], "layers": [
        {"name": "c1", "type": "conv", "kernel": 3, "filters": 4, "padding": 1, "bias": True},
        {"name": "c2", "type": "conv", "kernel": 3, "filters": 6, "padding": 1},
    ]}
    mistakes = found(layer_table, given)
    assert mistakes[("c1.params", "bias counted or forgotten")] == 3 * 3 * 3 * 4  # 112 without its 4 biases
    assert mistakes[("c2.params", "bias counted or forgotten")] == 3 * 3 * 4 * 6 + 6
    # c2's own 6 channels taken as its input: 3*3*6*6 instead of 3*3*4*6
    assert mistakes[("c2.params", "value taken from the wrong layer")] == 324
    assert mistakes[("c1.macs", "FLOPs instead of MACs")] == 2 * 64 * 108
