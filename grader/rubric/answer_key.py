"""Rubric → answer key: every asked value computed by the reference solver, with its points and tolerance."""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any, Callable, Mapping

from grader.base.answer_text import Hints, hints_for
from grader.base.errors import ExpressionError, RubricError, RubricIssue
from grader.base.numbers import ZERO, Number, exact_sum, sums_by
from grader.rubric.model import Part, Problem, Rubric, for_student
from grader.rubric.scoring_settings import AnswerRule, PartialCredit
from grader.rubric.tolerance import Tolerance, default_tolerance
from grader.solver.constraints import BoundConstraint
from grader.solver.mistakes import Mistake, custom_mistake

MEMO_LIMIT = 4096


@dataclass(frozen=True)
class CarriedForward:
    """Re-solves one answer from a student's own values of the answers it builds on."""

    solve_with: Callable[[Any, Mapping[str, Number]], Mapping[str, Number]]
    spec: Any
    prefix: str  # the part's path prefix, "q3."
    name: str  # relative to the part, "grad.w1_11"
    builds_on: tuple[str, ...]  # relative to the part
    credit: Fraction
    # Students who make the same slip give the same earlier values: solve once per set of them.
    memo: dict[tuple[tuple[str, Number], ...], Number] = field(default_factory=dict, compare=False, repr=False)
    own_mistakes: Callable[[Any, Mapping[str, Number], str], tuple[Mistake, ...]] | None = field(default=None, compare=False)

    @cached_property
    def paths(self) -> tuple[str, ...]:
        return tuple(self.prefix + name for name in self.builds_on)

    def mistakes_given(self, own: Mapping[str, Number]) -> tuple[Mistake, ...]:
        """The kind's mistakes of this answer relative to the student's own earlier values."""
        if self.own_mistakes is None:
            return ()
        given = {name: own[self.prefix + name] for name in self.builds_on if self.prefix + name in own}
        return self.own_mistakes(self.spec, given, self.name)

    def value_given(self, own: Mapping[str, Number]) -> Number:
        """`own` maps answer paths to the student's readable values."""
        given = tuple((name, own[self.prefix + name]) for name in self.builds_on if self.prefix + name in own)
        if given not in self.memo:
            if len(self.memo) >= MEMO_LIMIT:
                self.memo.clear()
            self.memo[given] = self.solve_with(self.spec, dict(given))[self.name]
        return self.memo[given]


@dataclass(frozen=True)
class KeyEntry:
    """`constraint`, where the kind has one, accepts other answers than `value` (see
    grader.solver.constraints); `mistakes` name wrong values; `partial` gives a share of the points
    within looser tolerances; `carried` re-solves from the student's own earlier answers."""

    path: str
    problem_id: str
    value: Number
    points: Fraction
    tolerance: Tolerance
    constraint: BoundConstraint | None = None
    mistakes: tuple[Mistake, ...] = ()
    partial: tuple[PartialCredit, ...] = ()
    carried: CarriedForward | None = None
    percent_allowed: bool = False  # a ratio: `13.6%` reads as 0.136
    words: tuple[tuple[str, Fraction], ...] = ()  # words that name a value: `same` for a padding
    working: str = ""  # how the key's value is worked out, with the problem's numbers: shown only where revealed

    @cached_property
    def hints(self) -> Hints:
        """What the question settles about reading this answer (grader.base.answer_text)."""
        return hints_for(self.value, self.percent_allowed, dict(self.words), self.path)


@dataclass(frozen=True)
class AnswerKey:
    rubric: Rubric
    entries: tuple[KeyEntry, ...]

    @cached_property
    def values(self) -> Mapping[str, Number]:
        """The key's value at each path; built once, not once per graded student."""
        return {entry.path: entry.value for entry in self.entries}

    @cached_property
    def by_path(self) -> Mapping[str, KeyEntry]:
        return {entry.path: entry for entry in self.entries}

    @cached_property
    def possible(self) -> Fraction:
        return exact_sum(entry.points for entry in self.entries)

    def problem_possible(self, problem_id: str) -> Fraction:
        return self._problem_possible.get(problem_id, ZERO)

    @cached_property
    def _problem_possible(self) -> Mapping[str, Fraction]:
        """Every report and statistic asks; summed once per key."""
        return sums_by((entry.problem_id, entry.points) for entry in self.entries)

    @cached_property
    def constraints(self) -> tuple[BoundConstraint, ...]:
        return tuple(dict.fromkeys(entry.constraint for entry in self.entries if entry.constraint is not None))


