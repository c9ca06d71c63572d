"""`grades.csv`: the gradebook table, with the points-possible row second as Canvas exports it."""
from __future__ import annotations

import csv
import io
from fractions import Fraction

from grader.exports.base import Exporter, Rendered
from grader.gradebook import POSSIBLE_LABEL, Cell, gradebook_table
from grader.numbers import format_number
from grader.results import BatchResult
from grader.safety import neutralise_cell

FILE_NAME = "grades.csv"


def _cell(value: Cell | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Fraction):
        return format_number(value)
    return neutralise_cell(value)


def render(batch: BatchResult) -> Rendered:
    table = gradebook_table(batch)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerow([POSSIBLE_LABEL if index == 0 else _cell(p) for index, p in enumerate(table.possible)])
    writer.writerows([_cell(value) for value in row] for row in table.rows)
    yield FILE_NAME, buffer.getvalue().encode("utf-8")


EXPORTER = Exporter(name="grades CSV", render=render)
