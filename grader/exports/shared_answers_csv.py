"""`shared-answers.csv`: every group of students who gave the same rare wrong values, rarest first.
summary.html shows the first few; a large class has thousands, which belong in a file to sort
and filter rather than on a page."""
from __future__ import annotations

from typing import Iterator, Sequence

from grader.base.numbers import format_number
from grader.course.class_results import BatchResult
from grader.exports.class_summary import SHARED_FILE_NAME
from grader.exports.csv_text import CsvCell, csv_bytes
from grader.exports.exporter import Exporter, Rendered

HEADERS = ("rank", "students", "student ids", "shared wrong values", "students in the class who gave each", "chance")


def render(batch: BatchResult) -> Rendered:
    """One row a group; the header row alone when nobody shares anything, so the file is always
    there. Rows are made as the CSV is written: a class of 100,000 has hundreds of thousands."""
    yield SHARED_FILE_NAME, csv_bytes(_rows(batch))


def _rows(batch: BatchResult) -> Iterator[Sequence[CsvCell]]:
    yield HEADERS
    for rank, finding in enumerate(batch.statistics.shared, start=1):
        yield (
            str(rank),
            str(len(finding.students)),
            "; ".join(finding.students),
            "; ".join(f"{path} = {format_number(value)}" for path, value in finding.answers),
            "; ".join(map(str, finding.givers)),
            f"{finding.chance:.3g}",
        )


EXPORTER = Exporter(name="shared answers CSV", render=render)
