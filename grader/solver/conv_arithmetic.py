"""Shape and cost arithmetic of 2-D convolutions and pooling, shared by every kind that needs it.

Conventions are those of the common frameworks: output extents are floored, `same` padding
gives ceil(input / stride) outputs (TensorFlow's rule, padding split low/high), `valid` is no
padding, dilation d spreads a k-tap kernel over d·(k − 1) + 1 inputs, and a grouped convolution
connects each output channel to in_channels / groups inputs.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Union

Padding = Union[int, tuple[int, int], str]
PADDING_WORDS = ("same", "valid")


class ShapeError(ValueError):
    """Given values that no layer can have (a kernel larger than its padded input, channels that
    do not divide into groups); the message says which."""


def effective_kernel(kernel: int, dilation: int) -> int:
    return dilation * (kernel - 1) + 1


def total_padding(size: int, kernel: int, stride: int, dilation: int, padding: int | str) -> int:
    """Padding added to one spatial axis, both sides together."""
    if padding == "valid":
        return 0
    if padding == "same":
        wanted = (math.ceil(size / stride) - 1) * stride + effective_kernel(kernel, dilation)
        return max(wanted - size, 0)
    return 2 * int(padding)


def output_extent(size: int, kernel: int, stride: int, dilation: int, padding: int | str) -> int:
    """floor((W + 2P − d(F − 1) − 1) / S) + 1, the rule of PyTorch, TensorFlow and Keras."""
    span = size + total_padding(size, kernel, stride, dilation, padding) - effective_kernel(kernel, dilation)
    if span < 0:
        raise ShapeError(f"a kernel spanning {effective_kernel(kernel, dilation)} does not fit an input of {size} with this padding")
    return span // stride + 1


@dataclass(frozen=True)
class Convolution:
    """One 2-D convolution layer, fully resolved."""

    input_shape: tuple[int, int, int]
    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int | str, int | str]
    dilation: tuple[int, int]
    groups: int
    filters: int
    bias: bool
    stated_output: tuple[int, int] | None = None  # output size given without stride and padding

    def __post_init__(self) -> None:
        channels = self.input_shape[2]
        if channels % self.groups or self.filters % self.groups:
            raise ShapeError(
                f"{channels} input and {self.filters} output channels do not split into {self.groups} groups"
            )

    @property
    def output_shape(self) -> tuple[int, int, int]:
        if self.stated_output is not None:
            return self.stated_output[0], self.stated_output[1], self.filters
        height, width = (
            output_extent(size, kernel, stride, dilation, padding)
            for size, kernel, stride, dilation, padding in zip(
                self.input_shape[:2], self.kernel, self.stride, self.dilation, self.padding
            )
        )
        return height, width, self.filters

    @property
    def weights(self) -> int:
        """Kernel weights without biases."""
        return self.kernel[0] * self.kernel[1] * (self.input_shape[2] // self.groups) * self.filters

    @property
    def biases(self) -> int:
        return self.filters if self.bias else 0

    @property
    def parameters(self) -> int:
        return self.weights + self.biases

    @property
    def activations(self) -> int:
        height, width, channels = self.output_shape
        return height * width * channels

    @property
    def macs(self) -> int:
        """One multiply-accumulate per kernel weight per output position."""
        height, width, _ = self.output_shape
        return height * width * self.weights

    def flops(self, bias_adds: bool) -> int:
        """2 per MAC, plus one add per output value for the bias when the convention counts it."""
        return 2 * self.macs + (self.activations if bias_adds and self.bias else 0)


def one_by_one(shape: tuple[int, int, int], filters: int, bias: bool) -> Convolution:
    """A 1×1 convolution: a pointwise step, or a dense layer when the input is 1×1×units."""
    return Convolution(shape, (1, 1), (1, 1), (0, 0), (1, 1), 1, filters, bias)
