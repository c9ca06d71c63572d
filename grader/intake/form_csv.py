"""A form export as CSV (UTF-8 with or without BOM, or UTF-16): a document per row."""
from __future__ import annotations

import csv
import io
from itertools import islice
from pathlib import Path

from grader.base.documents import Document, decode_text
from grader.base.errors import InputError
from grader.intake.form_columns import form_documents
from grader.intake.settings import Intake


def read_csv_form(data: bytes, path: Path, intake: Intake) -> list[Document]:
    text = decode_text(data, str(path))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)  # an unclosed quote would swallow the rows after it
    try:
        rows = list(islice(reader, intake.limits.max_form_rows + 2))
    except csv.Error as error:
        raise InputError(str(path), f"line {reader.line_num}", f"not valid CSV: {error}") from None
    if not rows:
        raise InputError(str(path), "", "an empty form export, expected a header row and a row a student")
    return form_documents(rows[0], rows[1:], path, intake.columns, intake.limits.max_form_rows)
