"""One convolution layer in general: output shape, weights, parameters, MACs or FLOPs, activations.

Also home of `read_convolution`, the reader of convolution fields that every convolution-based
kind shares, so that stride, padding, dilation and groups mean the same thing everywhere.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Mapping

from grader.base.fields import FieldReader
from grader.base.numbers import Number
from grader.solver.conv_arithmetic import (
    OUTPUT_RULES,
    PADDING_WORDS,
    Convolution,
    ShapeError,
    effective_kernel,
    strict_refusal,
    total_padding,
)
from grader.solver.kinds.problem_kind import ProblemKind
from grader.solver.mistakes import (
    Alternative,
    Mistake,
    bias_mistake,
    count_mistake,
    from_alternatives,
    scaled,
)

COUNTS = ("macs", "flops")


GEOMETRY_FIELDS = ("stride", "padding", "dilation")


def read_padding(given: FieldReader) -> tuple[int | str, int | str] | None:
    raw = given.raw("padding", default=0)
    if raw in PADDING_WORDS:
        return raw, raw
    if isinstance(raw, str):
        given.report("padding", f"expected a number, a pair, 'same' or 'valid', found {raw!r}")
        return None
    pair = given.integers("padding", 2, minimum=0, default=0)
    return None if pair is None else (pair[0], pair[1])


def read_convolution(given: FieldReader, filters: int | None = None) -> Convolution | None:
    """The layer from `input`, `kernel`, `filters` (or `output` channels), `stride`, `padding`,
    `dilation`, `groups` (a number or `depthwise`, with `channel_multiplier`) and `bias`.

    A rubric may state `output` instead of the geometry (the output size is then taken as given);
    when it states both, the output must be what the geometry produces.
    """
    geometry_given = any(field in given.mapping for field in GEOMETRY_FIELDS)
    input_shape = given.integers("input", 3, minimum=1)
    kernel = given.integers("kernel", 2, minimum=1)
    stride = given.integers("stride", 2, minimum=1, default=1)
    dilation = given.integers("dilation", 2, minimum=1, default=1)
    padding = read_padding(given)
    output = given.integers("output", 3, minimum=1, default=None)
    bias = given.boolean("bias", default=False)
    groups, filters = _groups_and_filters(given, input_shape, output, filters)
    if None in (input_shape, kernel, stride, dilation, padding, bias, groups, filters):
        return None
    stated = (output[0], output[1]) if output is not None and not geometry_given else None
    try:
        layer = Convolution(input_shape, kernel, stride, padding, dilation, groups, filters, bias, stated)  # type: ignore[arg-type]
        produced = layer.output_shape
    except ShapeError as error:
        given.report("kernel", str(error))
        return None
    if output is not None and tuple(output) != produced:
        given.report(
            "output",
            f"stride {stride}, padding {padding} and dilation {dilation} turn {input_shape} into {produced}, "
            f"not {tuple(output)}",
        )
        return None
    return layer


def _groups_and_filters(
    given: FieldReader, input_shape: tuple[int, ...] | None, output: tuple[int, ...] | None, filters: int | None
) -> tuple[int | None, int | None]:
    raw_groups = given.raw("groups", default=1)
    multiplier = given.integer("channel_multiplier", minimum=1, default=1)
    if raw_groups == "depthwise":
        if input_shape is None or multiplier is None:
            return None, None
        return input_shape[2], input_shape[2] * multiplier
    groups = given.integer("groups", minimum=1, default=1)
    if filters is None:
        stated = given.integer("filters", minimum=1, default=None)
        filters = stated if stated is not None else (output[2] if output else None)
        if filters is None and "filters" not in given.mapping:
            given.report("filters", "required: the number of filters (or an output shape to read it from)")
    return groups, filters


def read_count(given: FieldReader) -> tuple[str, bool] | None:
    count = given.choice("count", COUNTS, default="macs")
    bias_adds = given.boolean("flops_count_bias_adds", default=False)
    return None if count is None or bias_adds is None else (count, bias_adds)


def cost(layer: Convolution, count: tuple[str, bool]) -> int:
    return layer.macs if count[0] == "macs" else layer.flops(count[1])


def parse(given: FieldReader) -> tuple[Convolution, tuple[str, bool]] | None:
    layer = read_convolution(given)
    count = read_count(given)
    rule = given.choice("output_rule", OUTPUT_RULES, default="floor")
    given.reject_unknown()
    if layer is None or count is None or rule is None:
        return None
    why = strict_refusal(layer.input_shape, layer.kernel, layer.stride, layer.dilation, layer.padding) if rule == "strict" else None
    if why is not None and layer.stated_output is None:  # an output stated without stride and padding is taken as given
        given.report("stride", why)
        return None
    return layer, count


Spec = tuple[Convolution, tuple[str, bool]]


def solve(spec: Spec) -> dict[str, Number]:
    return solve_with(spec, {})


def solve_with(spec: Spec, own: Mapping[str, Number]) -> dict[str, Number]:
    """Parameters, cost and activations from a student's own output shape and weights where given."""
    layer, (unit, bias_adds) = spec
    shape: dict[str, Number] = dict(zip(("output.height", "output.width", "output.channels"), map(Fraction, layer.output_shape)))
    shape.update({name: own[name] for name in shape if name in own})
    height, width, channels = shape.values()
    weights = own.get("weights", Fraction(layer.weights))
    positions = height * width
    macs = positions * weights
    activations = positions * channels
    flops = 2 * macs + (activations if bias_adds and layer.bias else 0)
    return {
        **shape,
        "weights": weights,
        "parameters": weights + layer.biases,
        unit: macs if unit == "macs" else flops,
        "activations": activations,
    }


