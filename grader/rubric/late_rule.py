"""The rubric's `late:` section, read into a LatePolicy (grader.course.late_penalties applies it).

    late:
      due: 2026-03-01 23:59          # in `timezone`, or with its own offset (2026-03-01T23:59+01:00)
      timezone: Europe/Berlin        # an IANA time zone name
      grace_minutes: 15              # no penalty this long after the due time
      penalty_per_day: 10            # percent of the score per started day late, counted from the due time
      cap: 50                        # percent, at most (default 100)
      zero_after_days: 7             # later than this many days: the score is 0

A submission without a timestamp is not penalised and gets a note for the TA.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from grader.base.fields import FieldReader
from grader.base.times import CALENDAR, parse_time

HUNDRED = Fraction(100)


@dataclass(frozen=True)
class LatePolicy:
    due: datetime.datetime  # time-zone aware
    zone: datetime.tzinfo
    grace: datetime.timedelta
    per_day: Fraction  # share of the score, 0 to 1
    cap: Fraction
    zero_after: datetime.timedelta | None


MAX_DAYS = 36_525  # a hundred years: more would overflow the calendar's arithmetic


def read_late_policy(reader: FieldReader, name: str = "late") -> LatePolicy | None:
    """Parse the section with its own FieldReader; issues go back to the rubric's reader."""
    raw = reader.raw(name, default=None)
    if raw is None:
        return None
    sub = FieldReader(raw, prefix=f"{reader.field(name)}.")
    zone = _zone(sub)
    due = _due(sub, zone)
    grace = sub.integer("grace_minutes", minimum=0, default=0)
    per_day = sub.number("penalty_per_day", minimum=Fraction(0))
    cap = sub.number("cap", minimum=Fraction(0), default=100)
    zero_after = sub.number("zero_after_days", minimum=Fraction(0), default=None)
    sub.reject_unknown()
    for field, value, most in (("grace_minutes", grace, MAX_DAYS * 24 * 60), ("zero_after_days", zero_after, MAX_DAYS)):
        if value is not None and value > most:
            sub.report(field, f"expected at most {most:,} (a hundred years), found {value}")
    for field, value in (("penalty_per_day", per_day), ("cap", cap)):
        if value is not None and value > HUNDRED:
            sub.report(field, f"expected a percentage from 0 to 100, found {value}")
    reader.issues.extend(sub.issues)
    if sub.issues or due is None or per_day is None or cap is None or grace is None:
        return None
    zero = None if zero_after is None else datetime.timedelta(days=float(zero_after))
    return LatePolicy(due, zone or due.tzinfo, datetime.timedelta(minutes=grace), per_day / HUNDRED, cap / HUNDRED, zero)  # type: ignore[arg-type]


def _zone(sub: FieldReader) -> datetime.tzinfo | None:
    name = sub.text("timezone", default=None)
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        sub.report("timezone", f"expected an IANA time zone name such as Europe/Berlin, found {name!r}")
        return None


def _due(sub: FieldReader, zone: datetime.tzinfo | None) -> datetime.datetime | None:
    raw = sub.raw("due")
    moment = parse_time(raw, zone)
    if raw is not None and moment is None:
        sub.report("due", f"expected a date and time (2026-03-01 23:59, {CALENDAR}) with a timezone field or an offset, found {raw!r}")
    return moment
