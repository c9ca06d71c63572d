"""grader.solver.kinds.backprop: reading a network of named equations and listing every forward value and gradient."""
from __future__ import annotations

from fractions import Fraction

import pytest

from grader.solver.graph import Graph
from grader.solver.kinds import KINDS
from grader.solver.kinds.backprop import KIND, parse, solve
from tests.homework import Q3_FORWARD, Q3_GRADIENTS, Q3_NODES, Q3_VALUES, read_given

# SML homework 4, question 3, as written in rubrics/sml-hw4.yaml, with its hand-derived values.
Q3_GIVEN = {"values": Q3_VALUES, "nodes": Q3_NODES, "loss": "L"}
Q3_ANSWERS = {
    **{f"forward.{node}": value for node, value in Q3_FORWARD.items()},
    **{f"grad.{name}": value for name, value in Q3_GRADIENTS.items() if name != "L"},
}


def read(given):
    return read_given(parse, given)


def with_changes(**changes):
    given = {key: dict(value) if isinstance(value, dict) else value for key, value in Q3_GIVEN.items()}
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(given.get(key), dict):
            given[key].update(value)
        else:
            given[key] = value
    return given


def test_registered_under_its_name():
    assert KINDS["backprop"] is KIND
    assert KIND.parse is parse and KIND.solve is solve


def test_parse_homework_q3():
    spec, issues = read(Q3_GIVEN)
    assert issues == []
    assert spec.learning_rate is None
    graph = spec.graph
    assert isinstance(graph, Graph)
    assert graph.loss == "L"
    assert sorted(name for name, _ in graph.nodes) == sorted(Q3_GIVEN["nodes"])
    assert graph.leaves == {name: Fraction(value) for name, value in Q3_GIVEN["values"].items()}


def test_solve_homework_q3_exactly():
    graph, _ = read(Q3_GIVEN)
    answers = solve(graph)
    assert answers == Q3_ANSWERS
    assert "grad.L" not in answers  # the loss's own gradient (1) is not asked
    assert all(isinstance(value, Fraction) for value in answers.values())


def test_values_in_student_formats_are_read_exactly():
    given = with_changes(values={"x2": "\u22121", "t": "4/2", "w1_11": "2.0", "w3_1": -1.0})
    graph, issues = read(given)
    assert issues == []
    assert solve(graph) == Q3_ANSWERS


def test_numeric_node_is_taken_as_a_constant_equation():
    graph, issues = read({"values": {"x": 3}, "nodes": {"c": 4, "L": "c*x^2"}, "loss": "L"})
    assert issues == []
    # L = 4 x^2 = 36; dL/dc = x^2 = 9; dL/dx = 8x = 24
    assert solve(graph) == {"forward.c": 4, "forward.L": 36, "grad.c": 9, "grad.x": 24}


def test_sigmoid_network_with_float_values():
    given = {"values": {"x": 0, "t": 1}, "nodes": {"o": "sigmoid(x)", "L": "(o - t)*(o - t)"}, "loss": "L"}
    graph, issues = read(given)
    assert issues == []
    answers = solve(graph)
    # o = 1/2, L = 1/4; dL/do = 2(o - t) = -1; dL/dx = -1 * o(1 - o) = -1/4; dL/dt = -2(o - t) = 1
    expected = {"forward.o": 0.5, "forward.L": 0.25, "grad.o": -1.0, "grad.x": -0.25, "grad.t": 1.0}
    assert answers.keys() == expected.keys()
    for name, value in expected.items():
        assert answers[name] == pytest.approx(value, rel=1e-12)


def test_sigmoid_network_with_squared_error_loss():
    given = {"values": {"x": 0, "t": 1}, "nodes": {"o": "sigmoid(x)", "L": "(o - t)^2"}, "loss": "L"}
    graph, issues = read(given)
    assert issues == []
    assert solve(graph)["grad.x"] == pytest.approx(-0.25)  # 2(o - t) * o(1 - o) = 2(-1/2)(1/4)


def test_overflow_becomes_an_issue():
    graph, issues = read({"values": {"x": 1000}, "nodes": {"L": "exp(x)"}, "loss": "L"})
    assert graph is None
    assert [field for field, _ in issues] == ["given.nodes"]


@pytest.mark.parametrize(
    "given, field, fragment",
    [
        ({"nodes": Q3_GIVEN["nodes"], "loss": "L"}, "given.nodes", "node 'y1' uses undefined name(s): w1_11, w1_21, x1, x2"),
        ({"values": Q3_GIVEN["values"], "loss": "L"}, "given.nodes", "loss 'L' is not one of the nodes"),
        ({"values": Q3_GIVEN["values"], "nodes": Q3_GIVEN["nodes"]}, "given.loss", "required but missing"),
        (with_changes(values=[1, 2]), "given.values", "mapping of names to values"),
        (with_changes(nodes="y = x"), "given.nodes", "mapping of names to values"),
        (with_changes(loss=3), "given.loss", "expected text"),
        (with_changes(values={"x1": "abc"}), "given.values.x1", "expected a number"),
        (with_changes(values={"x1": True}), "given.values.x1", "expected a number"),
        (with_changes(values={"x1": "1,5"}), "given.values.x1", "ambiguous"),
        (with_changes(values={"1x": 1}), "given.values.1x", "expected a name"),
        (with_changes(values={"w-1": 1}), "given.values.w-1", "expected a name"),
        (with_changes(nodes={"exp": "x1"}), "given.nodes.exp", "not a function name"),
        (with_changes(nodes={"y1": ["x1", "w1_11"]}), "given.nodes.y1", "expected an expression"),
        (with_changes(nodes={"y1": True}), "given.nodes.y1", "expected an expression"),
        (with_changes(loss="Q"), "given.nodes", "loss 'Q' is not one of the nodes"),
        (with_changes(loss="x1"), "given.nodes", "loss 'x1' is not one of the nodes"),
        (with_changes(nodes={"y1": "x1*w1_11 + x3"}), "given.nodes", "undefined name(s): x3"),
        (with_changes(nodes={"y1": "x1*"}), "given.nodes", "node 'y1'"),
        (with_changes(nodes={"y1": "z + x1"}), "given.nodes", "cycle"),
        (with_changes(nodes={"x1": "2"}), "given.nodes", "'x1' is both a given value and a node"),
        (with_changes(nodes={"y1": "x1/(x2 + 1)"}), "given.nodes", "division by zero"),  # x2 + 1 = 0
        (with_changes(losss="L"), "given.losss", "did you mean 'loss'?"),
    ],
)
def test_parse_reports_problems(given, field, fragment):
    graph, issues = read(given)
    assert graph is None
    assert any(name == field and fragment in expected for name, expected in issues), issues


def test_error_only_in_the_backward_pass_is_reported_at_parse_time():
    """x^n is fine forward for x = -2, n = 2, but d/dn needs log(x): the rubric must fail to load, not grading."""
    graph, issues = read({"values": {"x": -2, "n": 2}, "nodes": {"L": "x^n"}, "loss": "L"})
    assert graph is None
    assert issues and issues[0][0] == "given.nodes" and "log of a non-positive number" in issues[0][1]


def test_every_issue_is_collected():
    given = with_changes(values={"x1": "abc", "2bad": 1}, nodes={"y1": [1]})
    graph, issues = read(given)
    assert graph is None
    assert {field for field, _ in issues} == {"given.values.x1", "given.values.2bad", "given.nodes.y1"}
