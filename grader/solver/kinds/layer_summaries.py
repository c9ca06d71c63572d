"""The columns a layer table may add to shapes, parameters and cost, each asked for in `given`:
activations (output values per row, the total, and bytes at a precision), receptive field and
jump per row, totals by stage (rows that say `stage:`), and subtotals and shares by type of
weight (3×3-type convolutions, 1×1 convolutions, depthwise, transposed, dense, normalisation).

They are opt-in because `ask` patterns such as `*.params` would otherwise pick them up in
existing rubrics. Conventions are in docs/kinds/layer-table.md.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from grader.base.fields import FieldReader
from grader.base.numbers import Number
from grader.solver.conv_arithmetic import Convolution, TransposedConvolution
from grader.solver.kinds.convolution import cost
from grader.solver.kinds.layer_graph import NETWORK_INPUT, TOTAL
from grader.solver.kinds.layer_types import Layer, Shape, per_axis

PRECISIONS = {"float64": 8, "float32": 4, "float16": 2, "bfloat16": 2, "int8": 1}
CATEGORIES = ("conv", "pointwise", "depthwise", "transposed", "dense", "norm")
Rows = tuple[tuple[str, Layer], ...]
Field = tuple[tuple[int, int], tuple[int, int], tuple[int, int]]  # receptive field, jump, start per axis


@dataclass(frozen=True)
class Columns:
    subtotals: bool = False
    activations: bool = False
    include_input: bool = False
    precision: str | None = None
    receptive_field: bool = False


def read_columns(given: FieldReader) -> Columns | None:
    subtotals = given.boolean("subtotals", default=False)
    activations = given.boolean("activations", default=False)
    include_input = given.boolean("activations_include_input", default=False)
    precision = given.choice("precision", tuple(PRECISIONS), default=None)
    receptive_field = given.boolean("receptive_field", default=False)
    if None in (subtotals, activations, include_input, receptive_field) or (precision is None and "precision" in given.mapping):
        return None
    if include_input and not activations and precision is None:
        given.report("activations_include_input", "counts the input among the activations: ask for them too (activations: true or a precision)")
        return None
    return Columns(bool(subtotals), bool(activations) or precision is not None, bool(include_input), precision, bool(receptive_field))


def solve_columns(
    columns: Columns, input_shape: Shape, rows: Rows, count: tuple[str, bool], buffers: bool, key: Mapping[str, Number], own: Mapping[str, Number]
) -> dict[str, Number]:
    unit = count[0]
    answers: dict[str, Number] = {}
    if columns.activations:
        answers.update(activations(columns, input_shape, rows, own))
    if columns.receptive_field:
        for name, (field, jump, _) in receptive_fields(rows, own).items():
            answers.update(per_axis(f"{name}.receptive_field", field))
            answers.update(per_axis(f"{name}.jump", jump))
    answers.update(stages(rows, unit, key, own))
    if columns.subtotals:
        answers.update(subtotals(rows, count, buffers, key, own))
    return answers


def _own_values(name: str, output: Shape, own: Mapping[str, Number]) -> Number:
    if len(output) == 1:
        return own.get(f"{name}.output.units", Fraction(output[0]))
    axes = ("height", "width", "channels")
    return math.prod((own.get(f"{name}.output.{axis}", Fraction(size)) for axis, size in zip(axes, output)), start=Fraction(1))


def activations(columns: Columns, input_shape: Shape, rows: Rows, own: Mapping[str, Number]) -> dict[str, Number]:
    """Every row's output counts once (the forward pass of one example at inference: what a
    framework's summary calls the output shape); the input image only with
    `activations_include_input: true`. Bytes are values × bytes per value at `precision`."""
    answers: dict[str, Number] = {f"{name}.activations": _own_values(name, layer.output, own) for name, layer in rows}
    start = Fraction(math.prod(input_shape)) if columns.include_input else Fraction(0)
    total = sum((own.get(f"{name}.activations", answers[f"{name}.activations"]) for name, _ in rows), start)
    answers[f"{TOTAL}.activations"] = total
    if columns.precision is not None:
        answers[f"{TOTAL}.activation_bytes"] = own.get(f"{TOTAL}.activations", total) * PRECISIONS[columns.precision]
    return answers


def _joined(fields: list[Field]) -> Field:
    """The union of the inputs' fields (a residual's two branches see different spans)."""
    starts = tuple(min(field[2][axis] for field in fields) for axis in (0, 1))
    ends = tuple(max(field[2][axis] + field[0][axis] for field in fields) for axis in (0, 1))
    jumps = tuple(max(field[1][axis] for field in fields) for axis in (0, 1))
    return (ends[0] - starts[0], ends[1] - starts[1]), jumps, starts  # type: ignore[return-value]


def _own_scalar(own: Mapping[str, Number], name: str) -> Number | None:
    value = own.get(name)
    return value if value is not None and value == int(value) and value > 0 else None


def receptive_fields(rows: Rows, own: Mapping[str, Number], strides_ignored: bool = False) -> dict[str, Field]:
    """Per row: the span of input pixels one output pixel sees, and the jump (input pixels between
    neighbouring outputs): r = r_in + (k − 1)·j_in, j = j_in·s, with k the effective (dilated)
    kernel. Unclipped by the image border, as the formula is taught. Not defined through a
    transposed convolution, flatten or dense (their rows have no answer). With own values, a row
    builds on the student's own field and jump of its single input (square case)."""
    fields: dict[str, Field] = {NETWORK_INPUT: ((1, 1), (1, 1), (0, 0))}
    for name, layer in rows:
        if layer.window is None or any(source not in fields for source in layer.sources):
            continue
        base = _joined([fields[source] for source in layer.sources])
        (field, jump, start), (kernel, stride, pad) = base, layer.window
        if len(layer.sources) == 1 and layer.sources[0] != NETWORK_INPUT:
            mine_field = _own_scalar(own, f"{layer.sources[0]}.receptive_field")
            mine_jump = _own_scalar(own, f"{layer.sources[0]}.jump")
            field = (int(mine_field),) * 2 if mine_field is not None else field  # type: ignore[assignment]
            jump = (int(mine_jump),) * 2 if mine_jump is not None else jump  # type: ignore[assignment]
        fields[name] = (
            (field[0] + (kernel[0] - 1) * jump[0], field[1] + (kernel[1] - 1) * jump[1]),
            jump if strides_ignored else (jump[0] * stride[0], jump[1] * stride[1]),
            (start[0] - pad[0] * jump[0], start[1] - pad[1] * jump[1]),
        )
    del fields[NETWORK_INPUT]
    return fields


