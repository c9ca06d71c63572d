"""Each LMS's own gradebook export read as a roster, recognised from its header, as downloaded.

What each export looks like (sources in docs/lms.md): Canvas `Student, ID, [SIS User ID,] SIS Login ID,
Section, <Title> (<id>)…` with a `Points Possible` row and the Test Student last; Moodle `First name,
Last name, ID number, …, Email address, <Module>: <Title> (Real)…, Last downloaded from this course`;
Blackboard `Last Name, First Name, Username, Student ID, …, <Title> [Total Pts: N Score] |<id>` (tab
and UTF-16 when saved as .xls); Brightspace `OrgDefinedId, Username, …, <Title> Points Grade <Numeric
MaxPoints:N …>, End-of-Line Indicator` (keys prefixed `#`); Sakai `Student ID, Student Name,
<Title> [N], * <Title>` (UTF-8 BOM, `;` where the decimal mark is a comma).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from itertools import islice
from typing import Callable

from grader.base.errors import InputError
from grader.intake.form_csv import sniff_delimiter
from grader.intake.form_xlsx import _BROKEN_WORKBOOK
from grader.intake.people import LmsColumn, LmsExport, Person

MAX_ROSTER_ROWS = 100_000
MOODLE_EXPORTED = "Last downloaded from this course"
CANVAS_TEST_STUDENTS = ("Student, Test", "Test Student")  # its sortable and display name
CANVAS_TITLE = re.compile(r"\A(.*)\s\((\d+)\)\Z")  # Assignment.title_and_id
BLACKBOARD_TITLE = re.compile(r"\A(.*?)\s*\[Total Pts: ([^\]]*)\]\s*\|\s*(\d+)\s*\Z")
BRIGHTSPACE_TITLE = re.compile(r"\A(.*) Points Grade(?: <Numeric MaxPoints:([0-9.]+)[^>]*>)?\s*\Z")
SAKAI_TITLE = re.compile(r"\A([^\[]+)\[(\d+(?:[.,]\d\d?)?)\]\Z")
MOODLE_TITLE = re.compile(r"\A(?:[^:]+: )?(.*) \(Real\)\Z")
Rows = list[list[str]]


def read_table(data: bytes, source: str) -> tuple[Rows, str]:
    """Rows of cells and the delimiter, from CSV/TSV (UTF-8, UTF-8 with BOM, UTF-16) or an .xlsx workbook."""
    if data[:2] == b"PK":
        return _xlsx_rows(data, source), ","
    try:
        text = data.decode("utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(source, "", f"cannot be read as UTF-8 or UTF-16 text ({error.reason} at byte {error.start})") from None
    delimiter = sniff_delimiter(text)
    rows = [list(row) for row in islice(csv.reader(io.StringIO(text), delimiter=delimiter), MAX_ROSTER_ROWS + 2)]
    return rows, delimiter


def _xlsx_rows(data: bytes, source: str) -> Rows:
    from openpyxl import load_workbook  # noqa: PLC0415  (loaded only when a workbook is read)
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = [[_cell_text(cell) for cell in row] for row in islice(workbook.worksheets[0].iter_rows(values_only=True), MAX_ROSTER_ROWS + 2)]
    except (*_BROKEN_WORKBOOK, InvalidFileException):
        raise InputError(source, "", "not a readable .xlsx workbook") from None
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def detect_lms(header: list[str]) -> str | None:
    """Which LMS wrote this header, or None for a plain roster."""
    cells = [cell.strip().lstrip("\ufeff") for cell in header]
    if "End-of-Line Indicator" in cells or "OrgDefinedId" in cells:
        return "brightspace"
    if cells[:2] == ["Student ID", "Student Name"]:
        return "sakai"
    if len(cells) > 3 and ("Student" in cells[0] or cells[0] == "LastName") and "ID" in cells[1:3] and "Section" in cells:
        return "canvas"
    if "Username" in cells and any(BLACKBOARD_TITLE.match(cell) for cell in cells) or {"Last Access", "Availability"} <= set(cells):
        return "blackboard"
    if MOODLE_EXPORTED in cells or "First name" in cells and ("ID number" in cells or "Email address" in cells):
        return "moodle"
    return None


def _records(rows: Rows) -> tuple[list[str], list[dict[str, str]]]:
    header = [cell.strip().lstrip("\ufeff") for cell in rows[0]]
    records = []
    for row in rows[1:]:
        if any(cell.strip() for cell in row):
            records.append({name: (row[index].strip() if index < len(row) else "") for index, name in enumerate(header)})
    return header, records


def _keys(record: dict[str, str], names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((name, record[name]) for name in names if name in record)


def _columns(header: list[str], pattern: re.Pattern[str], points_group: int | None) -> tuple[LmsColumn, ...]:
    found = []
    for cell in header:
        match = pattern.match(cell)
        if match:
            found.append(LmsColumn(cell, match.group(1).strip(), (match.group(points_group) or "") if points_group else ""))
    return tuple(found)


Fields = dict[str, str]  # Person's text fields: student_id, name, email, section, lms_id, login


@dataclass(frozen=True)
class Layout:
    """One LMS's export: its grade-column pattern (and which group holds the points), the identity
    columns kept verbatim, and how a row names a student (None: not a student, skip it)."""

    lms: str
    pattern: re.Pattern[str]
    points_group: int | None
    keys: tuple[str, ...]
    who: Callable[[dict[str, str], list[str]], Fields | None]


def _read(layout: Layout, rows: Rows, delimiter: str) -> list[Person]:
    header, records = _records(rows)
    columns = _columns(header, layout.pattern, layout.points_group)
    if layout.lms == "canvas":  # Canvas gives the points in its `Points Possible` row
        points = next((row for row in rows[1:3] if row and "Points Possible" in row[0]), [])
        possible = {header[index]: cell.strip() for index, cell in enumerate(points) if index < len(header)}
        columns = tuple(LmsColumn(c.header, c.title, possible.get(c.header, "")) for c in columns)
    export = LmsExport(layout.lms, delimiter, columns)
    people = []
    for record in records:
        fields = layout.who(record, header)
        if fields is not None:
            grades = tuple((column.header, record.get(column.header, "")) for column in columns)
            people.append(Person(**fields, keys=_keys(record, layout.keys), grades=grades, source=export))
    return people


def _canvas(record: dict[str, str], header: list[str]) -> Fields | None:
    """The `Points Possible` row, a muted/manual-posting row (no name) and the Test Student are no students."""
    name = record.get("Student") or f"{record.get('LastName', '')}, {record.get('FirstName', '')}".strip(", ")
    if "Points Possible" in name or not name or name in CANVAS_TEST_STUDENTS:
        return None
    sis, login, canvas_id = record.get("SIS User ID", ""), record.get("SIS Login ID", ""), record.get("ID", "")
    return {"student_id": sis or login or canvas_id, "name": name, "section": record.get("Section", ""), "lms_id": canvas_id, "login": login}


def _moodle(record: dict[str, str], header: list[str]) -> Fields | None:
    idnumber, email, username = record.get("ID number", ""), record.get("Email address", ""), record.get("Username", "")
    name = f"{record.get('First name', '')} {record.get('Last name', '')}".strip()
    return {"student_id": idnumber or username or email, "name": name, "email": email, "login": username}


def _blackboard(record: dict[str, str], header: list[str]) -> Fields | None:
    username = record.get("Username", "")
    name = f"{record.get('First Name', '')} {record.get('Last Name', '')}".strip()
    return {"student_id": record.get("Student ID", "") or username, "name": name, "login": username}


def _brightspace(record: dict[str, str], header: list[str]) -> Fields | None:
    """Brightspace prefixes OrgDefinedId and Username with `#`: kept for the upload, dropped for matching."""
    org_id, username = record.get("OrgDefinedId", "").lstrip("#"), record.get("Username", "").lstrip("#")
    name = f"{record.get('First Name', '')} {record.get('Last Name', '')}".strip()
    return {"student_id": org_id or username, "name": name, "email": record.get("Email", ""),
            "section": record.get("Section Membership", ""), "login": username}


def _sakai(record: dict[str, str], header: list[str]) -> Fields | None:
    """Column 0 is the student's EID (their login), column 1 `Last, First`, whatever the headers say;
    a custom export's `# Student Number` is the id students write, where it is there. A row without
    an EID is skipped, as Sakai's importer skips it."""
    eid = record.get(header[0], "")
    if not eid:
        return None
    return {"student_id": record.get("# Student Number", "") or eid, "name": record.get(header[1], "") if len(header) > 1 else "",
            "section": record.get("# Section", ""), "login": eid}


LAYOUTS = {
    "canvas": Layout("canvas", CANVAS_TITLE, None, ("ID", "SIS User ID", "SIS Login ID"), _canvas),
    "moodle": Layout("moodle", MOODLE_TITLE, None, ("ID number", "Username", "Email address"), _moodle),
    "blackboard": Layout("blackboard", BLACKBOARD_TITLE, 2, ("Username",), _blackboard),
    "brightspace": Layout("brightspace", BRIGHTSPACE_TITLE, 2, ("OrgDefinedId", "Username"), _brightspace),
    "sakai": Layout("sakai", SAKAI_TITLE, 2, (), _sakai),
}


def lms_people(lms: str, rows: Rows, delimiter: str) -> list[Person]:
    people = _read(LAYOUTS[lms], rows, delimiter)
    if lms == "sakai":  # Sakai's key column is positional: kept under the name its importer gives it
        people = [replace(person, keys=(("Student ID", person.login),)) for person in people]
    return people
