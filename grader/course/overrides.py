"""`overrides.yaml` beside the rubric: a TA's decisions, applied on every regrade and shown in reports.

    overrides:
      - student: s1002
        target: q1              # an answer path (q1.standard.weights) or a problem id (q1)
        points: 8               # the target's new points, or
        # adjust: -1            # a change to its points
        reason: Counting the bias is accepted this year.
"""
from __future__ import annotations

import dataclasses
from fractions import Fraction
from pathlib import Path
from typing import Iterable

from grader.base.documents import read_document
from grader.base.errors import SettingsError
from grader.base.fields import FieldReader
from grader.judging.results import Override, StudentResult
from grader.rubric.answer_key import AnswerKey

FILE_NAME = "overrides.yaml"


def overrides_beside(rubric_path: Path, key: AnswerKey) -> tuple[Override, ...]:
    """The overrides file next to the rubric, or none when there is no such file."""
    path = rubric_path.parent / FILE_NAME
    return read_overrides(path, key) if path.exists() else ()


def read_overrides(path: Path, key: AnswerKey) -> tuple[Override, ...]:
    return parse_overrides(read_document(path), str(path), key)


def parse_overrides(document: object, source: str, key: AnswerKey) -> tuple[Override, ...]:
    """Every override checked against the answer key; one SettingsError lists every issue."""
    top = FieldReader(document)
    entries = top.raw("overrides", default=[])
    top.reject_unknown()
    issues = [f"field '{name}': {expected}" for name, expected in top.issues]
    if not isinstance(entries, list):
        issues.append("field 'overrides': expected a list of overrides")
        entries = []
    targets = {*key.by_path, *(problem.id for problem in key.rubric.problems)}
    overrides: list[Override] = []
    for index, entry in enumerate(entries, start=1):
        reader = FieldReader(entry, prefix=f"overrides[{index}].")
        override = _override(reader, targets)
        issues.extend(f"field '{name}': {expected}" for name, expected in reader.issues)
        if override is not None and not reader.issues:
            overrides.append(override)
    seen: set[tuple[str, str]] = set()
    for override in overrides:
        pair = (override.student_id, override.target)
        if pair in seen:
            issues.append(f"student {pair[0]}, target {pair[1]}: overridden twice; keep one entry")
        seen.add(pair)
    if issues:
        raise SettingsError(source, issues)
    return tuple(overrides)


def _override(reader: FieldReader, targets: set[str]) -> Override | None:
    student = reader.raw("student")
    target = reader.text("target")
    points = reader.number("points", default=None)
    change = reader.number("adjust", default=None)
    reason = reader.text("reason")
    reader.reject_unknown()
    if target is not None and target not in targets:
        reader.report("target", f"expected an answer path or problem id of this assignment, found {target!r}")
    if (points is None) == (change is None):
        reader.report("points", "give either points (the new points) or adjust (a change), not both or neither")
    if reason is not None and not reason.strip():
        reader.report("reason", "a reason the student will read is required")
    if student is None or target is None or reason is None:
        return None
    return Override(str(student), target, reason.strip(), points, change if change is not None else Fraction(0))


def apply_overrides(results: Iterable[StudentResult], overrides: tuple[Override, ...], source: str = FILE_NAME) -> list[StudentResult]:
    """Each student's result carries their overrides; an override for nobody in the class is an error."""
    results = list(results)
    present = {result.student_id for result in results}
    unknown = sorted({o.student_id for o in overrides} - present)
    if unknown:
        raise SettingsError(source, [f"student {sid}: no submission or roster entry has this id" for sid in unknown])
    return [
        dataclasses.replace(result, overrides=tuple(o for o in overrides if o.student_id == result.student_id))
        if any(o.student_id == result.student_id for o in overrides)
        else result
        for result in results
    ]