def answer_key_for(key: AnswerKey, student_id: str) -> AnswerKey:
    """The key of one student's variant: the same key when the rubric draws nothing."""
    return build_answer_key(for_student(key.rubric, student_id)) if key.rubric.varies else key


def build_answer_key(rubric: Rubric) -> AnswerKey:
    """Solve every problem; an `ask` or `answers` entry naming nothing the kind computes is an issue."""
    issues: list[RubricIssue] = []
    entries: list[KeyEntry] = []
    for problem in rubric.problems:
        entries.extend(_problem_entries(rubric, problem, issues))
    if issues:
        raise RubricError(issues)
    return AnswerKey(rubric, tuple(entries))


@dataclass(frozen=True)
class Solved:
    """One computed answer with the part it belongs to."""

    part: Part
    prefix: str  # the part's answer-path prefix, e.g. "q2.a."
    name: str  # relative to the part, e.g. "padding"
    value: Number


def _problem_entries(rubric: Rubric, problem: Problem, issues: list[RubricIssue]) -> list[KeyEntry]:
    solved: dict[str, Solved] = {}
    rules: dict[str, BoundConstraint] = {}
    for part in problem.parts:
        prefix = f"{part.name}." if part.name else ""
        for name, value in problem.kind.solve(part.spec).items():  # the rubric checked that every part solves
            solved[f"{prefix}{name}"] = Solved(part, f"{problem.id}.{prefix}", name, value)
        for constraint in problem.kind.constraints(part.spec):
            bound = BoundConstraint(f"{problem.id}.{prefix}", constraint)
            rules.update({f"{prefix}{name}": bound for name in constraint.names})
    asked = _select(problem, list(solved), rubric.source, issues)
    for name in problem.answers:
        if name not in asked:
            issues.append(RubricIssue(rubric.source, problem.id, f"answers.{name}", f"not an asked answer; asked: {', '.join(asked)}"))
    mistakes = _mistakes(rubric, problem, solved, issues)
    dependencies = {id(part): problem.kind.dependencies(part.spec) for part in problem.parts}  # once a part, not once an answer
    workings = {id(part): problem.kind.working(part.spec) for part in problem.parts}
    asked_in_part: dict[int, set[str]] = {id(part): set() for part in problem.parts}
    for name in asked:
        asked_in_part[id(solved[name].part)].add(solved[name].name)
    return [
        _entry(rubric, problem, name, solved[name], _if_fully_asked(rules.get(name), asked), mistakes.get(name, ()),
               dependencies[id(solved[name].part)], asked_in_part[id(solved[name].part)],
               workings[id(solved[name].part)].get(solved[name].name, ""))
        for name in asked
    ]


def _mistakes(rubric: Rubric, problem: Problem, solved: Mapping[str, Solved], issues: list[RubricIssue]) -> dict[str, tuple[Mistake, ...]]:
    """The kind's built-in mistakes and the rubric's own, by answer name relative to the problem."""
    found: dict[str, list[Mistake]] = {}
    for part in problem.parts:
        prefix = f"{part.name}." if part.name else ""
        for mistake in problem.kind.mistakes(part.spec):
            found.setdefault(prefix + mistake.answer, []).append(mistake)
    for index, custom in enumerate(problem.mistakes):
        if custom.answer not in solved:
            issues.append(RubricIssue(rubric.source, problem.id, f"mistakes[{index}].answer", f"'{custom.answer}' is not an answer of this problem"))
            continue
        target = solved[custom.answer]
        key = {item.name: item.value for item in solved.values() if item.part is target.part}
        try:
            mistake = custom_mistake(target.name, custom.expression, custom.feedback, custom.credit, target.part.given, key)
        except ExpressionError as error:
            issues.append(RubricIssue(rubric.source, problem.id, f"mistakes[{index}].value", str(error)))
            continue
        found.setdefault(custom.answer, []).insert(0, mistake)
    return {name: tuple(items) for name, items in found.items()}


