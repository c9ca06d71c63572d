"""What every LMS upload file shares: which results may be written, the LMS's ids as it gave them,
scores to 2 decimals, students without a submission written as the rubric (or --missing-as) says,
and the rows left out, each with its reason, for lms/<assignment>-not-uploaded.csv and the run summary.

A row an importer could not match is never written: Moodle aborts the whole import on one unknown
or blank user key, the others show it as an unknown student (docs/lms.md cites each rule)."""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Sequence, Union

from grader.base.numbers import format_number
from grader.base.safety import FORMULA_TRIGGERS, safe_file_stem
from grader.course.class_results import BatchResult
from grader.course.roster_matching import identity, is_stranger
from grader.exports.csv_text import CsvCell, Verbatim, csv_bytes
from grader.exports.exporter import Rendered
from grader.intake.roster import LmsColumn, Person
from grader.judging.results import Standing, StudentResult

UNREADABLE = "the submission could not be read ({}); fix the file and grade again: nothing is written, so the LMS keeps what it has"
STRANGER = "not on the roster: the LMS would not know this student; check the id in the file or the roster"
FORMULA_ID = "its {} {!r} starts with a formula character; an escaped copy would not match in the LMS"
TWICE = "two submissions count for this student (one under their login or e-mail); decide which in overrides or regrade"
IdentityCells = Union[Sequence[CsvCell], str]  # the row's identity cells, or why the LMS could not match it


@dataclass(frozen=True)
class NotUploaded:
    lms: str
    student_id: str
    name: str
    source: str
    reason: str


@dataclass(frozen=True)
class Upload:
    """One LMS file planned: its rows (header first), who was left out and why, and how the students
    without a submission were written (`blank`, `kept` (the LMS's own value written back), `0`, `EX`)."""

    lms: str
    file_name: str
    rows: tuple[tuple[CsvCell, ...], ...]
    not_uploaded: tuple[NotUploaded, ...]
    missing: tuple[tuple[str, int], ...] = ()
    delimiter: str = ","
    quote_all: bool = False
    head: int = 1  # rows before the students' (Canvas: 2, with Points Possible)

    @property
    def students(self) -> int:
        return len(self.rows) - self.head

    def content(self) -> bytes:
        return csv_bytes(self.rows, self.quote_all, self.delimiter)


def planned(
    batch: BatchResult, lms: str, head: Sequence[tuple[CsvCell, ...]], cells_for: Callable[[Person], IdentityCells],
    column: str = "", excused: str = "", tail: tuple[CsvCell, ...] = (), quoted: bool = False,
) -> Upload:
    """The Upload: `head` rows, then a row per student the LMS can match (identity cells, score,
    `tail`), `column` being the export's column whose values a blank writes back. In the delimiter
    of the LMS's own export where the roster was one (its locale's choice: `;` where the decimal
    mark is a comma); every field quoted (and commas) when `quoted`."""
    matched, left_out = identity_rows(batch, lms, cells_for)
    scores, missing = score_cells(batch, lms, matched, column, excused)
    rows = [*head, *((*cells, score, *tail) for (_, _, cells), score in zip(matched, scores))]
    export = export_of(batch, lms)
    delimiter = export[0] if export and not quoted else ","
    return Upload(lms, upload_name(batch, lms), tuple(rows), tuple(left_out), missing, delimiter, quoted, len(head))


def render_upload(plan: Callable[[BatchResult], Upload], batch: BatchResult) -> Rendered:
    upload = plan(batch)
    yield upload.file_name, upload.content()


def upload_name(batch: BatchResult, lms: str) -> str:
    """`lms/<assignment>-<lms>.csv`, so the next assignment's file never replaces this one (the
    output writer keeps other assignments' files in lms/)."""
    return f"{ASSIGNMENT_FILES}{assignment_stem(batch)}-{lms}.csv"


ASSIGNMENT_FILES = "lms/"  # the folder whose files are each one assignment's, named by assignment_stem


def assignment_stem(batch: BatchResult) -> str:
    return safe_file_stem(batch.key.rubric.assignment or batch.key.rubric.title)


def lms_score(value: Fraction) -> Verbatim:
    """A score rounded half up to 2 decimals (Sakai refuses more; Canvas compares at 2)."""
    return Verbatim(format_number(Fraction(math.floor(value * 100 + Fraction(1, 2)), 100)))


