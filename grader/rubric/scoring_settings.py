"""How a rubric says to score: tolerances, points, partial credit, credit carried forward, its own
mistakes, and when reference values may be revealed. Read here, applied by grader.judging.scoring."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from grader.base.fields import FieldReader
from grader.base.times import CALENDAR, read_moment
from grader.rubric.tolerance import Tolerance

REVEAL_POLICIES = ("never", "always", "after_due")


@dataclass(frozen=True)
class PartialCredit:
    """A share of the points for an answer within a looser tolerance."""

    tolerance: Tolerance
    credit: Fraction


@dataclass(frozen=True)
class AnswerRule:
    """Per-answer overrides; None means 'inherit from the problem, then the rubric' (or the kind's
    default, for `builds_on`)."""

    points: Fraction | None = None
    tolerance: Tolerance | None = None
    partial: tuple[PartialCredit, ...] = ()
    builds_on: tuple[str, ...] | None = None
    carried_forward: Fraction | None = None


@dataclass(frozen=True)
class CustomMistake:
    """A rubric's own mistake: the value an expression over the given values (and the key's
    answers) gives, the feedback to show, and the share of points it still earns."""

    answer: str
    expression: str
    feedback: str
    credit: Fraction


@dataclass(frozen=True)
class RevealPolicy:
    policy: str = "never"
    due: dt.datetime | None = None

    def allows(self, now: dt.datetime) -> bool:
        """Whether reference values may be shown at `now` (the caller's clock, passed in)."""
        if self.policy == "always":
            return True
        return self.policy == "after_due" and self.due is not None and now >= self.due


def read_tolerance(reader: FieldReader, name: str) -> Tolerance | None:
    raw = reader.raw(name, default=None)
    if raw is None:
        return None
    sub = FieldReader(raw, prefix=f"{reader.field(name)}.")
    absolute = sub.number("absolute", minimum=Fraction(0), default=0)
    relative = sub.number("relative", minimum=Fraction(0), default=0)
    figures = sub.integer("significant_figures", minimum=1, default=None)
    sub.reject_unknown()
    reader.issues.extend(sub.issues)
    if absolute is None or relative is None or sub.issues:
        return None
    return Tolerance(absolute, relative, figures)


def read_credit(reader: FieldReader, name: str, default: Any = None) -> Fraction | None:
    credit = reader.number(name, minimum=Fraction(0), default=default)
    if credit is not None and credit > 1:
        reader.report(name, "expected a share of the points between 0 and 1")
        return None
    return credit


def read_answer_rules(reader: FieldReader) -> dict[str, AnswerRule]:
    raw = reader.mapping_of("answers", default={}) or {}
    rules = {}
    for name, entry in raw.items():
        rule = FieldReader(entry, prefix=f"answers.{name}.")
        points = rule.number("points", minimum=Fraction(0), default=None)
        tolerance = read_tolerance(rule, "tolerance")
        partial = _partial(rule)
        builds_on = rule.list_of_text("builds_on", default=None)
        carried = read_credit(rule, "carried_forward")
        rule.reject_unknown()
        reader.issues.extend(rule.issues)
        rules[name] = AnswerRule(points, tolerance, partial, builds_on, carried)
    return rules


def _partial(rule: FieldReader) -> tuple[PartialCredit, ...]:
    """`partial: [{tolerance: {relative: 0.05}, credit: 0.5}]`, the most generous match winning."""
    raw = rule.raw("partial", default=[])
    if not isinstance(raw, list):
        rule.report("partial", "expected a list such as [{tolerance: {relative: 0.05}, credit: 0.5}]")
        return ()
    levels = []
    for index, entry in enumerate(raw):
        level = FieldReader(entry, prefix=rule.field(f"partial[{index}]."))
        tolerance = read_tolerance(level, "tolerance")
        credit = read_credit(level, "credit", default=None)
        if tolerance is None and not level.issues:
            level.report("tolerance", "required but missing")
        if credit is None and not level.issues:
            level.report("credit", "required but missing")
        level.reject_unknown()
        rule.issues.extend(level.issues)
        if tolerance is not None and credit is not None:
            levels.append(PartialCredit(tolerance, credit))
    return tuple(sorted(levels, key=lambda level: -level.credit))


def read_mistakes(reader: FieldReader) -> tuple[CustomMistake, ...]:
    raw = reader.raw("mistakes", default=[])
    if not isinstance(raw, list):
        reader.report("mistakes", "expected a list of {answer, value, feedback, credit}")
        return ()
    found = []
    for index, entry in enumerate(raw):
        item = FieldReader(entry, prefix=f"mistakes[{index}].")
        answer = item.text("answer")
        value = item.raw("value")
        feedback = item.text("feedback")
        credit = read_credit(item, "credit", default=0)
        item.reject_unknown()
        reader.issues.extend(item.issues)
        if not item.issues and answer and feedback is not None and credit is not None:
            found.append(CustomMistake(answer, str(value), feedback, credit))
    return tuple(found)


def read_reveal(reader: FieldReader) -> RevealPolicy:
    policy = reader.choice("reveal", REVEAL_POLICIES, default="never") or "never"
    due = _due(reader)
    if policy == "after_due" and due is None and not reader.issues:
        reader.report("due", "required with reveal: after_due (e.g. 2026-12-01T23:59:00+01:00)")
    return RevealPolicy(policy, due)


def _due(reader: FieldReader) -> dt.datetime | None:
    raw = reader.raw("due", default=None)
    if raw is None:
        return None
    due = read_moment(raw)  # the one reader of times (grader.base.times), as the late policy's
    if due is None:
        reader.report("due", f"expected a date and time such as 2026-12-01T23:59:00+01:00 ({CALENDAR}), found {raw!r}")
        return None
    if due.tzinfo is None:
        reader.report("due", "expected a time zone, such as +01:00 or Z")
        return None
    return due
