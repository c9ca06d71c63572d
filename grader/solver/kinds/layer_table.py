"""The table of a network's layers: each layer's output shape, parameters and MACs (or FLOPs), and totals.

Layers follow one another from `input: [H, W, C]`, so each layer's input is the previous
layer's output. Convolution-type layers are read by `read_convolution` (stride, padding,
dilation and bias mean what they mean in the convolution kind), and a dense layer is counted
as a 1×1 convolution of a 1×1 input, so every weight and MAC comes from `Convolution`.
Conventions (see docs/kinds/layer-table.md): pooling, flatten and batchnorm cost 0 MACs and
FLOPs; batchnorm has 2 parameters per channel, 4 with `batchnorm_buffers: true`; a separable
layer has one bias vector, on its pointwise output; dense refuses an input that is not flat.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any, Callable, Optional

from grader.base.fields import FieldReader
from grader.base.numbers import Number
from grader.solver.conv_arithmetic import Convolution, ShapeError, one_by_one, output_extent
from grader.solver.kinds.convolution import cost, read_convolution, read_count, read_padding
from grader.solver.kinds.problem_kind import ProblemKind
from grader.solver.mistakes import Alternative, Mistake, count_mistake, from_alternatives

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
TOTAL = "total"

Shape = tuple[int, ...]  # (height, width, channels), or (units,) once flattened


@dataclass(frozen=True)
class Layer:
    """One row of the table: its output, the convolutions that do its arithmetic, and the number
    of channels it normalises (batchnorm), whose parameters depend on a table-wide convention."""

    output: Shape
    convolutions: tuple[Convolution, ...] = ()
    normalised: int = 0
    window: tuple[tuple[int, int], tuple[int, int], tuple[int | str, int | str]] | None = None  # pooling: size, stride, padding


@dataclass(frozen=True)
class LayerTable:
    layers: tuple[tuple[str, Layer], ...]
    count: tuple[str, bool]
    batchnorm_buffers: bool


Reader = Callable[[FieldReader, Shape], Optional[Layer]]


@dataclass(frozen=True)
class LayerType:
    """How to read one type of layer; `rank` is the number of input axes it needs (None: any),
    and `fixed`, for convolutions only, the fields its type sets for `read_convolution`."""

    read: Reader
    rank: int | None = None
    fixed: Mapping[str, Any] | None = None


def _convolution(layer: FieldReader, shape: Shape) -> Layer | None:
    convolution = read_convolution(layer)
    return None if convolution is None else Layer(convolution.output_shape, (convolution,))


def _separable(layer: FieldReader, shape: Shape) -> Layer | None:
    """Depthwise (read as a depthwise layer) then 1×1 to `filters`; the bias, as in Keras's
    SeparableConv2D, is on the layer's output only."""
    depthwise = read_convolution(layer)
    filters = layer.integer("filters", minimum=1)
    if depthwise is None or filters is None:
        return None
    pointwise = one_by_one(depthwise.output_shape, filters, depthwise.bias)
    return Layer(pointwise.output_shape, (replace(depthwise, bias=False), pointwise))


def _pooling(layer: FieldReader, shape: Shape) -> Layer | None:
    size = layer.integers("size", 2, minimum=1)
    stride = layer.integers("stride", 2, minimum=1, default=list(size or (1, 1)))  # the window, by default
    padding = read_padding(layer)
    if size is None or stride is None or padding is None:
        return None
    try:
        height, width = (
            output_extent(extent, window, step, 1, pad)
            for extent, window, step, pad in zip(shape[:2], size, stride, padding)
        )
    except ShapeError as error:
        layer.report("size", str(error))
        return None
    return Layer((height, width, shape[2]), window=((size[0], size[1]), (stride[0], stride[1]), padding))


def _batchnorm(layer: FieldReader, shape: Shape) -> Layer:
    return Layer(shape, normalised=shape[-1])


def _flatten(layer: FieldReader, shape: Shape) -> Layer:
    return Layer((math.prod(shape),))


def _dense(layer: FieldReader, shape: Shape) -> Layer | None:
    units = layer.integer("units", minimum=1)
    bias = layer.boolean("bias", default=False)
    if units is None or bias is None:
        return None
    return Layer((units,), (one_by_one((1, 1, shape[0]), units, bias),))


