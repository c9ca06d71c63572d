"""Grading a class: find the files, grade each on its own, and flag what a TA must look at.

One broken file never stops the batch: it becomes an `invalid` result carrying its reason.
"""
from __future__ import annotations

import os
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import Iterable, Iterator

from grader.answer_key import AnswerKey, answer_key_for
from grader.documents import Document
from grader.errors import InputError
from grader.intake import DEFAULT_INTAKE, Intake
from grader.limits import Limits
from grader.parallel import Progress, map_chunks, no_progress
from grader.readers import is_submission_format, read_documents
from grader.resubmission import resolve
from grader.results import BatchResult, StudentResult
from grader.scoring import BatchMemo, grade_submission, unreadable_file
from grader.submission import parse_submission


def find_submission_files(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and every file of a readable format under each folder, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted((p for p in _files_under(path) if is_submission_format(p)), key=attrgetter("parts")))  # as Paths sort, at C speed
        elif path.exists():
            found.append(path)
        else:
            raise InputError(str(path), "", "no such file or folder")
    return list(dict.fromkeys(found))


def _files_under(root: Path) -> Iterator[Path]:
    """Files (or links to files) in `root` and its folders, none hidden; links to folders are not
    followed. The directory entries tell files from folders, so a class of thousands costs no
    extra call per file. A folder that cannot be read is passed over, as pathlib's glob does."""
    folders = [root]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(Path(entry.path))
                    elif entry.is_file():
                        yield Path(entry.path)
        except OSError:
            continue


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
