"""What every problem kind provides: a reader for its given values and a reference solver."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from grader.constraints import Constraint
from grader.numbers import Number
from grader.schema import FieldReader


@dataclass(frozen=True)
class ProblemKind:
    """A problem kind as plain functions.

    `parse` reads the validated, kind-specific spec from the `given` mapping (recording issues on
    the reader and returning None when it cannot); `solve` turns the spec into every answer the
    kind can compute, keyed by answer name relative to the problem (`standard.weights`).
    `optional` names answers (as patterns such as `ratio`) that are computed but asked only when
    a rubric's `ask` names them. `constraints` gives the rules under which other answers than the
    key's own are right too (see grader.constraints).
    """

    name: str
    summary: str
    parse: Callable[[FieldReader], Any]
    solve: Callable[[Any], dict[str, Number]]
    optional: tuple[str, ...] = ()
    constraints: Callable[[Any], tuple[Constraint, ...]] = lambda spec: ()
