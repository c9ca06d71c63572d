"""Dates and times as rubrics, files and LMS exports write them, read into moments. One reader
for every place a time is read (the late policy, the resubmission rule, a file's `submitted`), so
a format one accepts the other never refuses."""
from __future__ import annotations

import datetime
import re

# Formats `fromisoformat` does not read: Gradescope's export (`2026-11-20 11:30:00 -0800`) and
# Google Forms' (`2026/11/20 11:30:00`, zero-padded or not).
PATTERNS = (
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M %z",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
)
_UTC_SUFFIX = re.compile(r"(?<=\d)[zZ]$")

# Moments are compared, shifted by time zones and by days of grace or lateness: near the ends of
# Python's calendar (years 1 and 9999) that overflows, so a time outside these years is refused
# as unreadable, like any other text that is not a time.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200
CALENDAR = f"between the years {EARLIEST_YEAR} and {LATEST_YEAR}"


def within_calendar(moment: datetime.datetime) -> datetime.datetime | None:
    return moment if EARLIEST_YEAR <= moment.year <= LATEST_YEAR else None


def read_moment(raw: object) -> datetime.datetime | None:
    """A moment as written: aware when the text gives an offset, naive otherwise; None when
    absent, not a date and time, or outside the calendar above. A YAML date (no time) is its midnight."""
    moment = _read_moment(raw)
    return None if moment is None else within_calendar(moment)


def _read_moment(raw: object) -> datetime.datetime | None:
    if isinstance(raw, datetime.datetime):
        return raw
    if isinstance(raw, datetime.date):
        return datetime.datetime(raw.year, raw.month, raw.day)
    if not isinstance(raw, str) or not raw.strip():
        return None
    text = _UTC_SUFFIX.sub("+00:00", raw.strip())  # Python 3.10 reads no `Z`
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        pass
    for pattern in PATTERNS:
        try:
            return datetime.datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None

def parse_time(raw: object, zone: datetime.tzinfo | None) -> datetime.datetime | None:
    """An aware moment; one written without an offset is read in `zone` (None without a zone)."""
    moment = read_moment(raw)
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=zone) if zone is not None else None


def naive_utc(raw: object, zone: datetime.tzinfo | None = None) -> datetime.datetime | None:
    """A moment to order submissions by: one with an offset in UTC; one without read in `zone`
    where the rubric's late policy gives one (as that policy reads it), else as written."""
    moment = read_moment(raw)
    if moment is not None and moment.tzinfo is None and zone is not None:
        moment = moment.replace(tzinfo=zone)
    if moment is not None and moment.tzinfo is not None:
        moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return moment
