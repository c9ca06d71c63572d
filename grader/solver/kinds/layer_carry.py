"""How a layer table's answers build on the student's own answers for a layer's inputs (carried credit).

A layer's input is the row it names (`input:`), or the row before it. The network's input is
given, never the student's answer, so nothing carries from it. Per row:
- output height and width: the row's geometry (a convolution's or pooling's kernel, stride,
  dilation and padding, a transposed convolution's too) applied to the student's own input
  height and width; a row that keeps the shape (normalisation, activation) keeps theirs; global
  pooling is 1×1 whatever its input;
- output channels (or units): kept from the input by pooling, normalisation and activation rows;
- parameters: a single ungrouped convolution or dense layer from the student's own count of its
  input channels (or units), normalisation from their channels;
- cost: from the student's own output height and width (a transposed convolution's from its input
  height and width) and, for a single ungrouped convolution or dense layer, their own input channels.
Joins: a concat's channels are the sum of its inputs' channels (the student's own for each input
they gave, else the key's). An add keeps its inputs' shape, and a concat their height and width:
the student's own when every value they gave for its inputs (and the network input's, when it is
one) agrees, else the key's, as inputs that disagree cannot be joined.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction

from grader.base.numbers import Number
from grader.solver.conv_arithmetic import ShapeError, output_extent
from grader.solver.kinds.layer_graph import NETWORK_INPUT
from grader.solver.kinds.layer_types import Layer, Shape, layer_cost, parameters

AXES = ("height", "width")
KEEPS_SHAPE = ("batchnorm", "layernorm", "activation", "add", "concat")
KEEPS_CHANNELS = ("maxpool", "avgpool", "globalavgpool", "globalmaxpool", "batchnorm", "layernorm", "activation", "add")
GLOBAL = ("globalavgpool", "globalmaxpool")
Rows = tuple[tuple[str, Layer], ...]


def channels_key(name: str, like: Shape) -> str:
    return f"{name}.output.channels" if len(like) == 3 else f"{name}.output.units"


def single_source(layer: Layer) -> str | None:
    """The row a layer takes its one input from; None for a join or the network's input."""
    if len(layer.sources) != 1 or layer.sources[0] == NETWORK_INPUT:
        return None
    return layer.sources[0]


def _scales_with_channels(layer: Layer) -> bool:
    """A single ungrouped convolution or dense layer: its weights and cost are linear in its input channels."""
    return len(layer.convolutions) == 1 and layer.convolutions[0].groups == 1


def _given(own: Mapping[str, Number], shapes: Mapping[str, Shape], layer: Layer, axis: int) -> list[Number]:
    """The values the student gave for one axis of each input (the network input's as given)."""
    values: list[Number] = []
    for source in layer.sources:
        if source == NETWORK_INPUT:
            values.append(Fraction(shapes[source][axis]))
            continue
        measure = AXES[axis] if axis < 2 else channels_key(source, shapes[source]).rsplit(".", 1)[1]
        value = own.get(f"{source}.output.{measure}")
        if value is not None:
            values.append(value)
    return values


def _agreed(values: list[Number]) -> Number | None:
    return values[0] if values and all(value == values[0] for value in values) else None


def _extent(layer: Layer, axis: int, size: Number) -> int | None:
    """The row's output extent on one axis from an input extent, or None where it does not follow
    from it (global pooling, dense) or the input is not a whole size the geometry fits."""
    if Fraction(size).denominator != 1 or size < 1 or layer.kind in GLOBAL:
        return None
    whole = int(size)
    try:
        if layer.kind in KEEPS_SHAPE:
            return whole
        if layer.pool_step is not None:
            window, stride, padding, ceil_mode = layer.pool_step
            return output_extent(whole, window[axis], stride[axis], 1, padding[axis], ceil_mode)
        if layer.convolutions:
            first = layer.convolutions[0]
            shape = list(first.input_shape)
            shape[axis] = whole
            return replace(first, input_shape=tuple(shape)).output_shape[axis]  # type: ignore[arg-type]
    except ShapeError:
        return None
    return None


