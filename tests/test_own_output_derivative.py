"""A sigmoid, tanh or exp node's local derivative comes from its own value, the student's own where
they gave one: σ' = σ(1 − σ), tanh' = 1 − tanh², exp' = exp. Checked against central finite
differences and by hand."""
from __future__ import annotations

import math
from fractions import Fraction

import pytest

from grader.judging.results import Status
from grader.solver.graph import Graph, build_graph, forward, gradients
from tests.test_carried_forward import graded

F = Fraction
STEP = 1e-6


def _loss_at(graph: Graph, leaf: str, value: float) -> float:
    moved = Graph({**graph.leaves, leaf: value}, graph.nodes, graph.loss)
    return float(forward(moved)[graph.loss])


def test_key_gradients_through_sigmoid_tanh_and_exp_match_finite_differences() -> None:
    graph = build_graph({"x": F(3, 10), "w": F(-7, 10)},
                        {"a": "sigmoid(w*x)", "b": "tanh(a*w)", "c": "exp(b - x)", "L": "(c - 2)^2"}, "L")
    found = gradients(graph)
    for leaf in ("x", "w"):
        at = float(graph.leaves[leaf])
        numeric = (_loss_at(graph, leaf, at + STEP) - _loss_at(graph, leaf, at - STEP)) / (2 * STEP)
        assert float(found[leaf]) == pytest.approx(numeric, rel=1e-6)


@pytest.mark.parametrize(("function", "own", "inverse"), [
    ("sigmoid", 0.6, lambda y: math.log(y / (1 - y))),
    ("tanh", 0.5, math.atanh),
    ("exp", 3.0, math.log),
])
def test_a_students_own_output_gives_the_derivative_at_the_input_that_produces_it(function, own, inverse) -> None:
    # the local derivative at the student's own s is f'(z') where f(z') = s: finite differences at z'
    graph = build_graph({"x": F(0), "t": F(1)}, {"s": f"{function}(x)", "L": "(s - t)^2"}, "L")
    given_gradient = F(-4, 5)
    found = gradients(graph, {"s": own}, {"s": given_gradient})["x"]
    f = {"sigmoid": lambda z: 1 / (1 + math.exp(-z)), "tanh": math.tanh, "exp": math.exp}[function]
    z = inverse(own)
    slope = (f(z + STEP) - f(z - STEP)) / (2 * STEP)
    assert float(found) == pytest.approx(float(given_gradient) * slope, rel=1e-6)


# x = 2, w = 0.5, b = -1: z = 0, s = sigmoid(0) = 0.5, L = (0.5 - 1)^2 = 0.25;
# dL/ds = 2(0.5 - 1) = -1, dL/dz = -1 * 0.5 * 0.5 = -0.25, dL/dw = -0.25 * 2 = -0.5
SIGMOID = {"id": "q", "kind": "backprop",
           "given": {"values": {"x": 2, "w": 0.5, "b": -1, "t": 1}, "nodes": {"z": "w*x + b", "s": "sigmoid(z)", "L": "(s - t)^2"},
                     "loss": "L"},
           "ask": ["forward.z", "forward.s", "forward.L", "grad.s", "grad.z", "grad.w"]}
KEY = {"q.forward.z": 0, "q.forward.s": 0.5, "q.forward.L": 0.25, "q.grad.s": -1, "q.grad.z": -0.25, "q.grad.w": -0.5}


def test_the_key_by_hand() -> None:
    assert all(verdict.status is Status.CORRECT for verdict in graded(SIGMOID, KEY).values())


def test_the_students_own_sigmoid_output_is_used_in_its_derivative() -> None:
    # s = 0.6 (a slip): L = 0.16, dL/ds = 2(0.6 - 1) = -0.8, dL/dz = -0.8 * 0.6 * 0.4 = -0.192, dL/dw = -0.192 * 2 = -0.384
    verdicts = graded(SIGMOID, {**KEY, "q.forward.s": 0.6, "q.forward.L": 0.16, "q.grad.s": -0.8, "q.grad.z": -0.192, "q.grad.w": -0.384})
    assert verdicts["q.forward.s"].status is Status.INCORRECT
    assert [verdicts[f"q.{name}"].status for name in ("forward.L", "grad.s", "grad.z", "grad.w")] == [Status.CARRIED] * 4
    assert "forward.s" in verdicts["q.grad.z"].feedback  # the value it builds on is named


def test_the_keys_sigmoid_derivative_with_the_students_own_output_is_not_carried() -> None:
    # -0.8 * 0.5 * 0.5 = -0.2 mixes the student's dL/ds with the key's σ(1 − σ): not what their s gives
    verdicts = graded(SIGMOID, {**KEY, "q.forward.s": 0.6, "q.forward.L": 0.16, "q.grad.s": -0.8, "q.grad.z": -0.2})
    assert verdicts["q.grad.z"].status is Status.INCORRECT
