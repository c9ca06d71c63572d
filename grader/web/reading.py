"""A student's answers as the page and the JSON endpoint receive them, read with the batch's bounds.

The page takes only one student's own answer files: the formats of `grader.intake.formats` that
hold one submission (YAML, JSON, typed sheets, and any such format registered later). A form
export (CSV, XLSX) is a whole class, for the TA: refused by its suffix before a byte is parsed,
so no spreadsheet is ever unzipped by the page.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path, PurePath
from typing import Any, Mapping

from werkzeug.datastructures import FileStorage

from grader.base.errors import InputError
from grader.base.limits import Limits
from grader.intake.formats import READERS, read_uploaded
from grader.intake.settings import Intake
from grader.intake.submission import Submission, parse_submission
from grader.rubric.answer_key import AnswerKey

UPLOAD_SUFFIXES = tuple(suffix for suffix, (_, is_form_export) in READERS.items() if not is_form_export)


def _limits(max_bytes: int) -> Limits:
    return Limits(max_file_bytes=max_bytes, max_form_bytes=max_bytes)


def form_submission(key: AnswerKey, student_id: str, form: Mapping[str, str], upload: FileStorage | None, prefix: str,
                    max_bytes: int) -> tuple[Submission, dict[str, str]]:
    """An uploaded answer file when there is one (its own student id ignored: the page is this
    student's), else the typed answers; and the typed text to put back in each field (empty
    for an upload: the page then shows what the file said)."""
    if upload is not None and upload.filename:
        return _uploaded(key, student_id, upload, max_bytes), {}
    typed = {name[len(prefix):]: value for name, value in form.items() if name.startswith(prefix)}
    answered = {path: value for path, value in typed.items() if value.strip()}
    document = {"student_id": student_id, "answers": answered}
    return parse_submission(document, "the form", student_id, key.by_path, _limits(max_bytes)), typed


def api_submission(key: AnswerKey, student_id: str, answers: Any, max_bytes: int) -> tuple[Submission, dict[str, str]]:
    """Answers sent as JSON: a mapping of answer paths (dotted or nested) to values."""
    if not isinstance(answers, Mapping):
        raise InputError("the request", "answers", "expected a mapping of answer paths to values, such as {\"q1.a\": 7200}")
    document = {"student_id": student_id, "answers": answers}
    return parse_submission(document, "the request", student_id, key.by_path, _limits(max_bytes)), {}


def _uploaded(key: AnswerKey, student_id: str, upload: FileStorage, max_bytes: int) -> Submission:
    suffix = PurePath(upload.filename or "").suffix.lower()
    name = Path("your file" + suffix)  # only the suffix of the student's file name is used
    if suffix not in UPLOAD_SUFFIXES:
        raise InputError(str(name), "", f"the page takes one student's answer file ({', '.join(UPLOAD_SUFFIXES)}); "
                                         "a form export of a class is for the TA")
    limits = _limits(max_bytes)
    documents = read_uploaded(upload.read(max_bytes + 1), name, Intake(limits))
    if len(documents) != 1:
        raise InputError(str(name), "", "expected one student's answers")
    parsed = parse_submission(documents[0].data, str(name), student_id, key.by_path, limits)
    return dataclasses.replace(parsed, student_id=student_id)
