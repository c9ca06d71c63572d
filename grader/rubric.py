"""The rubric model: a YAML assignment read into frozen data, validated with every issue reported."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Mapping

from grader.documents import read_document
from grader.errors import RubricError, RubricIssue
from grader.kinds import KINDS, ProblemKind
from grader.policy import Policy, read_policy
from grader.schema import FieldReader
from grader.tolerance import Tolerance

IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
REVEAL_POLICIES = ("never", "always")


@dataclass(frozen=True)
class AnswerRule:
    """Per-answer overrides; None means 'inherit from the problem, then the rubric'."""

    points: Fraction | None = None
    tolerance: Tolerance | None = None


@dataclass(frozen=True)
class Part:
    """One variant of a problem's given values; `name` is empty for a problem without parts."""

    name: str
    spec: Any


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


@dataclass(frozen=True)
class Rubric:
    source: str
    assignment: str
    title: str
    reveal: str
    points: Fraction
    tolerance: Tolerance | None
    problems: tuple[Problem, ...]
    resubmissions: Policy = Policy()


def load_rubric(path: Path) -> Rubric:
    return parse_rubric(read_document(path), str(path))


def parse_rubric(document: object, source: str) -> Rubric:
    """Validate a whole rubric; raise one RubricError listing every issue found."""
    issues: list[RubricIssue] = []
    top = FieldReader(document)
    assignment = top.text("assignment")
    title = top.text("title", default=assignment or "")
    reveal = top.choice("reveal", REVEAL_POLICIES, default="never")
    points = top.number("points", minimum=Fraction(0), default=1)
    tolerance = _tolerance(top, "tolerance")
    raw_problems = top.raw("problems")
    resubmissions = read_policy(top)
    top.reject_unknown()
    if assignment is not None and not IDENTIFIER.fullmatch(assignment.replace("-", "_")):
        top.report("assignment", "expected a short id of letters, digits, '-' and '_'")
    issues.extend(RubricIssue(source, None, name, expected) for name, expected in top.issues)
    problems = _problems(raw_problems, source, issues)
    if issues:
        raise RubricError(issues)
    return Rubric(source, assignment or "", title or "", reveal or "never", points or Fraction(0), tolerance, problems, resubmissions)


def _problems(raw: object, source: str, issues: list[RubricIssue]) -> tuple[Problem, ...]:
    if not isinstance(raw, list) or not raw:
        if raw is not None:
            issues.append(RubricIssue(source, None, "problems", "expected a non-empty list of problems"))
        return ()
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        label = entry.get("id") if isinstance(entry, dict) and isinstance(entry.get("id"), str) else f"#{index + 1}"
        reader = FieldReader(entry, prefix="")
        problem = _problem(reader, label, seen)
        issues.extend(RubricIssue(source, label, name, expected) for name, expected in reader.issues)
        if problem is not None and not reader.issues:
            problems.append(problem)
        seen.add(label)
    return tuple(problems)


def _problem(reader: FieldReader, label: str, seen: set[str]) -> Problem | None:
    problem_id = reader.text("id")
    if problem_id is not None and not IDENTIFIER.fullmatch(problem_id):
        reader.report("id", "expected a name of letters, digits and '_', starting with a letter")
    if problem_id in seen:
        reader.report("id", f"another problem already has the id '{problem_id}'")
    kind_name = reader.choice("kind", sorted(KINDS))
    title = reader.text("title", default=label) or label
    text = reader.text("text", default="") or ""
    points = reader.number("points", minimum=Fraction(0), default=None)
    tolerance = _tolerance(reader, "tolerance")
    ask = reader.list_of_text("ask", default=None)
    given = reader.mapping_of("given", default={})
    raw_parts = reader.mapping_of("parts", default=None)
    answers = _answer_rules(reader)
    reader.reject_unknown()
    if kind_name is None or given is None:
        return None
    parts = _parts(reader, KINDS[kind_name], given, raw_parts)
    if problem_id is None or parts is None:
        return None
    return Problem(problem_id, KINDS[kind_name], title, text, parts, ask, points, tolerance, answers)


def _parts(reader: FieldReader, kind: ProblemKind, given: Mapping[str, Any], raw_parts: Mapping[str, Any] | None) -> tuple[Part, ...] | None:
    """Each part's given values are the problem's, overridden by the part's own."""
    variants: dict[str, tuple[Mapping[str, Any], str]] = {"": (given, "given.")}
    if raw_parts is not None:
        variants = {}
        if not raw_parts:
            reader.report("parts", "expected at least one part, such as a: {kernel: 1}")
        for name, overrides in raw_parts.items():
            if not IDENTIFIER.fullmatch(name):
                reader.report(f"parts.{name}", "expected a part name of letters, digits and '_'")
            elif not isinstance(overrides, Mapping):
                reader.report(f"parts.{name}", "expected a mapping of given values for this part")
            else:
                variants[name] = ({**given, **overrides}, f"parts.{name} + given.")
    parts = []
    for name, (values, prefix) in variants.items():
        given_reader = FieldReader(values, prefix=prefix)
        spec = kind.parse(given_reader)
        reader.issues.extend(given_reader.issues)
        if spec is not None and not given_reader.issues:
            parts.append(Part(name, spec))
    return tuple(parts) if len(parts) == len(variants) and not reader.issues else None


def _answer_rules(reader: FieldReader) -> dict[str, AnswerRule]:
    raw = reader.mapping_of("answers", default={}) or {}
    rules = {}
    for name, entry in raw.items():
        rule_reader = FieldReader(entry, prefix=f"answers.{name}.")
        points = rule_reader.number("points", minimum=Fraction(0), default=None)
        tolerance = _tolerance(rule_reader, "tolerance")
        rule_reader.reject_unknown()
        reader.issues.extend(rule_reader.issues)
        rules[name] = AnswerRule(points, tolerance)
    return rules


def _tolerance(reader: FieldReader, name: str) -> Tolerance | None:
    raw = reader.raw(name, default=None)
    if raw is None:
        return None
    sub = FieldReader(raw, prefix=f"{reader.field(name)}.")
    absolute = sub.number("absolute", minimum=Fraction(0), default=0)
    relative = sub.number("relative", minimum=Fraction(0), default=0)
    sub.reject_unknown()
    reader.issues.extend(sub.issues)
    if absolute is None or relative is None:
        return None
    return Tolerance(absolute, relative)
