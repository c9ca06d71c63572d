"""The rubric model: a YAML assignment read into frozen data, validated with every issue reported."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Any

from grader.base.documents import read_document
from grader.base.errors import ExpressionError, RubricError, RubricIssue
from grader.base.fields import FieldReader
from grader.rubric.late_rule import LatePolicy, read_late_policy
from grader.rubric.placeholders import unknown_placeholders
from grader.rubric.resubmission_rule import Policy, read_policy
from grader.rubric.scoring_settings import (
    AnswerRule,
    CustomMistake,
    RevealPolicy,
    read_answer_rules,
    read_credit,
    read_mistakes,
    read_reveal,
    read_tolerance,
)
from grader.rubric.tolerance import Tolerance
from grader.rubric.variants import MAX_ATTEMPTS, draw, draw_issues, has_draws, rng_for
from grader.solver.kinds import KINDS, ProblemKind

MISSING_CHOICES = ("blank", "zero", "excused")  # `missing_submissions:`, and `grader grade --missing-as`
IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Part:
    """One part of a problem (`name` is empty for a problem without parts): its concrete given
    values, as drawn for a student where the rubric varies them, and the kind's spec of them."""

    name: str
    spec: Any
    given: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Template:
    """A problem's given values and parts as written, draws included, to draw a student's variant."""

    given: Mapping[str, Any]
    parts: Mapping[str, Any] | None

    @property
    def varies(self) -> bool:
        return has_draws(self.given) or has_draws(self.parts)


@dataclass(frozen=True)
class Problem:
    id: str
    kind: ProblemKind
    title: str
    text: str
    parts: tuple[Part, ...]
    ask: tuple[str, ...] | None
    points: Fraction | None
    tolerance: Tolerance | None
    answers: Mapping[str, AnswerRule] = field(default_factory=dict)
    template: Template = Template({}, None)
    mistakes: tuple[CustomMistake, ...] = ()


@dataclass(frozen=True)
class Rubric:
    source: str
    assignment: str
    title: str
    reveal: RevealPolicy
    points: Fraction
    tolerance: Tolerance | None
    problems: tuple[Problem, ...]
    carried_forward: Fraction = Fraction(1)  # the share of points an answer right given earlier wrong ones earns
    late: LatePolicy | None = None
    resubmissions: Policy = Policy()
    missing_as: str = "blank"  # what LMS files get for a student without a submission: blank, zero or excused

    @cached_property
    def varies(self) -> bool:
        """Whether students get their own numbers (some given value is drawn); asked once per
        submission, so computed once."""
        return any(problem.template.varies for problem in self.problems)


def load_rubric(path: Path) -> Rubric:
    return parse_rubric(read_document(path), str(path))


def parse_rubric(document: object, source: str) -> Rubric:
    """Validate a whole rubric; raise one RubricError listing every issue found."""
    issues: list[RubricIssue] = []
    top = FieldReader(document)
    assignment = top.text("assignment")
    title = top.text("title", default=assignment or "")
    reveal = read_reveal(top)
    carried_forward = read_credit(top, "carried_forward", default=1)
    points = top.number("points", minimum=Fraction(0), default=1)
    tolerance = read_tolerance(top, "tolerance")
    raw_problems = top.raw("problems")
    late = read_late_policy(top)
    resubmissions = read_policy(top, late.zone if late is not None else None)
    missing_as = top.choice("missing_submissions", MISSING_CHOICES, default="blank") or "blank"
    top.reject_unknown()
    if assignment is not None and not IDENTIFIER.fullmatch(assignment.replace("-", "_")):
        top.report("assignment", "expected a short id of letters, digits, '-' and '_'")
    issues.extend(RubricIssue(source, None, name, expected) for name, expected in top.issues)
    problems = _problems(raw_problems, source, assignment or "", issues)
    if issues:
        raise RubricError(issues)
    return Rubric(
        source, assignment or "", title or "", reveal, points or Fraction(0), tolerance, problems,
        carried_forward or Fraction(0), late, resubmissions, missing_as,
    )


def _problems(raw: object, source: str, assignment: str, issues: list[RubricIssue]) -> tuple[Problem, ...]:
    if not isinstance(raw, list) or not raw:
        if raw is not None:
            issues.append(RubricIssue(source, None, "problems", "expected a non-empty list of problems"))
        return ()
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        given_id = entry.get("id") if isinstance(entry, dict) else None
        label = given_id if isinstance(given_id, str) else f"#{index + 1}"
        reader = FieldReader(entry, prefix="")
        problem = _problem(reader, label, seen, assignment)
        issues.extend(RubricIssue(source, label, name, expected) for name, expected in reader.issues)
        if problem is not None and not reader.issues:
            problems.append(problem)
        seen.add(label)
    return tuple(problems)


