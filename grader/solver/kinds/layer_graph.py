"""Reading a layer table's rows as a graph: each row's name, type, inputs and stage.

A row takes the output of the row before it unless it names another (`input: conv1`, or
`input: input` for the network's input); `add` and `concat` rows join several (`inputs: [a, b]`).
A name must be an earlier row's: a later one, a misspelt one or one of a row that could not be
read is reported on the row that uses it, with what was expected.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from grader.base.fields import FieldReader
from grader.solver.kinds.layer_types import TYPES, Layer, Rules, Shape, describe, join_mismatch

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
NETWORK_INPUT = "input"
TOTAL = "total"
RESERVED = (NETWORK_INPUT, TOTAL, "stage", "by_type")
UNNAMED = "#"  # the prefix of a row whose name could not be read, never a name a rubric can write
GRAPH_FIELDS = ("name", "type", "input", "inputs", "stage")
OUTPUT_IS_ASKED = "the table asks for each layer's output; give stride and padding instead"


def _name(row: FieldReader, position: int) -> str | None:
    name = row.text("name", default=f"layer{position + 1}")
    if name is not None and (not NAME.fullmatch(name) or name in RESERVED):
        row.report("name", f"expected a name of letters, digits and '_' other than {', '.join(map(repr, RESERVED))}, found {name!r}")
        return None
    return name


def _stage(row: FieldReader, current: str | None) -> str | None:
    """A stage runs from the row that names it to the row that names the next."""
    stage = row.text("stage", default=current)
    if stage is not None and not NAME.fullmatch(stage):
        row.report("stage", f"expected a name of letters, digits and '_', found {stage!r}")
        return current
    return stage


def _source_names(row: FieldReader, joins: bool, previous: str) -> tuple[str, ...] | None:
    """The names of the row's inputs as written; a join needs two or more, any other row one."""
    mapping = row.mapping
    if joins:
        if "input" in mapping:
            row.report("input", "an add or concat row joins several: write inputs: [a, b]")
        names = row.list_of_text("inputs")
        if names is not None and len(names) < 2:
            row.report("inputs", f"expected two or more names of earlier layers, found {list(names)}")
            return None
        return names
    if "inputs" in mapping:
        row.report("inputs", "only add and concat rows join several inputs; write input: <name> for one")
    raw = mapping.get("input", previous)
    row.raw("input", default=previous)
    if not isinstance(raw, str):
        row.report("input", f"expected the name of an earlier layer, or '{NETWORK_INPUT}' for the network's input, found {raw!r}"
                            " (by default a layer takes the output of the layer before it)")
        return None
    return (raw,)


