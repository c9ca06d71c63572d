"""Every classic slip named by the value it gives, worked out by hand; and the student's own other
answers used to narrow a value several mistakes give, and a sign error named where it happened."""
from __future__ import annotations

from fractions import Fraction

import pytest

from grader.judging.results import Status
from grader.solver.kinds import backprop, convolution, convolution_cost, layer_table, output_size
from tests.homework import Q3_NODES, Q3_VALUES
from tests.test_carried_forward import HW4_Q3, graded, q3_answers
from tests.test_mistakes import Q1, found

F = Fraction


@pytest.mark.parametrize(("answer", "label", "value"), [
    ("standard.macs", "bias counted in the cost", 1_629_000),  # 1,620,000 + one per output value, 15*15*40
    ("depthwise.macs", "bias counted in the cost", 45_000),  # 40,500 + 15*15*20
    ("separable.macs", "bias counted in the cost", 234_000),  # 45,000 + 180,000 + 15*15*40
    ("depthwise.weights", "depthwise counted as a full convolution", 7200),  # 3*3*C_in*C_out = 3*3*20*40
    ("depthwise.macs", "depthwise counted as a full convolution", 1_620_000),  # 15*15*7200
    ("separable.weights", "depthwise counted as a full convolution", 8000),  # 7200 + 800
    ("separable.weights", "separable taken as the depthwise step alone", 180),
    ("separable.macs", "separable taken as the depthwise step alone", 40_500),
    ("depthwise.weights", "depthwise counted per output channel", 360),  # 3*3*40
    ("depthwise.macs", "depthwise counted per output channel", 81_000),  # 15*15*360
    ("separable.weights", "depthwise counted per output channel", 1160),  # 360 + 800
    ("ratio", "ratio inverted", F(1_620_000, 220_500)),  # 7.35, standard / separable
])
def test_convolution_cost_mistakes_by_value(answer: str, label: str, value: Fraction) -> None:
    assert found(convolution_cost, Q1)[(answer, label)] == value


def test_convolution_bias_counted_in_the_cost() -> None:
    # AlexNet's first layer without bias: 55*55 outputs (floor(216/4) + 1), 34,848 weights, 96 filters
    mistakes = found(convolution, {"input": [227, 227, 3], "kernel": 11, "stride": 4, "filters": 96})
    assert mistakes[("macs", "bias counted in the cost")] == 55 * 55 * 34_848 + 55 * 55 * 96


@pytest.mark.parametrize(("kernel", "answer", "label", "value"), [
    (3, "stride", "stride 2 where the size is kept", 2),
    (3, "padding", "no padding for a 3×3 same layer", 0),
    (1, "padding", "padding for a 1×1 layer", 1),
    (3, "filters", "filters equal to the input channels", 10),
])
def test_output_size_mistakes_by_value(kernel: int, answer: str, label: str, value: int) -> None:
    mistakes = found(output_size, {"input": [20, 20, 10], "output": [20, 20, 16], "kernel": kernel})
    assert mistakes[(answer, label)] == value


def test_no_filters_mistake_where_the_channels_agree() -> None:
    mistakes = found(output_size, {"input": [20, 20, 10], "output": [20, 20, 10], "kernel": 3})
    assert not any(label == "filters equal to the input channels" for _, label in mistakes)


Q3_STEP = {"values": Q3_VALUES, "nodes": Q3_NODES, "loss": "L", "learning_rate": "0.1"}


@pytest.mark.parametrize(("answer", "label", "value"), [
    ("grad.z", "2z instead of 2(z − t)", -6),  # 2 * (-3)
    ("grad.z1", "2z instead of 2(z − t)", 6),  # -6 * w3_1 = -6 * -1
    ("grad.w3_1", "2z instead of 2(z − t)", -12),  # -6 * z1 = -6 * 2
    ("forward.y1", "weight indices transposed", 2),  # x1*w1_11 + x2*w1_12 = 2 + 0
    ("forward.y2", "weight indices transposed", 2),  # x1*w1_21 + x2*w1_22 = 1 + 1
    ("grad.w1_21", "weight gradient indices transposed", 10),  # the key's dL/dw1_12 = dL/dy2 * x1
    ("grad.w2_12", "weight gradient indices transposed", 10),  # the key's dL/dw2_21 = dL/dz1 * y2
    ("grad.w3_1", "input or weight factor left out", -10),  # dL/dz without its factor z1 = 2
    ("grad.x1", "input or weight factor left out", 30),  # dL/dy1 + dL/dy2 = 20 + 10, without w1_11, w1_12
    ("step.w1_11", "update with + instead of −", 4),  # 2 + 0.1 * 20
    ("step.w3_1", "update with + instead of −", -3),  # -1 + 0.1 * (-20)
])
def test_backprop_mistakes_by_value(answer: str, label: str, value: int) -> None:
    assert found(backprop, Q3_STEP)[(answer, label)] == value


def test_a_sum_that_cancels_to_zero_is_no_named_mistake() -> None:
    # dL/dz1 + dL/dz2 = 10 - 10 = 0 would name every 0 of a filler sheet "factor left out"
    assert ("grad.y1", "input or weight factor left out") not in found(backprop, Q3_STEP)


