"""Carried credit must be earned: filler never carries, every dependency the mathematics has is
declared, and a carried verdict names only the values it really depends on. Every number below
is worked by hand from tests/homework.py's Q3 (y1 = 1, y2 = 1, z1 = 2, z2 = -1, z = -3, L = 25)."""
from __future__ import annotations

from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from grader.judging.results import Status
from tests.homework import EXPECTED_KEY, Q3_FORWARD
from tests.test_carried_forward import HW4_Q3, graded, q3_answers

GRADIENT_PATHS = [path for path in EXPECTED_KEY if path.startswith("q3.grad.")]
FORWARD_ONLY = {f"q3.forward.{name}": value for name, value in Q3_FORWARD.items()}
Q1 = {"id": "q1", "kind": "convolution-cost", "given": {"input": [30, 30, 20], "kernel": 3, "output": [15, 15, 40]}}


def total(verdicts: dict) -> Fraction:
    return sum((verdict.points for verdict in verdicts.values()), Fraction(0))


def test_a_sheet_of_zeros_in_the_gradients_earns_nothing_beyond_the_forward_values() -> None:
    verdicts = graded(HW4_Q3, {**FORWARD_ONLY, **dict.fromkeys(GRADIENT_PATHS, 0)})
    assert [path for path, v in verdicts.items() if v.status is Status.CARRIED] == []
    assert total(verdicts) == 6


def test_a_sheet_of_ones_earns_nothing_where_a_factor_of_one_would_copy_it() -> None:
    # before: grad.w2_11 = grad.z1 * y1 = 1 * 1 "carried", and five more like it
    verdicts = graded(HW4_Q3, {**FORWARD_ONLY, **dict.fromkeys(GRADIENT_PATHS, 1)})
    assert verdicts["q3.grad.w2_11"].status is Status.INCORRECT
    assert total(verdicts) == 6


def test_a_total_of_blank_parts_is_not_carried() -> None:
    answers = {"q1.depthwise.weights": 0, "q1.pointwise.weights": 0, "q1.separable.weights": 0}
    assert graded(Q1, answers)["q1.separable.weights"].status is Status.INCORRECT


def test_a_total_of_a_slip_still_carries() -> None:
    # 190 (a slip, not 180) + 800 = 990
    answers = {"q1.depthwise.weights": 190, "q1.pointwise.weights": 800, "q1.separable.weights": 990}
    verdict = graded(Q1, answers)["q1.separable.weights"]
    assert (verdict.status, verdict.feedback) == (Status.CARRIED, "Correct given your depthwise.weights = 190.")


def test_zeros_that_follow_from_the_students_own_work_carry() -> None:
    # forward z = 2 = t (a slip): L = 0, dL/dz = 2(2 - 2) = 0, and so every gradient is 0
    answers = {**FORWARD_ONLY, "q3.forward.z": 2, "q3.forward.L": 0, **dict.fromkeys(GRADIENT_PATHS, 0)}
    verdicts = graded(HW4_Q3, answers)
    assert verdicts["q3.forward.z"].status is Status.INCORRECT
    assert {verdicts[path].status for path in [*GRADIENT_PATHS, "q3.forward.L"]} == {Status.CARRIED}
    assert verdicts["q3.grad.z"].feedback == "Correct given your forward.z = 2."
    assert total(verdicts) == 22


def test_a_gradient_builds_on_its_own_nodes_forward_value() -> None:
    # z = -4 (a slip): L = 36, dL/dz = 2(-4 - 2) = -12, dL/dz1 = -12 * w3_1 = 12, dL/dw3_1 = -12 * z1 = -24
    answers = q3_answers(forward__z=-4, forward__L=36, grad__z=-12, grad__z1=12, grad__w3_1=-24)
    verdicts = graded(HW4_Q3, answers)
    assert verdicts["q3.grad.z"].status is Status.CARRIED
    assert verdicts["q3.grad.z"].feedback == "Correct given your forward.z = -4."
    assert verdicts["q3.grad.z1"].feedback == "Correct given your grad.z = -12."
    assert verdicts["q3.grad.w3_1"].feedback == "Correct given your grad.z = -12."


NON_LINEAR = {"id": "n", "kind": "backprop", "given": {
    "values": {"w": 2, "x": 1, "t": 3}, "nodes": {"h": "w*x", "q": "h^2", "L": "(q - t)^2"}, "loss": "L"}}


