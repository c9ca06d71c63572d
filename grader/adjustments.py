"""What a TA changes after grading (overrides) and what the clock takes (late penalty), as plain data.

The arithmetic lives here once; results expose it as computed properties and every export lays it out.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable

from grader.numbers import exact_sum


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