def dependencies(spec: Spec) -> dict[str, tuple[str, ...]]:
    unit = spec[1][0]
    return {
        "parameters": ("weights",),
        unit: ("output.height", "output.width", "weights"),
        "activations": ("output.height", "output.width", "output.channels"),
    }


def mistakes(spec: Spec) -> tuple[Mistake, ...]:
    layer, (unit, _) = spec
    key = solve(spec)
    (in_h, in_w, _), (out_h, out_w, _) = layer.input_shape, layer.output_shape
    per_filter = layer.input_shape[2] // layer.groups
    flipped = key["weights"] if layer.bias else key["weights"] + layer.filters
    alternatives = [
        bias_mistake(layer.bias, {"parameters": flipped}),
        count_mistake(unit, key, [unit]),
        scaled("input size instead of output size", "Count one use of each filter per OUTPUT position.",
               key, [unit, "activations"], Fraction(in_h * in_w, out_h * out_w)),
        scaled("input channels left out", "Each filter spans every input channel of its group.", key, ["weights", unit], Fraction(1, per_filter)),
    ]
    if not layer.bias:
        per_value = 1 if unit == "macs" else 2
        alternatives.append(Alternative("bias counted in the cost", "This layer has no bias: count no bias operation per output value.",
                                        {unit: key[unit] + per_value * key["activations"]}))
    return from_alternatives(key, alternatives)


def layer_working(layer: Convolution, count: tuple[str, bool]) -> dict[str, str]:
    """How each answer of one layer is worked out, with its numbers (a wrong value's check)."""
    (in_h, in_w, channels), (out_h, out_w, filters) = layer.input_shape, layer.output_shape
    per_filter = f"({channels}/{layer.groups})" if layer.groups > 1 else f"{channels}"
    bias = f" + {layer.biases} biases (one per output channel)" if layer.bias else " (this layer has no bias)"
    found = {
        "weights": f"k·k·{'(C_in/groups)' if layer.groups > 1 else 'C_in'}·C_out = {layer.kernel[0]}·{layer.kernel[1]}·{per_filter}·{filters}",
        "parameters": f"the weights{bias}",
        "macs": f"one MAC per weight per output position: H_out·W_out·weights = {out_h}·{out_w}·{layer.weights}",
        "flops": f"2 per MAC = 2·{out_h}·{out_w}·{layer.weights}" + (" + one add per output value for the bias" if count[1] and layer.bias else ""),
        "activations": f"H_out·W_out·C_out = {out_h}·{out_w}·{filters}",
        "output.channels": f"one output channel per filter: {filters}",
    }
    if layer.stated_output is None:
        for axis, size in (("height", in_h), ("width", in_w)):
            i = 0 if axis == "height" else 1
            kernel, stride, padding = effective_kernel(layer.kernel[i], layer.dilation[i]), layer.stride[i], layer.padding[i]
            twice = total_padding(size, layer.kernel[i], stride, layer.dilation[i], padding)
            found[f"output.{axis}"] = f"⌊(W − F + 2P)/S⌋ + 1 = ⌊({size} − {kernel} + {twice})/{stride}⌋ + 1"
    return found


def working(spec: Spec) -> dict[str, str]:
    return layer_working(*spec)


KIND = ProblemKind(
    name="convolution",
    summary="one convolution layer: output shape, weights, parameters, MACs or FLOPs, activations",
    parse=parse,
    solve=solve,
    dependencies=dependencies,
    solve_with=solve_with,
    mistakes=mistakes,
    working=working,
)
