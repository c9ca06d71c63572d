"""grader.solver.network_layers: dense and softmax-cross-entropy shorthands, checked through the backprop kind
against hand-derived values, Matt Mazur's published worked example, and the softmax's known gradient."""
from __future__ import annotations

import math

import pytest

from grader.solver.kinds.backprop import parse, solve
from grader.solver.network_layers import weight_name
from tests.homework import Q3_FORWARD, read_given


def answers(given: dict) -> dict:
    spec, issues = read_given(parse, given)
    assert issues == []
    return solve(spec)


def test_weight_names_follow_the_input_to_output_convention() -> None:
    assert weight_name("w1", 2, 1, 2) == "w1_21"  # from input 2 to output 1
    assert weight_name("w", 3, 10, 10) == "w_3_10"  # separated once an index can reach 10


def test_dense_layers_rebuild_homework_question_3() -> None:
    result = answers({
        "values": {"x1": 1, "x2": -1, "t": 2},
        "layers": [
            {"dense": {"inputs": ["x1", "x2"], "outputs": ["y1", "y2"], "weights": "w1", "matrix": [[2, 0], [1, -1]]}},
            {"dense": {"inputs": ["y1", "y2"], "outputs": ["z1", "z2"], "weights": "w2", "matrix": [[1, -1], [1, 0]]}},
            {"dense": {"inputs": ["z1", "z2"], "outputs": ["z"], "weights": "w3", "matrix": [[-1], [1]]}},
        ],
        "nodes": {"L": "(z - t)^2"},
        "loss": "L",
    })
    assert {node: result[f"forward.{node}"] for node in Q3_FORWARD} == Q3_FORWARD
    # the homework's gradients under the shorthand's names: w1_21 is still x2 -> y1, w3_11 is z1 -> z
    assert (result["grad.w1_11"], result["grad.w1_21"], result["grad.w1_12"], result["grad.w1_22"]) == (20, -20, 10, -10)
    assert (result["grad.w3_11"], result["grad.w3_21"]) == (-20, 10)
    assert (result["grad.x1"], result["grad.x2"]) == (40, 10)


MAZUR = {
    "values": {"i1": "0.05", "i2": "0.10", "t1": "0.01", "t2": "0.99"},
    "layers": [
        # Mazur's w1 (i1->h1), w2 (i2->h1), w3 (i1->h2), w4 (i2->h2): row i holds input i's weights
        {"dense": {"inputs": ["i1", "i2"], "outputs": ["h1", "h2"], "weights": "wh", "matrix": [[0.15, 0.25], [0.20, 0.30]],
                   "bias": "b1", "bias_values": [0.35, 0.35], "activation": "sigmoid"}},
        # w5 (h1->o1), w6 (h2->o1), w7 (h1->o2), w8 (h2->o2)
        {"dense": {"inputs": ["h1", "h2"], "outputs": ["o1", "o2"], "weights": "wo", "matrix": [[0.40, 0.50], [0.45, 0.55]],
                   "bias": "b2", "bias_values": [0.60, 0.60], "activation": "sigmoid"}},
    ],
    "nodes": {"E": "1/2*(t1 - o1)^2 + 1/2*(t2 - o2)^2"},
    "loss": "E",
    "learning_rate": 0.5,
}


def test_mazur_worked_example_through_dense_shorthands() -> None:
    result = answers(MAZUR)
    assert result["forward.net_h1"] == pytest.approx(0.3775)  # published net_h1
    assert result["forward.h1"] == pytest.approx(0.593269992)  # published out_h1
    assert result["forward.o1"] == pytest.approx(0.75136507)  # published out_o1
    assert result["forward.E"] == pytest.approx(0.298371109)  # published E_total
    published_updates = {
        "wo_11": 0.35891648, "wo_21": 0.408666186, "wo_12": 0.511301270, "wo_22": 0.561370121,  # w5..w8
        "wh_11": 0.149780716, "wh_21": 0.19956143, "wh_12": 0.24975114, "wh_22": 0.29950229,  # w1..w4
    }
    for weight, updated in published_updates.items():
        assert result[f"step.{weight}"] == pytest.approx(updated, abs=1e-8), weight


