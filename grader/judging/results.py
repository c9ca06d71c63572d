"""Graded results as plain frozen data; totals are computed from the verdicts, never stored.

What a TA changes after grading (overrides) and what the clock takes (late penalty) are plain data
here too; their arithmetic lives here once, and every export lays it out."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from functools import cached_property
from typing import Any, Iterable

from grader.base.numbers import ZERO, Number, exact_sum, sums_by
from grader.intake.roster import Person


@dataclass(frozen=True)
class Override:
    """A TA's decision on one answer path or one problem: new points, or a change to its points."""

    student_id: str
    target: str
    reason: str
    points: Fraction | None = None
    change: Fraction = Fraction(0)

    def apply(self, current: Fraction) -> Fraction:
        return self.points if self.points is not None else current + self.change


@dataclass(frozen=True)
class LatePenalty:
    """The late policy's verdict on one submission; `share` is the part of the score taken away (0 to 1)."""

    submitted_at: datetime.datetime
    late_by: datetime.timedelta
    share: Fraction
    reason: str


def overridden_total(answer_points: Iterable[tuple[str, str, Fraction]], overrides: Iterable[Override]) -> Fraction:
    """Total after overrides: answer overrides first, then problem overrides on the problem's new score.

    `answer_points` holds (answer path, problem id, points) for every answer.
    """
    rows = list(answer_points)
    overrides = list(overrides)
    by_path = {path: points for path, _, points in rows}
    for override in overrides:
        if override.target in by_path:
            by_path[override.target] = override.apply(by_path[override.target])
    by_problem: dict[str, list[Fraction]] = {}
    for path, problem_id, _ in rows:
        by_problem.setdefault(problem_id, []).append(by_path[path])
    problems = {problem_id: exact_sum(points) for problem_id, points in by_problem.items()}
    for override in overrides:
        if override.target in problems:
            problems[override.target] = override.apply(problems[override.target])
    return exact_sum(problems.values())


class Status(str, Enum):
    """The verdict on one answer."""

    CORRECT = "correct"
    CARRIED = "correct given earlier answers"
    PARTIAL = "partially correct"
    INCORRECT = "incorrect"
    UNREADABLE = "unreadable"
    MISSING = "missing"


class Standing(str, Enum):
    """Where a whole submission stands: graded, graded but worth a TA's look (notes or unreadable
    answers), or not readable at all."""

    GRADED = "graded"
    REVIEW = "needs review"
    INVALID = "invalid"
    MISSING = "missing"
    SUPERSEDED = "superseded"  # another submission of the same student counts instead


def display_text(raw: Any) -> str:
    """An answer as the student wrote it, for display; empty when there is none."""
    if isinstance(raw, list):  # an answer given twice; anything nested deeper is not shown
        return " | ".join(_scalar_text(item) for item in raw)
    return _scalar_text(raw)


def can_be_key(value: object) -> bool:
    """Whether an answer as typed can key a memo: not a list, a mapping or a YAML `!!set`."""
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _scalar_text(raw: Any) -> str:
    if isinstance(raw, (list, dict, set, frozenset)):  # a set's order changes from run to run: never shown
        return "[…]" if isinstance(raw, list) else "{…}"
    if isinstance(raw, bool):
        return "true" if raw else "false"
    return "" if raw is None else str(raw)


@dataclass(frozen=True, slots=True)  # slots: a realistic class holds a few distinct verdicts a student, 40 % smaller
class Verdict:
    path: str
    problem_id: str
    raw: Any
    value: Fraction | None
    status: Status
    points: Fraction
    possible: Fraction
    feedback: str
    expected: Number | None = None  # the key's value for this student; shown only where the rubric reveals it
    mistake: str = ""  # the diagnosed mistake, when a wrong value matches one
    read_as: str = ""  # what the scorer read, when it is not plainly what was typed: "7200 (the word 'weights' … set aside)"
    working: str = ""  # for a wrong value no mistake explains: how the key's value is worked out (gives it away)

    def feedback_shown(self, reveal: bool) -> str:
        """The feedback, with the working to check only where the rubric reveals reference values."""
        return f"{self.feedback} Worked out: {self.working}." if reveal and self.working else self.feedback

    @property
    def raw_text(self) -> str:
        return display_text(self.raw)


@dataclass(frozen=True)
class StudentResult:
    source: str
    student_id: str
    name: str
    verdicts: tuple[Verdict, ...]
    notes: tuple[str, ...] = ()
    readable: bool = True
    received: bool = True  # False for a student on the roster who handed nothing in
    person: Person | None = None
    submitted_at: str = ""  # as the file or the LMS gave it
    overrides: tuple[Override, ...] = ()
    late: LatePenalty | None = None
    submitted: datetime.datetime | None = None
    counted: bool = True
    resolution: str = ""  # which of a student's several submissions counted, and why
    # For the TA's outputs only, never a student's report: roster mismatches, the late policy not
    # applied, an id shared with other files (naming them).
    staff_notes: tuple[str, ...] = ()

    @property
    def all_notes(self) -> tuple[str, ...]:
        """Every note, as the TA's outputs (grades.csv, the workbook, the terminal) show them."""
        return (*self.notes, *self.staff_notes, *((self.resolution,) if self.resolution else ()))

    @property
    def standing(self) -> Standing:
        if not self.received:
            return Standing.MISSING
        if not self.readable:
            return Standing.INVALID
        if not self.counted:
            return Standing.SUPERSEDED
        if self.notes or self.staff_notes or self.count(Status.UNREADABLE):
            return Standing.REVIEW
        return Standing.GRADED

    @cached_property
    def total(self) -> Fraction:
        """The sum of the problems' scores: three terms instead of one an answer."""
        return exact_sum(self._problem_scores.values())

    @cached_property
    def possible(self) -> Fraction:
        return exact_sum(verdict.possible for verdict in self.verdicts)

    @cached_property
    def _problem_scores(self) -> dict[str, Fraction]:
        return sums_by((verdict.problem_id, verdict.points) for verdict in self.verdicts)

    def with_sums(self) -> StudentResult:
        """The result with its sums worked out now: a worker process that graded it does them, in
        parallel, and they travel with the result instead of landing on the main process."""
        for _ in (self.total, self.possible, self._problem_scores, self.final):
            pass
        return self

    def problem_score(self, problem_id: str) -> Fraction:
        return self._problem_scores.get(problem_id, ZERO)

    @cached_property
    def adjusted(self) -> Fraction:
        """The total after the TA's overrides, before any late penalty."""
        if not self.overrides:
            return self.total
        return overridden_total(((v.path, v.problem_id, v.points) for v in self.verdicts), self.overrides)

    @cached_property
    def late_deduction(self) -> Fraction:
        return self.adjusted * self.late.share if self.late and self.adjusted > 0 else ZERO

    @cached_property
    def final(self) -> Fraction:
        """The score that goes to the LMS: overrides applied, then the late penalty, never below 0."""
        if self.late is None:  # the usual case, without a Fraction subtraction per student
            return max(ZERO, self.adjusted)
        return max(ZERO, self.adjusted - self.late_deduction)

    def count(self, status: Status) -> int:
        return sum(1 for verdict in self.verdicts if verdict.status is status)
