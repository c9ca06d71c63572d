"""A form export as an .xlsx workbook (its first sheet): a document per row. Cells are read as
stored values (`data_only`), so formulas are never evaluated."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from itertools import islice
from pathlib import Path
from typing import Any

from grader.base.documents import Document
from grader.base.errors import InputError
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

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet_rows = workbook.worksheets[0].iter_rows(values_only=True)
        rows = [list(row) for row in islice(sheet_rows, intake.limits.max_form_rows + 2)]
    except (*_BROKEN_WORKBOOK, InvalidFileException):
        raise InputError(str(path), "", "not a readable .xlsx workbook") from None

    if any(cell is None for row in rows[1:] for cell in row):  # blank, or a formula never computed
        rows = _with_formulas(rows, data)
    if not rows:
        raise InputError(str(path), "", "an empty form export, expected a header row and a row a student")
    return form_documents(rows[0], rows[1:], path, intake.columns, intake.limits.max_form_rows)


def _with_formulas(values: list[list[Any]], data: bytes) -> list[list[Any]]:
    """A formula cell with no stored value (a workbook written by a program and never saved from a
    spreadsheet) is not "missing": it is given as its formula text, which the number reader flags
    as a formula (or reads, when it is plain arithmetic such as `=3*3*20*40`). The workbook is read
    a second time, as its formulas."""
    from openpyxl import load_workbook  # noqa: PLC0415

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=False).worksheets[0]
        formula_rows = list(islice(sheet.iter_rows(values_only=True), len(values)))
    except _BROKEN_WORKBOOK:
        return values  # opened once already; should the second reading fail, the blanks stay blank
    return [
        [formula if value is None and isinstance(formula, str) and formula.startswith("=") else value
         for value, formula in zip(value_row, formula_row)]
        for value_row, formula_row in zip(values, formula_rows)
    ]