TYPES: dict[str, LayerType] = {
    "conv": LayerType(_convolution, 3, {}),
    "depthwise": LayerType(_convolution, 3, {"groups": "depthwise"}),
    "pointwise": LayerType(_convolution, 3, {"kernel": 1}),
    "separable": LayerType(_separable, 3, {"groups": "depthwise"}),
    "maxpool": LayerType(_pooling, 3),
    "avgpool": LayerType(_pooling, 3),
    "batchnorm": LayerType(_batchnorm),
    "flatten": LayerType(_flatten),
    "dense": LayerType(_dense, 1),
}

SET_BY_TABLE = {
    "input": "each layer's input is the output of the layer before it; leave it out",
    "output": "the table asks for each layer's output; give stride and padding instead",
}


def _layer_reader(raw: object, prefix: str, shape: Shape | None) -> FieldReader:
    """The layer's fields; a convolution's also carry what `read_convolution` needs but the author
    must not give: its input, no stated output, and what its type fixes (a pointwise kernel)."""
    if not isinstance(raw, Mapping) or shape is None:
        return FieldReader(raw, prefix)
    kind = str(raw.get("type"))
    layer_type = TYPES.get(kind)
    if layer_type is None or layer_type.fixed is None:
        return FieldReader(raw, prefix)
    fixed = {"input": list(shape), "output": None, **layer_type.fixed}
    layer = FieldReader({**raw, **fixed}, prefix)
    for field, value in fixed.items():
        if field in raw:
            layer.report(field, SET_BY_TABLE.get(field, f"always {value} in a {kind} layer; leave it out"))
    return layer


def _name(layer: FieldReader, position: int) -> str | None:
    name = layer.text("name", default=f"layer{position + 1}")
    if name is not None and (not NAME.fullmatch(name) or name == TOTAL):
        layer.report("name", f"expected a name of letters, digits and '_' other than '{TOTAL}', found {name!r}")
        return None
    return name


def _type(layer: FieldReader) -> str | None:
    return layer.choice("type", tuple(TYPES))


def _input_fits(layer: FieldReader, kind: str, shape: Shape) -> bool:
    """Dense on an H×W×C input is refused rather than flattened implicitly: frameworks would
    apply it to the last axis only, so a silent flatten could disagree with what students ran."""
    rank = TYPES[kind].rank
    if rank is None or rank == len(shape):
        return True
    if rank == 1:
        layer.report("type", f"a dense layer needs a flat input, but its input is {'×'.join(map(str, shape))}: put a flatten layer before it")
    else:
        layer.report("type", f"a {kind} layer needs an H×W×C input, but its input is flat ({shape[0]} units)")
    return False


def _read_layer(raw: object, prefix: str, position: int, shape: Shape | None) -> tuple[FieldReader, str | None, Layer | None]:
    """A layer after one that failed has no known input: only its name and type are checked."""
    layer = _layer_reader(raw, prefix, shape)
    if not isinstance(raw, Mapping):
        return layer, None, None
    name = _name(layer, position)
    kind = _type(layer)
    if kind is None or shape is None or not _input_fits(layer, kind, shape):
        return layer, name, None
    result = TYPES[kind].read(layer, shape)
    layer.reject_unknown()
    return layer, name, result


def _read_layers(given: FieldReader, raw_layers: list[Any], shape: Shape | None) -> tuple[tuple[str, Layer], ...]:
    rows: list[tuple[str, Layer]] = []
    names: set[str] = set()
    for position, raw in enumerate(raw_layers):
        layer, name, result = _read_layer(raw, f"{given.prefix}layers[{position}].", position, shape)
        if name in names:
            layer.report("name", f"another layer is already named '{name}' (a layer without a name is layer<position>)")
        elif name is not None:
            names.add(name)
        given.issues.extend(layer.issues)
        shape = None if result is None else result.output
        if name is not None and result is not None:
            rows.append((name, result))
    return tuple(rows)


def parse(given: FieldReader) -> LayerTable | None:
    shape = given.integers("input", 3, minimum=1)
    count = read_count(given)
    buffers = given.boolean("batchnorm_buffers", default=False)
    raw_layers = given.raw("layers")
    given.reject_unknown()
    if raw_layers is not None and (not isinstance(raw_layers, list) or not raw_layers):
        given.report("layers", "expected a non-empty list of layers, such as - {type: conv, kernel: 3, filters: 64}")
    if not isinstance(raw_layers, list):
        return None
    layers = _read_layers(given, raw_layers, shape)
    if given.issues or count is None or buffers is None:
        return None
    return LayerTable(layers, count, buffers)


