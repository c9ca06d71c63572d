"""grader.solver.graph: forward values and reverse-mode gradients, checked by hand and by finite differences."""
from __future__ import annotations

from fractions import Fraction

import pytest

from grader.base.errors import ExpressionError
from grader.solver.graph import build_graph, forward, gradients
from tests.homework import Q3_FORWARD, Q3_GRADIENTS, Q3_LEAVES, Q3_NODES

F = Fraction

# A float graph touching every function, division, constant and variable powers (all bases > 0 here).
MIXED_LEAVES = {"a": 0.5, "b": -0.3, "c": 1.2, "d": 0.8, "t": 0.25}
MIXED_NODES = {
    "h1": "sigmoid(a*c + b)",
    "h2": "tanh(b - a*d)",
    "h3": "exp(h1 - h2) / (1 + c^2)",
    "h4": "log(h3 + d) + relu(a - b) - relu(b)",
    "h5": "h4^3 + h1^h3 - 2^(-c)",
    "loss": "(h5 - t)^2 / 2",
}

# Matt Mazur, "A Step by Step Backpropagation Example": 2-2-2 network, sigmoid everywhere.
MAZUR_LEAVES = {
    name: F(text)
    for name, text in {
        "i1": "0.05", "i2": "0.10", "b1": "0.35", "b2": "0.60", "t1": "0.01", "t2": "0.99",
        "w1": "0.15", "w2": "0.20", "w3": "0.25", "w4": "0.30",
        "w5": "0.40", "w6": "0.45", "w7": "0.50", "w8": "0.55",
    }.items()
}
MAZUR_NODES = {
    "net_h1": "w1*i1 + w2*i2 + b1", "out_h1": "sigmoid(net_h1)",
    "net_h2": "w3*i1 + w4*i2 + b1", "out_h2": "sigmoid(net_h2)",
    "net_o1": "w5*out_h1 + w6*out_h2 + b2", "out_o1": "sigmoid(net_o1)",
    "net_o2": "w7*out_h1 + w8*out_h2 + b2", "out_o2": "sigmoid(net_o2)",
    "E_o1": "1/2 * (t1 - out_o1) * (t1 - out_o1)",
    "E_o2": "1/2 * (t2 - out_o2) * (t2 - out_o2)",
    "E_total": "E_o1 + E_o2",
}
# Weights after one step with learning rate 0.5, as published: dE/dw = (w - w_new) / 0.5.
MAZUR_UPDATED = {
    "w1": "0.149780716", "w2": "0.19956143", "w3": "0.24975114", "w4": "0.29950229",
    "w5": "0.35891648", "w6": "0.408666186", "w7": "0.511301270", "w8": "0.561370121",
}


def loss_of(leaves, nodes, loss):
    return forward(build_graph(leaves, nodes, loss))[loss]


def central_difference(leaves, nodes, loss, name, h):
    up, down = dict(leaves), dict(leaves)
    up[name] += h
    down[name] -= h
    return (loss_of(up, nodes, loss) - loss_of(down, nodes, loss)) / (2 * h)


def node_difference(leaves, nodes, loss, node, h):
    """d loss / d node, seen from outside: add a leaf eps to that node's equation and vary eps."""
    shifted = dict(nodes)
    shifted[node] = "(" + nodes[node] + ") + eps"
    return central_difference({**leaves, "eps": 0 * h}, shifted, loss, "eps", h)


def test_q3_forward_values():
    values = forward(build_graph(Q3_LEAVES, Q3_NODES, "L"))
    assert {name: values[name] for name in Q3_FORWARD} == Q3_FORWARD
    assert all(isinstance(values[name], Fraction) for name in Q3_FORWARD)
    assert {name: values[name] for name in Q3_LEAVES} == Q3_LEAVES


def test_q3_gradients_exact():
    grads = gradients(build_graph(Q3_LEAVES, Q3_NODES, "L"))
    assert grads == Q3_GRADIENTS
    assert all(isinstance(g, Fraction) for g in grads.values())


@pytest.mark.parametrize("name", sorted(Q3_LEAVES))
def test_q3_leaf_gradients_match_central_differences(name):
    """L is quadratic in each single leaf, so a central difference with a rational h is exact."""
    h = F(1, 10**6)
    assert central_difference(Q3_LEAVES, Q3_NODES, "L", name, h) == Q3_GRADIENTS[name]


@pytest.mark.parametrize("node", ["y1", "y2", "z1", "z2", "z"])
def test_q3_node_gradients_match_central_differences(node):
    h = F(1, 10**6)
    assert node_difference(Q3_LEAVES, Q3_NODES, "L", node, h) == Q3_GRADIENTS[node]


def test_q3_central_differences_with_float_step():
    h = 1e-6
    for name in Q3_LEAVES:
        slope = central_difference(Q3_LEAVES, Q3_NODES, "L", name, h)
        assert slope == pytest.approx(float(Q3_GRADIENTS[name]), rel=1e-6, abs=1e-6)


def test_mixed_graph_forward_by_hand():
    import math

    values = forward(build_graph(MIXED_LEAVES, MIXED_NODES, "loss"))
    h1 = 1 / (1 + math.exp(-(0.5 * 1.2 - 0.3)))  # sigmoid(0.3)
    h2 = math.tanh(-0.3 - 0.4)
    h3 = math.exp(h1 - h2) / (1 + 1.44)
    h4 = math.log(h3 + 0.8) + 0.8 - 0  # relu(0.8) - relu(-0.3)
    h5 = h4**3 + h1**h3 - 2 ** (-1.2)
    for name, expected in {"h1": h1, "h2": h2, "h3": h3, "h4": h4, "h5": h5, "loss": (h5 - 0.25) ** 2 / 2}.items():
        assert values[name] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("name", sorted(MIXED_LEAVES))
