"""The gradebook workbook exporter. The workbook is built by grader.exports.workbook_file, which
is imported only by the worker that writes it: openpyxl, with numpy, is a third of grader's
start-up, which every `grader check` and the main process of `grader grade` would pay."""
from __future__ import annotations

from functools import partial
from typing import Iterator

from grader.course.class_results import BatchResult
from grader.exports.exporter import Exporter, Rendered

FILE_NAME = "gradebook.xlsx"


def gradebook_pieces(batch: BatchResult) -> Iterator[bytes]:
    """The file in pieces, written as they come (see Exporter)."""
    from grader.exports.workbook_file import gradebook_pieces as build  # noqa: PLC0415 - see the module's docstring

    return build(batch)


def render(batch: BatchResult) -> Rendered:
    """Deferred: the costliest whole-class file, which a worker can write beside the reports."""
    yield FILE_NAME, partial(gradebook_pieces, batch)


EXPORTER = Exporter(name="gradebook workbook", render=render)