def parameters(layer: Layer, batchnorm_buffers: bool) -> int:
    """Batchnorm learns γ and β per channel; its running mean and variance are buffers, not
    learned, counted only when the table says so (Keras's summary counts them, PyTorch's don't)."""
    per_channel = 4 if batchnorm_buffers else 2
    return sum(convolution.parameters for convolution in layer.convolutions) + per_channel * layer.normalised


def _output_answers(name: str, output: Shape) -> dict[str, int]:
    if len(output) == 1:
        return {f"{name}.output.units": output[0]}
    height, width, channels = output
    return {f"{name}.output.height": height, f"{name}.output.width": width, f"{name}.output.channels": channels}


def solve(table: LayerTable) -> dict[str, Number]:
    return solve_with(table, {})


def solve_with(table: LayerTable, own: Mapping[str, Number]) -> dict[str, Number]:
    """The table, with a layer's cost taken from the student's own output height and width, its
    parameters from their own count of its input channels, and the totals from their own rows."""
    unit = table.count[0]
    answers: dict[str, Number] = {}
    previous: str | None = None
    for name, layer in table.layers:
        answers.update({key: Fraction(value) for key, value in _output_answers(name, layer.output).items()})
        answers.update(_own_output(layer, name, own, previous))
        answers[f"{name}.params"] = _own_parameters(layer, table.batchnorm_buffers, _own_input(own, previous))
        answers[f"{name}.{unit}"] = _own_cost(layer, table.count, own, name, _own_input(own, previous))
        previous = name
    for measure in ("params", unit):
        total = sum((own.get(f"{name}.{measure}", answers[f"{name}.{measure}"]) for name, _ in table.layers), Fraction(0))
        answers[f"{TOTAL}.{measure}"] = total
    return answers


def _own_output(layer: Layer, name: str, own: Mapping[str, Number], previous: str | None) -> dict[str, Number]:
    """A layer's output height and width from the student's own (whole) input height and width:
    a convolution's or a pooling's geometry applied to them; batchnorm keeps them, and its channels."""
    if previous is None or len(layer.output) != 3:
        return {}
    found: dict[str, Number] = {}
    geometry = _geometry(layer)
    for axis, measure in enumerate(("height", "width")):
        size = own.get(f"{previous}.output.{measure}")
        if size is None or Fraction(size).denominator != 1 or size < 1:
            continue
        if geometry is not None:
            kernel, stride, dilation, padding = (part[axis] for part in geometry)
            try:
                found[f"{name}.output.{measure}"] = Fraction(output_extent(int(size), kernel, stride, dilation, padding))  # type: ignore[arg-type]
            except ShapeError:
                continue
        elif layer.normalised:
            found[f"{name}.output.{measure}"] = size
    channels = own.get(f"{previous}.output.channels")
    if channels is not None and (layer.normalised or layer.window is not None):
        found[f"{name}.output.channels"] = channels
    return found


def _geometry(layer: Layer) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int], tuple[int | str, int | str]] | None:
    """(kernel, stride, dilation, padding) of the layer's first step, which sets its output size."""
    if layer.window is not None:
        size, stride, padding = layer.window
        return size, stride, (1, 1), padding
    if layer.convolutions and layer.convolutions[0].stated_output is None:
        first = layer.convolutions[0]
        return first.kernel, first.stride, first.dilation, first.padding
    return None


def _own_input(own: Mapping[str, Number], previous: str | None) -> Number | None:
    if previous is None:
        return None
    return own.get(f"{previous}.output.channels", own.get(f"{previous}.output.units"))


def _own_parameters(layer: Layer, buffers: bool, channels: Number | None) -> Number:
    """With the student's own input channels, a single ungrouped convolution (conv, pointwise,
    dense) scales its weights; other layers keep the key's count."""
    exact = Fraction(parameters(layer, buffers))
    single = layer.convolutions[0] if len(layer.convolutions) == 1 else None
    if channels is None or single is None or single.groups != 1:
        return exact
    return Fraction(single.weights, single.input_shape[2]) * channels + single.biases


