"""The class list: who should hand in, read from a Canvas gradebook export or a plain CSV.

Plain CSV columns: id, name, email, section. A Canvas export is recognised by its `SIS User ID`
column; its `Points Possible` row and Canvas's test student are skipped.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from grader.base.errors import InputError

PLAIN_COLUMNS = ("id", "name", "email", "section")
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
_CANVAS_SKIP = ("Points Possible", "Student, Test")


@dataclass(frozen=True)
class Person:
    """A student as the LMS knows them; `lms_id` is Canvas's own user id where known."""

    student_id: str
    name: str
    email: str = ""
    section: str = ""
    lms_id: str = ""
    login: str = ""


def read_roster(path: Path) -> tuple[Person, ...]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(str(path), "", f"cannot be read as a UTF-8 CSV roster ({error})") from error
    return parse_roster(text, str(path))


def parse_roster(text: str, source: str) -> tuple[Person, ...]:
    rows = list(csv.DictReader(io.StringIO(text)))
    headers = tuple(rows[0].keys()) if rows else tuple(next(csv.reader(io.StringIO(text)), ()))
    if "SIS User ID" in headers:
        people = [_canvas_person(row) for row in rows if (row.get("Student") or "").strip() not in _CANVAS_SKIP]
    elif set(PLAIN_COLUMNS[:2]) <= set(headers):
        people = [_plain_person(row) for row in rows]
    else:
        raise InputError(source, "header", f"expected the columns {', '.join(PLAIN_COLUMNS)} or a Canvas gradebook export ({', '.join(CANVAS_COLUMNS)})")
    for line, person in enumerate(people, start=2):
        if not person.student_id:
            raise InputError(source, f"row {line}", "a student without an id")
    _refuse_duplicates(people, source)
    return tuple(people)


def _canvas_person(row: dict[str, str]) -> Person:
    sis_id, login = (row.get("SIS User ID") or "").strip(), (row.get("SIS Login ID") or "").strip()
    return Person(
        student_id=sis_id or login,
        name=(row.get("Student") or "").strip(),
        section=(row.get("Section") or "").strip(),
        lms_id=(row.get("ID") or "").strip(),
        login=login,
    )


def _plain_person(row: dict[str, str]) -> Person:
    return Person(*((row.get(column) or "").strip() for column in PLAIN_COLUMNS))


def _refuse_duplicates(people: list[Person], source: str) -> None:
    seen: set[str] = set()
    for person in people:
        if person.student_id in seen:
            raise InputError(source, f"student {person.student_id}", "listed twice; each student must appear once")
        seen.add(person.student_id)


def split_name(name: str) -> tuple[str, str]:
    """(first, last) from `Last, First` (as Canvas writes it) or `First Last`."""
    if "," in name:
        last, first = name.split(",", 1)
        return first.strip(), last.strip()
    first, _, last = name.strip().rpartition(" ")
    return (first, last) if first else (last, "")
