"""A form export as an .xlsx workbook (its first sheet): a document per row. Cells are read as
stored values (`data_only`), so formulas are never evaluated."""
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

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet_rows = workbook.worksheets[0].iter_rows(values_only=True)
        rows = [list(row) for row in islice(sheet_rows, intake.limits.max_form_rows + 2)]
    except (*_BROKEN_WORKBOOK, InvalidFileException):
        raise InputError(str(path), "", "not a readable .xlsx workbook") from None
    if not rows:
        raise InputError(str(path), "", "an empty form export, expected a header row and a row a student")
    return form_documents(rows[0], rows[1:], path, intake.columns, intake.limits.max_form_rows)
