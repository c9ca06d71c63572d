"""A form export as an .xlsx workbook (its first sheet): a document per row. Cells are read as
stored values (`data_only`), so formulas are never evaluated.

An .xlsx is a zip of XML, so a small file can unpack to gigabytes, and a sheet of a few kilobytes
can declare 16,384 columns that a reader pads every row to. Both are bounded before the cells are
read: the zip entries' sizes (which Python's zipfile also holds each entry to while unpacking),
the sheet's declared dimension, and, as rows stream in as wide as their last stored cell, the
number of cells read."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from itertools import islice
from pathlib import Path
from typing import Any, Iterable

from grader.base.documents import Document
from grader.base.errors import InputError
from grader.base.limits import Limits
from grader.intake.form_columns import form_documents
from grader.intake.settings import Intake

# What openpyxl (and its InvalidFileException) and zipfile raise on a damaged or hostile workbook
# (XML errors are SyntaxErrors).
_BROKEN_WORKBOOK = (
    zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, AttributeError,
    OSError, EOFError, SyntaxError, NotImplementedError, zlib.error, struct.error,
)


def read_xlsx_form(data: bytes, path: Path, intake: Intake) -> list[Document]:
    # openpyxl (with numpy) is a third of grader's start-up: it loads when a workbook is read.
    from openpyxl import load_workbook  # noqa: PLC0415
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

    limits = intake.limits
    try:
        _refuse_zip_bomb(data, str(path), limits.max_form_unpacked_bytes)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        _refuse_declared_size(sheet, str(path), limits.max_form_cells)
        sheet.reset_dimensions()  # rows come as stored, each as wide as its last cell, never padded to the declared width
        rows = _bounded_rows(sheet.iter_rows(values_only=True), str(path), limits)
    except (*_BROKEN_WORKBOOK, InvalidFileException):
        raise InputError(str(path), "", "not a readable .xlsx workbook") from None

    if any(cell is None for row in rows[1:] for cell in row):  # blank, or a formula never computed
        rows = _with_formulas(rows, data)
    if not rows:
        raise InputError(str(path), "", "an empty form export, expected a header row and a row a student")
    return form_documents(rows[0], rows[1:], path, intake.columns, limits.max_form_rows)


def _with_formulas(values: list[list[Any]], data: bytes) -> list[list[Any]]:
    """A formula cell with no stored value (a workbook written by a program and never saved from a
    spreadsheet) is not "missing": it is given as its formula text, which the number reader flags
    as a formula (or reads, when it is plain arithmetic such as `=3*3*20*40`). The workbook is read
    a second time, as its formulas."""
    from openpyxl import load_workbook  # noqa: PLC0415

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=False).worksheets[0]
        sheet.reset_dimensions()  # as the first reading: rows as stored, never padded
        formula_rows = list(islice(sheet.iter_rows(values_only=True), len(values)))
    except _BROKEN_WORKBOOK:
        return values  # opened once already; should the second reading fail, the blanks stay blank
    return [
        [formula if value is None and isinstance(formula, str) and formula.startswith("=") else value
         for value, formula in zip(value_row, formula_row)]
        for value_row, formula_row in zip(values, formula_rows)
    ]


MAX_ZIP_ENTRIES = 10_000  # a workbook has a few dozen parts; zipfile holds an object for each listed
_END_OF_DIRECTORY = b"PK\x05\x06"


def _refuse_zip_bomb(data: bytes, source: str, limit: int) -> None:
    """The entry count from the zip's end record (before zipfile lists every entry), then the
    entries' declared sizes."""
    end = data.rfind(_END_OF_DIRECTORY, max(0, len(data) - 65_557))  # the record and its longest comment
    entries = int.from_bytes(data[end + 10:end + 12], "little") if end >= 0 else 0
    if entries > MAX_ZIP_ENTRIES:  # 0xFFFF, a ZIP64 archive's mark, too: no workbook needs one
        raise InputError(source, "", f"a zip of {entries:,} entries, more than the {MAX_ZIP_ENTRIES:,} a workbook may have")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > limit:
        raise InputError(source, "", f"unpacks to {unpacked:,} bytes, more than the limit of {limit:,} for a form export")


def _refuse_declared_size(sheet: Any, source: str, limit: int) -> None:
    rows, columns = sheet.max_row or 0, sheet.max_column or 0  # from the sheet's <dimension>, when it has one
    if rows * columns > limit:
        raise InputError(source, "first sheet", f"declares {rows:,} rows by {columns:,} columns, more than the limit of {limit:,} cells")


def _bounded_rows(rows: Iterable[tuple[object, ...]], source: str, limits: Limits) -> list[list[object]]:
    read: list[list[object]] = []
    cells = 0
    for row in islice(rows, limits.max_form_rows + 2):
        cells += len(row)
        if cells > limits.max_form_cells:
            raise InputError(source, f"row {len(read) + 1}", f"more than the limit of {limits.max_form_cells:,} cells read")
        read.append(list(row))
    return read

