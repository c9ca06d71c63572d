"""The class list: who should hand in, read from an LMS's own gradebook export or a plain CSV.

`--roster` takes the file as the LMS gives it (Canvas, Moodle CSV/XLSX, Blackboard, Brightspace,
Sakai; recognised from its header, see grader.intake.lms_roster) or a plain CSV with the columns
id, name and optionally email, section, username, lms_id. The LMS's own identity cells are kept
as it wrote them, so the upload file written later matches every student without a click.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from grader.base.errors import InputError
from grader.intake.lms_roster import detect_lms, lms_people, read_table, sniff_delimiter
from grader.intake.people import LmsColumn, LmsExport, Person, split_name

__all__ = ["LmsColumn", "LmsExport", "Person", "parse_roster", "read_roster", "split_name"]

PLAIN_COLUMNS = ("id", "name", "email", "section", "lms_id", "username")
REQUIRED_PLAIN = ("id", "name")
MAX_ROSTER_BYTES = 64 * 1024 * 1024


def read_roster(path: Path) -> tuple[Person, ...]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(str(path), "", f"cannot be read ({error})") from error
    if len(data) > MAX_ROSTER_BYTES:
        raise InputError(str(path), "", f"is larger than {MAX_ROSTER_BYTES:,} bytes; expected a class list")
    rows, delimiter = read_table(data, str(path))
    return _checked(_people(rows, delimiter, str(path)), str(path))


def parse_roster(text: str, source: str) -> tuple[Person, ...]:
    """A roster from CSV text (any supported layout); the bytes path is read_roster."""
    delimiter = sniff_delimiter(text)
    rows = [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return _checked(_people(rows, delimiter, source), source)


def _people(rows: list[list[str]], delimiter: str, source: str) -> list[Person]:
    if not rows:
        raise InputError(source, "header", "the roster is empty")
    lms = detect_lms(rows[0])
    return lms_people(lms, rows, delimiter) if lms else plain_people(rows, source)


def plain_people(rows: list[list[str]], source: str) -> list[Person]:
    """A plain roster: id and name required; email, section, username, lms_id where given."""
    headers = [cell.strip().lower() for cell in rows[0]]
    if not set(REQUIRED_PLAIN) <= set(headers):
        raise InputError(
            source, "header",
            f"expected the columns {', '.join(REQUIRED_PLAIN)} (and optionally email, section, username, lms_id) "
            "or an LMS gradebook export (Canvas, Moodle, Blackboard, Brightspace, Sakai)",
        )
    people = []
    for row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        cells = {header: (row[index].strip() if index < len(row) else "") for index, header in enumerate(headers)}
        people.append(Person(
            cells["id"], cells["name"], cells.get("email", ""), cells.get("section", ""),
            cells.get("lms_id", ""), cells.get("username", ""),
        ))
    return people


def _checked(people: list[Person], source: str) -> tuple[Person, ...]:
    for line, person in enumerate(people, start=2):
        if not person.student_id:
            raise InputError(source, f"row {line}", "a student without an id")
    seen: set[str] = set()
    for person in people:
        if person.student_id in seen:
            raise InputError(source, f"student {person.student_id}", "listed twice; each student must appear once")
        seen.add(person.student_id)
    return tuple(people)
