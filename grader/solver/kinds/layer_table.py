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
from grader.solver.kinds import layer_mistakes, layer_summaries
from grader.solver.kinds.convolution import read_count
from grader.solver.kinds.layer_graph import NETWORK_INPUT, TOTAL, read_rows
from grader.solver.kinds.layer_summaries import Columns, read_columns
from grader.solver.kinds.layer_types import Layer, Rules, Shape, layer_cost, parameters, per_axis
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
    """The table, with a layer's cost taken from the student's own output height and width, its
    parameters from their own count of its input channels, a concat's channels from their own
    counts of its inputs', and the totals and summaries from their own rows."""
    unit = table.count[0]
    answers: dict[str, Number] = {}
    for name, layer in table.layers:
        answers.update({key: Fraction(value) for key, value in _output_answers(name, layer.output).items()})
        if layer.kind == "concat":
            channels = (_own_channels(table, own, answers, source, layer.output) for source in layer.sources)
            answers[_channels_key(name, layer.output)] = sum(channels, Fraction(0))
        answers[f"{name}.params"] = _own_parameters(layer, table.batchnorm_buffers, _own_input(own, layer))
        answers[f"{name}.{unit}"] = _own_cost(layer, table.count, own, name)
        answers.update(_effective_kernel(name, layer))
    for measure in ("params", unit):
        total = sum((own.get(f"{name}.{measure}", answers[f"{name}.{measure}"]) for name, _ in table.layers), Fraction(0))
        answers[f"{TOTAL}.{measure}"] = total
    answers.update(layer_summaries.solve_columns(table.columns, table.input, table.layers, table.count, table.batchnorm_buffers, answers, own))
    return answers


def _channels_key(name: str, like: Shape) -> str:
    return f"{name}.output.channels" if len(like) == 3 else f"{name}.output.units"


def _own_channels(table: LayerTable, own: Mapping[str, Number], answers: Mapping[str, Number], source: str, like: Shape) -> Number:
    """A concat input's channels as the student has them; the network's input (a DenseNet layer
    joins its block's input) is given, not answered."""
    if source == NETWORK_INPUT:
        return Fraction(table.input[-1])
    key = _channels_key(source, like)
    return own.get(key, answers[key])


def _single_source(layer: Layer) -> str | None:
    if len(layer.sources) != 1 or layer.sources[0] == NETWORK_INPUT:
        return None
    return layer.sources[0]


def _own_input(own: Mapping[str, Number], layer: Layer) -> Number | None:
    source = _single_source(layer)
    if source is None:
        return None
    return own.get(f"{source}.output.channels", own.get(f"{source}.output.units"))


def _own_parameters(layer: Layer, buffers: bool, channels: Number | None) -> Number:
    """With the student's own input channels, a single ungrouped convolution (conv, pointwise,
    dense) scales its weights; other layers keep the key's count."""
    exact = Fraction(parameters(layer, buffers))
    single = layer.convolutions[0] if len(layer.convolutions) == 1 else None
    if channels is None or single is None or single.groups != 1:
        return exact
    return Fraction(single.weights, single.input_shape[2]) * channels + single.biases


def _own_cost(layer: Layer, count: tuple[str, bool], own: Mapping[str, Number], name: str) -> Number:
    """MACs scale with the output area, except a transposed convolution's, which scale with its input."""
    exact = Fraction(layer_cost(layer, count))
    if len(layer.output) != 3 or not exact or layer.kind == "transposed":
        return exact
    height, width, _ = layer.output
    own_area = own.get(f"{name}.output.height", height) * own.get(f"{name}.output.width", width)
    return exact * own_area / (height * width)


def dependencies(table: LayerTable) -> dict[str, tuple[str, ...]]:
    unit = table.count[0]
    shapes = dict(table.layers)
    found: dict[str, tuple[str, ...]] = {}
    for name, layer in table.layers:
        if len(layer.output) == 3 and layer.kind != "transposed":
            found[f"{name}.{unit}"] = (f"{name}.output.height", f"{name}.output.width")
        source = _single_source(layer)
        if source is not None:
            found[f"{name}.params"] = (_channels_key(source, shapes[source].output),)
        if layer.kind == "concat":
            found[_channels_key(name, layer.output)] = tuple(
                _channels_key(source, layer.output) for source in layer.sources if source != NETWORK_INPUT
            )
    for measure in ("params", unit):
        found[f"{TOTAL}.{measure}"] = tuple(f"{name}.{measure}" for name, _ in table.layers)
    found.update(layer_summaries.dependencies(table.columns, table.layers, unit))
    return found


def mistakes(table: LayerTable) -> tuple[Mistake, ...]:
    """Biases counted or forgotten, FLOPs for MACs, and a layer's own output channels taken as its
    input channels (a value from the wrong layer); then the mistakes of the newer rows and columns."""
    key = solve(table)
    unit = table.count[0]
    costs = [f"{name}.{unit}" for name, _ in table.layers]
    bias_flipped, wrong_layer = {}, {}
    for name, layer in table.layers:
        single = layer.convolutions[0] if len(layer.convolutions) == 1 else None
        if single is None:
            continue
        bias_flipped[f"{name}.params"] = Fraction(single.weights + (0 if single.bias else single.filters))
        if single.groups == 1:
            wrong_layer[f"{name}.params"] = Fraction(single.weights, single.input_shape[2]) * single.filters + single.biases
    return from_alternatives(key, [
        Alternative("bias counted or forgotten", "Check whether this layer has biases: one per filter or unit.", bias_flipped),
        count_mistake(unit, key, costs),
        Alternative("value taken from the wrong layer",
                    "A layer's weights connect its INPUT channels (the previous layer's output) to its own filters.", wrong_layer),
        *layer_mistakes.alternatives(table.layers, table.columns, table.batchnorm_buffers, table.input, key),
    ])


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
