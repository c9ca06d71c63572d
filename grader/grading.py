"""A class graded end to end: submissions, the roster, the late policy, then overrides, in the stable
order every output uses."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from grader.adjustments import Override
from grader.answer_key import AnswerKey
from grader.batch import grade_files
from grader.enrolment import apply_roster
from grader.intake import DEFAULT_INTAKE, Intake
from grader.lateness import apply_late_policy
from grader.overrides import apply_overrides
from grader.parallel import Progress, no_progress
from grader.results import BatchResult, StudentResult
from grader.roster import Person


@dataclass(frozen=True)
class ClassInputs:
    """Everything beyond the submissions that shapes the grades; each part is optional."""

    roster: tuple[Person, ...] | None = None
    overrides: tuple[Override, ...] = ()
    times: Mapping[str, str] = field(default_factory=dict)


def grade_class(
    key: AnswerKey,
    files: Iterable[Path],
    inputs: ClassInputs = ClassInputs(),
    intake: Intake = DEFAULT_INTAKE,
    workers: int = 1,
    progress: Progress = no_progress,
) -> BatchResult:
    results: list[StudentResult] = list(grade_files(key, files, intake, workers, progress).results)
    if inputs.roster is not None:
        results = apply_roster(key, results, inputs.roster)
    if key.rubric.late is not None:
        results = apply_late_policy(results, key.rubric.late, inputs.times)
    if inputs.overrides:
        results = apply_overrides(results, inputs.overrides)
    results.sort(key=lambda result: (result.student_id, result.source))
    return BatchResult(key, tuple(results))
