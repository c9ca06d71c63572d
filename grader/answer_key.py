"""Rubric → answer key: every asked value computed by the reference solver, with its points and tolerance."""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from functools import cached_property
from fractions import Fraction
from typing import Mapping

from grader.constraints import BoundConstraint
from grader.errors import RubricError, RubricIssue
from grader.numbers import Number, exact_sum
from grader.rubric import Problem, Rubric, for_student
from grader.tolerance import Tolerance, default_tolerance


@dataclass(frozen=True)
class KeyEntry:
    """`constraint`, where the kind has one, accepts other answers than `value` (see grader.constraints)."""

    path: str
    problem_id: str
    value: Number
    points: Fraction
    tolerance: Tolerance
    constraint: BoundConstraint | None = None


@dataclass(frozen=True)
class AnswerKey:
    rubric: Rubric
    entries: tuple[KeyEntry, ...]

    @cached_property
    def by_path(self) -> Mapping[str, KeyEntry]:
        return {entry.path: entry for entry in self.entries}

    @property
    def possible(self) -> Fraction:
        return exact_sum(entry.points for entry in self.entries)

    def problem_possible(self, problem_id: str) -> Fraction:
        return exact_sum(entry.points for entry in self.entries if entry.problem_id == problem_id)

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


def _problem_entries(rubric: Rubric, problem: Problem, issues: list[RubricIssue]) -> list[KeyEntry]:
    computed: dict[str, Number] = {}
    rules: dict[str, BoundConstraint] = {}
    for part in problem.parts:
        prefix = f"{part.name}." if part.name else ""
        solved = problem.kind.solve(part.spec)  # the rubric checked that every part solves
        computed.update({f"{prefix}{name}": value for name, value in solved.items()})
        for constraint in problem.kind.constraints(part.spec):
            bound = BoundConstraint(f"{problem.id}.{prefix}", constraint)
            rules.update({f"{prefix}{name}": bound for name in constraint.names})
    asked = _select(problem, list(computed), rubric.source, issues)
    for name in problem.answers:
        if name not in asked:
            issues.append(RubricIssue(rubric.source, problem.id, f"answers.{name}", f"not an asked answer; asked: {', '.join(asked)}"))
    return [_entry(rubric, problem, name, computed[name], _if_fully_asked(rules.get(name), asked)) for name in asked]


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


def _entry(rubric: Rubric, problem: Problem, name: str, value: Number, constraint: BoundConstraint | None) -> KeyEntry:
    rule = problem.answers.get(name)
    points = next(p for p in (rule and rule.points, problem.points, rubric.points) if p is not None)
    tolerance = (rule and rule.tolerance) or problem.tolerance or rubric.tolerance or default_tolerance(value)
    return KeyEntry(f"{problem.id}.{name}", problem.id, value, points, tolerance, constraint)
