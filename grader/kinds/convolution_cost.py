"""Weights and multiply-accumulates of a standard convolution against its depthwise-separable twin.

A separable convolution factors a kh×kw×C→N convolution into a depthwise step (one kh×kw filter
per input channel, carrying the stride) and a pointwise step (a 1×1×C→N convolution).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from grader.kinds.base import ProblemKind
from grader.numbers import Number
from grader.schema import FieldReader


@dataclass(frozen=True)
class ConvolutionCost:
    input_shape: tuple[int, int, int]
    kernel: tuple[int, int]
    output_shape: tuple[int, int, int]
    bias: bool


def parse(given: FieldReader) -> ConvolutionCost | None:
    input_shape = given.integers("input", 3, minimum=1)
    kernel = given.integers("kernel", 2, minimum=1)
    output_shape = given.integers("output", 3, minimum=1)
    bias = given.boolean("bias", default=False)
    given.reject_unknown()
    if input_shape is None or kernel is None or output_shape is None or bias is None:
        return None
    return ConvolutionCost(input_shape, kernel, output_shape, bias)  # type: ignore[arg-type]


def solve(spec: ConvolutionCost) -> dict[str, Number]:
    _, _, channels = spec.input_shape
    out_height, out_width, filters = spec.output_shape
    kernel_area = spec.kernel[0] * spec.kernel[1]
    positions = out_height * out_width
    bias = 1 if spec.bias else 0
    steps = {
        "standard": (kernel_area * channels * filters + bias * filters, positions * filters * kernel_area * channels),
        "depthwise": (kernel_area * channels + bias * channels, positions * channels * kernel_area),
        "pointwise": (channels * filters + bias * filters, positions * channels * filters),
    }
    steps["separable"] = (
        steps["depthwise"][0] + steps["pointwise"][0],
        steps["depthwise"][1] + steps["pointwise"][1],
    )
    answers: dict[str, Number] = {}
    for step, (weights, macs) in steps.items():
        answers[f"{step}.weights"] = Fraction(weights)
        answers[f"{step}.macs"] = Fraction(macs)
    return answers


KIND = ProblemKind(
    name="convolution-cost",
    summary="weights and multiply-accumulates of a standard vs a depthwise-separable convolution",
    parse=parse,
    solve=solve,
)
