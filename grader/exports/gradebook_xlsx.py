"""`gradebook.xlsx`: Grades, Answers and Statistics sheets and a chart, byte-identical on every rerun."""
from __future__ import annotations

import datetime
import io
import zipfile

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from grader.exports.base import Exporter, Rendered
from grader.exports.workbook_sheets import (
    add_answers_sheet,
    add_grades_sheet,
    add_statistics_sheet,
)
from grader.gradebook import gradebook_table
from grader.results import BatchResult

FILE_NAME = "gradebook.xlsx"
FIXED_TIME = datetime.datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def build_workbook(batch: BatchResult) -> Workbook:
    workbook = Workbook(write_only=True)
    add_grades_sheet(workbook, gradebook_table(batch))
    add_answers_sheet(workbook, batch)
    add_statistics_sheet(workbook, batch.statistics)
    workbook.properties.creator = "grader"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    """openpyxl stamps the save time into the file and the zip; both are fixed here."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    stable = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return stable.getvalue()


def render(batch: BatchResult) -> Rendered:
    yield FILE_NAME, workbook_bytes(build_workbook(batch))


EXPORTER = Exporter(name="gradebook workbook", render=render)