def _own_cost(layer: Layer, count: tuple[str, bool], own: Mapping[str, Number], name: str, channels: Number | None) -> Number:
    """The cost from the student's own output height and width and, for a single ungrouped
    convolution or dense layer, their own count of its input channels (or units)."""
    exact: Number = Fraction(sum(cost(convolution, count) for convolution in layer.convolutions))
    single = layer.convolutions[0] if len(layer.convolutions) == 1 else None
    if channels is not None and single is not None and single.groups == 1 and exact:
        bias_adds = single.activations if count == ("flops", True) and single.bias else 0
        exact = (exact - bias_adds) * channels / single.input_shape[2] + bias_adds
    if len(layer.output) != 3 or not exact:
        return exact
    height, width, _ = layer.output
    own_area = own.get(f"{name}.output.height", height) * own.get(f"{name}.output.width", width)
    return exact * own_area / (height * width)


def dependencies(table: LayerTable) -> dict[str, tuple[str, ...]]:
    unit = table.count[0]
    found: dict[str, tuple[str, ...]] = {}
    previous: str | None = None
    for name, layer in table.layers:
        own_area = (f"{name}.output.height", f"{name}.output.width") if len(layer.output) == 3 else ()
        found[f"{name}.{unit}"] = own_area
        if previous is not None:
            before = dict(table.layers)[previous].output
            channels = f"{previous}.output.channels" if len(before) == 3 else f"{previous}.output.units"
            found[f"{name}.params"] = (channels,)
            found[f"{name}.{unit}"] = (*own_area, channels)
            if len(before) == 3 and len(layer.output) == 3:
                for measure in ("height", "width"):
                    found[f"{name}.output.{measure}"] = (f"{previous}.output.{measure}",)
                if layer.normalised or layer.window is not None:
                    found[f"{name}.output.channels"] = (channels,)
        previous = name
    for measure in ("params", unit):
        found[f"{TOTAL}.{measure}"] = tuple(f"{name}.{measure}" for name, _ in table.layers)
    return found


def mistakes(table: LayerTable) -> tuple[Mistake, ...]:
    """Biases counted or forgotten, FLOPs for MACs, the input's height and width for the output's,
    each on the rows and on the totals; and a layer's own output channels taken as its input
    channels (a value from the wrong layer)."""
    key = solve(table)
    unit = table.count[0]
    costs = [f"{name}.{unit}" for name, _ in table.layers]
    bias_flipped, wrong_layer, input_size = {}, {}, {}
    for name, layer in table.layers:
        if layer.convolutions and len(layer.output) == 3:
            (in_h, in_w, _), (out_h, out_w, _) = layer.convolutions[0].input_shape, layer.output
            input_size[f"{name}.{unit}"] = key[f"{name}.{unit}"] * Fraction(in_h * in_w, out_h * out_w)
        single = layer.convolutions[0] if len(layer.convolutions) == 1 else None
        if single is None:
            continue
        bias_flipped[f"{name}.params"] = Fraction(single.weights + (0 if single.bias else single.filters))
        if single.groups == 1:
            wrong_layer[f"{name}.params"] = Fraction(single.weights, single.input_shape[2]) * single.filters + single.biases
    return from_alternatives(key, [
        Alternative("bias counted or forgotten", "Check whether this layer has biases: one per filter or unit.",
                    _with_total(key, bias_flipped, table, "params")),
        count_mistake(unit, key, [*costs, f"{TOTAL}.{unit}"]),
        Alternative("input size instead of output size", "Each filter is applied once per OUTPUT position: use the output's height × width.",
                    _with_total(key, input_size, table, unit)),
        Alternative("value taken from the wrong layer",
                    "A layer's weights connect its INPUT channels (the previous layer's output) to its own filters.", wrong_layer),
    ])


def _with_total(key: Mapping[str, Number], rows: Mapping[str, Number], table: LayerTable, measure: str) -> dict[str, Number]:
    """The mistaken rows and the total they add up to (the other rows as the key has them)."""
    total = sum((rows.get(f"{name}.{measure}", key[f"{name}.{measure}"]) for name, _ in table.layers), Fraction(0))
    return {**rows, f"{TOTAL}.{measure}": total}


KIND = ProblemKind(
    name="layer-table",
    summary="a network's layers in order: each output shape, parameters and MACs or FLOPs, and the totals",
    parse=parse,
    solve=solve,
    dependencies=dependencies,
    solve_with=solve_with,
    mistakes=mistakes,
)