def _resolve(
    row: FieldReader, layer: str | None, names: tuple[str, ...], known: Mapping[str, Shape | None], later: Mapping[str, int], position: int
) -> tuple[Shape, ...] | None:
    """The shapes of the named inputs; None when one is wrong (reported) or not known because its
    own row failed (not reported again: that row's issue says why)."""
    field = "inputs" if row.mapping.get("inputs") is not None else "input"
    shapes: list[Shape] = []
    for name in names:
        if name in known:
            shape = known[name]
            if shape is None:
                return None
            shapes.append(shape)
        elif name == layer:
            row.report(field, f"layer '{layer}' takes its input from itself: expected an earlier layer (a loop is no network)")
            return None
        elif later.get(name, -1) > position:
            row.report(field, f"layer '{layer}' takes its input from '{name}', which comes later in the table: expected an earlier layer")
            return None
        else:
            earlier = [known_name for known_name in known if not known_name.startswith(UNNAMED)]
            close = difflib.get_close_matches(name, earlier, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            row.report(field, f"layer '{layer}' takes its input from '{name}', but no earlier layer has that name{hint}; "
                              f"expected one of {', '.join(earlier)}"[:400])
            return None
    return tuple(shapes)


def _joins_fit(row: FieldReader, layer: str | None, kind: str, names: tuple[str, ...], shapes: tuple[Shape, ...]) -> bool:
    """An add needs equal shapes, a concat equal heights and widths: the message names the row and
    what each input gives, so the author sees which branch is off (often a missing projection)."""
    expected = join_mismatch(kind, shapes)
    if expected is not None:
        given = ", ".join(f"'{name}' gives {describe(shape)}" for name, shape in zip(names, shapes))
        row.report("inputs", f"layer '{layer}': {expected}, but {given}")
    return expected is None


def _fields_reader(raw: Mapping[str, Any], prefix: str, kind: str, shape: Shape) -> FieldReader:
    """The type's own fields; a convolution's also carry what `read_convolution` needs but the
    author must not give: its input shape, no stated output, and what its type fixes."""
    own = {key: value for key, value in raw.items() if key not in GRAPH_FIELDS}
    fixed = TYPES[kind].fixed
    if fixed is None:
        fields = FieldReader(own, prefix)
        if "output" in own:
            fields.report("output", OUTPUT_IS_ASKED)
            fields.raw("output")
        return fields
    fields = FieldReader({**own, "input": list(shape), "output": None, **fixed}, prefix)
    if "output" in own:
        fields.report("output", OUTPUT_IS_ASKED)
    for field, value in fixed.items():
        if field in own:
            fields.report(field, f"always {value} in a {kind} layer; leave it out")
    return fields


def _input_fits(row: FieldReader, kind: str, shapes: tuple[Shape, ...]) -> bool:
    """Dense on an H×W×C input is refused rather than flattened implicitly: frameworks would
    apply it to the last axis only, so a silent flatten could disagree with what students ran."""
    rank = TYPES[kind].rank
    shape = shapes[0]
    if rank is None or rank == len(shape):
        return True
    if rank == 1:
        row.report("type", f"a dense layer needs a flat input, but its input is {describe(shape)}: put a flatten layer before it")
    else:
        row.report("type", f"a {kind} layer needs an H×W×C input, but its input is flat ({shape[0]} units)")
    return False


def read_row(
    raw: object, prefix: str, position: int, previous: str, known: Mapping[str, Shape | None], later: Mapping[str, int], rules: Rules,
    stage: str | None,
) -> tuple[list[tuple[str, str]], str | None, Layer | None, str | None]:
    """One row: its issues, name, resolved layer (None if unreadable or its input is unknown) and
    stage. After a row that failed, rows that use it are checked for their name and type only.
    `later` gives the last position of every name the table states, to tell a later row's name
    from a misspelt one."""
    row = FieldReader(raw, prefix)
    if not isinstance(raw, Mapping):
        return row.issues, None, None, stage
    name = _name(row, position)
    kind = row.choice("type", tuple(TYPES))
    stage = _stage(row, stage)
    sources = None if kind is None else _source_names(row, TYPES[kind].joins, previous)
    shapes = None if sources is None else _resolve(row, name, sources, known, later, position)
    if kind is None or sources is None or shapes is None:
        return row.issues, name, None, stage
    if not _joins_fit(row, name, kind, sources, shapes) or not _input_fits(row, kind, shapes):
        return row.issues, name, None, stage
    fields = _fields_reader(raw, prefix, kind, shapes[0])
    layer = TYPES[kind].read(fields, shapes, rules)
    fields.reject_unknown()
    issues = row.issues + [issue for issue in fields.issues if issue not in row.issues]
    if layer is None:  # with only an unknown field, its output is still known for the rows after it
        return issues, name, None, stage
    return issues, name, replace(layer, kind=kind, sources=sources, stage=stage), stage


def read_rows(given: FieldReader, raw_layers: list[Any], input_shape: Shape | None, rules: Rules) -> tuple[tuple[str, Layer], ...]:
    rows: list[tuple[str, Layer]] = []
    known: dict[str, Shape | None] = {NETWORK_INPUT: input_shape}
    later = {raw["name"]: index for index, raw in enumerate(raw_layers) if isinstance(raw, Mapping) and isinstance(raw.get("name"), str)}
    previous, stage = NETWORK_INPUT, None
    for position, raw in enumerate(raw_layers):
        issues, name, layer, stage = read_row(
            raw, f"{given.prefix}layers[{position}].", position, previous, known, later, rules, stage
        )
        if name in known:
            already = f"another layer is already named '{name}' (a layer without a name is layer<position>)"
            issues.append((f"{given.prefix}layers[{position}].name", already))
        given.issues.extend(issue for issue in issues if issue not in given.issues)
        if name is not None and name not in known:
            known[name] = None if layer is None else layer.output
            previous = name
        elif name is None:  # the next row's input is unknown: it is checked for its name and type only
            previous = f"{UNNAMED}{position}"
            known[previous] = None
        if name is not None and layer is not None:
            rows.append((name, layer))
    return tuple(rows)
