"""The types of row a layer table knows, each read from its fields and its input shapes.

A reader gets the layer's fields (without `name`, `type`, `input`, `inputs` and `stage`, which
the table reads) and the shapes of its inputs, and returns the resolved `Layer`, or None after
reporting what is wrong. Convolution-type rows are read by `read_convolution`, so stride,
padding, dilation and bias mean what they mean in the convolution kind; a dense layer is a 1×1
convolution of a 1×1 input, so every weight and MAC comes from `Convolution`.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any, Callable, Optional

from grader.base.fields import FieldReader
from grader.base.numbers import Number
from grader.solver.conv_arithmetic import (
    Convolution,
    ShapeError,
    TransposedConvolution,
    effective_kernel,
    one_by_one,
    output_extent,
    strict_refusal,
    total_padding,
)
from grader.solver.kinds.convolution import cost, read_convolution, read_padding

Shape = tuple[int, ...]  # (height, width, channels), or (units,) once flattened
Pair = tuple[int, int]
Window = tuple[Pair, Pair, Pair]  # effective kernel, stride and left padding per axis
IDENTITY: Window = ((1, 1), (1, 1), (0, 0))
PoolStep = tuple[Pair, Pair, tuple[int | str, int | str], bool]  # size, stride, padding as written, ceil_mode


@dataclass(frozen=True)
class Layer:
    """One row of the table. `normalised` channels each learn `affine` values (γ and/or β) and,
    for batchnorm (`running`), keep a running mean and variance, counted by a table-wide
    convention. `window` is the row's geometry for receptive fields (None: not defined from
    here on). `pool_step` is a pooling row's geometry as written, which sets its output size from
    any input size. The table sets `kind`, `sources` (the names of its inputs) and `stage`."""

    output: Shape
    convolutions: tuple[Convolution, ...] = ()
    normalised: int = 0
    affine: int = 0
    running: bool = False
    window: Window | None = IDENTITY
    dilation: Pair = (1, 1)
    pool_step: PoolStep | None = None
    kind: str = ""
    sources: tuple[str, ...] = ()
    stage: str | None = None


@dataclass(frozen=True)
class Rules:
    """Table-wide settings a reader needs: `strict` refuses a step where (W − F + 2P)/S is not whole."""

    strict: bool = False


Reader = Callable[[FieldReader, tuple[Shape, ...], Rules], Optional[Layer]]


@dataclass(frozen=True)
class LayerType:
    """How to read one type of row; `rank` is the number of input axes it needs (None: any),
    `fixed`, for convolutions only, the fields its type sets for `read_convolution`, and
    `joins` whether it takes several inputs (`inputs:`) rather than one (`input:`)."""

    read: Reader
    rank: int | None = None
    fixed: Mapping[str, Any] | None = None
    joins: bool = False


def parameters(layer: Layer, batchnorm_buffers: bool) -> int:
    """Learned weights and biases, γ and β; batchnorm's running mean and variance are buffers, not
    learned, counted only when the table says so (Keras's summary counts them, PyTorch's don't)."""
    running = 2 * layer.normalised if batchnorm_buffers and layer.running else 0
    return sum(convolution.parameters for convolution in layer.convolutions) + layer.affine * layer.normalised + running


def layer_cost(layer: Layer, count: tuple[str, bool]) -> int:
    return sum(cost(convolution, count) for convolution in layer.convolutions)


def per_axis(name: str, values: tuple[int, ...]) -> dict[str, Number]:
    """One answer when height and width agree (a square kernel), else one per axis."""
    if len(set(values)) == 1:
        return {name: Fraction(values[0])}
    return {f"{name}.height": Fraction(values[0]), f"{name}.width": Fraction(values[1])}


def _pad(size: int, kernel: int, stride: int, dilation: int, padding: int | str) -> int:
    return total_padding(size, kernel, stride, dilation, padding) // 2


def _window(shape: Shape, convolution: Convolution) -> Window:
    kernels = tuple(effective_kernel(k, d) for k, d in zip(convolution.kernel, convolution.dilation))
    pads = tuple(
        _pad(size, k, s, d, p)
        for size, k, s, d, p in zip(shape[:2], convolution.kernel, convolution.stride, convolution.dilation, convolution.padding)
    )
    return kernels, convolution.stride, pads  # type: ignore[return-value]


def _strictly_whole(layer: FieldReader, shape: Shape, kernel: Pair, stride: Pair, dilation: Pair, padding: Any, rules: Rules) -> bool:
    """Under the strict rule, a rubric whose step does not divide evenly is an error, named here."""
    why = strict_refusal(shape, kernel, stride, dilation, padding) if rules.strict else None
    if why is not None:
        layer.report("stride", why)
    return why is None


def _convolution(layer: FieldReader, shapes: tuple[Shape, ...], rules: Rules) -> Layer | None:
    convolution = read_convolution(layer)
    if convolution is None:
        return None
    if not _strictly_whole(layer, shapes[0], convolution.kernel, convolution.stride, convolution.dilation, convolution.padding, rules):
        return None
    return Layer(convolution.output_shape, (convolution,), window=_window(shapes[0], convolution), dilation=convolution.dilation)


def _separable(layer: FieldReader, shapes: tuple[Shape, ...], rules: Rules) -> Layer | None:
    """Depthwise (read as a depthwise layer) then 1×1 to `filters`; the bias, as in Keras's
    SeparableConv2D, is on the layer's output only."""
    filters = layer.integer("filters", minimum=1)
    depthwise = _convolution(layer, shapes, rules)
    if depthwise is None or filters is None:
        return None
    first = depthwise.convolutions[0]
    pointwise = one_by_one(first.output_shape, filters, first.bias)
    return replace(depthwise, output=pointwise.output_shape, convolutions=(replace(first, bias=False), pointwise))


def _transposed(layer: FieldReader, shapes: tuple[Shape, ...], rules: Rules) -> Layer | None:
    """PyTorch's ConvTranspose2d; its receptive field is not defined here (the window is None)."""
    kernel = layer.integers("kernel", 2, minimum=1)
    stride = layer.integers("stride", 2, minimum=1, default=1)
    dilation = layer.integers("dilation", 2, minimum=1, default=1)
    padding = layer.integers("padding", 2, minimum=0, default=0)
    extra = layer.integers("output_padding", 2, minimum=0, default=0)
    groups = layer.integer("groups", minimum=1, default=1)
    filters = layer.integer("filters", minimum=1)
    bias = layer.boolean("bias", default=False)
    if None in (kernel, stride, dilation, padding, extra, groups, filters, bias):
        return None
    try:
        convolution = TransposedConvolution(
            shapes[0], kernel, stride, padding, dilation, groups, filters, bias, output_padding=extra  # type: ignore[arg-type]
        )
    except ShapeError as error:
        layer.report(_transposed_field(str(error)), str(error))
        return None
    return Layer(convolution.output_shape, (convolution,), window=None, dilation=convolution.dilation)


def _transposed_field(why: str) -> str:
    """The field a transposed convolution's error is about: its output_padding, its padding (no
    output left), or its channels (which do not split into groups)."""
    return next((field for field in ("output_padding", "padding", "groups") if field in why), "kernel")


def _pooling(layer: FieldReader, shapes: tuple[Shape, ...], rules: Rules) -> Layer | None:
    shape = shapes[0]
    size = layer.integers("size", 2, minimum=1)
    stride = layer.integers("stride", 2, minimum=1, default=list(size or (1, 1)))  # the window, by default
    padding = read_padding(layer)
    ceil_mode = layer.boolean("ceil_mode", default=False)
    if size is None or stride is None or padding is None or ceil_mode is None:
        return None
    if ceil_mode and any(isinstance(pad, str) for pad in padding):
        layer.report("ceil_mode", "ceil_mode (PyTorch's) needs a numeric padding, not 'same' or 'valid'")
        return None
    if any(not isinstance(pad, str) and 2 * pad > window for pad, window in zip(padding, size)):
        layer.report("padding", f"at most half the window ({size}), as PyTorch allows, found {padding}")
        return None
    if not _strictly_whole(layer, shape, size, stride, (1, 1), padding, rules):  # type: ignore[arg-type]
        return None
    try:
        height, width = (
            output_extent(extent, window, step, 1, pad, ceil_mode)
            for extent, window, step, pad in zip(shape[:2], size, stride, padding)
        )
    except ShapeError as error:
        layer.report("size", str(error))
        return None
    pads = tuple(_pad(extent, window, step, 1, pad) for extent, window, step, pad in zip(shape[:2], size, stride, padding))
    step = ((size[0], size[1]), (stride[0], stride[1]), (padding[0], padding[1]), bool(ceil_mode))
    return Layer((height, width, shape[2]), window=(size, stride, pads), pool_step=step)  # type: ignore[arg-type]


def _global_pooling(layer: FieldReader, shapes: tuple[Shape, ...], rules: Rules) -> Layer:
    """1×1×C, as PyTorch's AdaptiveAvgPool2d(1): a window as large as the input."""
    height, width, channels = shapes[0]
    return Layer((1, 1, channels), window=((height, width), (1, 1), (0, 0)))


def _normalisation(layer: FieldReader, running: bool) -> tuple[int, bool] | None:
    """How many of γ (`scale`) and β (`center`) the row learns; `affine: false` drops both (PyTorch's
    word), `scale: false` drops γ (Keras's), `center: false` drops β."""
    affine = layer.boolean("affine", default=True)
    scale = layer.boolean("scale", default=True)
    center = layer.boolean("center", default=True)
    if affine is None or scale is None or center is None:
        return None
    if not affine and (layer.mapping.get("scale") or layer.mapping.get("center")):
        layer.report("affine", "affine: false already drops γ and β; leave out scale and center")
        return None
    return (int(scale) + int(center)) * int(affine), running


def _batchnorm(layer: FieldReader, shapes: tuple[Shape, ...], rules: Rules) -> Layer | None:
    learned = _normalisation(layer, running=True)
    return None if learned is None else Layer(shapes[0], normalised=shapes[0][-1], affine=learned[0], running=True)


def _layernorm(layer: FieldReader, shapes: tuple[Shape, ...], rules: Rules) -> Layer | None:
    """Over the last axis (channels or units), as nn.LayerNorm(C) channels-last: no running statistics."""
    learned = _normalisation(layer, running=False)
    return None if learned is None else Layer(shapes[0], normalised=shapes[0][-1], affine=learned[0])


def _activation(layer: FieldReader, shapes: tuple[Shape, ...], rules: Rules) -> Layer | None:
    """ReLU, ReLU6, sigmoid…: the shape passes through; no parameters, no MACs."""
    layer.text("function", default="relu")
    return Layer(shapes[0])


def _flatten(layer: FieldReader, shapes: tuple[Shape, ...], rules: Rules) -> Layer:
    return Layer((math.prod(shapes[0]),), window=None)


def _dense(layer: FieldReader, shapes: tuple[Shape, ...], rules: Rules) -> Layer | None:
    units = layer.integer("units", minimum=1)
    bias = layer.boolean("bias", default=False)
    if units is None or bias is None:
        return None
    return Layer((units,), (one_by_one((1, 1, shapes[0][0]), units, bias),), window=None)


def describe(shape: Shape) -> str:
    """H×W×C, or `n units` once flat (a bare number read as a typo in the messages)."""
    return f"{shape[0]} units" if len(shape) == 1 else "×".join(map(str, shape))


def _add(layer: FieldReader, shapes: tuple[Shape, ...], rules: Rules) -> Layer:
    """A residual join (its inputs' shapes are checked by the table, which knows their names): no
    parameters, and its additions are not counted as MACs (no weight is multiplied), as in the
    published ResNet figures."""
    return Layer(shapes[0])


def _concat(layer: FieldReader, shapes: tuple[Shape, ...], rules: Rules) -> Layer:
    """Inception's and DenseNet's join along the channels (or units)."""
    return Layer((*shapes[0][:-1], sum(shape[-1] for shape in shapes)))


def join_mismatch(kind: str, shapes: tuple[Shape, ...]) -> str | None:
    """What an add or concat expected of its inputs' shapes, or None when they fit."""
    if kind == "add" and len(set(shapes)) != 1:
        return "an add needs inputs of one shape"
    if kind == "concat" and (len({len(shape) for shape in shapes}) != 1 or len({shape[:-1] for shape in shapes}) != 1):
        return "a concat needs inputs that differ only in channels (the same height and width)"
    return None


TYPES: dict[str, LayerType] = {
    "conv": LayerType(_convolution, 3, {}),
    "depthwise": LayerType(_convolution, 3, {"groups": "depthwise"}),
    "pointwise": LayerType(_convolution, 3, {"kernel": 1}),
    "separable": LayerType(_separable, 3, {"groups": "depthwise"}),
    "transposed": LayerType(_transposed, 3),
    "maxpool": LayerType(_pooling, 3),
    "avgpool": LayerType(_pooling, 3),
    "globalavgpool": LayerType(_global_pooling, 3),
    "globalmaxpool": LayerType(_global_pooling, 3),
    "batchnorm": LayerType(_batchnorm),
    "layernorm": LayerType(_layernorm),
    "activation": LayerType(_activation),
    "flatten": LayerType(_flatten),
    "dense": LayerType(_dense, 1),
    "add": LayerType(_add, joins=True),
    "concat": LayerType(_concat, joins=True),
}
