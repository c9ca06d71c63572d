"""A class graded end to end: submissions, the roster, the late policy, then overrides, in the stable
order every output uses."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

from grader.base.parallel import Progress, no_progress
from grader.course.class_inputs import NO_CLASS_INPUTS, ClassInputs
from grader.course.class_results import BatchResult
from grader.course.file_grading import grade_files
from grader.course.late_penalties import apply_late_policy
from grader.course.overrides import apply_overrides
from grader.course.roster_matching import apply_roster
from grader.intake.discovery import NotGraded
from grader.intake.settings import DEFAULT_INTAKE, Intake
from grader.judging.results import StudentResult
from grader.rubric.answer_key import AnswerKey


def grade_class(
    key: AnswerKey,
    files: Iterable[Path],
    inputs: ClassInputs = NO_CLASS_INPUTS,
    intake: Intake = DEFAULT_INTAKE,
    workers: int = 1,
    progress: Progress = no_progress,
    not_graded: Sequence[NotGraded] = (),
) -> BatchResult:
    """`not_graded`: what discovery passed over, carried to every output."""
    results: list[StudentResult] = list(grade_files(key, files, intake, workers, progress).results)
    if inputs.roster is not None:
        results = apply_roster(key, results, inputs.roster)
    if key.rubric.late is not None:
        results = apply_late_policy(results, key.rubric.late, inputs.times)
    if inputs.overrides:
        results = apply_overrides(results, inputs.overrides)
    results.sort(key=lambda result: (result.student_id, result.source))
    return BatchResult(key, tuple(results), not_graded=tuple(not_graded))
