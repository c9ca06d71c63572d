"""The table of a network's layers: each layer's output shape, parameters and MACs (or FLOPs), and totals.

Rows are read by `layer_graph` (names, inputs, joins, stages) and `layer_types` (one reader per
type of row); the optional columns (activations, receptive fields, subtotals by type and by
stage) are `layer_summaries`. Conventions (see docs/kinds/layer-table.md): pooling, flatten,
normalisation, activations and joins cost 0 MACs and FLOPs; batchnorm has 2 parameters per
channel, 4 with `batchnorm_buffers: true`; a separable layer has one bias vector, on its
pointwise output; dense refuses an input that is not flat.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from grader.base.fields import FieldReader
from grader.base.numbers import Number
from grader.solver.conv_arithmetic import OUTPUT_RULES, effective_kernel
from grader.solver.kinds import layer_carry, layer_mistakes, layer_summaries
from grader.solver.kinds.convolution import read_count
from grader.solver.kinds.layer_graph import NETWORK_INPUT, TOTAL, read_rows
from grader.solver.kinds.layer_summaries import Columns, read_columns
from grader.solver.kinds.layer_types import Layer, Rules, Shape, per_axis
from grader.solver.kinds.problem_kind import ProblemKind
from grader.solver.mistakes import Alternative, Mistake, count_mistake, from_alternatives

MAX_ROWS = 2000  # ResNet-152 with its batchnorm and activation rows has about 520; each row is several answers


@dataclass(frozen=True)
class LayerTable:
    layers: tuple[tuple[str, Layer], ...]
    count: tuple[str, bool]
    batchnorm_buffers: bool
    input: Shape
    columns: Columns


def parse(given: FieldReader) -> LayerTable | None:
    raw_input = given.mapping.get("input")
    flat = isinstance(raw_input, list) and len(raw_input) == 1  # [units]: a multilayer perceptron's table
    shape = given.integers("input", 1 if flat else 3, minimum=1)
    count = read_count(given)
    buffers = given.boolean("batchnorm_buffers", default=False)
    rule = given.choice("output_rule", OUTPUT_RULES, default="floor")
    columns = read_columns(given)
    raw_layers = given.raw("layers")
    given.reject_unknown()
    if raw_layers is not None and (not isinstance(raw_layers, list) or not raw_layers):
        given.report("layers", "expected a non-empty list of layers, such as - {type: conv, kernel: 3, filters: 64}")
    if not isinstance(raw_layers, list):
        return None
    if flat and columns is not None and columns.receptive_field:
        given.report("receptive_field", "a receptive field is a span of pixels: the input must be H×W×C, not flat units")
    if len(raw_layers) > MAX_ROWS:
        given.report("layers", f"expected at most {MAX_ROWS:,} layers (each is several answers), found {len(raw_layers):,}")
        return None
    layers = read_rows(given, raw_layers, shape, Rules(strict=rule == "strict"))
    if given.issues or count is None or buffers is None or shape is None or columns is None:
        return None
    return LayerTable(layers, count, buffers, shape, columns)


def _output_answers(name: str, output: Shape) -> dict[str, int]:
    if len(output) == 1:
        return {f"{name}.output.units": output[0]}
    height, width, channels = output
    return {f"{name}.output.height": height, f"{name}.output.width": width, f"{name}.output.channels": channels}


def _effective_kernel(name: str, layer: Layer) -> dict[str, Number]:
    """Only a dilated row has the answer: d·(F − 1) + 1, per axis when they differ."""
    if layer.dilation == (1, 1) or not layer.convolutions:
        return {}
    kernel = layer.convolutions[0].kernel
    return per_axis(f"{name}.effective_kernel", tuple(effective_kernel(k, d) for k, d in zip(kernel, layer.dilation)))


def solve(table: LayerTable) -> dict[str, Number]:
    return solve_with(table, {})


def solve_with(table: LayerTable, own: Mapping[str, Number]) -> dict[str, Number]:
    """The table built on the student's own earlier answers, as `layer_carry` says (each row's
    shape, parameters and cost from their own values of its inputs), and the totals and summaries
    from their own rows."""
    unit = table.count[0]
    shapes = {NETWORK_INPUT: table.input, **{name: layer.output for name, layer in table.layers}}
    answers: dict[str, Number] = {}
    for name, layer in table.layers:
        answers.update({key: Fraction(value) for key, value in _output_answers(name, layer.output).items()})
        answers.update(layer_carry.own_output(name, layer, own, shapes))
        channels = layer_carry.own_input_channels(own, layer, shapes)
        answers[f"{name}.params"] = layer_carry.own_parameters(layer, table.batchnorm_buffers, channels)
        answers[f"{name}.{unit}"] = layer_carry.own_cost(name, layer, table.count, own, shapes)
        answers.update(_effective_kernel(name, layer))
    for measure in ("params", unit):
        answers[f"{TOTAL}.{measure}"] = _total(table, measure, own, answers)
    answers.update(layer_summaries.solve_columns(table.columns, table.input, table.layers, table.count, table.batchnorm_buffers, answers, own))
    return answers


def _total(table: LayerTable, measure: str, rows: Mapping[str, Number], key: Mapping[str, Number]) -> Number:
    """The sum of the rows, each as `rows` has it where it does, else as `key` has it."""
    return sum((rows.get(f"{name}.{measure}", key[f"{name}.{measure}"]) for name, _ in table.layers), Fraction(0))


def dependencies(table: LayerTable) -> dict[str, tuple[str, ...]]:
    unit = table.count[0]
    found = layer_carry.dependencies(table.layers, unit)
    for measure in ("params", unit):
        found[f"{TOTAL}.{measure}"] = tuple(f"{name}.{measure}" for name, _ in table.layers)
    found.update(layer_summaries.dependencies(table.columns, table.layers, unit))
    return found


def mistakes(table: LayerTable) -> tuple[Mistake, ...]:
    """Biases counted or forgotten, FLOPs for MACs, the input's height and width for the output's,
    each on the rows and on the totals they add up to; a layer's own output channels taken as its
    input channels (a value from the wrong layer); then the mistakes of the newer rows and columns."""
    key = solve(table)
    unit = table.count[0]
    costs = [f"{name}.{unit}" for name, _ in table.layers]
    bias_flipped, wrong_layer, input_size = {}, {}, {}
    for name, layer in table.layers:
        if layer.convolutions and len(layer.output) == 3 and layer.kind != "transposed":
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
                    _with_total(table, "params", bias_flipped, key)),
        count_mistake(unit, key, [*costs, f"{TOTAL}.{unit}"]),
        Alternative("input size instead of output size", "Each filter is applied once per OUTPUT position: use the output's height × width.",
                    _with_total(table, unit, input_size, key)),
        Alternative("value taken from the wrong layer",
                    "A layer's weights connect its INPUT channels (the previous layer's output) to its own filters.", wrong_layer),
        *layer_mistakes.alternatives(table.layers, table.columns, table.batchnorm_buffers, table.input, key),
    ])


def _with_total(table: LayerTable, measure: str, rows: Mapping[str, Number], key: Mapping[str, Number]) -> dict[str, Number]:
    """The mistaken rows and the total they add up to (the other rows as the key has them)."""
    return {**rows, f"{TOTAL}.{measure}": _total(table, measure, rows, key)} if rows else {}


KIND = ProblemKind(
    name="layer-table",
    summary="a network's layers, a chain or a graph: each output shape, parameters and MACs or FLOPs, totals and summaries",
    parse=parse,
    solve=solve,
    dependencies=dependencies,
    solve_with=solve_with,
    mistakes=mistakes,
    ratios=("by_type.*_share",),
)
