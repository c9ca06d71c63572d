"""File → submission: who handed it in and what they wrote, keyed by answer path, nothing graded yet."""
from __future__ import annotations

import datetime
import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Collection

from grader.base.errors import InputError
from grader.base.limits import DEFAULT_LIMITS, Limits
from grader.base.numbers import describe
from grader.intake.formats import read_documents
from grader.intake.settings import DEFAULT_INTAKE, Intake
from grader.rubric.resubmission_rule import read_time

IDENTITY_FIELDS = ("student_id", "name")
KNOWN_FIELDS = (*IDENTITY_FIELDS, "submitted", "submitted_at", "answers")


@dataclass(frozen=True)
class Submission:
    """`answers` maps each answer path to the raw value as written (a list where it was given twice)."""

    source: str
    student_id: str
    name: str
    answers: Mapping[str, Any]
    notes: tuple[str, ...] = ()
    submitted_at: str = ""  # as written; the late policy reads it
    submitted: datetime.datetime | None = None


def read_submission(path: Path, known_paths: Collection[str], intake: Intake = DEFAULT_INTAKE) -> Submission:
    """The one submission a file holds; a form export of a whole class is for `grader grade`."""
    documents = read_documents(path, intake)
    if len(documents) != 1:
        raise InputError(str(path), "", f"holds {len(documents)} submissions, expected one; grade it with `grader grade`")
    document = documents[0]
    if document.problem:  # one row of a form export, named "FILE, row N"
        raise InputError(str(path), document.source.removeprefix(f"{path}, "), document.problem)
    return parse_submission(document.data, document.source, document.fallback_id, known_paths, intake.limits)


def parse_submission(
    document: object, source: str, fallback_id: str, known_paths: Collection[str], limits: Limits = DEFAULT_LIMITS
) -> Submission:
    """Read identity and answers; anything odd but gradable becomes a note for the TA, not an error."""
    if not isinstance(document, Mapping):
        found = "an empty file" if document is None else f"a {type(document).__name__}"
        raise InputError(source, "top level", f"expected a mapping with student_id, name and answers, found {found}")
    notes: list[str] = []
    student_id = _identity(document.get("student_id"), "student_id", source)
    if not student_id:
        student_id = fallback_id
        notes.append(f"no student_id in the file; the file name '{fallback_id}' is used instead")
    name = _identity(document.get("name"), "name", source)
    unknown_fields = sorted(str(key) for key in document if key not in KNOWN_FIELDS)
    if unknown_fields:
        notes.append(f"fields ignored (expected {', '.join(KNOWN_FIELDS)}): {', '.join(unknown_fields)}")
    raw_answers = document.get("answers")
    if raw_answers is None:
        raw_answers = {}
        notes.append("no 'answers' section: every answer is missing")
    if not isinstance(raw_answers, Mapping):
        raise InputError(source, "answers", "expected a mapping of answer paths to values")
    answers, duplicated = flatten_answers(raw_answers, source, limits)
    notes.extend(f"{path} is answered more than once; it is marked unreadable" for path in duplicated)
    notes.extend(_cut_long_answers(answers, limits.max_answer_chars))
    notes.extend(_unknown_paths(answers, known_paths))
    raw_time = document.get("submitted", document.get("submitted_at"))
    stamp = raw_time.isoformat() if hasattr(raw_time, "isoformat") else _identity(raw_time, "submitted", source)
    submitted = read_time(raw_time)
    if submitted is None and raw_time not in (None, ""):
        notes.append(f"submitted: {str(raw_time)[:40]!r} is not a date and time such as 2026-11-20 10:05; it is ignored")
    return Submission(source, student_id, name, answers, tuple(notes), stamp, submitted)


def _identity(value: object, field: str, source: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InputError(source, field, f"expected text, found {describe(value)}")
    text = str(value).strip()
    if len(text) > 200:
        raise InputError(source, field, "longer than 200 characters")
    return text


def flatten_answers(raw: Mapping[Any, Any], source: str, limits: Limits = DEFAULT_LIMITS) -> tuple[dict[str, Any], list[str]]:
    """Nested mappings and dotted keys both become dotted paths; a path given twice keeps both values.

    Every key under `answers` (leaf or branch) counts as an entry, so YAML aliases that repeat one
    mapping many times cannot make this walk explode.
    """
    answers: dict[str, Any] = {}
    duplicated: list[str] = []
    stack: list[tuple[str, Any, int]] = [("", raw, 0)]
    entries = -1  # the `answers` mapping itself is not an entry
    while stack:
        prefix, node, depth = stack.pop()
        entries += 1
        if entries > limits.max_answers:
            raise InputError(source, "answers", f"more than {limits.max_answers:,} entries")
        if type(node) is dict or isinstance(node, Mapping):  # the first test is the usual answer, and far cheaper
            if depth > limits.max_depth:
                raise InputError(source, f"answers.{prefix}", f"nested deeper than {limits.max_depth} levels")
            for key, child in reversed(list(node.items())):
                stack.append((f"{prefix}.{key}" if prefix else str(key), child, depth + 1))
        elif prefix in answers:
            if prefix not in duplicated:
                duplicated.append(prefix)
                answers[prefix] = [answers[prefix]]
            answers[prefix].append(node)
        else:
            answers[prefix] = node
    return answers, duplicated


def _cut_long_answers(answers: dict[str, Any], max_chars: int) -> list[str]:
    """A text answer past the limit keeps its start and gains '…', which no number contains, so it
    is shown (briefly) and marked unreadable rather than copied whole into every report."""
    notes = []
    for path, raw in answers.items():
        if isinstance(raw, str) and len(raw) > max_chars:
            answers[path] = raw[:max_chars] + "…"
            notes.append(f"{path} is longer than {max_chars:,} characters; it is cut and marked unreadable")
    return notes


def _unknown_paths(answers: Mapping[str, Any], known_paths: Collection[str]) -> list[str]:
    notes = []
    for path in answers:
        if path not in known_paths:
            close = difflib.get_close_matches(path, list(known_paths), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            notes.append(f"{path} is not a question of this assignment{hint}; it was not graded")
    return notes