def _if_fully_asked(rule: BoundConstraint | None, asked: list[str]) -> BoundConstraint | None:
    """A rule can judge a group of answers only when the student is asked for all of them."""
    if rule is None:
        return None
    prefix = rule.prefix.split(".", 1)[1]
    return rule if all(f"{prefix}{name}" in asked for name in rule.constraint.names) else None


def _select(problem: Problem, names: list[str], source: str, issues: list[RubricIssue]) -> list[str]:
    """Asked answers in the order `ask` lists them; a pattern such as `grad.*` takes the kind's order."""
    if problem.ask is None:
        return [name for name in names if not any(fnmatch.fnmatchcase(name, p) for p in problem.kind.optional)]
    chosen: list[str] = []
    for pattern in problem.ask:
        matches = [name for name in names if fnmatch.fnmatchcase(name, pattern) and name not in chosen]
        if not matches and not any(fnmatch.fnmatchcase(name, pattern) for name in chosen):
            issues.append(
                RubricIssue(source, problem.id, "ask", f"'{pattern}' matches no answer of this problem; it computes: {', '.join(names)}")
            )
        chosen.extend(matches)
    return chosen


def _entry(
    rubric: Rubric, problem: Problem, name: str, solved: Solved, constraint: BoundConstraint | None, mistakes: tuple[Mistake, ...],
    dependencies: Mapping[str, tuple[str, ...]],
    asked_in_part: set[str], working: str = "",
) -> KeyEntry:
    rule = problem.answers.get(name) or AnswerRule()
    points = next(p for p in (rule.points, problem.points, rubric.points) if p is not None)
    tolerance = rule.tolerance or problem.tolerance or rubric.tolerance or default_tolerance(solved.value)
    return KeyEntry(
        f"{problem.id}.{name}", problem.id, solved.value, points, tolerance, constraint,
        mistakes=mistakes, partial=rule.partial, carried=_carried(rubric, problem, rule, name, solved, dependencies, asked_in_part),
        percent_allowed=any(fnmatch.fnmatchcase(solved.name, pattern) for pattern in problem.kind.ratios),
        words=tuple(sorted((word, Fraction(value)) for word, value in problem.kind.words(solved.part.spec).get(solved.name, {}).items())),
        working=working,
    )


def _carried(
    rubric: Rubric, problem: Problem, rule: AnswerRule, name: str, solved: Solved, dependencies: Mapping[str, tuple[str, ...]],
    asked_in_part: set[str],
) -> CarriedForward | None:
    """Credit carried forward needs the kind's `solve_with` and something to build on."""
    kind = problem.kind
    part_prefix = name[: len(name) - len(solved.name)]
    if rule.builds_on is not None:
        builds_on = tuple(dep[len(part_prefix):] if dep.startswith(part_prefix) else dep for dep in rule.builds_on)
    else:
        builds_on = through_unasked(dependencies, solved.name, asked_in_part)
    credit = rule.carried_forward if rule.carried_forward is not None else rubric.carried_forward
    if kind.solve_with is None or not builds_on or not credit:
        return None
    return CarriedForward(kind.solve_with, solved.part.spec, solved.prefix, solved.name, builds_on, credit, own_mistakes=kind.own_mistakes)


def through_unasked(dependencies: Mapping[str, tuple[str, ...]], name: str, asked: set[str]) -> tuple[str, ...]:
    """What `name` builds on among the asked answers: an answer the rubric does not ask is passed
    through to what it builds on, so a chain carries through an intermediate nobody wrote down."""
    found: dict[str, None] = {}
    seen: set[str] = set()
    pending = list(dependencies.get(name, ()))
    while pending:
        dependency = pending.pop(0)
        if dependency in seen:
            continue
        seen.add(dependency)
        if dependency in asked:
            found[dependency] = None
        else:
            pending.extend(dependencies.get(dependency, ()))
    return tuple(found)
