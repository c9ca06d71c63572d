"""Forward values, loss gradients and one gradient-descent step through a network of named
equations, written out (`nodes`) or generated from layer shorthands (`layers`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping

from grader.base.errors import ExpressionError
from grader.base.expressions import FUNCTIONS, BinOp, Call, Const, Expr, Neg, Var, accumulate_gradient, variables
from grader.base.fields import FieldReader, check_number
from grader.base.numbers import Number, format_number
from grader.solver.graph import Graph, build_graph, contributions, forward, gradients, output_derived
from grader.solver.kinds.problem_kind import ProblemKind
from grader.solver.mistakes import Alternative, Mistake, from_alternatives
from grader.solver.network_layers import expand_layers

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
    return solve_with(spec, {})


def solve_with(spec: Backprop, own: Mapping[str, Number]) -> dict[str, Number]:
    """Every answer, computed from a student's own forward values and gradients where given."""
    graph = spec.graph
    given_values = {name[8:]: value for name, value in own.items() if name.startswith("forward.")}
    given_gradients = {name[5:]: value for name, value in own.items() if name.startswith("grad.")}
    values = forward(graph, given_values)
    grads = gradients(graph, given_values, given_gradients)
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


def dependencies(spec: Backprop) -> dict[str, tuple[str, ...]]:
    """A forward value builds on the values its equation uses; a gradient on the gradients of the
    nodes that use it and every forward value in their equations, its own node's included (the
    local derivative of (z − t)², sigmoid or softmax is computed from it), and the forward value
    of a consumer that is sigmoid, tanh or exp of it (σ' = σ(1 − σ) is computed from σ); a
    descent step on its gradient."""
    graph = spec.graph
    nodes = {name for name, _ in graph.nodes}
    used: dict[str, frozenset[str]] = {name: variables(tree) for name, tree in graph.nodes}
    trees = dict(graph.nodes)
    found = {f"forward.{name}": tuple(f"forward.{n}" for n in sorted(used[name] & nodes)) for name in nodes}
    consumers_of: dict[str, list[str]] = {}
    for node in sorted(nodes):
        for name in used[node]:
            consumers_of.setdefault(name, []).append(node)
    for name in [*nodes, *graph.leaves]:
        consumers = consumers_of.get(name, [])
        needs = {f"grad.{node}" for node in consumers if node != graph.loss}
        needs |= {f"forward.{n}" for node in consumers for n in used[node] & nodes}
        needs |= {f"forward.{node}" for node in consumers if output_derived(trees[node])}
        found[f"grad.{name}"] = tuple(sorted(needs))
    if spec.learning_rate is not None:
        found.update({f"step.{name}": (f"grad.{name}",) for name in graph.leaves})
    return found


def mistakes(spec: Backprop) -> tuple[Mistake, ...]:
    """Sign errors, the factor 2 of a square left out, and a path of the chain rule left out."""
    graph = spec.graph
    key = solve(spec)
    grads = {name: value for name, value in key.items() if name.startswith("grad.")}
    found = [
        *from_alternatives(key, [
            Alternative("sign error", "The sign is wrong: check the sign of ∂L/∂z, e.g. 2(z − t) and not 2(t − z).", {n: -v for n, v in grads.items()}),
        ]),
    ]
    if _squares(dict(graph.nodes)[graph.loss]):
        halved = Alternative("factor 2 left out", "The factor 2 from differentiating the square is missing.", {n: v / 2 for n, v in grads.items()})
        found.extend(from_alternatives(key, [halved]))
    for name, shares in contributions(graph).items():
        if len(shares) > 1 and f"grad.{name}" in key:
            for consumer, share in shares.items():
                value = key[f"grad.{name}"] - share
                feedback = f"The path through {consumer} is missing: ∂L/∂{name} sums over every node that uses {name}."
                found.append(Mistake(f"grad.{name}", value, f"path through {consumer} left out", feedback))
    found.extend(from_alternatives(key, [
        *_loss_without_target(spec), *_transposed(spec, key), _factor_left_out(spec, key), *_step_uphill(spec, key),
    ]))
    return tuple(mistake for mistake in found if mistake.value != key[mistake.answer])


