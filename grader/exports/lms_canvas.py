"""`lms/canvas.csv`: Canvas gradebook import, identity columns first, one assignment column, points row."""
from __future__ import annotations

from grader.course.class_results import BatchResult
from grader.course.roster_matching import identity
from grader.exports.csv_text import csv_bytes
from grader.exports.exporter import Exporter, Rendered

FILE_NAME = "lms/canvas.csv"
IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


def render(batch: BatchResult) -> Rendered:
    rows: list[list] = [[*IDENTITY, batch.key.rubric.title], ["Points Possible", "", "", "", "", batch.key.possible]]
    for result in batch.counted:
        person = identity(result)
        rows.append([person.name, person.lms_id, person.student_id, person.login, person.section, result.final])
    yield FILE_NAME, csv_bytes(rows)


EXPORTER = Exporter(name="Canvas gradebook import", render=render)
