"""`not-graded.csv`: every path under the given folders that was not graded, and why (a hidden
file, a .pdf, a link that loops or leads outside the folder): the TA's list to work through.
Written on every run, with its header alone when nothing was passed over, so an old list never
stands beside new grades."""
from __future__ import annotations

from grader.course.class_results import BatchResult
from grader.exports.csv_text import csv_bytes
from grader.exports.exporter import Exporter, Rendered

FILE_NAME = "not-graded.csv"
HEADERS = ("path", "reason")


def render(batch: BatchResult) -> Rendered:
    yield FILE_NAME, csv_bytes([HEADERS, *((item.path, item.reason) for item in batch.not_graded)])


EXPORTER = Exporter(name="files not graded", render=render)