def test_mixed_leaf_gradients_match_central_differences(name):
    grads = gradients(build_graph(MIXED_LEAVES, MIXED_NODES, "loss"))
    slope = central_difference(MIXED_LEAVES, MIXED_NODES, "loss", name, 1e-6)
    assert grads[name] == pytest.approx(slope, rel=1e-6, abs=1e-7)


@pytest.mark.parametrize("node", ["h1", "h2", "h3", "h4", "h5"])
def test_mixed_node_gradients_match_central_differences(node):
    grads = gradients(build_graph(MIXED_LEAVES, MIXED_NODES, "loss"))
    slope = node_difference(MIXED_LEAVES, MIXED_NODES, "loss", node, 1e-6)
    assert grads[node] == pytest.approx(slope, rel=1e-6, abs=1e-7)


def test_mazur_forward_pass():
    values = forward(build_graph(MAZUR_LEAVES, MAZUR_NODES, "E_total"))
    assert values["net_h1"] == F("0.3775")  # 0.15*0.05 + 0.2*0.1 + 0.35, exact
    published = {"out_h1": 0.593269992, "out_h2": 0.596884378, "out_o1": 0.75136507,
                 "out_o2": 0.772928465, "E_total": 0.298371109}
    for name, expected in published.items():
        assert values[name] == pytest.approx(expected, abs=1e-8)


@pytest.mark.parametrize("weight", sorted(MAZUR_UPDATED))
def test_mazur_weight_gradients_match_published_update(weight):
    grads = gradients(build_graph(MAZUR_LEAVES, MAZUR_NODES, "E_total"))
    published = (MAZUR_LEAVES[weight] - F(MAZUR_UPDATED[weight])) / F(1, 2)  # w5: 0.082167041, w1: 0.000438568
    assert grads[weight] == pytest.approx(float(published), abs=2e-8)
    assert grads[weight] == pytest.approx(central_difference(MAZUR_LEAVES, MAZUR_NODES, "E_total", weight, 1e-6), rel=1e-5)


def test_mazur_intermediate_gradients_as_published():
    grads = gradients(build_graph(MAZUR_LEAVES, MAZUR_NODES, "E_total"))
    assert grads["out_o1"] == pytest.approx(0.74136507, abs=1e-8)  # -(t1 - out_o1)
    assert grads["net_o1"] == pytest.approx(0.138498562, abs=1e-8)  # 0.74136507 * 0.186815602
    assert grads["out_h1"] == pytest.approx(0.036350306, abs=1e-8)  # 0.055399425 - 0.019049119


def test_mazur_loss_written_with_a_square():
    nodes = {**MAZUR_NODES, "E_o1": "1/2*(t1 - out_o1)^2", "E_o2": "1/2*(t2 - out_o2)^2"}
    assert loss_of(MAZUR_LEAVES, nodes, "E_total") == pytest.approx(0.298371109, abs=1e-8)


def test_equation_order_does_not_matter():
    reversed_nodes = dict(reversed(list(Q3_NODES.items())))
    graph = build_graph(Q3_LEAVES, reversed_nodes, "L")
    order = [name for name, _ in graph.nodes]
    for before, after in [("y1", "z1"), ("y2", "z2"), ("z1", "z"), ("z2", "z"), ("z", "L")]:
        assert order.index(before) < order.index(after)
    assert forward(graph)["L"] == 25
    assert gradients(graph) == Q3_GRADIENTS


def test_unused_leaf_has_zero_gradient_and_shared_node_accumulates():
    graph = build_graph({"x": F(3), "unused": F(7)}, {"s": "x*x", "loss": "s + 2*s"}, "loss")
    grads = gradients(graph)
    # loss = 3 x^2: d/ds = 1 + 2 = 3, d/dx = 3 * 2x = 18
    assert grads == {"x": 18, "unused": 0, "s": 3, "loss": 1}


@pytest.mark.parametrize(
    "leaves, nodes, loss, fragment",
    [
        ({"x": F(1)}, {"x": "2", "L": "x"}, "L", "'x' is both a given value and a node"),
        ({"x": F(1)}, {"L": "x +"}, "L", "node 'L': expression ends too early"),
        ({"x": F(1)}, {"L": "x * exp"}, "L", "node 'L'"),
        ({"x": F(1)}, {"L": "x * q + r"}, "L", "node 'L' uses undefined name(s): q, r"),
        ({"x": F(1)}, {"y": "x"}, "L", "loss 'L' is not one of the nodes"),
        ({"x": F(1)}, {"y": "x"}, "x", "loss 'x' is not one of the nodes"),
        ({"x": F(1)}, {"a": "b + x", "b": "a", "L": "a"}, "L", "cycle"),
        ({"x": F(1)}, {"L": "L + x"}, "L", "cycle"),
    ],
)
def test_build_graph_errors(leaves, nodes, loss, fragment):
    with pytest.raises(ExpressionError) as info:
        build_graph(leaves, nodes, loss)
    assert fragment in str(info.value)


def test_forward_error_names_the_node():
    graph = build_graph({"x": F(2)}, {"d": "x - 2", "L": "1/d"}, "L")
    with pytest.raises(ExpressionError, match="node 'L': division by zero"):
        forward(graph)
    with pytest.raises(ExpressionError, match="node 'L'"):
        gradients(graph)
