"""Cases the review of issue 17 found, each against a figure computed with PyTorch
(tests/fixtures/framework/review_figures.json, written by make_review_figures.py beside it)."""
from __future__ import annotations

import json
from fractions import Fraction

from grader.solver.kinds.layer_table import dependencies, parse, solve, solve_with
from tests.homework import ROOT, read_given

REVIEW = json.loads((ROOT / "tests" / "fixtures" / "framework" / "review_figures.json").read_text(encoding="utf-8"))

DENSE_LAYER = {"input": [8, 8, 16], "layers": [
    {"name": "grow", "type": "conv", "kernel": 3, "padding": 1, "filters": 12},
    {"name": "cat", "type": "concat", "inputs": ["input", "grow"]},
    {"name": "transition", "type": "pointwise", "filters": 32},
]}


def test_a_concat_may_join_the_networks_input_as_a_densenet_layer_does() -> None:
    figures = REVIEW["dense_layer_on_input_8x8x16"]
    spec, issues = read_given(parse, DENSE_LAYER)
    assert issues == []
    result = solve(spec)
    assert [result[f"cat.output.{axis}"] for axis in ("height", "width", "channels")] == figures["concat_shape_hwc"]
    assert (result["grow.params"], result["transition.params"]) == (figures["grow_params"], figures["transition_params"])


def test_a_concat_of_the_input_carries_from_the_students_other_branch_only() -> None:
    spec, _ = read_given(parse, DENSE_LAYER)
    assert dependencies(spec)["cat.output.channels"] == ("grow.output.channels",)
    assert solve_with(spec, {"grow.output.channels": Fraction(10)})["cat.output.channels"] == 16 + 10


def issues_of(given: dict) -> list[tuple[str, str]]:
    spec, issues = read_given(parse, given)
    assert spec is None
    return issues


def test_a_layer_fed_by_itself_is_named_as_a_loop_not_as_a_misspelling() -> None:
    for row in ({"name": "a", "type": "conv", "kernel": 1, "filters": 3, "input": "a"}, {"name": "a", "type": "add", "inputs": ["a", "input"]}):
        [(field, message)] = issues_of({"input": [8, 8, 3], "layers": [row]})
        assert field.startswith("given.layers[0].input") and "from itself" in message


def test_a_transposed_convolution_padded_to_nothing_is_reported_on_its_padding() -> None:
    """(8 − 1)·1 − 2·100 + 3 < 1: the padding is what is wrong, not the kernel."""
    [(field, message)] = issues_of({"input": [8, 8, 3], "layers": [{"type": "transposed", "kernel": 3, "filters": 2, "padding": 100}]})
    assert field == "given.layers[0].padding" and "leaves no output" in message


def test_a_table_of_ten_thousand_rows_is_refused_before_it_is_read() -> None:
    rows = [{"type": "activation"}] * 10_000
    [(field, message)] = issues_of({"input": [8, 8, 3], "layers": rows})
    assert field == "given.layers" and "at most 2,000 layers" in message


def test_a_thousand_row_residual_chain_is_still_a_table() -> None:
    """1,000 rows alternating conv and add, as a deep residual chain: each 3×3 conv 8→8 has 576 weights."""
    rows = [{"name": "c0", "type": "conv", "kernel": 3, "filters": 8, "padding": 1}]
    rows += [{"name": f"c{i}", "type": "add", "inputs": [f"c{i - 1}", f"c{i - 2}"]} if i % 3 == 0
             else {"name": f"c{i}", "type": "conv", "kernel": 3, "filters": 8, "padding": 1} for i in range(1, 1000)]
    spec, issues = read_given(parse, {"input": [16, 16, 8], "layers": rows})
    assert issues == []
    assert solve(spec)["total.params"] == 667 * 576  # 1,000 rows less the 333 adds at i = 3, 6, …, 999


def test_a_student_whose_total_is_zero_gets_no_carried_share_and_stops_no_batch() -> None:
    """Shares carry from the student's own subtotal and total; a total of 0 (an all-zeros sheet)
    left the share out of the re-solved answers, and the KeyError stopped the whole batch."""
    from grader.intake.submission import Submission
    from grader.judging.results import Status
    from grader.judging.scoring import grade_submission
    from grader.rubric.answer_key import build_answer_key
    from grader.rubric.model import parse_rubric

    given = {"input": [8, 8, 16], "subtotals": True, "layers": [{"type": "pointwise", "filters": 32}, {"type": "depthwise", "kernel": 3}]}
    key = build_answer_key(parse_rubric({"assignment": "hw", "problems": [{"id": "q", "kind": "layer-table", "given": given}]}, "r.yaml"))
    zeros = {entry.path: "0" for entry in key.entries}
    verdicts = {verdict.path: verdict for verdict in grade_submission(key, Submission("f.yaml", "s1", "", zeros)).verdicts}
    assert verdicts["q.by_type.pointwise.params_share"].status == Status.INCORRECT
    # by hand: pointwise 16·32 = 512 of 512 + 3·3·32 = 800 parameters
    assert key.by_path["q.by_type.pointwise.params_share"].value == Fraction(512, 800)


def test_a_multilayer_perceptron_starts_from_flat_units() -> None:
    """The first table of a course: 784 → 256 → 10, by hand 784·256 + 256 = 200,960 and
    256·10 + 10 = 2,570, 203,530 in all (nn.Sequential(Linear(784, 256), ReLU(), Linear(256, 10)))."""
    spec, issues = read_given(parse, {"input": [784], "activations": True, "activations_include_input": True, "layers": [
        {"name": "fc1", "type": "dense", "units": 256, "bias": True}, {"type": "activation"},
        {"name": "fc2", "type": "dense", "units": 10, "bias": True}]})
    assert issues == []
    result = solve(spec)
    assert (result["fc1.params"], result["fc2.params"], result["total.params"]) == (200_960, 2_570, 203_530)
    assert (result["total.macs"], result["total.activations"]) == (784 * 256 + 256 * 10, 784 + 256 + 256 + 10)


def test_a_flat_input_refuses_convolutions_and_receptive_fields_by_name() -> None:
    issues = issues_of({"input": [784], "receptive_field": True, "layers": [{"type": "conv", "kernel": 3, "filters": 4}]})
    assert {field for field, _ in issues} == {"given.receptive_field", "given.layers[0].type"}
    assert issues_of({"input": [28, 28], "layers": [{"type": "flatten"}]})[0][0] == "given.input"


def test_a_join_of_a_flat_and_an_image_input_says_units() -> None:
    [(field, message)] = issues_of({"input": [8, 8, 3], "layers": [{"type": "flatten"}, {"type": "add", "inputs": ["layer1", "input"]}]})
    assert field == "given.layers[1].inputs" and "'layer1' gives 192 units, 'input' gives 8×8×3" in message  # 8·8·3 = 192
