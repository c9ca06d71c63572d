"""Dates and times as rubrics, files and LMS exports write them, read into aware moments."""
from __future__ import annotations

import datetime


def parse_time(raw: object, zone: datetime.tzinfo | None) -> datetime.datetime | None:
    """An aware moment from ISO 8601 text or a YAML timestamp; a naive one is read in `zone`."""
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
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone) if zone is not None else None
    return moment
