"""`grades.csv`: the gradebook table, with the points-possible row second as Canvas exports it."""
from __future__ import annotations

from grader.course.class_results import BatchResult
from grader.exports.csv_text import csv_bytes
from grader.exports.exporter import Exporter, Rendered
from grader.exports.gradebook_table import POSSIBLE_LABEL, gradebook_table

FILE_NAME = "grades.csv"


def render(batch: BatchResult) -> Rendered:
    table = gradebook_table(batch)
    possible = [POSSIBLE_LABEL if index == 0 else p for index, p in enumerate(table.possible)]
    yield FILE_NAME, csv_bytes([table.headers, possible, *table.rows])


EXPORTER = Exporter(name="grades CSV", render=render)
