"""A computational graph of named scalar equations, with forward values and reverse-mode gradients."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from graphlib import CycleError, TopologicalSorter
from typing import Mapping

from grader.errors import ExpressionError
from grader.expressions import Expr, accumulate_gradient, evaluate, parse_expression, variables
from grader.numbers import Number


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


def forward(graph: Graph) -> dict[str, Number]:
    """The value of every leaf and node."""
    values: dict[str, Number] = dict(graph.leaves)
    for name, tree in graph.nodes:
        try:
            values[name] = evaluate(tree, values)
        except ExpressionError as error:
            raise ExpressionError(f"node '{name}': {error}") from None
    return values


def gradients(graph: Graph) -> dict[str, Number]:
    """∂loss/∂name for every leaf and node (the loss itself has gradient 1)."""
    values = forward(graph)
    adjoints: dict[str, Number] = {name: Fraction(0) for name in values}
    adjoints[graph.loss] = Fraction(1)
    for name, tree in reversed(graph.nodes):
        accumulate_gradient(tree, values, adjoints[name], adjoints)
    return adjoints
