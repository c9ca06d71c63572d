"""`lms/blackboard.csv`: Blackboard Learn Grade Center upload, every field quoted as Blackboard asks.

A column header without a `|column id` creates a new Grade Center column on upload.
"""
from __future__ import annotations

from grader.base.numbers import format_number
from grader.course.class_results import BatchResult
from grader.course.roster_matching import identity
from grader.exports.csv_text import csv_bytes
from grader.exports.exporter import Exporter, Rendered
from grader.intake.roster import split_name

FILE_NAME = "lms/blackboard.csv"
IDENTITY = ("Last Name", "First Name", "Username")


def render(batch: BatchResult) -> Rendered:
    column = f"{batch.key.rubric.title} [Total Pts: {format_number(batch.key.possible)} Score]"
    rows: list[list] = [[*IDENTITY, column]]
    for result in batch.counted:
        person = identity(result)
        first, last = split_name(person.name)
        rows.append([last, first, person.login or person.student_id, result.final])
    yield FILE_NAME, csv_bytes(rows, quote_all=True)


EXPORTER = Exporter(name="Blackboard Grade Center upload", render=render)
