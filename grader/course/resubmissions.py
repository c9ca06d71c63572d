"""Several submissions from one student: which one counts, by the rubric's rule (grader/rubric/resubmission_rule.py).

Every submission still appears in every output; the ones that do not count are `superseded`,
and each side names the other.
"""
from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from typing import Callable

from grader.base.numbers import format_number
from grader.base.times import naive_utc
from grader.judging.results import StudentResult
from grader.rubric.resubmission_rule import Policy


def resolve(results: list[StudentResult], policy: Policy) -> list[StudentResult]:
    """Mark all but the counted submission of each student superseded, in the input order. When a
    student's submissions are not all timed (and the rule needs times), none is chosen: all are
    kept and flagged for a TA, as before there was a rule."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index, result in enumerate(results):
        if result.readable:
            groups[result.student_id].append(index)
    resolved = list(results)
    for indices in groups.values():
        if len(indices) > 1:
            for index, result in zip(indices, _resolve_group([results[i] for i in indices], policy)):
                resolved[index] = result
    return resolved


def _resolve_group(group: list[StudentResult], policy: Policy) -> list[StudentResult]:
    chosen = _choose(group, policy)
    if chosen is None:
        return [_flag_untimed(result, group) for result in group]
    winner = group[chosen]
    others = ", ".join(_describe(result) for result in group if result is not winner)
    return [
        dataclasses.replace(result, resolution=f"counted ({_reason(policy)}); not counted: {others}")
        if result is winner
        else dataclasses.replace(result, counted=False, resolution=f"not counted: {_describe(winner)} counts instead")
        for result in group
    ]


def _choose(group: list[StudentResult], policy: Policy) -> int | None:
    if policy.keep == "best":
        return max(range(len(group)), key=lambda i: (group[i].total, -i))
    times = [_moment(result, policy) for result in group]
    if any(time is None for time in times):
        return None
    pick: Callable[..., int] = max if policy.keep == "latest" else min
    on_time = [i for i, time in enumerate(times) if policy.deadline is None or time <= policy.deadline]  # type: ignore[operator]
    if on_time:
        return pick(on_time, key=lambda i: (times[i], -i))
    return min(range(len(group)), key=lambda i: (times[i], i))  # all late: the first late one


def _moment(result: StudentResult, policy: Policy) -> datetime.datetime | None:
    """The submission time as the deadline is read: a time written without an offset is in the
    late policy's zone where the rubric has one (grader.base.times)."""
    return naive_utc(result.submitted_at, policy.zone) if policy.zone is not None else result.submitted


def _reason(policy: Policy) -> str:
    deadline = f" before the deadline {policy.deadline:%Y-%m-%d %H:%M}" if policy.deadline else ""
    return {"latest": f"the latest{deadline}", "first": f"the first{deadline}", "best": "the best score"}[policy.keep]


def _describe(result: StudentResult) -> str:
    when = f", submitted {result.submitted:%Y-%m-%d %H:%M:%S}" if result.submitted else ""
    return f"{result.source} ({format_number(result.total)} points{when})"


def _flag_untimed(result: StudentResult, group: list[StudentResult]) -> StudentResult:
    others = [other.source for other in group if other is not result]
    note = f"student id {result.student_id!r} also appears in {', '.join(others)}"
    return dataclasses.replace(result, staff_notes=(*result.staff_notes, note))
