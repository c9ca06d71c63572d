"""The rubric's late policy applied to each graded submission, from the LMS's time or the file's own."""
from __future__ import annotations

import dataclasses
from typing import Iterable, Mapping

from grader.late_policy import LatePolicy, late_penalty, parse_time
from grader.results import StudentResult


def apply_late_policy(results: Iterable[StudentResult], policy: LatePolicy, times: Mapping[str, str]) -> list[StudentResult]:
    """A time from the LMS wins over one written in the file; without a readable time there is no
    penalty, only a note for the TA."""
    return [_judged(result, policy, times) if result.received and result.readable else result for result in results]


def _judged(result: StudentResult, policy: LatePolicy, times: Mapping[str, str]) -> StudentResult:
    raw = times.get(result.student_id) or result.submitted_at
    if not raw:
        return dataclasses.replace(result, notes=(*result.notes, "no submission time: the late policy was not applied"))
    moment = parse_time(raw, policy.zone)
    if moment is None:
        note = f"submission time {raw!r} is not a date and time: the late policy was not applied"
        return dataclasses.replace(result, notes=(*result.notes, note))
    return dataclasses.replace(result, late=late_penalty(policy, moment))
