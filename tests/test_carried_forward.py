"""Credit carried forward: an answer right given the student's own earlier answers, per kind."""
from __future__ import annotations

from fractions import Fraction

import pytest

from grader.intake.submission import Submission
from grader.judging.results import Status
from grader.judging.scoring import grade_submission
from grader.rubric.answer_key import build_answer_key
from grader.rubric.model import parse_rubric
from tests.homework import EXPECTED_KEY, Q3_NODES, Q3_VALUES


def graded(problem: dict, answers: dict, **top) -> dict:
    key = build_answer_key(parse_rubric({"assignment": "hw", "problems": [problem], **top}, "r.yaml"))
    result = grade_submission(key, Submission("f.yaml", "s1", "", answers))
    return {v.path: v for v in result.verdicts}


HW4_Q3 = {"id": "q3", "kind": "backprop", "given": {"values": Q3_VALUES, "nodes": Q3_NODES, "loss": "L"},
          "ask": [path.split(".", 1)[1] for path in EXPECTED_KEY if path.startswith("q3.")]}


def q3_answers(**changes: int) -> dict:
    answers = {path: value for path, value in EXPECTED_KEY.items() if path.startswith("q3.")}
    answers.update({f"q3.{name.replace('__', '.')}": value for name, value in changes.items()})
    return answers


def test_gradients_built_on_a_wrong_gradient_are_right_given_it() -> None:
    # dL/dy1 = 10 (the path via z2 left out): then w1_11 = 10*x1 = 10, x1 = 10*2 + 10*0 = 20, x2 = 10*1 + 10*(-1) = 0
    verdicts = graded(HW4_Q3, q3_answers(grad__y1=10, grad__w1_11=10, grad__w1_21=-10, grad__x1=20, grad__x2=0))
    assert verdicts["q3.grad.y1"].status is Status.INCORRECT
    # 10 is also the key's 20 with the factor 2 left out, but that would have halved dL/dz1 and
    # dL/dz2 too, which this student has right: the mistake is a path (by symmetry, either one)
    assert verdicts["q3.grad.y1"].mistake == "path through z2 left out or path through z1 left out"
    for path in ("q3.grad.w1_11", "q3.grad.w1_21", "q3.grad.x1", "q3.grad.x2"):
        assert (verdicts[path].status, verdicts[path].points) == (Status.CARRIED, 1), path
        assert verdicts[path].feedback == "Correct given your grad.y1 = 10."


def test_a_wrong_value_that_is_not_consistent_gets_no_carried_credit() -> None:
    verdicts = graded(HW4_Q3, q3_answers(grad__y1=10, grad__w1_11=99))
    assert verdicts["q3.grad.w1_11"].status is Status.INCORRECT


def test_forward_values_carry_too() -> None:
    # z1 = 4 instead of 2: z = 4*(-1) + (-1)*1 = -5 and L = (-5 - 2)^2 = 49 are right given it
    verdicts = graded(HW4_Q3, q3_answers(forward__z1=4, forward__z=-5, forward__L=49))
    assert verdicts["q3.forward.z"].status is Status.CARRIED
    assert verdicts["q3.forward.z"].feedback == "Correct given your forward.z1 = 4."
    assert verdicts["q3.forward.L"].status is Status.CARRIED


def test_the_separable_total_carries_from_its_steps() -> None:
    problem = {"id": "q1", "kind": "convolution-cost", "given": {"input": [30, 30, 20], "kernel": 3, "output": [15, 15, 40]}}
    answers = {"q1.depthwise.weights": 200, "q1.pointwise.weights": 840, "q1.separable.weights": 1040}
    verdict = graded(problem, answers)["q1.separable.weights"]
    assert (verdict.status, verdict.feedback) == (Status.CARRIED, "Correct given your depthwise.weights = 200, pointwise.weights = 840.")


def test_a_layers_cost_carries_from_its_own_output_shape() -> None:
    problem = {"id": "q1", "kind": "convolution", "given": {"input": [30, 30, 20], "kernel": 3, "stride": 2, "filters": 40}}
    # the key: floor(27/2) + 1 = 14; a student with 15 x 15 computes 15*15*7200 MACs
    verdicts = graded(problem, {"q1.output.height": 15, "q1.output.width": 15, "q1.macs": 15 * 15 * 7200})
    assert verdicts["q1.output.height"].status is Status.INCORRECT
    assert verdicts["q1.macs"].status is Status.CARRIED


def test_a_layer_tables_rows_carry() -> None:
    problem = {"id": "t", "kind": "layer-table", "given": {"input": [8, 8, 3], "layers": [
        {"name": "c1", "type": "conv", "kernel": 3, "filters": 4, "padding": 1},
        {"name": "c2", "type": "conv", "kernel": 3, "filters": 6, "padding": 1},
    ]}}
    # c1 given 5 channels: c2's weights 3*3*5*6 = 270 are right given it; totals from the student's rows
    answers = {"t.c1.output.channels": 5, "t.c2.params": 270, "t.c1.params": 108, "t.total.params": 378}
    verdicts = graded(problem, answers)
    assert verdicts["t.c2.params"].status is Status.CARRIED
    assert verdicts["t.total.params"].status is Status.CARRIED  # 108 + 270


def test_the_rubric_sets_the_share_and_may_switch_it_off() -> None:
    half = graded(HW4_Q3, q3_answers(grad__y1=10, grad__w1_11=10), carried_forward="1/2")
    assert half["q3.grad.w1_11"].points == Fraction(1, 2)
    off = graded({**HW4_Q3, "answers": {"grad.w1_11": {"builds_on": []}}}, q3_answers(grad__y1=10, grad__w1_11=10))
    assert off["q3.grad.w1_11"].status is Status.INCORRECT


def test_the_rubric_may_declare_what_an_answer_builds_on() -> None:
    problem = {**HW4_Q3, "answers": {"grad.x1": {"builds_on": ["grad.y1"]}}}
    # declared on grad.y1 only: x1 = 10*2 + (the key's dL/dy2 = 10)*0 = 20
    verdict = graded(problem, q3_answers(grad__y1=10, grad__x1=20))["q3.grad.x1"]
    assert verdict.status is Status.CARRIED


@pytest.mark.parametrize("share", ["2", "-1/2"])
def test_a_share_outside_zero_to_one_is_refused(share: str) -> None:
    from grader.base.errors import RubricError

    with pytest.raises(RubricError, match="carried_forward"):
        parse_rubric({"assignment": "hw", "carried_forward": share, "problems": [HW4_Q3]}, "r.yaml")
