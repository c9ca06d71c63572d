"""Forward values and loss gradients through a small network declared as named equations."""
from __future__ import annotations

import re
from fractions import Fraction

from grader.errors import ExpressionError
from grader.expressions import FUNCTIONS
from grader.graph import Graph, build_graph, forward, gradients
from grader.kinds.base import ProblemKind
from grader.numbers import Number
from grader.schema import FieldReader, check_number

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse(given: FieldReader) -> Graph | None:
    values = given.mapping_of("values")
    nodes = given.mapping_of("nodes")
    loss = given.text("loss")
    given.reject_unknown()
    if values is None or nodes is None or loss is None:
        return None
    for section, names in (("values", values), ("nodes", nodes)):
        for name in names:
            if not NAME.fullmatch(name) or name in FUNCTIONS:
                given.report(f"{section}.{name}", "expected a name of letters, digits and '_' (not a function name), such as w1_11")
    leaves: dict[str, Fraction] = {}
    for name, raw in values.items():
        number = check_number(given, f"values.{name}", raw)
        if number is not None:
            leaves[name] = number
    equations = {}
    for name, text in nodes.items():
        if isinstance(text, (int, float)) and not isinstance(text, bool):
            text = str(text)
        if not isinstance(text, str):
            given.report(f"nodes.{name}", f"expected an expression such as 'x1*w1 + b', found {text!r}")
            continue
        equations[name] = text
    if given.issues:
        return None
    try:
        graph = build_graph(leaves, equations, loss)
        gradients(graph)
    except ExpressionError as error:
        given.report("nodes", str(error))
        return None
    return graph


def solve(graph: Graph) -> dict[str, Number]:
    values = forward(graph)
    grads = gradients(graph)
    answers: dict[str, Number] = {f"forward.{name}": values[name] for name, _ in graph.nodes}
    for name, _ in reversed(graph.nodes):
        if name != graph.loss:
            answers[f"grad.{name}"] = grads[name]
    for name in graph.leaves:
        answers[f"grad.{name}"] = grads[name]
    return answers


KIND = ProblemKind(
    name="backprop",
    summary="forward values and gradients of the loss through a graph of scalar equations",
    parse=parse,
    solve=solve,
)
