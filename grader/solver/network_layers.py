"""Shorthands that expand into the equations of a backprop graph, so instructors need not type
every sum: a dense layer (weight matrix × input vector, optional bias and activation) and a
softmax with cross-entropy over a small vector of logits.

Each reader takes one `layers` entry and returns (new given values, new equations), recording
issues on the FieldReader it is given. Weight names follow the course convention w_ij: from
input i to output j, so `y1 = x1·w1_11 + x2·w1_21`.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable

from grader.base.fields import FieldReader, check_number

Expansion = tuple[dict[str, Fraction], dict[str, str]]
ACTIVATIONS = ("relu", "sigmoid", "tanh")


def weight_name(prefix: str, row: int, column: int, size: int) -> str:
    """`w1_21`; with ten or more inputs or outputs the indices are separated (`w1_2_10`)."""
    return f"{prefix}_{row}{column}" if size < 10 else f"{prefix}_{row}_{column}"


def expand_dense(layer: FieldReader) -> Expansion | None:
    inputs = layer.list_of_text("inputs")
    outputs = layer.list_of_text("outputs")
    prefix = layer.text("weights")
    matrix = layer.raw("matrix", default=None)
    bias = layer.text("bias", default=None)
    bias_values = layer.raw("bias_values", default=None)
    activation = layer.choice("activation", ACTIVATIONS, default=None)
    layer.reject_unknown()
    if inputs is None or outputs is None or prefix is None or layer.issues:
        return None
    size = max(len(inputs), len(outputs))
    leaves = _matrix_leaves(layer, prefix, matrix, len(inputs), len(outputs), size)
    leaves.update(_bias_leaves(layer, bias, bias_values, len(outputs)))
    equations: dict[str, str] = {}
    for column, output in enumerate(outputs, start=1):
        terms = [f"{name}*{weight_name(prefix, row, column, size)}" for row, name in enumerate(inputs, start=1)]
        if bias:
            terms.append(f"{bias}_{column}")
        total = " + ".join(terms)
        if activation:
            equations[f"net_{output}"] = total
            equations[output] = f"{activation}(net_{output})"
        else:
            equations[output] = total
    return None if layer.issues else (leaves, equations)


def _matrix_leaves(layer: FieldReader, prefix: str, matrix: Any, rows: int, columns: int, size: int) -> dict[str, Fraction]:
    """Weights given as a matrix (row i: from input i); without one they must be among `values`."""
    if matrix is None:
        return {}
    if not isinstance(matrix, list) or len(matrix) != rows or any(not isinstance(r, list) or len(r) != columns for r in matrix):
        layer.report("matrix", f"expected {rows} rows (one per input) of {columns} numbers (one per output)")
        return {}
    leaves = {}
    for row, numbers in enumerate(matrix, start=1):
        for column, raw in enumerate(numbers, start=1):
            number = check_number(layer, f"matrix[{row - 1}][{column - 1}]", raw)
            if number is not None:
                leaves[weight_name(prefix, row, column, size)] = number
    return leaves


def _bias_leaves(layer: FieldReader, bias: str | None, values: Any, outputs: int) -> dict[str, Fraction]:
    if values is None:
        return {}
    if bias is None or not isinstance(values, list) or len(values) != outputs:
        layer.report("bias_values", f"expected a `bias` name and a list of {outputs} numbers")
        return {}
    numbers = [check_number(layer, f"bias_values[{index}]", raw) for index, raw in enumerate(values)]
    return {f"{bias}_{index}": n for index, n in enumerate(numbers, start=1) if n is not None}


def expand_softmax_cross_entropy(layer: FieldReader) -> Expansion | None:
    """p_k = exp(z_k) / Σ exp(z_j) and loss = −log(p_target), the target a 1-based class index."""
    logits = layer.list_of_text("logits")
    probabilities = layer.list_of_text("probabilities")
    target = layer.integer("target", minimum=1)
    loss = layer.text("loss")
    layer.reject_unknown()
    if logits is None or probabilities is None or target is None or loss is None:
        return None
    if len(probabilities) != len(logits) or target > len(logits):
        layer.report("probabilities", f"expected one probability per logit and a target between 1 and {len(logits)}")
        return None
    denominator = " + ".join(f"exp({z})" for z in logits)
    equations = {p: f"exp({z}) / ({denominator})" for z, p in zip(logits, probabilities)}
    equations[loss] = f"-log({probabilities[target - 1]})"
    return {}, equations


SHORTHANDS: dict[str, Callable[[FieldReader], Expansion | None]] = {
    "dense": expand_dense,
    "softmax_cross_entropy": expand_softmax_cross_entropy,
}


def expand_layers(given: FieldReader) -> Expansion | None:
    """All `layers` entries, in order, as extra given values and equations."""
    raw = given.raw("layers", default=[])
    if not isinstance(raw, list):
        given.report("layers", f"expected a list of layers such as - dense: {{...}}; known: {', '.join(SHORTHANDS)}")
        return None
    leaves: dict[str, Fraction] = {}
    equations: dict[str, str] = {}
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict) or len(entry) != 1 or next(iter(entry)) not in SHORTHANDS:
            given.report(f"layers[{index}]", f"expected one of {', '.join(SHORTHANDS)} with its fields")
            continue
        (kind, fields), = entry.items()
        reader = FieldReader(fields, prefix=given.field(f"layers[{index}].{kind}."))
        expansion = SHORTHANDS[kind](reader)
        given.issues.extend(reader.issues)
        if expansion is not None:
            leaves.update(expansion[0])
            equations.update(expansion[1])
    return None if given.issues else (leaves, equations)