def stages(rows: Rows, unit: str, key: Mapping[str, Number], own: Mapping[str, Number]) -> dict[str, Number]:
    """`stage.<name>.params` and `.macs`: the sums of the rows of each stage, in the order met."""
    answers: dict[str, Number] = {}
    for name, layer in rows:
        if layer.stage is None:
            continue
        for measure in ("params", unit):
            total = f"stage.{layer.stage}.{measure}"
            answers[total] = answers.get(total, Fraction(0)) + own.get(f"{name}.{measure}", key[f"{name}.{measure}"])
    return answers


def category(convolution: Convolution, kind: str) -> str:
    """Which kind of weights: dense, transposed, depthwise (one group per input channel), 1×1
    (pointwise, ungrouped, whatever its row's type), or any other convolution."""
    channels = convolution.input_shape[2]
    if kind == "dense":
        return "dense"
    if isinstance(convolution, TransposedConvolution):
        return "transposed"
    if convolution.groups == channels and channels > 1:
        return "depthwise"
    if convolution.kernel == (1, 1) and convolution.groups == 1:
        return "pointwise"
    return "conv"


def _by_type(rows: Rows, count: tuple[str, bool], buffers: bool) -> dict[str, dict[str, int]]:
    unit = count[0]
    sums: dict[str, dict[str, int]] = {}
    for _, layer in rows:
        for convolution in layer.convolutions:
            part = sums.setdefault(category(convolution, layer.kind), {"params": 0, unit: 0})
            part["params"] += convolution.parameters
            part[unit] += cost(convolution, count)
        if layer.normalised:
            running = 2 if buffers and layer.running else 0
            sums.setdefault("norm", {"params": 0})["params"] += (layer.affine + running) * layer.normalised
    return {name: sums[name] for name in CATEGORIES if name in sums}


def subtotals(rows: Rows, count: tuple[str, bool], buffers: bool, key: Mapping[str, Number], own: Mapping[str, Number]) -> dict[str, Number]:
    """`by_type.<type>.params|macs` and their shares of the totals (the student's own totals and
    subtotals where given); normalisation has parameters only."""
    answers: dict[str, Number] = {}
    by_type = _by_type(rows, count, buffers)
    for name, sums in by_type.items():
        for measure, value in sums.items():
            answers[f"by_type.{name}.{measure}"] = Fraction(value)
    for name, sums in by_type.items():
        for measure in sums:
            if not key[f"{TOTAL}.{measure}"]:
                continue  # no share of nothing: a table without MACs asks for none
            whole = own.get(f"{TOTAL}.{measure}", key[f"{TOTAL}.{measure}"])
            part = own.get(f"by_type.{name}.{measure}", answers[f"by_type.{name}.{measure}"])
            # a student's own total of 0 raises ZeroDivisionError: nothing carries, rather than a missing answer
            answers[f"by_type.{name}.{measure}_share"] = Fraction(part) / whole
    return answers


def dependencies(columns: Columns, rows: Rows, unit: str) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    if columns.activations:
        for name, layer in rows:
            axes = ("units",) if len(layer.output) == 1 else ("height", "width", "channels")
            found[f"{name}.activations"] = tuple(f"{name}.output.{axis}" for axis in axes)
        found[f"{TOTAL}.activations"] = tuple(f"{name}.activations" for name, _ in rows)
        found[f"{TOTAL}.activation_bytes"] = (f"{TOTAL}.activations",)
    if columns.receptive_field:
        for name, layer in rows:
            if len(layer.sources) == 1 and layer.sources[0] != NETWORK_INPUT:
                source = layer.sources[0]
                found[f"{name}.receptive_field"] = (f"{source}.receptive_field", f"{source}.jump")
                found[f"{name}.jump"] = (f"{source}.jump",)
    members: dict[str, list[str]] = {}
    for name, layer in rows:
        if layer.stage is not None:
            members.setdefault(layer.stage, []).append(name)
    for stage, names in members.items():
        for measure in ("params", unit):
            found[f"stage.{stage}.{measure}"] = tuple(f"{name}.{measure}" for name in names)
    if columns.subtotals:
        for name in CATEGORIES:
            for measure in ("params", unit):
                found[f"by_type.{name}.{measure}_share"] = (f"by_type.{name}.{measure}", f"{TOTAL}.{measure}")
    return found
