"""A wrong value that no mistake explains says so plainly and, only where the rubric reveals
reference values, names the working to check, with the problem's numbers (worked out by hand)."""
from __future__ import annotations

import pytest

from grader.console import check_as_text
from grader.exports import student_markdown, student_reports
from grader.exports.report_context import row_fields
from grader.intake.submission import Submission
from grader.judging.results import Status
from grader.judging.scoring import grade_submission
from grader.rubric.answer_key import build_answer_key
from grader.rubric.model import parse_rubric
from tests.test_carried_forward import HW4_Q3, graded, q3_answers

# 32×32×3 input, 16 filters of 3×3, padding 1, bias: output ⌊(32 − 3 + 2)/1⌋ + 1 = 32;
# weights 3·3·3·16 = 432; parameters 432 + 16 = 448
CONV = {"id": "c", "kind": "convolution",
        "given": {"input": [32, 32, 3], "kernel": 3, "filters": 16, "padding": 1, "bias": True}}
SIZE = {"id": "s", "kind": "output-size", "given": {"input": [20, 20, 10], "output": [20, 20, 10], "kernel": 3}}


def test_a_wrong_value_no_mistake_explains_says_so_plainly() -> None:
    verdict = graded(CONV, {"c.weights": 500})["c.weights"]
    assert (verdict.status, verdict.mistake) == (Status.INCORRECT, "")
    assert verdict.feedback == "Incorrect: no usual mistake gives 500; check your working."
    assert verdict.working == "k·k·C_in·C_out = 3·3·3·16"


def test_a_named_mistake_carries_no_working() -> None:
    verdict = graded(CONV, {"c.weights": 144})["c.weights"]  # 3·3·16: the input channels left out
    assert (verdict.mistake, verdict.working) == ("input channels left out", "")


@pytest.mark.parametrize(("problem", "answers", "path", "working"), [
    (CONV, {"c.output.height": 31}, "c.output.height", "⌊(W − F + 2P)/S⌋ + 1 = ⌊(32 − 3 + 2)/1⌋ + 1"),
    (CONV, {"c.parameters": 450}, "c.parameters", "the weights + 16 biases (one per output channel)"),
    (CONV, {"c.macs": 5}, "c.macs", "one MAC per weight per output position: H_out·W_out·weights = 32·32·432"),
    # padding and stride unknown: P = 5 fits no stride ((20 − 3 + 10)/S = 19 has none), nor P, 2P or the + 1
    (SIZE, {"s.padding": 5, "s.stride": 1}, "s.padding",
     "solve W2 = (W1 − F + 2P)/S + 1 for P with W1 = 20, W2 = 20, F = 3 (and a whole-number S)"),
    (SIZE, {"s.filters": 7}, "s.filters", "one filter per output channel: 10"),
    # z = -3, t = 2: ∂L/∂z = 2(z − t) = -10; z = z1·w3_1 + z2·w3_2, so ∂z/∂z1 = w3_1 = -1
    (HW4_Q3, q3_answers(grad__z1=7), "q3.grad.z1", "∂L/∂z1 = ∂L/∂z·∂z/∂z1 = (-10)·(-1)"),
    # ∂L/∂z1 = 10, ∂L/∂z2 = -10·w3_2 = -10; ∂z1/∂y1 = w2_11 = 1, ∂z2/∂y1 = w2_12 = -1
    (HW4_Q3, q3_answers(grad__y1=3), "q3.grad.y1", "∂L/∂y1 = ∂L/∂z1·∂z1/∂y1 + ∂L/∂z2·∂z2/∂y1 = 10·1 + (-10)·(-1)"),
    (HW4_Q3, q3_answers(grad__z=7), "q3.grad.z", "∂L/∂z = ∂L/∂z = (-10) (L differentiated at t = 2, z = -3)"),
])
def test_the_working_names_the_formula_with_the_problems_numbers(problem: dict, answers: dict, path: str, working: str) -> None:
    verdict = graded(problem, answers)[path]
    assert (verdict.status, verdict.mistake) == (Status.INCORRECT, "")
    assert verdict.working == working


def test_a_kind_without_working_still_says_the_plain_sentence() -> None:
    # softmax-cross-entropy has no `working`: p = softmax of [0, 0] is 1/2 each
    problem = {"id": "p", "kind": "softmax-cross-entropy", "given": {"logits": [0, 0], "target": 1}}
    verdict = graded(problem, {"p.p1": 0.3})["p.p1"]
    assert (verdict.status, verdict.mistake, verdict.working) == (Status.INCORRECT, "", "")
    assert verdict.feedback == "Incorrect: no usual mistake gives 0.3; check your working."


def _outputs(reveal: bool) -> list[str]:
    """What a student can see of a wrong weights answer: the console check and both reports."""
    top = {"assignment": "hw", "reveal": "always" if reveal else "never", "problems": [CONV]}
    key = build_answer_key(parse_rubric(top, "r.yaml"))
    result = grade_submission(key, Submission("f.yaml", "s1", "", {"c.weights": 500, "c.output.height": 31}))
    verdict = next(v for v in result.verdicts if v.path == "c.weights")
    markdown = student_markdown.render_report(result, key, reveal).decode().replace("\\_", "_")  # Markdown escapes `_`
    return [row_fields(verdict, reveal)["feedback"], check_as_text(result, key, reveal),
            student_reports.render_report(result, key, reveal).decode(), markdown]


def test_the_working_is_shown_where_the_rubric_reveals() -> None:
    row, *whole = _outputs(reveal=True)
    assert row == "Incorrect: no usual mistake gives 500; check your working. Worked out: k·k·C_in·C_out = 3·3·3·16."
    for text in whole:
        assert "no usual mistake gives 500" in text and "Worked out: k·k·C_in·C_out = 3·3·3·16." in text
        assert "(32 − 3 + 2)" in text and "432" in text  # the height's working; the key's weights


def test_the_working_never_appears_under_reveal_never() -> None:
    for text in _outputs(reveal=False):
        assert "no usual mistake gives 500" in text
        assert "Worked out" not in text and "3·3·3·16" not in text and "(32 − 3 + 2)" not in text
        assert "432" not in text and "448" not in text  # no reference value either


@pytest.mark.parametrize(("answer", "working"), [
    # 30×30×20 → 15×15×40 with 3×3 filters: the depthwise step has one 3×3 filter per input channel
    ("depthwise.weights", "k·k·(C_in/groups)·C_out = 3·3·(20/20)·20"),
    ("pointwise.macs", "one MAC per weight per output position: H_out·W_out·weights = 15·15·800"),
    ("standard.weights", "k·k·C_in·C_out = 3·3·20·40"),
    ("separable.weights", "depthwise weights + pointwise weights"),
])
def test_a_separable_comparisons_working(answer: str, working: str) -> None:
    problem = {"id": "q1", "kind": "convolution-cost", "given": {"input": [30, 30, 20], "kernel": 3, "output": [15, 15, 40]}}
    verdict = graded(problem, {f"q1.{answer}": 12_345})[f"q1.{answer}"]
    assert (verdict.status, verdict.mistake, verdict.working) == (Status.INCORRECT, "", working)
