"""Padding, stride and number of filters from `W2 = (W1 − F + 2P)/S + 1`.

The rubric gives input and output shapes and the kernel size, and may fix the stride or the
padding; the solver finds the rest. When several (P, S) pairs fit, the key prefers the smallest
stride, then the smallest padding, with padding kept below the kernel size as courses teach it.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from grader.kinds.base import ProblemKind
from grader.numbers import Number
from grader.schema import FieldReader


@dataclass(frozen=True)
class OutputSize:
    input_shape: tuple[int, int, int]
    output_shape: tuple[int, int, int]
    kernel: tuple[int, int]
    stride: int | None
    padding: int | None


def output_extent(size: int, kernel: int, padding: int, stride: int) -> Fraction:
    """`(W1 − F + 2P)/S + 1`, exactly, so a non-integer result is visible rather than floored."""
    return Fraction(size - kernel + 2 * padding, stride) + 1


def parse(given: FieldReader) -> OutputSize | None:
    input_shape = given.integers("input", 3, minimum=1)
    output_shape = given.integers("output", 3, minimum=1)
    kernel = given.integers("kernel", 2, minimum=1)
    stride = given.integer("stride", minimum=1, default=None)
    padding = given.integer("padding", minimum=0, default=None)
    given.reject_unknown()
    if input_shape is None or output_shape is None or kernel is None:
        return None
    spec = OutputSize(input_shape, output_shape, kernel, stride, padding)  # type: ignore[arg-type]
    if preferred_solution(spec) is None:
        given.report(
            "output",
            f"no stride ≥ 1 and padding 0..{max(kernel) - 1} turn input {input_shape[:2]} into "
            f"output {output_shape[:2]} with a {kernel[0]}×{kernel[1]} kernel",
        )
        return None
    return spec


def _fits(spec: OutputSize, padding: int, stride: int) -> bool:
    return all(
        output_extent(size, kernel, padding, stride) == out
        for size, kernel, out in zip(spec.input_shape[:2], spec.kernel, spec.output_shape[:2])
    )


def preferred_solution(spec: OutputSize) -> tuple[int, int] | None:
    """The (padding, stride) the answer key states: smallest stride first, then smallest padding."""
    strides = [spec.stride] if spec.stride is not None else range(1, max(spec.input_shape[:2]) + 2)
    paddings = [spec.padding] if spec.padding is not None else range(0, max(spec.kernel))
    for stride in strides:
        for padding in paddings:
            if _fits(spec, padding, stride):
                return padding, stride
    return None


def solve(spec: OutputSize) -> dict[str, Number]:
    solution = preferred_solution(spec)
    if solution is None:
        raise ValueError("unsolvable output-size problem passed validation")
    padding, stride = solution
    return {"padding": Fraction(padding), "stride": Fraction(stride), "filters": Fraction(spec.output_shape[2])}


KIND = ProblemKind(
    name="output-size",
    summary="padding, stride and number of filters from W2 = (W1 − F + 2P)/S + 1",
    parse=parse,
    solve=solve,
)
