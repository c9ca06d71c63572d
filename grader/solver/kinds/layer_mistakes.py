"""The mistakes students make with the newer rows and columns of a layer table, each as the
values the mistaken way of working gives (the table's older mistakes are in layer_table).
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

from grader.base.numbers import Number
from grader.solver.conv_arithmetic import TransposedConvolution, output_extent
from grader.solver.kinds.layer_graph import NETWORK_INPUT, TOTAL
from grader.solver.kinds.layer_summaries import PRECISIONS, Columns, Rows, receptive_fields
from grader.solver.kinds.layer_types import Layer, per_axis
from grader.solver.mistakes import Alternative

AXES = ("height", "width")


def _channels(name: str, layer: Layer) -> str:
    return f"{name}.output.channels" if len(layer.output) == 3 else f"{name}.output.units"


def joins(rows: Rows) -> list[Alternative]:
    """A concat given one branch's channels; an add given the channels summed (a concat's rule)."""
    outputs = {name: layer.output for name, layer in rows}
    concat_one, add_summed = {}, {}
    for name, layer in rows:
        if layer.kind == "concat" and layer.sources[0] in outputs:
            concat_one[_channels(name, layer)] = Fraction(outputs[layer.sources[0]][-1])
        if layer.kind == "add":
            add_summed[_channels(name, layer)] = Fraction(layer.output[-1] * len(layer.sources))
    return [
        Alternative("concat given one input's channels", "A concat stacks its inputs' channels: add up the channels of every input.", concat_one),
        Alternative("add given summed channels", "An add keeps its inputs' shape: the channels are not summed (that is a concat).", add_summed),
    ]


def running_statistics(rows: Rows, buffers: bool) -> Alternative:
    flipped = {f"{name}.params": Fraction((layer.affine + (0 if buffers else 2)) * layer.normalised) for name, layer in rows if layer.running}
    if buffers:
        return Alternative("running statistics left out", "This table counts batchnorm's running mean and variance too, as Keras's summary does.", flipped)
    return Alternative("running statistics counted",
                       "Batchnorm's running mean and variance are buffers, not learned parameters: count γ and β only, as PyTorch does.", flipped)


def _pool_rounding(name: str, layer: Layer, input_shape: tuple[int, ...]) -> dict[str, Number]:
    """A pooling row's output with floor and ceil swapped, where the two differ."""
    if layer.kind not in ("maxpool", "avgpool") or layer.window is None:
        return {}
    kernel, stride, pad = layer.window
    found: dict[str, Number] = {}
    for axis, size, k, s, p, out in zip(AXES, input_shape, kernel, stride, pad, layer.output):
        ceil = output_extent(size, k, s, 1, p, ceil_mode=True)
        other = ceil if ceil != out else output_extent(size, k, s, 1, p)
        found[f"{name}.output.{axis}"] = Fraction(other)
    return found


def _transposed(name: str, layer: Layer) -> tuple[dict[str, Number], dict[str, Number]]:
    """Its output by the convolution formula, and with output_padding forgotten."""
    convolution = layer.convolutions[0] if layer.convolutions else None
    if not isinstance(convolution, TransposedConvolution):
        return {}, {}
    as_conv: dict[str, Number] = {}
    no_extra: dict[str, Number] = {}
    for axis, index in zip(AXES, (0, 1)):
        size, kernel, stride, pad = (convolution.input_shape[index], convolution.kernel[index], convolution.stride[index], int(convolution.padding[index]))
        as_conv[f"{name}.output.{axis}"] = Fraction(max(size + 2 * pad - kernel, 0) // stride + 1)
        no_extra[f"{name}.output.{axis}"] = Fraction(layer.output[index] - convolution.output_padding[index])
    return as_conv, no_extra


def geometry(rows: Rows, input_shape: tuple[int, ...]) -> list[Alternative]:
    outputs = {NETWORK_INPUT: input_shape, **{name: layer.output for name, layer in rows}}
    rounding: dict[str, Number] = {}
    as_conv: dict[str, Number] = {}
    no_extra: dict[str, Number] = {}
    dilated: dict[str, Number] = {}
    for name, layer in rows:
        if layer.sources[0] in outputs:
            rounding.update(_pool_rounding(name, layer, outputs[layer.sources[0]]))
        conv_rule, forgotten = _transposed(name, layer)
        as_conv.update(conv_rule)
        no_extra.update(forgotten)
        if layer.dilation != (1, 1) and layer.convolutions:
            spans = tuple(k * d for k, d in zip(layer.convolutions[0].kernel, layer.dilation))
            dilated.update(per_axis(f"{name}.effective_kernel", spans))
    return [
        Alternative("ceil and floor swapped",
                    "Check the rounding: PyTorch floors unless ceil_mode is set, and with it drops a last window that starts in the padding.", rounding),
        Alternative("convolution formula for a transposed convolution",
                    "A transposed convolution enlarges: (W − 1)·S − 2P + d·(F − 1) + output_padding + 1.", as_conv),
        Alternative("output_padding forgotten", "Add output_padding to one side of the output.", no_extra),
        Alternative("dilation times kernel", "A dilated kernel of F taps spans d·(F − 1) + 1 inputs, not d·F.", dilated),
    ]


def receptive_field(rows: Rows, columns: Columns) -> list[Alternative]:
    """The fields added up as if every stride were 1: r = 1 + Σ (k − 1), and every jump 1."""
    if not columns.receptive_field:
        return []
    flat: dict[str, Number] = {}
    for name, (field, jump, _) in receptive_fields(rows, {}, strides_ignored=True).items():
        flat.update(per_axis(f"{name}.receptive_field", field))
        flat.update(per_axis(f"{name}.jump", jump))
    return [Alternative("strides ignored", "Each layer widens the field by (k − 1) × the jump so far: the product of the strides before it.", flat)]


def memory(rows: Rows, columns: Columns, input_values: int, key: Mapping[str, Number]) -> list[Alternative]:
    """Bits for bytes, float32's 4 bytes at another precision, and the input counted (or not)."""
    if not columns.activations:
        return []
    total = key[f"{TOTAL}.activations"]
    flipped = total - input_values if columns.include_input else total + input_values
    found = [Alternative("input counted or not", "Check which tensors count: this table counts every layer's output"
                         + (" and the input." if columns.include_input else ", not the input."), {f"{TOTAL}.activations": flipped})]
    if columns.precision is not None:
        size = PRECISIONS[columns.precision]
        found.append(Alternative("bits for bytes", "Memory is asked in bytes: 8 bits to a byte.", {f"{TOTAL}.activation_bytes": total * size * 8}))
        found.append(Alternative("float32's 4 bytes", f"At {columns.precision} a value takes {size} bytes, not 4.", {f"{TOTAL}.activation_bytes": total * 4}))
    return found


def alternatives(rows: Rows, columns: Columns, buffers: bool, input_shape: tuple[int, ...], key: Mapping[str, Number]) -> list[Alternative]:
    return [
        *joins(rows), running_statistics(rows, buffers), *geometry(rows, input_shape),
        *receptive_field(rows, columns), *memory(rows, columns, math.prod(input_shape), key),
    ]
