"""`lms/brightspace.csv`: Brightspace grades import: OrgDefinedId, Username, `<item> Points Grade`,
and the `End-of-Line Indicator` column whose every value is `#`."""
from __future__ import annotations

from grader.course.class_results import BatchResult
from grader.course.roster_matching import identity
from grader.exports.csv_text import csv_bytes
from grader.exports.exporter import Exporter, Rendered

FILE_NAME = "lms/brightspace.csv"
END_OF_LINE = "End-of-Line Indicator"


def render(batch: BatchResult) -> Rendered:
    rows: list[list] = [["OrgDefinedId", "Username", f"{batch.key.rubric.title} Points Grade", END_OF_LINE]]
    for result in batch.counted:
        person = identity(result)
        rows.append([person.student_id, person.login, result.final, "#"])
    yield FILE_NAME, csv_bytes(rows)


EXPORTER = Exporter(name="Brightspace grades import", render=render)
