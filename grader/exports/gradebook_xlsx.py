"""`gradebook.xlsx`: Grades, Answers and Statistics sheets and a chart, byte-identical on every rerun."""
from __future__ import annotations

import datetime
import io
import zipfile
from fractions import Fraction

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from grader.class_statistics import class_statistics
from grader.exports.base import Exporter, Rendered
from grader.exports.workbook_sheets import (
    add_answers_sheet,
    add_statistics_sheet,
    append_rows,
)
from grader.gradebook import POSSIBLE_LABEL, Table, gradebook_table
from grader.results import BatchResult

FILE_NAME = "gradebook.xlsx"
FIXED_TIME = datetime.datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
TEXT_WIDTHS = {"student_id": 14, "name": 24, "status": 14, "file": 30, "notes": 40}
WHOLE, DECIMAL = "0", "0.00"


def build_workbook(batch: BatchResult) -> Workbook:
    workbook = Workbook()
    add_grades_sheet(workbook, gradebook_table(batch))
    add_answers_sheet(workbook, batch)
    add_statistics_sheet(workbook, class_statistics(batch))
    workbook.properties.creator = "grader"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    return workbook


def add_grades_sheet(workbook: Workbook, table: Table) -> None:
    """A row a student under the header and the points-possible row, both frozen; filterable."""
    sheet = workbook.active
    sheet.title = "Grades"
    append_rows(sheet, [table.headers, [POSSIBLE_LABEL if i == 0 else p for i, p in enumerate(table.possible)], *table.rows])
    bold = Font(bold=True)
    for cell in (*sheet[1], *sheet[2]):
        cell.font = bold
    sheet.freeze_panes = "C3"
    sheet.auto_filter.ref = sheet.dimensions
    for index, header in enumerate(table.headers, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = TEXT_WIDTHS.get(header, max(8, len(header) + 2))
        column = [row[index - 1] for row in table.rows] + [p for p in (table.possible[index - 1],) if p is not None]
        if column and all(isinstance(value, Fraction) for value in column):
            number_format = WHOLE if all(value.denominator == 1 for value in column) else DECIMAL  # type: ignore[union-attr]
            for cell in sheet[letter][1:]:
                cell.number_format = number_format


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
