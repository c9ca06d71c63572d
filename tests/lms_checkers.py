"""Each LMS importer's acceptance rules, re-written small and on their own from the importer's source
(Canvas, Moodle, Sakai) or the vendor's documentation (Blackboard, Brightspace); nothing here
imports grader. Each checker returns the problems the importer would have with a file: an empty
list means that importer takes it and matches every row. docs/lms.md cites every rule."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

# --- Canvas: instructure/canvas-lms lib/gradebook_importer.rb @ 00b222d7 -------------------------
CANVAS_NON_ASSIGNMENT = re.compile("|".join([  # NON_ASSIGNMENT_COLUMN_HEADERS, l.472-482, unanchored
    "Current Score", "Current Points", "Current Grade", "Final Score", "Final Points", "Final Grade",
    "Override Score", "Override Grade", "Override Status",
]))
CANVAS_TITLE_AND_ID = re.compile(r"\A(.*)\s\((\d+)\)\Z")  # Assignment.title_and_id
CANVAS_NUMBERISH = re.compile(r"^-?[0-9.,]+%?$")  # the decimal_comma_to_period converter, l.110-124
CANVAS_MUTED = re.compile(r"^\s*(Muted|Manual Posting.*)?\s*$", re.IGNORECASE)  # l.741


@dataclass(frozen=True)
class CanvasStudent:
    canvas_id: str
    name: str
    sis_id: str = ""
    login: str = ""
    sortable_name: str = ""


def canvas_delimiter(text: str) -> str:
    """identify_delimiter, l.699-713: `;` or `,`, whichever splits the first 3 lines into equal counts."""
    lines = text.splitlines()[:3]
    counts = {}
    for separator in (";", ","):
        sizes = {len(next(csv.reader([line], delimiter=separator))) for line in lines}
        counts[separator] = sizes.pop() if len(sizes) == 1 else 0
    return ";" if counts[";"] > counts[","] else ","


def canvas_number(cell: str) -> float | None:
    if not CANVAS_NUMBERISH.match(cell):
        return None
    parts = re.split(r"[,.]", cell.rstrip("%"))
    text = "".join(parts[:-1]) + "." + parts[-1] if len(parts) > 1 else parts[0]
    try:
        return float(text)
    except ValueError:
        return None


def canvas_problems(data: bytes, students: list[CanvasStudent], assignment_ids: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    text = data.decode("utf-8")
    separator = canvas_delimiter(text)
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=separator) if not re.fullmatch(r"[;, ]*", separator.join(row))]
    header, problems = rows[0], []
    if not (len(header) > 3 and "Student" in header[0] and "ID" in header[1]):  # row_has_student_headers?, l.427
        return ["Invalid header row: Student, ID expected first"]
    count = 3  # update_column_count, l.432-458: name, ID, section, and the SIS columns in row[2]...
    if re.search(r"SIS\s+Login\s+ID", header[2]):
        count += 1
    elif re.search(r"SIS\s+User\s+ID", header[2]) and re.search(r"SIS\s+Login\s+ID", header[3]):
        count += 2
        count += 1 if len(header) > 4 and re.search(r"Integration\s+ID", header[4]) else 0
        count += 1 if len(header) > count - 1 and re.search(r"Root\s+Account", header[count - 1]) else 0
    if "Section" not in header[count - 1]:  # l.417
        return [f"Invalid header row: the last student column is {header[count - 1]!r}, not Section"]
    items = [i for i in range(count, len(header)) if not CANVAS_NON_ASSIGNMENT.search(header[i])]
    for index in items:
        match = CANVAS_TITLE_AND_ID.match(header[index])
        if assignment_ids and not (match and match.group(2) in assignment_ids):
            problems.append(f"column {header[index]!r} is no existing assignment: Canvas would create one")
    by = {
        "id": {s.canvas_id: s for s in students}, "sis": {s.sis_id: s for s in students if s.sis_id},
        "login": {s.login: s for s in students if s.login},
    }
    seen: set[str] = set()
    for number, row in enumerate(rows[1:], start=2):
        if "Points Possible" in row[0]:  # l.735
            problems += [f"row {number}: points {row[i]!r} not a number" for i in items if canvas_number(row[i].strip()) is None]
            continue
        if all(CANVAS_MUTED.match(cell) for cell in row if cell):
            continue
        student = (by["id"].get(row[1].strip()) or by["sis"].get(row[2].strip()) or by["login"].get(row[3].strip())
                   or next((s for s in students if row[0] in (s.name, s.sortable_name)), None))  # process_student, l.556-590
        if student is None:
            problems.append(f"row {number}: student {row[0]!r} unknown to Canvas")
            continue
        if student.canvas_id in seen:
            problems.append(f"row {number}: student {row[0]!r} twice")
        seen.add(student.canvas_id)
        for index in items:
            cell = row[index].strip()
            if cell not in ("", "-") and cell.casefold() != "ex" and canvas_number(cell) is None:
                problems.append(f"row {number}: {cell!r} is no score")
    return problems


# --- Moodle: moodle/moodle grade/import/csv/classes/load_data.php @ 0289d8c7 ---------------------
MOODLE_FIELDS = {"userid": "id", "useridnumber": "idnumber", "useremail": "email", "username": "username"}  # l.358-375


def moodle_problems(data: bytes, separator: str, map_from: str, map_to: str, users: list[dict[str, str]],
                    grade_columns: list[str], decimal: str = ".", grade_point_max: float = 100) -> list[str]:
    """A problem here aborts the WHOLE import (cleanup_import)."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8")), delimiter=separator))
    header = [cell.strip() for cell in rows[0]]  # trim_headers, l.130
    if "Last downloaded from this course" in header:  # l.443: checked against grade times unless forced
        return ["a 'Last downloaded from this course' column: checked against grade times, may abort"]
    if map_from not in header:
        return [f"no column {map_from!r} to map users from"]
    field_name = MOODLE_FIELDS[map_to]
    known = {user[field_name] for user in users}
    key = header.index(map_from)
    for number, row in enumerate(rows[1:], start=2):
        if len(row) <= 1:  # l.472: no data
            continue
        value = row[key].strip()
        if not value or value == "0":  # l.382 `!empty($value)`: a blank key takes the previous row's student, or aborts
            return [f"row {number}: blank user key"]
        if value not in known:  # check_user_exists, l.219-235
            return [f'row {number}: User mapping error: Could not find user with {field_name} of "{value}"']
        for column in grade_columns:
            grade = row[header.index(column)].strip()
            if grade in ("", "-"):  # l.312: no grade
                continue
            plain = grade.replace(decimal, ".")  # unformat_float($value, true)
            if not re.fullmatch(r"-?\d+(\.\d+)?", plain):
                return [f"row {number}: badgrade {grade!r}"]
            if float(plain) > grade_point_max:  # insert_grade_record, l.156-175
                return [f"row {number}: gradevaluetoobig {grade!r}"]
    return []


