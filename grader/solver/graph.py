"""A computational graph of named scalar equations, with forward values and reverse-mode gradients."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from graphlib import CycleError, TopologicalSorter
from typing import Mapping

from grader.base.errors import ExpressionError
from grader.base.expressions import (
    Call,
    Expr,
    accumulate_gradient,
    bounded,
    derivative_from_output,
    evaluate,
    parse_expression,
    variables,
)
from grader.base.numbers import Number


@dataclass(frozen=True)
class Graph:
    """Leaves hold given values; nodes are equations over leaves and other nodes, in evaluation order."""

    leaves: Mapping[str, Number]
    nodes: tuple[tuple[str, Expr], ...]
    loss: str


def build_graph(leaves: Mapping[str, Number], equations: Mapping[str, str], loss: str) -> Graph:
    """Parse and order the equations; every problem is an ExpressionError naming the node."""
    trees: dict[str, Expr] = {}
    for name, text in equations.items():
        if name in leaves:
            raise ExpressionError(f"'{name}' is both a given value and a node")
        try:
            trees[name] = parse_expression(text)
        except ExpressionError as error:
            raise ExpressionError(f"node '{name}': {error}") from None
        unknown = sorted(variables(trees[name]) - set(leaves) - set(equations))
        if unknown:
            raise ExpressionError(f"node '{name}' uses undefined name(s): {', '.join(unknown)}")
    if loss not in trees:
        raise ExpressionError(f"loss '{loss}' is not one of the nodes")
    order = _evaluation_order(trees)
    return Graph(leaves=dict(leaves), nodes=tuple((name, trees[name]) for name in order), loss=loss)


def _evaluation_order(trees: Mapping[str, Expr]) -> list[str]:
    sorter = TopologicalSorter({name: sorted(variables(tree) & set(trees)) for name, tree in trees.items()})
    try:
        return list(sorter.static_order())
    except CycleError as error:
        cycle = " -> ".join(error.args[1])
        raise ExpressionError(f"the nodes form a cycle: {cycle}") from None


def forward(graph: Graph, given: Mapping[str, Number] | None = None) -> dict[str, Number]:
    """The value of every leaf and node; `given` replaces computed node values (a student's own,
    so that what follows is computed from them)."""
    overrides = given or {}
    values: dict[str, Number] = dict(graph.leaves)
    for name, tree in graph.nodes:
        if name in overrides:
            values[name] = overrides[name]
            continue
        try:
            values[name] = evaluate(tree, values)
        except ExpressionError as error:
            raise ExpressionError(f"node '{name}': {error}") from None
    return values


def gradients(
    graph: Graph, given_values: Mapping[str, Number] | None = None, given_gradients: Mapping[str, Number] | None = None
) -> dict[str, Number]:
    """∂loss/∂name for every leaf and node (the loss itself has gradient 1), optionally from a
    student's own forward values and own gradients of some nodes."""
    return _backward(graph, given_values, given_gradients)[0]


def contributions(graph: Graph) -> dict[str, dict[str, Number]]:
    """For each name, the share of its gradient that arrives through each node using it: the
    terms of the chain rule's sum, so a term left out can be recognised."""
    return _backward(graph, None, None)[1]


def _backward(
    graph: Graph, given_values: Mapping[str, Number] | None, given_gradients: Mapping[str, Number] | None
) -> tuple[dict[str, Number], dict[str, dict[str, Number]]]:
    values = forward(graph, given_values)
    overrides = given_gradients or {}
    adjoints: dict[str, Number] = {name: Fraction(0) for name in values}
    adjoints[graph.loss] = Fraction(1)
    shares: dict[str, dict[str, Number]] = {name: {} for name in values}
    for name, tree in reversed(graph.nodes):
        adjoint = overrides.get(name, adjoints[name])
        adjoints[name] = adjoint
        local = _local_gradients(name, tree, values, adjoint)
        for target, share in local.items():
            adjoints[target] = bounded(adjoints[target] + share)
            shares[target][name] = shares[target].get(name, 0) + share
    for name, value in overrides.items():
        adjoints[name] = value
    return adjoints, shares


def _local_gradients(name: str, tree: Expr, values: Mapping[str, Number], adjoint: Number) -> dict[str, Number]:
    """adjoint × ∂tree/∂input for each input. A node that is sigmoid, tanh or exp of something
    takes its local derivative from its own value (y(1 − y) for a sigmoid): a student's own
    forward value, where they gave one, so that their backward pass is judged on it."""
    local: dict[str, Number] = {}
    if isinstance(tree, Call):
        derivative = derivative_from_output(tree.function, values[name])
        if derivative is not None:
            accumulate_gradient(tree.argument, values, bounded(adjoint * derivative), local)
            return local
    accumulate_gradient(tree, values, adjoint, local)
    return local


def output_derived(tree: Expr) -> bool:
    """Whether the node's local derivative is computed from its own value (see _local_gradients)."""
    return isinstance(tree, Call) and derivative_from_output(tree.function, 0) is not None