def test_a_non_linear_consumer_uses_the_students_own_forward_value() -> None:
    # key: h = 2, q = 4, L = 1, dL/dq = 2, dL/dh = 2 * 2h = 8. The student's h = 3: q = 9, L = 36,
    # dL/dq = 2(9 - 3) = 12, dL/dh = 12 * 2 * 3 = 72 (both of its values matter), dL/dw = 72 * x = 72
    answers = {"n.forward.h": 3, "n.forward.q": 9, "n.forward.L": 36, "n.grad.q": 12, "n.grad.h": 72, "n.grad.w": 72}
    verdicts = graded(NON_LINEAR, answers)
    assert verdicts["n.grad.q"].feedback == "Correct given your forward.q = 9."
    assert verdicts["n.grad.h"].feedback == "Correct given your forward.h = 3, grad.q = 12."
    assert verdicts["n.grad.w"].status is Status.CARRIED


def test_a_descent_step_builds_on_its_gradient() -> None:
    problem = {**NON_LINEAR, "given": {**NON_LINEAR["given"], "learning_rate": "0.1"}, "ask": ["grad.w", "step.w"]}
    # dL/dw = dL/dh * x = 8 (key); the student's 10 gives w - 0.1 * 10 = 1 (the key's step: 2 - 0.8 = 1.2)
    verdicts = graded(problem, {"n.grad.w": 10, "n.step.w": 1})
    assert (verdicts["n.step.w"].status, verdicts["n.step.w"].feedback) == (Status.CARRIED, "Correct given your grad.w = 10.")


def test_a_chain_carries_through_an_answer_the_rubric_does_not_ask() -> None:
    problem = {**HW4_Q3, "ask": ["forward.*", "grad.w3_1"]}  # dL/dz is not asked
    # z = -4 (a slip): dL/dw3_1 = 2(-4 - 2) * z1 = -24
    answers = {**{f"q3.forward.{n}": v for n, v in Q3_FORWARD.items()}, "q3.forward.z": -4, "q3.forward.L": 36, "q3.grad.w3_1": -24}
    verdict = graded(problem, answers)["q3.grad.w3_1"]
    assert (verdict.status, verdict.feedback) == (Status.CARRIED, "Correct given your forward.z = -4.")


def test_the_feedback_names_only_the_values_the_answer_depends_on() -> None:
    # z2 = -2 (a slip): z = 2*(-1) + (-2)*1 = -4, L = 36, dL/dz = -12; dL/dw3_1 = -12 * z1 = -24 uses
    # dL/dz and z1 only, although its consumer z also holds the student's wrong z2
    answers = q3_answers(forward__z2=-2, forward__z=-4, forward__L=36, grad__z=-12, grad__w3_1=-24)
    verdict = graded(HW4_Q3, answers)["q3.grad.w3_1"]
    assert verdict.feedback == "Correct given your grad.z = -12."


KEY_VALUES = {Fraction(value) for value in EXPECTED_KEY.values()}
CONSTANTS = st.one_of(st.integers(-60, 60), st.fractions(min_value=-60, max_value=60, max_denominator=8)).map(Fraction)


@settings(max_examples=60, deadline=None)
@given(CONSTANTS)
def test_one_constant_in_every_field_scores_no_more_than_the_right_forward_values_alone(constant: Fraction) -> None:
    assume(constant not in KEY_VALUES)  # a constant that happens to be the key is right, not carried
    q3_paths = [path for path in EXPECTED_KEY if path.startswith("q3.")]
    filler = graded(HW4_Q3, dict.fromkeys(q3_paths, str(constant)))
    forward_alone = graded(HW4_Q3, FORWARD_ONLY)
    assert [path for path, v in filler.items() if v.status is Status.CARRIED] == []
    assert total(filler) <= total(forward_alone) == 6


@settings(max_examples=60, deadline=None)
@given(CONSTANTS)
def test_right_forward_values_and_a_constant_in_every_gradient_earn_the_forward_values_only(constant: Fraction) -> None:
    assume(constant not in KEY_VALUES)
    verdicts = graded(HW4_Q3, {**FORWARD_ONLY, **dict.fromkeys(GRADIENT_PATHS, str(constant))})
    assert total(verdicts) == 6, [(p, v.feedback) for p, v in verdicts.items() if v.points]