# --- Blackboard Learn Grade Center upload (vendor documentation) --------------------------------
QUOTED_LINE = re.compile(r'"(?:[^"]|"")*"(?:,"(?:[^"]|"")*")*')
BLACKBOARD_COLUMN = re.compile(r".*\|\s*(\d+)\s*\Z")


def blackboard_problems(data: bytes, usernames: set[str], column_id: str | None) -> list[str]:
    text = data.decode("utf-8")
    lines = text.split("\r\n")
    problems = [f"line {n}: not every field quoted" for n, line in enumerate(lines, 1) if line and not QUOTED_LINE.fullmatch(line)]
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    if "Username" not in header:
        return [*problems, "no Username column: the upload fails"]
    user = header.index("Username")
    items = [i for i, cell in enumerate(header) if i > user]
    for index in items:
        match = BLACKBOARD_COLUMN.match(header[index])
        if column_id is not None and not (match and match.group(1) == column_id):
            problems.append(f"column {header[index]!r} has no Column ID {column_id}: a new text column with 0 points")
    for number, row in enumerate(rows[1:], start=2):
        if not row[user]:
            problems.append(f"row {number}: no username: the upload fails")
        elif row[user] not in usernames:
            problems.append(f"row {number}: {row[user]!r} not enrolled: not processed")
        problems += [f"row {number}: {row[i]!r} is no score" for i in items if row[i] and not re.fullmatch(r"\d+(\.\d+)?", row[i])]
    return problems


