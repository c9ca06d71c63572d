"""A standard convolution against its depthwise-separable twin: weights, cost, and their ratio.

A separable convolution factors a kh×kw×C→N convolution into a depthwise step (one kh×kw filter
per input channel, or `channel_multiplier` of them, carrying stride, padding and dilation) and
a pointwise step (a 1×1 convolution to N channels). Weights include biases when `bias` is on.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

from grader.conv_arithmetic import Convolution, one_by_one
from grader.kinds.base import ProblemKind
from grader.kinds.convolution import cost, read_convolution, read_count
from grader.numbers import Number
from grader.schema import FieldReader


@dataclass(frozen=True)
class ConvolutionCost:
    standard: Convolution
    multiplier: int
    count: tuple[str, bool]

    @property
    def depthwise(self) -> Convolution:
        channels = self.standard.input_shape[2]
        return replace(self.standard, groups=channels, filters=channels * self.multiplier)

    @property
    def pointwise(self) -> Convolution:
        return one_by_one(self.depthwise.output_shape, self.standard.filters, self.standard.bias)


def parse(given: FieldReader) -> ConvolutionCost | None:
    multiplier = given.integer("channel_multiplier", minimum=1, default=1)
    standard = read_convolution(given)
    count = read_count(given)
    given.reject_unknown()
    if standard is None or count is None or multiplier is None:
        return None
    if standard.groups != 1:
        given.report("groups", "the standard convolution of this comparison has one group")
        return None
    return ConvolutionCost(standard, multiplier, count)


def solve(spec: ConvolutionCost) -> dict[str, Number]:
    steps = {"standard": spec.standard, "depthwise": spec.depthwise, "pointwise": spec.pointwise}
    unit = spec.count[0]
    answers: dict[str, Number] = {}
    for name, layer in steps.items():
        answers[f"{name}.weights"] = Fraction(layer.parameters)
        answers[f"{name}.{unit}"] = Fraction(cost(layer, spec.count))
    answers["separable.weights"] = answers["depthwise.weights"] + answers["pointwise.weights"]
    answers[f"separable.{unit}"] = answers[f"depthwise.{unit}"] + answers[f"pointwise.{unit}"]
    answers["ratio"] = answers[f"separable.{unit}"] / answers[f"standard.{unit}"]
    return answers


KIND = ProblemKind(
    name="convolution-cost",
    summary="weights and cost of a standard vs a depthwise-separable convolution, and their ratio",
    parse=parse,
    solve=solve,
    optional=("ratio",),
)
