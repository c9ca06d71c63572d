"""The rubric's rule for several submissions from one student, and reading submission times.

    resubmissions: latest        # latest (default) | first | best
    deadline: 2026-11-21 23:59   # optional; with it, `latest` and `first` look at on-time ones

Times come from a `submitted:` field (or a form's timestamp column): ISO 8601 (`2026-11-20 10:05`,
`2026-11-20T10:05:00+01:00`) or `2026/11/20 10:05:00` as Google Forms writes it. Times with a
zone are compared in UTC, times without one in the late policy's `timezone` (so both rules agree
on what is late), or as written when the rubric has none.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from grader.base.fields import FieldReader
from grader.base.times import CALENDAR, naive_utc

RULES = ("latest", "first", "best")


@dataclass(frozen=True)
class Policy:
    keep: str = "latest"
    deadline: datetime.datetime | None = None
    zone: datetime.tzinfo | None = None  # the late policy's: where times without an offset are read


def read_time(raw: object) -> datetime.datetime | None:
    """A submission time, or None when it is absent or cannot be read without guessing; read as
    the late policy reads it (grader.base.times), an offset turned into UTC."""
    return naive_utc(raw)


def read_policy(reader: FieldReader, zone: datetime.tzinfo | None = None) -> Policy:
    """The rubric's `resubmissions` and `deadline` fields, a deadline without an offset read in
    `zone` (the late policy's); problems are recorded on the reader."""
    keep = reader.choice("resubmissions", RULES, default="latest") or "latest"
    raw_deadline = reader.raw("deadline", default=None)
    deadline = naive_utc(raw_deadline, zone)
    if raw_deadline is not None and deadline is None:
        reader.report("deadline", f"expected a date and time such as 2026-11-21 23:59 ({CALENDAR}), found {raw_deadline!r}")
    return Policy(keep, deadline, zone)