# --- Brightspace grades import (D2L documentation) ----------------------------------------------
BRIGHTSPACE_ITEM = re.compile(r"\A(.+) Points Grade(?: <([^>]*)>)?\Z")


@dataclass
class BrightspaceUsers:
    org_ids: set[str] = field(default_factory=set)
    usernames: set[str] = field(default_factory=set)


def brightspace_problems(data: bytes, users: BrightspaceUsers, items: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    header, problems = rows[0], []
    if header[:2] != ["OrgDefinedId", "Username"]:
        problems.append("OrgDefinedId and Username must be the first two columns")
    if header[-1] != "End-of-Line Indicator":
        problems.append("the last column must be End-of-Line Indicator")
    grades = [i for i, cell in enumerate(header) if BRIGHTSPACE_ITEM.match(cell)]
    if not grades:
        problems.append("no '<item> Points Grade' column")
    for index in grades:
        match = BRIGHTSPACE_ITEM.match(header[index])
        if items and match and match.group(1) not in items:
            problems.append(f"{header[index]!r}: no such grade item")
        if match and match.group(2) and not items and not re.search(r"MaxPoints:\d", match.group(2)):
            problems.append(f"{header[index]!r}: a new item without MaxPoints")
    for number, row in enumerate(rows[1:], start=2):
        org, user = row[0].lstrip("#"), row[1].lstrip("#")
        if not org and not user:
            problems.append(f"row {number}: neither OrgDefinedId nor Username")
        if (org and org not in users.org_ids) or (user and user not in users.usernames):
            problems.append(f"row {number}: {row[0]!r}/{row[1]!r} unknown")
        if row[-1] != "#":
            problems.append(f"row {number}: End-of-Line Indicator is {row[-1]!r}, not #")
        problems += [f"row {number}: {row[i]!r} is no points grade" for i in grades if row[i] and not re.fullmatch(r"\d+(\.\d+)?", row[i])]
    return problems


# --- Sakai: sakaiproject/sakai gradebookng ImportGradesHelper.java @ 03359d4f -----------------------
SAKAI_ASSIGNMENT = re.compile(r"([^\[]+)(\[(\d+([\.,]\d\d?)?)\])?")  # l.83, used with matches()
SAKAI_COMMENT = re.compile(r"\* (.+)")  # l.84
SAKAI_IGNORE = re.compile(r"(\#.+)")  # l.85


def sakai_problems(data: bytes, separator: str, eids: set[str], items: dict[str, str] | None = None) -> list[str]:
    """`items`: existing title -> points; a title with other points would be MODIFIED (l.585-590)."""
    rows = [[(cell.strip() or None) for cell in row] for row in csv.reader(io.StringIO(data.decode("utf-8")), delimiter=separator)]
    header, problems, seen = rows[0], [], set()
    scores = []
    for index, heading in enumerate(header[2:], start=2):  # columns 0 and 1 are positional, l.721-724
        if heading is None:
            problems.append("blank heading")
        elif SAKAI_IGNORE.fullmatch(heading) or SAKAI_COMMENT.fullmatch(heading):
            continue
        elif match := SAKAI_ASSIGNMENT.fullmatch(heading):
            title = match.group(1).strip()
            if title in seen:
                problems.append(f"duplicate column {title!r}")
            seen.add(title)
            scores.append(index)
            if items is not None and title not in items:
                problems.append(f"{title!r} is a new item")
            elif items is not None and items[title] != (match.group(3) or ""):
                problems.append(f"{title!r}: points {match.group(3)} would change the item's {items[title]}")
        else:
            problems.append(f"invalid column {heading!r}")
    students: set[str] = set()
    for number, row in enumerate(rows[1:], start=2):
        if row[0] is None:  # l.272: skipped
            continue
        if row[0] in students:
            problems.append(f"row {number}: duplicate student {row[0]!r}")
        students.add(row[0])
        if row[0] not in eids:  # l.279-284, l.533: kept as unidentified and skipped
            problems.append(f"row {number}: unknown user {row[0]!r}")
        for index in scores:
            value = row[index] if index < len(row) else None
            plain = value.replace(",", ".") if value and separator == ";" else value  # l.295-297
            if plain is not None and not re.fullmatch(r"\d{1,10}(\.\d{1,2})?", plain):  # GradeValidator
                problems.append(f"row {number}: invalid grade {value!r}")
    return problems