def test_softmax_cross_entropy_gradient_is_p_minus_one_hot() -> None:
    result = answers({
        "values": {"z1": 1, "z2": 2, "z3": 3},
        "layers": [{"softmax_cross_entropy": {"logits": ["z1", "z2", "z3"], "probabilities": ["p1", "p2", "p3"],
                                              "target": 3, "loss": "L"}}],
        "loss": "L",
    })
    total = math.e + math.e**2 + math.e**3
    p = [math.e / total, math.e**2 / total, math.e**3 / total]  # 0.0900, 0.2447, 0.6652
    assert result["forward.p3"] == pytest.approx(0.66524096)
    assert result["forward.L"] == pytest.approx(0.40760596)  # -ln(0.66524096)
    assert [result[f"grad.z{k}"] for k in (1, 2, 3)] == pytest.approx([p[0], p[1], p[2] - 1])


def test_learning_rate_step_is_exact_for_a_rational_graph() -> None:
    result = answers({"values": {"w": 3, "x": 2, "t": 1}, "nodes": {"y": "w*x", "L": "(y - t)^2"}, "loss": "L",
                      "learning_rate": "1/10"})
    # dL/dw = 2(wx - t)x = 2*5*2 = 20; w' = 3 - 20/10 = 1
    assert result["step.w"] == 1
    assert result["step.x"] == 2 - (2 * 5 * 3) / 10  # dL/dx = 2(wx - t)w = 30 -> -1


@pytest.mark.parametrize(
    ("layer", "field", "fragment"),
    [
        ({"dense": {"inputs": ["x"], "outputs": ["y"], "weights": "w", "matrix": [[1, 2]]}},
         "given.layers[0].dense.matrix", "1 rows (one per input) of 1 numbers"),
        ({"dense": {"inputs": ["x"], "outputs": ["y"], "weights": "w", "bias_values": [1]}},
         "given.layers[0].dense.bias_values", "a `bias` name"),
        ({"dense": {"inputs": ["x"], "outputs": ["y"], "weights": "w", "activation": "softplus"}},
         "given.layers[0].dense.activation", "one of relu, sigmoid, tanh"),
        ({"dense": {"inputs": ["x"], "outputs": ["y"], "weights": "w", "bais": "b"}},
         "given.layers[0].dense.bais", "did you mean 'bias'"),
        ({"conv": {}}, "given.layers[0]", "expected one of dense, softmax_cross_entropy"),
        ({"softmax_cross_entropy": {"logits": ["x"], "probabilities": ["p"], "target": 2, "loss": "L2"}},
         "given.layers[0].softmax_cross_entropy.probabilities", "target between 1 and 1"),
    ],
)
def test_layer_mistakes_are_located(layer: dict, field: str, fragment: str) -> None:
    spec, issues = read_given(parse, {"values": {"x": 1}, "layers": [layer], "nodes": {"L": "x^2"}, "loss": "L"})
    assert spec is None
    assert any(name == field and fragment in expected for name, expected in issues), issues


def test_every_gradient_of_the_bundled_backprop_examples_matches_central_differences() -> None:
    """A second method for every leaf gradient of every example graph: (L(v + h) − L(v − h)) / 2h."""
    from dataclasses import replace

    from grader.rubric.model import load_rubric
    from grader.solver.graph import forward, gradients
    from tests.homework import ROOT

    rubric = load_rubric(ROOT / "rubrics" / "example-backprop.yaml")
    h = 1e-6
    for problem in rubric.problems:
        graph = problem.parts[0].spec.graph
        analytic = gradients(graph)
        for leaf, value in graph.leaves.items():
            up = forward(replace(graph, leaves={**graph.leaves, leaf: float(value) + h}))[graph.loss]
            down = forward(replace(graph, leaves={**graph.leaves, leaf: float(value) - h}))[graph.loss]
            assert (up - down) / (2 * h) == pytest.approx(float(analytic[leaf]), rel=1e-5, abs=1e-7), (problem.id, leaf)