def own_mistakes(spec: Backprop, own: Mapping[str, Number], answer: str) -> tuple[Mistake, ...]:
    """A path of the chain rule left out of the student's own values: ∂L/∂a summed over every
    consumer of a but one, each consumer's gradient and forward values the student's own."""
    if not answer.startswith("grad."):
        return ()
    name = answer[5:]
    consumers = sorted(node for node, tree in spec.graph.nodes if name in variables(tree) and node != spec.graph.loss)
    if len(consumers) < 2:
        return ()
    found = []
    for consumer in consumers:
        value = solve_with(spec, {**own, f"grad.{consumer}": Fraction(0)})[answer]
        feedback = f"The path through {consumer} is missing: ∂L/∂{name} sums over every node that uses {name} (from your own values)."
        found.append(Mistake(answer, value, f"path through {consumer} left out", feedback))
    return tuple(found)


def _loss_without_target(spec: Backprop) -> list[Alternative]:
    """(z − t)² differentiated as 2z: the target left out, and every gradient built on it."""
    loss = dict(spec.graph.nodes)[spec.graph.loss]
    if not (isinstance(loss, BinOp) and loss.op == "^" and isinstance(loss.right, Const) and loss.right.value == 2):
        return []
    inner = loss.left
    if not (isinstance(inner, BinOp) and inner.op == "-" and isinstance(inner.left, Var)):
        return []
    output = inner.left.name
    if output not in dict(spec.graph.nodes):
        return []
    value = forward(spec.graph)[output]
    target = inner.right.name if isinstance(inner.right, Var) else "t"
    answers = {name: v for name, v in solve_with(spec, {f"grad.{output}": 2 * value}).items() if name.startswith(("grad.", "step."))}
    return [Alternative(f"2{output} instead of 2({output} − {target})", f"∂L/∂{output} = 2({output} − {target}): the target is part of the square.", answers)]


WEIGHT = re.compile(r"(?P<prefix>.+)_(?P<row>\d)(?P<column>\d)")


def _transposed(spec: Backprop, key: Mapping[str, Number]) -> list[Alternative]:
    """w_ij read as w_ji: in the forward pass (everything after it follows), and in the weight
    gradients reported (∂L/∂w_ij given as the key's ∂L/∂w_ji)."""
    leaves = spec.graph.leaves
    swapped = {}
    for name in leaves:
        found = WEIGHT.fullmatch(name)
        partner = f"{found['prefix']}_{found['column']}{found['row']}" if found else None
        if partner and partner != name and partner in leaves:
            swapped[name] = partner
    if not swapped:
        return []
    transposed_leaves = {name: leaves[swapped.get(name, name)] for name in leaves}
    transposed = solve(Backprop(Graph(transposed_leaves, spec.graph.nodes, spec.graph.loss), spec.learning_rate))
    forward_pass = {name: value for name, value in transposed.items() if name.startswith("forward.")}  # gradients carry from them
    gradients_reported = {f"grad.{name}": key[f"grad.{partner}"] for name, partner in swapped.items()}
    return [
        Alternative("weight indices transposed", "w_ij connects input i to output j: y_j = Σ_i x_i·w_ij, so y1 uses w_11 and w_21.", forward_pass),
        Alternative("weight gradient indices transposed", "∂L/∂w_ij = ∂L/∂y_j · x_i: the row is the input, the column the output.", gradients_reported),
    ]


