"""Dates and times as rubrics, files and LMS exports write them, read into aware moments."""
from __future__ import annotations

import datetime

# Moments are compared, shifted by time zones and by days of grace or lateness: near the ends of
# Python's calendar (years 1 and 9999) that overflows, so a time outside these years is refused
# as unreadable, like any other text that is not a time.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200
CALENDAR = f"between the years {EARLIEST_YEAR} and {LATEST_YEAR}"


def within_calendar(moment: datetime.datetime) -> datetime.datetime | None:
    return moment if EARLIEST_YEAR <= moment.year <= LATEST_YEAR else None


def parse_time(raw: object, zone: datetime.tzinfo | None) -> datetime.datetime | None:
    """An aware moment from ISO 8601 text or a YAML timestamp; a naive one is read in `zone`.
    None when it cannot be read, or lies outside the years the arithmetic on it can reach."""
    if isinstance(raw, datetime.datetime):
        moment = raw
    elif isinstance(raw, str):
        try:
            moment = datetime.datetime.fromisoformat(raw.strip())
        except ValueError:
            try:
                moment = datetime.datetime.strptime(raw.strip(), "%Y-%m-%d %H:%M:%S %z")  # Gradescope's export
            except ValueError:
                return None
    else:
        return None
    if within_calendar(moment) is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone) if zone is not None else None
    return moment
