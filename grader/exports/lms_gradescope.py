"""`lms/gradescope.csv`: a score sheet in the columns of Gradescope's own score export."""
from __future__ import annotations

from grader.course.class_results import BatchResult
from grader.course.roster_matching import identity
from grader.exports.csv_text import csv_bytes
from grader.exports.exporter import Exporter, Rendered
from grader.judging.results import Standing, StudentResult

FILE_NAME = "lms/gradescope.csv"
HEADERS = ("Name", "SID", "Email", "Total Score", "Max Points", "Status", "Submission Time", "Lateness (H:M:S)")
STATUS = {Standing.MISSING: "Missing", Standing.INVALID: "Ungraded"}


def _lateness(result: StudentResult) -> tuple[str, str]:
    if result.late is None:
        return "", ""
    seconds = int(result.late.late_by.total_seconds())
    hours, rest = divmod(seconds, 3600)
    return result.late.submitted_at.isoformat(), f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def render(batch: BatchResult) -> Rendered:
    rows: list[list] = [list(HEADERS)]
    for result in batch.counted:
        person = identity(result)
        status = STATUS.get(result.standing, "Graded")
        rows.append([person.name, person.student_id, person.email, result.final, batch.key.possible, status, *_lateness(result)])
    yield FILE_NAME, csv_bytes(rows)


EXPORTER = Exporter(name="Gradescope score sheet", render=render)
