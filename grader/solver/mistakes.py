"""Mistakes students really make, as the values they produce, so a wrong answer can be named.

A kind describes each mistake by solving the problem the mistaken way (`Alternative`); the
answers whose mistaken value differs from the key become `Mistake`s. Rubrics add their own,
each an expression over the given values and the key's answers.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Iterable

from grader.base.errors import ExpressionError
from grader.base.expressions import evaluate, parse_expression
from grader.base.numbers import Number

INSTRUCTORS_NOTE = "instructor's note"  # the label of a rubric's own mistake, named before a kind's


@dataclass(frozen=True)
class Mistake:
    """`answer` is relative to the problem part (`standard.weights`); `credit` a share of its points."""

    answer: str
    value: Number
    label: str
    feedback: str
    credit: Fraction = Fraction(0)


@dataclass(frozen=True)
class Alternative:
    """The answers a whole mistaken way of working gives."""

    label: str
    feedback: str
    answers: Mapping[str, Number]


def from_alternatives(key: Mapping[str, Number], alternatives: Iterable[Alternative]) -> tuple[Mistake, ...]:
    """Every answer whose mistaken value differs from the key's is a recognisable mistake."""
    found = []
    for alternative in alternatives:
        for name, value in alternative.answers.items():
            if name in key and value != key[name]:
                found.append(Mistake(name, value, alternative.label, alternative.feedback))
    return tuple(found)


def scaled(label: str, feedback: str, key: Mapping[str, Number], names: Iterable[str], factor: Number) -> Alternative:
    return Alternative(label, feedback, {name: key[name] * factor for name in names if name in key})


def count_mistake(unit: str, key: Mapping[str, Number], names: Iterable[str]) -> Alternative:
    """FLOPs (2 per multiply-accumulate) given where MACs are asked, or the reverse."""
    if unit == "macs":
        return scaled("FLOPs instead of MACs", "MACs are asked: one multiply-accumulate, not 2 FLOPs, per weight and position.", key, names, 2)
    return scaled("MACs instead of FLOPs", "FLOPs are asked: 2 per multiply-accumulate.", key, names, Fraction(1, 2))


def bias_mistake(has_bias: bool, answers: Mapping[str, Number]) -> Alternative:
    """`answers`: the values with the biases flipped (left out where the layer has them, or added)."""
    if has_bias:
        return Alternative("biases left out", "This layer has biases: add one per filter.", answers)
    return Alternative("bias counted", "This layer has no bias: count the kernel weights only.", answers)


def variables(given: Mapping[str, Any], key: Mapping[str, Number]) -> dict[str, Number]:
    """Names a rubric's own mistake may use: given scalars (`kernel`), list items (`input_3`),
    backprop values by name (`x1`), and the key's answers with '_' for '.' (`standard_weights`)."""
    names: dict[str, Number] = {}
    for field, value in given.items():
        if isinstance(value, bool):
            continue
        if isinstance(value, (int, float)):
            names[field] = Fraction(value) if isinstance(value, int) else value
        elif isinstance(value, list):
            names.update({f"{field}_{i}": Fraction(v) for i, v in enumerate(value, 1) if isinstance(v, int)})
        elif isinstance(value, Mapping) and field == "values":
            names.update({n: v for n, v in value.items() if isinstance(v, (int, float)) and not isinstance(v, bool)})
    names.update({name.replace(".", "_"): value for name, value in key.items()})
    return names


def custom_mistake(answer: str, expression: str, feedback: str, credit: Fraction, given: Mapping[str, Any], key: Mapping[str, Number]) -> Mistake:
    """A rubric's own mistake; raises ExpressionError naming what is wrong with its expression."""
    try:
        value = evaluate(parse_expression(expression), variables(given, key))
    except KeyError as error:
        raise ExpressionError(f"{expression!r} uses {error.args[0]!r}, which is no given value or answer") from None
    return Mistake(answer, value, INSTRUCTORS_NOTE, feedback, credit)
