"""Self-check attempts: a per-student limit per hour, and the log a TA reads.

Both are small objects owned by one app, not module state; the clock is passed in.
"""
from __future__ import annotations

import datetime as dt
import json
import threading
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

HOUR = dt.timedelta(hours=1)


@dataclass
class RateLimiter:
    """At most `per_hour` checks for one student of one assignment in any sliding hour."""

    per_hour: int
    _times: dict[tuple[str, str], deque[dt.datetime]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self, assignment: str, student_id: str, now: dt.datetime) -> bool:
        """Record the attempt and say whether it is within the limit."""
        with self._lock:
            times = self._times.setdefault((assignment, student_id), deque())
            while times and now - times[0] >= HOUR:
                times.popleft()
            if len(times) >= self.per_hour:
                return False
            times.append(now)
            return True


@dataclass(frozen=True)
class Attempt:
    time: dt.datetime
    assignment: str
    student_id: str
    score: str
    possible: str
    via: str  # "form" or "upload"

    def as_line(self) -> str:
        """One JSON object a line: safe to read back whatever the student typed as their id."""
        record = {"time": self.time.isoformat(timespec="seconds"), "assignment": self.assignment,
                  "student_id": self.student_id, "score": self.score, "possible": self.possible, "via": self.via}
        return json.dumps(record, ensure_ascii=False) + "\n"


@dataclass
class AttemptLog:
    path: Path
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def append(self, attempt: Attempt) -> None:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as stream:
                stream.write(attempt.as_line())
