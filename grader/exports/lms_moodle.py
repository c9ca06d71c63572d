"""`lms/moodle.csv`: Moodle CSV grade import; map users from `ID number` or `Email address`."""
from __future__ import annotations

from grader.course.class_results import BatchResult
from grader.course.roster_matching import identity
from grader.exports.csv_text import csv_bytes
from grader.exports.exporter import Exporter, Rendered
from grader.intake.roster import split_name

FILE_NAME = "lms/moodle.csv"
IDENTITY = ("First name", "Last name", "ID number", "Email address")


def render(batch: BatchResult) -> Rendered:
    rows: list[list] = [[*IDENTITY, batch.key.rubric.title]]
    for result in batch.counted:
        person = identity(result)
        rows.append([*split_name(person.name), person.student_id, person.email, result.final])
    yield FILE_NAME, csv_bytes(rows)


EXPORTER = Exporter(name="Moodle grade import", render=render)