def _factor_left_out(spec: Backprop, key: Mapping[str, Number]) -> Alternative:
    """∂L/∂a taken as the sum of its consumers' gradients: the input or weight each multiplies a by is left out."""
    graph = spec.graph
    nodes = {name for name, _ in graph.nodes if name != graph.loss}
    used = {name: variables(tree) for name, tree in graph.nodes}
    answers: dict[str, Number] = {}
    for name in [*nodes, *graph.leaves]:
        consumers = [node for node in nodes if name in used[node]]
        total = sum((key[f"grad.{node}"] for node in consumers), Fraction(0))
        if consumers and total:  # a sum that cancels to 0 says nothing: 0 is what filler gives too
            answers[f"grad.{name}"] = total
    return Alternative("input or weight factor left out",
                       "Each term of the chain rule is ∂L/∂node × ∂node/∂value: multiply by the input or weight the value meets.", answers)


def _step_uphill(spec: Backprop, key: Mapping[str, Number]) -> list[Alternative]:
    if spec.learning_rate is None:
        return []
    rate = spec.learning_rate
    answers = {f"step.{name}": value + rate * key[f"grad.{name}"] for name, value in spec.graph.leaves.items()}
    return [Alternative("update with + instead of −", "Gradient DESCENT steps against the gradient: w − η·∂L/∂w.", answers)]


def _squares(tree: Expr) -> bool:
    if isinstance(tree, BinOp):
        exponent = tree.right
        if tree.op == "^" and isinstance(exponent, Const) and exponent.value == 2:
            return True
        return _squares(tree.left) or _squares(tree.right)
    if isinstance(tree, (Neg, Call)):
        return _squares(tree.operand if isinstance(tree, Neg) else tree.argument)
    return False


def working(spec: Backprop) -> dict[str, str]:
    """A forward value from the values its equation uses; a gradient as its chain-rule terms, each
    consumer's gradient times the local derivative, with the numbers; a step as w − η·∂L/∂w."""
    graph, key = spec.graph, solve(spec)
    values = {**graph.leaves, **{name[8:]: value for name, value in key.items() if name.startswith("forward.")}}
    found = {f"forward.{name}": f"{name} from {_at(values, tree)}" for name, tree in graph.nodes}
    terms: dict[str, list[tuple[str, str]]] = {}
    for consumer, tree in graph.nodes:
        local: dict[str, Number] = {}
        accumulate_gradient(tree, values, 1, local)
        for name, derivative in sorted(local.items()):
            if consumer == graph.loss:
                terms.setdefault(name, []).append((f"∂{consumer}/∂{name}", f"{_shown(derivative)} ({consumer} differentiated at {_at(values, tree)})"))
            else:
                terms.setdefault(name, []).append((f"∂L/∂{consumer}·∂{consumer}/∂{name}", f"{_shown(key[f'grad.{consumer}'])}·{_shown(derivative)}"))
    found.update({f"grad.{name}": f"∂L/∂{name} = {' + '.join(s for s, _ in parts)} = {' + '.join(n for _, n in parts)}"
                  for name, parts in terms.items() if f"grad.{name}" in key})
    if spec.learning_rate is not None:
        found.update({f"step.{name}": f"{name} − η·∂L/∂{name} = {_shown(value)} − {_shown(spec.learning_rate)}·{_shown(key[f'grad.{name}'])}"
                      for name, value in graph.leaves.items()})
    return found


def _at(values: Mapping[str, Number], tree: Expr) -> str:
    return ", ".join(f"{n} = {format_number(values[n])}" for n in sorted(variables(tree)))


def _shown(value: Number) -> str:
    """A number as a factor: a negative one in brackets."""
    return f"({format_number(value)})" if value < 0 else format_number(value)


KIND = ProblemKind(
    name="backprop",
    summary="forward values, gradients of the loss, and one gradient-descent step through a graph of scalar equations",
    parse=parse,
    solve=solve,
    optional=("step.*",),
    dependencies=dependencies,
    solve_with=solve_with,
    mistakes=mistakes,
    own_mistakes=own_mistakes,
    working=working,
)
