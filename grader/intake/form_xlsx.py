"""A form export as an .xlsx workbook (its first sheet): a document per row. Cells are read as
stored values (`data_only`), so formulas are never evaluated. A formula cell with no stored value
(a workbook written by a program and never saved from a spreadsheet) is not "missing": it is
given as its formula text, which the number reader flags as a formula (or reads, when it is
plain arithmetic such as `=3*3*20*40`)."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from itertools import islice
from pathlib import Path

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

    def first_sheet(stored_values: bool) -> list[list[object]]:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=stored_values)
        sheet_rows = workbook.worksheets[0].iter_rows(values_only=True)
        return [list(row) for row in islice(sheet_rows, intake.limits.max_form_rows + 2)]

    try:
        rows = first_sheet(stored_values=True)
        if any(cell is None for row in rows[1:] for cell in row):  # blank, or a formula never computed
            rows = _with_formulas(rows, first_sheet(stored_values=False))
    except (*_BROKEN_WORKBOOK, InvalidFileException):
        raise InputError(str(path), "", "not a readable .xlsx workbook") from None
    if not rows:
        raise InputError(str(path), "", "an empty form export, expected a header row and a row a student")
    return form_documents(rows[0], rows[1:], path, intake.columns, intake.limits.max_form_rows)


def _with_formulas(values: list[list[object]], formulas: list[list[object]]) -> list[list[object]]:
    """Each empty stored value replaced by its cell's formula text, where it has one."""
    return [
        [formula if value is None and isinstance(formula, str) and formula.startswith("=") else value
         for value, formula in zip(value_row, formula_row)]
        for value_row, formula_row in zip(values, formulas)
    ]
