"""Shape and cost arithmetic of 2-D convolutions and pooling, shared by every kind that needs it.

Conventions are those of the common frameworks: output extents are floored, `same` padding
gives ceil(input / stride) outputs (TensorFlow's rule, padding split low/high), `valid` is no
padding, dilation d spreads a k-tap kernel over d·(k − 1) + 1 inputs, and a grouped convolution
connects each output channel to in_channels / groups inputs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

Padding = Union[int, tuple[int, int], str]
PADDING_WORDS = ("same", "valid")
OUTPUT_RULES = ("floor", "strict")  # the frameworks' floor, or CS231n's: (W − F + 2P)/S must be whole


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
        wanted = (-(-size // stride) - 1) * stride + effective_kernel(kernel, dilation)  # whole-number ceil: floats drop digits past 2**53
        return max(wanted - size, 0)
    return 2 * int(padding)


def output_extent(size: int, kernel: int, stride: int, dilation: int, padding: int | str, ceil_mode: bool = False) -> int:
    """floor((W + 2P − d(F − 1) − 1) / S) + 1, the rule of PyTorch, TensorFlow and Keras.

    With `ceil_mode` (PyTorch's pooling option) the division rounds up, but a last window that
    would start in the right padding, at or past W + P, is dropped, as PyTorch drops it."""
    span = size + total_padding(size, kernel, stride, dilation, padding) - effective_kernel(kernel, dilation)
    if span < 0:
        raise ShapeError(f"a kernel spanning {effective_kernel(kernel, dilation)} does not fit an input of {size} with this padding")
    if not ceil_mode:
        return span // stride + 1
    extent = -(-span // stride) + 1
    left = total_padding(size, kernel, stride, dilation, padding) // 2
    return extent - 1 if (extent - 1) * stride >= size + left else extent


def uneven_step(size: int, kernel: int, stride: int, dilation: int, padding: int | str) -> str | None:
    """Why `(W − F + 2P)/S` is not whole (the strict rule of CS231n's notes), or None when it is.
    `same` padding is chosen to fit, so it is never uneven."""
    if padding == "same":
        return None
    span = size + total_padding(size, kernel, stride, dilation, padding) - effective_kernel(kernel, dilation)
    if span < 0 or span % stride == 0:
        return None
    pad = 0 if padding == "valid" else int(padding)
    return f"(W − F + 2P)/S = ({size} − {effective_kernel(kernel, dilation)} + 2·{pad})/{stride} = {span}/{stride} is not whole"


def strict_refusal(shape: tuple[int, ...], kernel: tuple[int, int], stride: tuple[int, int], dilation: tuple[int, int],
                   padding: tuple[int | str, int | str]) -> str | None:
    """Under the strict rule, why this layer's step is not whole, naming the axis; None when it is."""
    for axis, size, k, s, d, p in zip(("height", "width"), shape[:2], kernel, stride, dilation, padding):
        why = uneven_step(size, k, s, d, p)
        if why is not None:
            return f"{why} on the {axis} (output_rule: strict); change the padding or stride, or use output_rule: floor"
    return None


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


@dataclass(frozen=True)
class TransposedConvolution(Convolution):
    """A transposed ("de-") convolution, as PyTorch's ConvTranspose2d: each input position scatters
    the kernel into the output, so its MACs are input positions × weights, and its output is
    (W − 1)·S − 2P + d·(F − 1) + output_padding + 1. Padding is a number here, never a word."""

    output_padding: tuple[int, int] = (0, 0)

    def __post_init__(self) -> None:
        super().__post_init__()
        for extra, stride, dilation in zip(self.output_padding, self.stride, self.dilation):
            if extra >= max(stride, dilation):
                raise ShapeError(f"output_padding {extra} must be smaller than the stride or the dilation, as PyTorch requires")
        if min(self.output_shape[:2]) < 1:
            raise ShapeError(f"padding {self.padding} leaves no output of an input of {self.input_shape[:2]}")

    @property
    def output_shape(self) -> tuple[int, int, int]:
        height, width = (
            (size - 1) * stride - 2 * int(padding) + effective_kernel(kernel, dilation) + extra
            for size, kernel, stride, dilation, padding, extra in zip(
                self.input_shape[:2], self.kernel, self.stride, self.dilation, self.padding, self.output_padding
            )
        )
        return height, width, self.filters

    @property
    def macs(self) -> int:
        """Every input value is multiplied by every weight it meets: input positions × weights."""
        return self.input_shape[0] * self.input_shape[1] * self.weights