@settings(max_examples=40, deadline=None)
@given(CONSTANTS)
def test_a_constant_in_every_field_of_a_cost_question_earns_nothing(constant: Fraction) -> None:
    assume(constant not in KEY_VALUES)
    paths = [path for path in EXPECTED_KEY if path.startswith("q1.")]
    verdicts = graded(Q1, dict.fromkeys(paths, str(constant)))
    assert total(verdicts) == 0


def test_a_layers_cost_builds_on_the_students_own_count_of_its_input_channels() -> None:
    problem = {"id": "t", "kind": "layer-table", "given": {"input": [8, 8, 3], "layers": [
        {"name": "c1", "type": "conv", "kernel": 3, "filters": 4, "padding": 1},
        {"name": "c2", "type": "conv", "kernel": 3, "filters": 6, "padding": 1},
    ]}}
    # c1 given 5 channels (key 4): c2's MACs 8*8 * 3*3*5*6 = 17280 (key 8*8*3*3*4*6 = 13824)
    verdict = graded(problem, {"t.c1.output.channels": 5, "t.c2.macs": 17280})["t.c2.macs"]
    assert (verdict.status, verdict.feedback) == (Status.CARRIED, "Correct given your c1.output.channels = 5.")


def test_a_layers_output_size_builds_on_the_previous_layers() -> None:
    problem = {"id": "t", "kind": "layer-table", "given": {"input": [32, 32, 3], "layers": [
        {"name": "c1", "type": "conv", "kernel": 3, "filters": 8},
        {"name": "p1", "type": "maxpool", "size": 2},
        {"name": "c2", "type": "conv", "kernel": 3, "filters": 8, "stride": 2},
    ]}}
    # key: c1 30x30, p1 15x15, c2 floor((15 - 3)/2) + 1 = 7. A student with c1 = 32 (padding assumed):
    # p1 = 32/2 = 16, c2 = floor((16 - 3)/2) + 1 = 7 (the key's: not carried, simply right)
    answers = {"t.c1.output.height": 32, "t.p1.output.height": 16, "t.c2.output.height": 7}
    verdicts = graded(problem, answers)
    assert verdicts["t.p1.output.height"].feedback == "Correct given your c1.output.height = 32."
    assert verdicts["t.c2.output.height"].status is Status.CORRECT
    # p1 = 17 (a slip): c2 = floor((17 - 3)/2) + 1 = 8, right given it
    slipped = graded(problem, {**answers, "t.p1.output.height": 17, "t.c2.output.height": 8})
    assert slipped["t.c2.output.height"].feedback == "Correct given your p1.output.height = 17."


TABLE = {"id": "t", "kind": "layer-table", "given": {"input": [32, 32, 3], "layers": [
    {"name": "c1", "type": "conv", "kernel": 3, "filters": 8},
    {"name": "p1", "type": "maxpool", "size": 2},
    {"name": "c2", "type": "conv", "kernel": 3, "filters": 16},
    {"name": "f", "type": "flatten"},
    {"name": "d", "type": "dense", "units": 10, "bias": True},
]}}


@settings(max_examples=40, deadline=None)
@given(CONSTANTS)
def test_a_constant_in_every_field_of_a_layer_table_earns_no_carried_credit(constant: Fraction) -> None:
    from grader.rubric.answer_key import build_answer_key
    from grader.rubric.model import parse_rubric

    key = build_answer_key(parse_rubric({"assignment": "hw", "problems": [TABLE]}, "r.yaml"))
    assume(constant not in {Fraction(value) for value in key.values.values()})
    verdicts = graded(TABLE, dict.fromkeys(key.values, str(constant)))
    assert [path for path, v in verdicts.items() if v.points] == []


@settings(max_examples=40, deadline=None)
@given(CONSTANTS)
def test_right_shapes_and_a_constant_in_every_count_earn_the_shapes_only(constant: Fraction) -> None:
    from grader.rubric.answer_key import build_answer_key
    from grader.rubric.model import parse_rubric

    key = build_answer_key(parse_rubric({"assignment": "hw", "problems": [TABLE]}, "r.yaml"))
    shapes = {path: str(value) for path, value in key.values.items() if ".output." in path}
    counts = [path for path in key.values if path not in shapes]
    verdicts = graded(TABLE, {**shapes, **dict.fromkeys(counts, str(constant))})
    # pooling and flatten have 0 parameters and 0 MACs: a 0 there is right; a total of 0s is no work
    right_by_chance = [path for path in counts if key.values[path] == constant]
    assert sorted(path for path, v in verdicts.items() if v.points) == sorted([*shapes, *right_by_chance])
