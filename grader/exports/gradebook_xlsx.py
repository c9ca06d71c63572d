"""`gradebook.xlsx`: the gradebook table as a workbook, byte-identical on every rerun."""
from __future__ import annotations

import datetime
import io
import zipfile
from fractions import Fraction

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from grader.exports.base import Exporter, Rendered
from grader.gradebook import POSSIBLE_LABEL, Cell, gradebook_table
from grader.numbers import to_plain
from grader.results import BatchResult
from grader.safety import neutralise_cell

FILE_NAME = "gradebook.xlsx"
FIXED_TIME = datetime.datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
TEXT_WIDTHS = {"student_id": 14, "name": 24, "status": 14, "file": 30, "notes": 40}


def _value(cell: Cell | None) -> object:
    """Numbers stay numbers; text is neutralised, and control characters, which the xlsx format
    cannot hold, become U+FFFD so that one odd name cannot stop the whole workbook."""
    if cell is None:
        return None
    if isinstance(cell, Fraction):
        return to_plain(cell)
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", neutralise_cell(cell))


def build_workbook(batch: BatchResult) -> Workbook:
    """Write-only, so rows stream to the file instead of each cell becoming an object: a class of
    thousands writes in a fraction of the time."""
    table = gradebook_table(batch)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Grades")
    sheet.freeze_panes = "C3"
    for index, header in enumerate(table.headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = TEXT_WIDTHS.get(header, max(8, len(header) + 2))
    bold = Font(bold=True)
    possible = [POSSIBLE_LABEL if index == 0 else _value(p) for index, p in enumerate(table.possible)]
    for heading in (list(table.headers), possible):
        sheet.append([_bold_cell(sheet, value, bold) for value in heading])
    for row in table.rows:
        sheet.append([_value(value) for value in row])
    workbook.properties.creator = "grader"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    return workbook


def _bold_cell(sheet: object, value: object, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value)
    cell.font = font
    return cell


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
