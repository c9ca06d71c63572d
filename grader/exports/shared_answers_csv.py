"""`shared-answers.csv`: every group of students who gave the same rare wrong values, rarest first.
summary.html shows the first few; a large class has thousands, which belong in a file to sort
and filter rather than on a page."""
from __future__ import annotations

from grader.base.numbers import format_number
from grader.course.class_results import BatchResult
from grader.exports.class_summary import SHARED_FILE_NAME
from grader.exports.csv_text import CsvCell, csv_bytes
from grader.exports.exporter import Exporter, Rendered

HEADERS = ("rank", "students", "student ids", "shared wrong values", "students in the class who gave each", "chance")


def render(batch: BatchResult) -> Rendered:
    """One row a group; the header row alone when nobody shares anything, so the file is always there."""
    rows: list[list[CsvCell]] = [list(HEADERS)]
    for rank, finding in enumerate(batch.statistics.shared, start=1):
        rows.append([
            str(rank),
            str(len(finding.students)),
            "; ".join(finding.students),
            "; ".join(f"{path} = {format_number(value)}" for path, value in finding.answers),
            "; ".join(map(str, finding.givers)),
            f"{finding.chance:.3g}",
        ])
    yield SHARED_FILE_NAME, csv_bytes(rows)


EXPORTER = Exporter(name="shared answers CSV", render=render)
