"""Self-check attempts: limits per hour, the look-alike ids a TA should see, and the log a TA reads.

Each is a small object owned by one app, not module state; the clock is passed in. Every table
is bounded: a flood of throwaway ids or addresses evicts the least recently seen entries
instead of growing the server's memory.
"""
from __future__ import annotations

import datetime as dt
import json
import threading
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Hashable

HOUR = dt.timedelta(hours=1)
MAX_TRACKED = 50_000  # ids or addresses remembered per table: a few MB at most


@dataclass
class RateLimiter:
    """At most `per_hour` attempts per key (a student of an assignment, or a client address) in
    any sliding hour, remembering at most `capacity` keys."""

    per_hour: int
    capacity: int = MAX_TRACKED
    _times: OrderedDict[Hashable, deque[dt.datetime]] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self, key: Hashable, now: dt.datetime) -> bool:
        """Record the attempt and say whether it is within the limit."""
        with self._lock:
            times = self._times.get(key)
            if times is None:
                times = self._times[key] = deque()
                while len(self._times) > self.capacity:
                    self._times.popitem(last=False)
            self._times.move_to_end(key)
            while times and now - times[0] >= HOUR:
                times.popleft()
            if len(times) >= self.per_hour:
                return False
            times.append(now)
            return True

    def __len__(self) -> int:
        return len(self._times)


@dataclass
class LookAlikes:
    """The different spellings seen for one look-alike key, so a TA hears of `S1001` beside `s1001`."""

    capacity: int = MAX_TRACKED
    _seen: OrderedDict[str, tuple[str, ...]] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def others(self, key: str, student_id: str) -> tuple[str, ...]:
        """Record `student_id` under `key`; the other spellings seen under it (at most ten kept)."""
        with self._lock:
            spellings = self._seen.pop(key, ())
            if student_id not in spellings:
                spellings = (*spellings, student_id)[-10:]
            self._seen[key] = spellings
            while len(self._seen) > self.capacity:
                self._seen.popitem(last=False)
            return tuple(sorted(other for other in spellings if other != student_id))


@dataclass(frozen=True)
class Attempt:
    time: dt.datetime
    assignment: str
    student_id: str
    score: str
    possible: str
    via: str  # "form", "upload" or "api"
    address: str = ""
    possible_duplicates: tuple[str, ...] = ()  # other spellings of this id seen: a TA decides

    def as_line(self) -> str:
        """One JSON object a line, ASCII only: an id with invisible or look-alike characters shows as escapes."""
        record: dict[str, object] = {"time": self.time.isoformat(timespec="seconds"), "assignment": self.assignment,
                  "student_id": self.student_id, "score": self.score, "possible": self.possible, "via": self.via}
        if self.address:
            record["address"] = self.address
        if self.possible_duplicates:
            record["possible_duplicate_of"] = list(self.possible_duplicates)
        return json.dumps(record, ensure_ascii=True) + "\n"


@dataclass
class AttemptLog:
    path: Path
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def student_ids(self) -> list[str]:
        """The ids in the log so far (the last MAX_TRACKED distinct ones), skipping lines that are not ours."""
        seen: OrderedDict[str, None] = OrderedDict()
        try:
            with self.path.open(encoding="utf-8", errors="replace") as stream:
                for line in stream:
                    student_id = _student_id(line)
                    if student_id:
                        seen.pop(student_id, None)
                        seen[student_id] = None
                        if len(seen) > MAX_TRACKED:
                            seen.popitem(last=False)
        except FileNotFoundError:
            return []
        return list(seen)

    def append(self, attempt: Attempt) -> None:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as stream:
                stream.write(attempt.as_line())


def _student_id(line: str) -> str:
    try:
        record = json.loads(line)
    except ValueError:
        return ""
    student_id = record.get("student_id") if isinstance(record, dict) else None
    return student_id if isinstance(student_id, str) else ""