def own_output(name: str, layer: Layer, own: Mapping[str, Number], shapes: Mapping[str, Shape]) -> dict[str, Number]:
    """The row's output shape from the student's own shapes of its inputs, where it follows from them."""
    found: dict[str, Number] = {}
    if len(layer.output) == 3:
        for axis, measure in enumerate(AXES):
            size = _agreed(_given(own, shapes, layer, axis))
            extent = None if size is None else _extent(layer, axis, size)
            if extent is not None:
                found[f"{name}.output.{measure}"] = Fraction(extent)
    key = channels_key(name, layer.output)
    if layer.kind == "concat":
        found[key] = sum((own.get(channels_key(source, shapes[source]), Fraction(shapes[source][-1]))
                          if source != NETWORK_INPUT else Fraction(shapes[source][-1]) for source in layer.sources), Fraction(0))
    elif layer.kind in KEEPS_CHANNELS:
        channels = _agreed(_given(own, shapes, layer, 2))
        if channels is not None:
            found[key] = channels
    return found


def own_input_channels(own: Mapping[str, Number], layer: Layer, shapes: Mapping[str, Shape]) -> Number | None:
    source = single_source(layer)
    return None if source is None else own.get(channels_key(source, shapes[source]))


def own_parameters(layer: Layer, buffers: bool, channels: Number | None) -> Number:
    """With the student's own input channels, a single ungrouped convolution (conv, pointwise,
    dense) scales its weights and normalisation its per-channel values; others keep the key's count."""
    exact = Fraction(parameters(layer, buffers))
    if channels is None:
        return exact
    if layer.normalised:
        return (layer.affine + (2 if buffers and layer.running else 0)) * channels
    if not _scales_with_channels(layer):
        return exact
    single = layer.convolutions[0]
    return Fraction(single.weights, single.input_shape[2]) * channels + single.biases


def own_cost(name: str, layer: Layer, count: tuple[str, bool], own: Mapping[str, Number], shapes: Mapping[str, Shape]) -> Number:
    """The cost from the student's own output height and width (a transposed convolution's input
    height and width: it scatters each input position) and, for a single ungrouped convolution or
    dense layer, their own count of its input channels. Bias adds (FLOPs) follow the output only."""
    exact: Number = Fraction(layer_cost(layer, count))
    if not exact:
        return exact
    channels = own_input_channels(own, layer, shapes)
    if channels is not None and _scales_with_channels(layer):
        single = layer.convolutions[0]
        bias_adds = single.activations if count == ("flops", True) and single.bias else 0
        exact = (exact - bias_adds) * channels / single.input_shape[2] + bias_adds
    if len(layer.output) != 3:
        return exact
    place, (height, width) = _area_of(name, layer)
    if place is None:
        return exact
    area = own.get(f"{place}.output.height", height) * own.get(f"{place}.output.width", width)
    return exact * area / (height * width)


def _area_of(name: str, layer: Layer) -> tuple[str | None, tuple[int, int]]:
    """Whose height and width a row's cost is proportional to: its own output's, or a transposed
    convolution's input's (None when that is the network's input)."""
    if layer.kind == "transposed":
        height, width, _ = layer.convolutions[0].input_shape
        return single_source(layer), (height, width)
    return name, (layer.output[0], layer.output[1])


def dependencies(rows: Rows, unit: str) -> dict[str, tuple[str, ...]]:
    """What each row's shape, parameters and cost build on, as `own_output`, `own_parameters` and `own_cost` use it."""
    shapes = {name: layer.output for name, layer in rows}
    found: dict[str, tuple[str, ...]] = {}
    for name, layer in rows:
        source = single_source(layer)
        inputs = [other for other in layer.sources if other != NETWORK_INPUT]
        channels = () if source is None else (channels_key(source, shapes[source]),)
        place, _ = _area_of(name, layer) if len(layer.output) == 3 and layer.convolutions else (None, (0, 0))
        area = () if place is None else (f"{place}.output.height", f"{place}.output.width")
        cost = (*area, *(channels if _scales_with_channels(layer) else ()))
        if cost:
            found[f"{name}.{unit}"] = cost
        if source is not None:
            found[f"{name}.params"] = channels
        if len(layer.output) == 3 and layer.kind not in GLOBAL and (layer.kind in KEEPS_SHAPE or layer.pool_step or layer.convolutions):
            for measure in AXES:
                sizes = tuple(f"{other}.output.{measure}" for other in inputs if len(shapes[other]) == 3)
                if sizes:
                    found[f"{name}.output.{measure}"] = sizes
        if layer.kind == "concat" or layer.kind in KEEPS_CHANNELS:
            counts = tuple(channels_key(other, shapes[other]) for other in inputs)
            if counts:
                found[channels_key(name, layer.output)] = counts
    return found
