"""`grades.csv`: the gradebook table, with the points-possible row second as Canvas exports it."""
from __future__ import annotations

from grader.exports.base import Exporter, Rendered
from grader.exports.csv_text import csv_bytes
from grader.gradebook import POSSIBLE_LABEL, gradebook_table
from grader.results import BatchResult

FILE_NAME = "grades.csv"


def render(batch: BatchResult) -> Rendered:
    table = gradebook_table(batch)
    possible = [POSSIBLE_LABEL if index == 0 else p for index, p in enumerate(table.possible)]
    yield FILE_NAME, csv_bytes([table.headers, possible, *table.rows])


EXPORTER = Exporter(name="grades CSV", render=render)
