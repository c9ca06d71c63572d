"""Grading a class's files: each graded on its own, and what a TA must look at flagged.

One broken file never stops the batch: it becomes an `invalid` result carrying its reason.
"""
from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Iterable

from grader.base.documents import Document
from grader.base.errors import InputError
from grader.base.limits import Limits
from grader.base.parallel import Progress, map_chunks, no_progress
from grader.course.class_results import BatchResult
from grader.course.resubmissions import resolve
from grader.intake.formats import read_documents
from grader.intake.settings import DEFAULT_INTAKE, Intake
from grader.intake.submission import parse_submission
from grader.judging.results import StudentResult
from grader.judging.scoring import BatchMemo, grade_submission, unreadable_file
from grader.rubric.answer_key import AnswerKey, answer_key_for

# A file that breaks grader itself is flagged for the developers rather than stopping the batch.
INTERNAL_ERRORS = (RecursionError, MemoryError, ValueError, TypeError, OverflowError)


def flagged(key: AnswerKey, source: str, fallback_id: str, error: Exception) -> StudentResult:
    if isinstance(error, InputError):
        return unreadable_file(key, source, fallback_id, error.detail)
    reason = f"could not be graded ({type(error).__name__}); please report this file to the grader's developers"
    return unreadable_file(key, source, fallback_id, reason)


def grade_path(key: AnswerKey, path: Path, intake: Intake = DEFAULT_INTAKE, memo: BatchMemo | None = None) -> list[StudentResult]:
    """Every submission the file holds (a form export holds a class). Never raises: one broken
    file or row is flagged with its reason and the batch goes on."""
    try:
        documents = read_documents(path, intake)
    except (InputError, *INTERNAL_ERRORS) as error:
        return [flagged(key, str(path), path.stem, error)]
    return [grade_document(key, document, intake.limits, memo) for document in documents]


def grade_document(key: AnswerKey, document: Document, limits: Limits, memo: BatchMemo | None = None) -> StudentResult:
    if document.problem:
        return unreadable_file(key, document.source, document.fallback_id, document.problem)
    try:
        submission = parse_submission(document.data, document.source, document.fallback_id, key.by_path, limits)
        return grade_submission(answer_key_for(key, submission.student_id), submission, memo)
    except (InputError, *INTERNAL_ERRORS) as error:
        return flagged(key, document.source, document.fallback_id, error)


def grade_chunk(key: AnswerKey, intake: Intake, paths: list[Path]) -> list[StudentResult]:
    memo = BatchMemo(key)
    return [result.with_sums() for path in paths for result in grade_path(key, path, intake, memo)]


def grade_files(
    key: AnswerKey, paths: Iterable[Path], intake: Intake = DEFAULT_INTAKE, workers: int = 1, progress: Progress = no_progress
) -> BatchResult:
    """The same BatchResult whatever `workers` is: chunks are graded apart and put back in order."""
    results = map_chunks(partial(grade_chunk, key, intake), paths, workers, progress)
    results = resolve(results, key.rubric.resubmissions)
    results.sort(key=lambda result: (result.student_id, result.source))
    return BatchResult(key, tuple(results))
