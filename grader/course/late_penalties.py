"""The rubric's late policy applied to each graded submission, from the LMS's time or the file's own."""
from __future__ import annotations

import dataclasses
import datetime
import math
from fractions import Fraction
from typing import Iterable, Mapping

from grader.base.times import parse_time
from grader.judging.results import LatePenalty, StudentResult
from grader.rubric.late_rule import LatePolicy

DAY = datetime.timedelta(days=1)


def apply_late_policy(results: Iterable[StudentResult], policy: LatePolicy, times: Mapping[str, str]) -> list[StudentResult]:
    """A time from the LMS wins over one written in the file; without a readable time there is no
    penalty, only a note for the TA."""
    return [_judged(result, policy, times) if result.received and result.readable else result for result in results]


def _judged(result: StudentResult, policy: LatePolicy, times: Mapping[str, str]) -> StudentResult:
    raw = times.get(result.student_id) or result.submitted_at
    if not raw:
        return dataclasses.replace(result, staff_notes=(*result.staff_notes, "no submission time: the late policy was not applied"))
    moment = parse_time(raw, policy.zone)
    if moment is None:
        note = f"submission time {raw!r} is not a date and time: the late policy was not applied"
        return dataclasses.replace(result, staff_notes=(*result.staff_notes, note))
    return dataclasses.replace(result, late=late_penalty(policy, moment))


def late_penalty(policy: LatePolicy, submitted_at: datetime.datetime) -> LatePenalty:
    """Started days late count from the due time once the grace period is over."""
    late_by = max(datetime.timedelta(0), submitted_at - policy.due)
    local_due = policy.due.astimezone(policy.zone).isoformat(timespec="minutes")
    if late_by <= policy.grace:
        return LatePenalty(submitted_at, late_by, Fraction(0), "on time")
    if policy.zero_after is not None and late_by > policy.zero_after:
        return LatePenalty(submitted_at, late_by, Fraction(1), f"more than {_days(policy.zero_after)} after the due time {local_due}: no points")
    days = math.ceil(late_by / DAY)
    share = min(policy.cap, days * policy.per_day)
    reason = f"{days} started day{'s' if days != 1 else ''} after the due time {local_due}, {float(policy.per_day):.0%} a day"
    if share == policy.cap and days * policy.per_day > policy.cap:
        reason += f", capped at {float(policy.cap):.0%}"
    return LatePenalty(submitted_at, late_by, share, reason)


def _days(span: datetime.timedelta) -> str:
    days = span / DAY
    return f"{days:g} day{'s' if days != 1 else ''}"
