"""Forward values, loss gradients and one gradient-descent step through a network of named
equations, written out (`nodes`) or generated from layer shorthands (`layers`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping

from grader.errors import ExpressionError
from grader.expressions import FUNCTIONS
from grader.graph import Graph, build_graph, forward, gradients
from grader.kinds.base import ProblemKind
from grader.network_layers import expand_layers
from grader.numbers import Number
from grader.schema import FieldReader, check_number

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Backprop:
    graph: Graph
    learning_rate: Fraction | None


def parse(given: FieldReader) -> Backprop | None:
    values = given.mapping_of("values", default={})
    nodes = given.mapping_of("nodes", default={})
    expansion = expand_layers(given)
    loss = given.text("loss")
    learning_rate = given.number("learning_rate", minimum=Fraction(0), default=None)
    given.reject_unknown()
    if values is None or nodes is None or expansion is None or loss is None:
        return None
    _check_names(given, values, nodes)
    leaves = _leaves(given, values, expansion[0])
    equations = {**expansion[1], **_equations(given, nodes)}
    if given.issues:
        return None
    try:
        graph = build_graph(leaves, equations, loss)
        gradients(graph)
    except ExpressionError as error:
        given.report("nodes", str(error))
        return None
    return Backprop(graph, learning_rate)


def _check_names(given: FieldReader, values: Mapping[str, Any], nodes: Mapping[str, Any]) -> None:
    for section, names in (("values", values), ("nodes", nodes)):
        for name in names:
            if not NAME.fullmatch(name) or name in FUNCTIONS:
                given.report(f"{section}.{name}", "expected a name of letters, digits and '_' (not a function name), such as w1_11")


def _leaves(given: FieldReader, values: Mapping[str, Any], generated: Mapping[str, Fraction]) -> dict[str, Fraction]:
    leaves: dict[str, Fraction] = dict(generated)
    for name, raw in values.items():
        if name in generated:
            given.report(f"values.{name}", "also given by a layer's matrix or bias_values")
        number = check_number(given, f"values.{name}", raw)
        if number is not None:
            leaves[name] = number
    return leaves


def _equations(given: FieldReader, nodes: Mapping[str, Any]) -> dict[str, str]:
    equations = {}
    for name, text in nodes.items():
        if isinstance(text, (int, float)) and not isinstance(text, bool):
            text = str(text)
        if not isinstance(text, str):
            given.report(f"nodes.{name}", f"expected an expression such as 'x1*w1 + b', found {text!r}")
            continue
        equations[name] = text
    return equations


def solve(spec: Backprop) -> dict[str, Number]:
    graph = spec.graph
    values = forward(graph)
    grads = gradients(graph)
    answers: dict[str, Number] = {f"forward.{name}": values[name] for name, _ in graph.nodes}
    for name, _ in reversed(graph.nodes):
        if name != graph.loss:
            answers[f"grad.{name}"] = grads[name]
    for name in graph.leaves:
        answers[f"grad.{name}"] = grads[name]
    if spec.learning_rate is not None:
        for name, value in graph.leaves.items():
            answers[f"step.{name}"] = value - spec.learning_rate * grads[name]
    return answers


KIND = ProblemKind(
    name="backprop",
    summary="forward values, gradients of the loss, and one gradient-descent step through a graph of scalar equations",
    parse=parse,
    solve=solve,
    optional=("step.*",),
)
