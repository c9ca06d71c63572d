"""What every problem kind provides: a reader for its given values and a reference solver, and,
where the kind has them, the rules, dependencies and common mistakes a TA would know."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from grader.base.fields import FieldReader
from grader.base.numbers import Number
from grader.solver.constraints import Constraint
from grader.solver.mistakes import Mistake


def no_constraints(spec: Any) -> tuple[Constraint, ...]:
    return ()


def no_dependencies(spec: Any) -> Mapping[str, tuple[str, ...]]:
    return {}


def no_mistakes(spec: Any) -> tuple[Mistake, ...]:
    return ()


def no_words(spec: Any) -> Mapping[str, Mapping[str, Number]]:
    return {}


def no_working(spec: Any) -> Mapping[str, str]:
    return {}


@dataclass(frozen=True)
class ProblemKind:
    """A problem kind as plain (module-level, so picklable) functions.

    `parse` reads the validated, kind-specific spec from the `given` mapping (recording issues on
    the reader and returning None when it cannot); `solve` turns the spec into every answer the
    kind can compute, keyed by answer name relative to the problem (`standard.weights`).
    `optional` names answers (patterns such as `ratio`) computed but asked only when a rubric's
    `ask` names them. `constraints` gives the rules under which other answers than the key's
    own are right too (see grader.solver.constraints). `dependencies` says which answers each answer
    builds on, and `solve_with` solves again from a student's own values of those, for credit
    carried forward. `mistakes` lists the values the usual mistakes give. `ratios` names the
    answers (patterns) that are ratios, which students may also write as percentages. `words`
    gives, per answer, the words that name a value (`same` and `valid` for a padding).
    `own_mistakes` gives the mistakes of one answer relative to a student's own earlier values
    (a path of the chain rule left out of the student's own gradients). `working` gives, per
    answer, one line saying how it is worked out with this problem's numbers, shown beside a wrong
    value no mistake explains, and only where the rubric reveals reference values.
    """

    name: str
    summary: str
    parse: Callable[[FieldReader], Any]
    solve: Callable[[Any], dict[str, Number]]
    optional: tuple[str, ...] = ()
    constraints: Callable[[Any], tuple[Constraint, ...]] = no_constraints
    dependencies: Callable[[Any], Mapping[str, tuple[str, ...]]] = no_dependencies
    solve_with: Callable[[Any, Mapping[str, Number]], dict[str, Number]] | None = None
    mistakes: Callable[[Any], tuple[Mistake, ...]] = no_mistakes
    ratios: tuple[str, ...] = ()
    words: Callable[[Any], Mapping[str, Mapping[str, Number]]] = no_words
    own_mistakes: Callable[[Any, Mapping[str, Number], str], tuple[Mistake, ...]] | None = None
    working: Callable[[Any], Mapping[str, str]] = no_working