def _problem(reader: FieldReader, label: str, seen: set[str], assignment: str) -> Problem | None:
    problem_id = reader.text("id")
    if problem_id is not None and not IDENTIFIER.fullmatch(problem_id):
        reader.report("id", "expected a name of letters, digits and '_', starting with a letter")
    if problem_id in seen:
        reader.report("id", f"another problem already has the id '{problem_id}'")
    kind_name = reader.choice("kind", sorted(KINDS))
    title = reader.text("title", default=label) or label
    text = reader.text("text", default="") or ""
    points = reader.number("points", minimum=Fraction(0), default=None)
    tolerance = read_tolerance(reader, "tolerance")
    ask = reader.list_of_text("ask", default=None)
    given = reader.mapping_of("given", default={})
    raw_parts = reader.mapping_of("parts", default=None)
    answers = read_answer_rules(reader)
    mistakes = read_mistakes(reader)
    reader.reject_unknown()
    if kind_name is None or given is None or problem_id is None:
        return None
    template = Template(given, raw_parts)
    reader.issues.extend(draw_issues(given, "given") + draw_issues(raw_parts, "parts"))
    if reader.issues:
        return None
    parts, part_issues = draw_parts(KINDS[kind_name], template, (assignment, "", problem_id))
    reader.issues.extend(part_issues)
    if parts is None:
        return None
    for placeholder in unknown_placeholders(text, parts[0].given):
        reader.report("text", f"{placeholder} names no given value")
    return Problem(problem_id, KINDS[kind_name], title, text, parts, ask, points, tolerance, answers, template, mistakes)


def for_student(rubric: Rubric, student_id: str) -> Rubric:
    """The rubric with the student's own numbers wherever given values are drawn."""
    if not rubric.varies:
        return rubric
    problems = []
    for problem in rubric.problems:
        if problem.template.varies:
            parts, issues = draw_parts(problem.kind, problem.template, (rubric.assignment, student_id, problem.id))
            if parts is None:
                raise RubricError([RubricIssue(rubric.source, problem.id, field, expected) for field, expected in issues])
            problem = replace(problem, parts=parts)
        problems.append(problem)
    return replace(rubric, problems=tuple(problems))


def draw_parts(kind: ProblemKind, template: Template, seed: tuple[str, str, str]) -> tuple[tuple[Part, ...] | None, list[tuple[str, str]]]:
    """Concrete parts, drawing again (up to MAX_ATTEMPTS) while a draw gives an invalid problem."""
    if not template.varies:
        return build_parts(kind, template.given, template.parts)
    issues: list[tuple[str, str]] = []
    for attempt in range(MAX_ATTEMPTS):
        rng = rng_for(*seed, attempt)
        parts, issues = build_parts(kind, draw(template.given, rng), draw(template.parts, rng))
        if parts is not None:
            return parts, []
    last = "; ".join(f"{field}: {expected}" for field, expected in issues)
    return None, [("given", f"no draw in {MAX_ATTEMPTS} attempts gives a valid problem (the last: {last})")]


def build_parts(kind: ProblemKind, given: Mapping[str, Any], raw_parts: Mapping[str, Any] | None) -> tuple[tuple[Part, ...] | None, list[tuple[str, str]]]:
    """Each part's given values are the problem's, overridden by the part's own; every part must
    parse and solve."""
    issues: list[tuple[str, str]] = []
    variants: dict[str, tuple[Mapping[str, Any], str]] = {"": (given, "given.")}
    if raw_parts is not None:
        variants = {}
        if not raw_parts:
            issues.append(("parts", "expected at least one part, such as a: {kernel: 1}"))
        for name, overrides in raw_parts.items():
            if not IDENTIFIER.fullmatch(name):
                issues.append((f"parts.{name}", "expected a part name of letters, digits and '_'"))
            elif not isinstance(overrides, Mapping):
                issues.append((f"parts.{name}", "expected a mapping of given values for this part"))
            else:
                variants[name] = ({**given, **overrides}, f"parts.{name} + given.")
    parts = []
    for name, (values, prefix) in variants.items():
        given_reader = FieldReader(values, prefix=prefix)
        spec = kind.parse(given_reader)
        issues.extend(given_reader.issues)
        if spec is not None and not given_reader.issues:
            issues.extend(_solve_issues(kind, spec, prefix))
            parts.append(Part(name, spec, values))
    return (tuple(parts), []) if not issues else (None, issues)


def _solve_issues(kind: ProblemKind, spec: Any, prefix: str) -> list[tuple[str, str]]:
    try:
        kind.solve(spec)
    except (ExpressionError, ArithmeticError, ValueError) as error:
        return [(prefix.rstrip("."), f"cannot be solved: {error}")]
    return []