def test_layer_table_mistakes_on_totals() -> None:
    # c1: 8x8x3 -> 6x6x4, 3*3*3*4 = 108 weights, 36*108 = 3888 MACs; c2: 6x6x4 -> 6x6x6 (padding 1),
    # 3*3*4*6 = 216 weights, 36*216 = 7776 MACs; totals 324 and 11,664
    given = {"input": [8, 8, 3], "layers": [{"name": "c1", "type": "conv", "kernel": 3, "filters": 4},
                                              {"name": "c2", "type": "conv", "kernel": 3, "filters": 6, "padding": 1}]}
    mistakes = found(layer_table, given)
    assert mistakes[("total.macs", "FLOPs instead of MACs")] == 23_328  # 2 * 11,664
    assert mistakes[("total.params", "bias counted or forgotten")] == 334  # 112 + 222
    assert mistakes[("c1.macs", "input size instead of output size")] == 6912  # 8*8*108
    assert mistakes[("total.macs", "input size instead of output size")] == 14_688  # 6912 + 7776 (c2 keeps 6x6)


def test_a_value_several_mistakes_give_is_named_by_the_students_other_answers() -> None:
    problem = {"id": "q1", "kind": "convolution-cost", "given": Q1}
    # 81,000 is FLOPs for the depthwise MACs and also 15*15*3*3*40 (depthwise per output channel)
    flops = graded(problem, {"q1.standard.macs": 3_240_000, "q1.depthwise.macs": 81_000, "q1.pointwise.macs": 360_000})
    assert flops["q1.depthwise.macs"].mistake == "FLOPs instead of MACs"
    per_output = graded(problem, {"q1.depthwise.weights": 360, "q1.depthwise.macs": 81_000})
    assert per_output["q1.depthwise.macs"].mistake == "depthwise counted per output channel"
    alone = graded(problem, {"q1.depthwise.macs": 81_000})
    assert alone["q1.depthwise.macs"].mistake == "FLOPs instead of MACs or depthwise counted per output channel"


def test_a_sign_error_is_named_at_the_term_where_it_happened() -> None:
    # z = -4 (a slip): dL/dz = -12 (carried); dL/dz1 = -12 * w3_1 = 12, written -12: the sign went wrong here
    verdicts = graded(HW4_Q3, q3_answers(forward__z=-4, forward__L=36, grad__z=-12, grad__z1=-12))
    assert verdicts["q3.grad.z"].status is Status.CARRIED
    wrong = verdicts["q3.grad.z1"]
    assert (wrong.status, wrong.mistake) == (Status.INCORRECT, "sign error")
    assert wrong.feedback == "The sign went wrong at this term: given your grad.z = -12, it is 12."


def test_a_wrong_value_no_mistake_explains_says_so_plainly() -> None:
    verdict = graded(HW4_Q3, q3_answers(grad__z1=7))["q3.grad.z1"]
    assert (verdict.status, verdict.mistake, verdict.feedback) == (Status.INCORRECT, "", "Incorrect: no usual mistake gives 7; check your working.")


def test_a_path_left_out_is_named_relative_to_the_students_own_gradients() -> None:
    # z = -4 (a slip), all carried: dL/dz = -12, dL/dz1 = 12, dL/dz2 = -12, dL/dy1 = 12*1 + (-12)(-1) = 24,
    # dL/dy2 = 12*1 + (-12)*0 = 12, dL/dx2 = 24*w1_21 + 12*w1_22 = 24 - 12 = 12. The path through y2
    # left out gives 24 (the key's own path-left-out values are -10 and 20); through y1, -12
    answers = q3_answers(forward__z=-4, forward__L=36, grad__z=-12, grad__z1=12, grad__z2=-12, grad__y1=24, grad__y2=12, grad__x2=24)
    verdict = graded(HW4_Q3, answers)["q3.grad.x2"]
    assert (verdict.status, verdict.mistake) == (Status.INCORRECT, "path through y2 left out")
    both = graded(HW4_Q3, {**answers, "q3.grad.x2": None, "q3.grad.y1": 12})["q3.grad.y1"]  # 12*w2_11 = 12 = (-12)*w2_12
    assert both.mistake == "path through z1 left out or path through z2 left out"


def test_a_mistake_the_students_right_answers_rule_out_is_not_named() -> None:
    # dL/dy1 = 10: the factor 2 left out (20 / 2) or a path left out (20 - 10); with dL/dz1 and dL/dz2
    # written as halved too (5 and -5), the factor 2 is the mistake, and the paths would not be
    halved = graded(HW4_Q3, q3_answers(grad__z=-5, grad__z1=5, grad__z2=-5, grad__y1=10))["q3.grad.y1"]
    assert halved.status is Status.CARRIED  # 5*1 + (-5)(-1) = 10, right given the student's halved values
    right_before = graded(HW4_Q3, q3_answers(grad__y1=10))["q3.grad.y1"]
    assert "factor 2" not in right_before.mistake


def test_macs_given_where_flops_are_asked() -> None:
    given = {"input": [227, 227, 3], "kernel": 11, "stride": 4, "filters": 96, "count": "flops"}
    mistakes = found(convolution, given)
    assert mistakes[("flops", "MACs instead of FLOPs")] == 55 * 55 * 34_848  # the key's 2 * 105,415,200, halved
    assert mistakes[("flops", "bias counted in the cost")] == 2 * 55 * 55 * 34_848 + 2 * 55 * 55 * 96  # a MAC per output value
