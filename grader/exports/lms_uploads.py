"""Every LMS upload at once: `lms/<assignment>-not-uploaded.csv` (each row an importer could not match, per LMS,
with its reason) and the lines the run summary prints, so nothing is left out silently."""
from __future__ import annotations

from fractions import Fraction
from typing import Callable

from grader.base.numbers import format_number
from grader.course.class_results import BatchResult
from grader.exports import lms_blackboard, lms_brightspace, lms_canvas, lms_moodle, lms_sakai
from grader.exports.csv_text import csv_bytes
from grader.exports.exporter import Exporter, Rendered
from grader.exports.lms_rows import ASSIGNMENT_FILES, NotUploaded, Upload, assignment_stem, existing_column, export_of

MODULES = (lms_canvas, lms_moodle, lms_blackboard, lms_brightspace, lms_sakai)
PLANS: tuple[Callable[[BatchResult], Upload], ...] = tuple(module.plan for module in MODULES)
MOODLE_GRADE_LIMIT = 100  # load_data.php insert_grade_record: $gradepointmaximum = 100 unless $CFG->unlimitedgrades
SHOWN = 3
HEADERS = ("student_id", "name", "file", "left out of", "reason")


def uploads(batch: BatchResult) -> tuple[Upload, ...]:
    return tuple(plan(batch) for plan in PLANS)


def left_out(planned: tuple[Upload, ...]) -> list[tuple[NotUploaded, list[str]]]:
    """One entry per student and reason, with every LMS file that lacks them for it."""
    grouped: dict[tuple[str, str, str, str], list[str]] = {}
    people: dict[tuple[str, str, str, str], NotUploaded] = {}
    for upload in planned:
        for entry in upload.not_uploaded:
            key = (entry.student_id, entry.source, entry.name, entry.reason)
            grouped.setdefault(key, []).append(upload.lms)
            people.setdefault(key, entry)
    return [(people[key], lms) for key, lms in grouped.items()]


def file_name(batch: BatchResult) -> str:
    """`lms/<assignment>-not-uploaded.csv`: one assignment's list beside its own upload files."""
    return f"{ASSIGNMENT_FILES}{assignment_stem(batch)}-not-uploaded.csv"


def render(batch: BatchResult) -> Rendered:
    rows = [HEADERS, *((e.student_id, e.name, e.source, " ".join(lms), e.reason) for e, lms in left_out(uploads(batch)))]
    yield file_name(batch), csv_bytes(rows)


def summary_lines(batch: BatchResult) -> list[str]:
    """For the run summary: rows per LMS file, how students without a submission were written, and who was left out."""
    planned = uploads(batch)
    lines = ["LMS uploads (lms/):"]
    for upload in planned:
        missing = ", ".join(f"{count} {how}" for how, count in upload.missing)
        lines.append(f"  {upload.file_name}: {upload.students} students" + (f" (no submission: {missing})" if missing else ""))
    lines.extend(f"  {note}" for note in points_notes(batch))
    missing_as = batch.key.rubric.missing_as
    lines.append(f"  students without a submission written as: {missing_as}"
                 + (" (EX in Canvas; blank where the LMS has no excused grade)" if missing_as == "excused" else ""))
    entries = left_out(planned)
    if entries:
        lines.append(f"\n{len(entries)} row(s) not uploaded (listed in {file_name(batch)}); a TA must look:")
        lines.extend(_grouped(entries))
    return lines


def _grouped(entries: list[tuple[NotUploaded, list[str]]]) -> list[str]:
    """A line per row; a reason shared by more than SHOWN students (a roster without usernames) once, counted."""
    by_reason: dict[tuple[str, str], list[NotUploaded]] = {}
    for entry, files in entries:
        by_reason.setdefault((" ".join(files), entry.reason), []).append(entry)
    lines = []
    for (lms, reason), group in by_reason.items():
        if len(group) > SHOWN:
            lines.append(f"  {len(group)} students [{lms}]: {reason}")
        else:
            lines.extend(f"  {e.source or e.student_id} [{lms}]: {reason}" for e in group)
    return lines


def points_notes(batch: BatchResult) -> list[str]:
    """Where the roster was an LMS export without the assignment's column, or with one worth other
    points than the rubric, the TA should know before uploading."""
    notes = []
    if batch.key.possible > MOODLE_GRADE_LIMIT:
        notes.append(f"note: moodle aborts an import with a grade above {MOODLE_GRADE_LIMIT} unless the site allows unlimited grades")
    for lms in (module.LMS for module in MODULES):
        column = existing_column(batch, lms)
        if column is None and export_of(batch, lms) is not None:
            notes.append(f"note: the {lms} export has no column titled {batch.key.rubric.title!r} or {batch.key.rubric.assignment!r}: "
                         "the upload makes a new one (docs/lms.md)")
        points = _points(column.possible) if column else None
        if column and points is not None and points != batch.key.possible:
            notes.append(f"note: {lms}'s column {column.header!r} is worth {column.possible} points, the rubric "
                         f"{format_number(batch.key.possible)}: scores are written as graded")
    return notes


def _points(text: str) -> Fraction | None:
    try:
        return Fraction(text.strip().replace(",", "."))
    except (ValueError, ZeroDivisionError):
        return None


def needs_attention(batch: BatchResult) -> bool:
    return any(upload.not_uploaded for upload in uploads(batch))


EXPORTER = Exporter(name="LMS rows not uploaded", render=render)