class PlainId(str):
    """An id from a submission file or a plain roster: escaped like any text, so a row whose id
    would need escaping is left out (`identity_rows`) rather than written unmatchable."""


def given(person: Person, value: str) -> CsvCell:
    """An id from an LMS export is written as the LMS gave it; any other is a PlainId."""
    return Verbatim(value) if person.source is not None else PlainId(value)


def own_login(person: Person) -> str:
    """The login where one is known; not the id a file gave standing in for it without a roster
    (where the LMS also has a separate id column, a guessed login could only mismatch)."""
    return person.login if person.source is not None or person.login != person.student_id else ""


def export_of(batch: BatchResult, lms: str) -> tuple[str, tuple[LmsColumn, ...]] | None:
    """The delimiter and grade columns of this LMS's own export, when the roster was one."""
    for result in batch.results:
        source = result.person.source if result.person else None
        if source is not None and source.lms == lms:
            return source.delimiter, source.columns
    return None


def existing_column(batch: BatchResult, lms: str) -> LmsColumn | None:
    """The export's column for this assignment: its title is the rubric's title or assignment id."""
    found = export_of(batch, lms)
    names = {batch.key.rubric.title.strip().casefold(), batch.key.rubric.assignment.strip().casefold()}
    return next((column for column in found[1] if column.title.strip().casefold() in names), None) if found else None


def identity_rows(
    batch: BatchResult, lms: str, cells_for: Callable[[Person], IdentityCells]
) -> tuple[list[tuple[StudentResult, Person, Sequence[CsvCell]]], list[NotUploaded]]:
    """Every counted result the LMS can match, with its identity cells; the others with their reason."""
    rows, left_out = [], []
    for result in batch.counted:
        person = identity(result)
        reason = _unwritable(result)
        cells = cells_for(person) if not reason else ()
        if isinstance(cells, str):
            reason = cells
        else:
            reason = reason or _formula_id(cells)
        if reason:
            left_out.append(NotUploaded(lms, result.student_id, result.name, result.source, reason))
        else:
            rows.append((result, person, cells))
    return _without_twins(lms, rows, left_out)


def _without_twins(
    lms: str, rows: list[tuple[StudentResult, Person, Sequence[CsvCell]]], left_out: list[NotUploaded]
) -> tuple[list[tuple[StudentResult, Person, Sequence[CsvCell]]], list[NotUploaded]]:
    """A student on two rows is refused by Sakai and ambiguous elsewhere: both rows are left out."""
    times = Counter(person.student_id for _, person, _ in rows)
    kept = [row for row in rows if times[row[1].student_id] == 1]
    twins = [NotUploaded(lms, r.student_id, r.name, r.source, TWICE) for r, person, _ in rows if times[person.student_id] > 1]
    return kept, left_out + twins


def _unwritable(result: StudentResult) -> str:
    if result.standing is Standing.INVALID:
        return UNREADABLE.format("; ".join(result.notes) or "unreadable")
    if is_stranger(result):
        return STRANGER
    return ""


def _formula_id(cells: Sequence[CsvCell]) -> str:
    for cell in cells:
        if isinstance(cell, PlainId) and cell.startswith(FORMULA_TRIGGERS):
            return FORMULA_ID.format("id", cell)
    return ""


def score_cells(
    batch: BatchResult, lms: str, matched: list[tuple[StudentResult, Person, Sequence[CsvCell]]], column: str, excused: str = ""
) -> tuple[list[CsvCell], tuple[tuple[str, int], ...]]:
    """Each matched row's score; a student without a submission as `missing_as` says (`excused` only
    where the LMS has a token for it, else blank). A blank writes back the LMS's own value where its
    export had one, so a grade entered in the LMS is never cleared."""
    choice = batch.key.rubric.missing_as
    cells: list[CsvCell] = []
    how: Counter[str] = Counter()
    for result, person, _ in matched:
        if result.standing is not Standing.MISSING:
            cells.append(lms_score(result.final))
            continue
        cell: CsvCell
        if choice == "zero":
            cell, label = Verbatim("0"), "0"
        elif choice == "excused" and excused:
            cell, label = Verbatim(excused), excused
        elif person.source is not None and person.source.lms == lms and person.grade(column):
            cell, label = Verbatim(person.grade(column)), "kept"
        else:
            cell, label = "", "blank"
        cells.append(cell)
        how[label] += 1
    return cells, tuple(sorted(how.items()))
