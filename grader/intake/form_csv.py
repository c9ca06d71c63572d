"""A form export as CSV (UTF-8 with or without BOM, or UTF-16): a document per row. Comma-,
semicolon- (Excel in much of Europe) or tab-separated: the header row tells which."""
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
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text), strict=True)  # an unclosed quote would swallow the rows after it
    try:
        rows = list(islice(reader, intake.limits.max_form_rows + 2))
    except csv.Error as error:
        raise InputError(str(path), f"line {reader.line_num}", f"not valid CSV: {error}") from None
    if not rows:
        raise InputError(str(path), "", "an empty form export, expected a header row and a row a student")
    return form_documents(rows[0], rows[1:], path, intake.columns, intake.limits.max_form_rows)


DELIMITERS = (",", ";", "\t")  # in order of preference when two split the header alike


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header row into the most columns, quotes respected: a
    semicolon file's header may hold commas (`Q1 (weights, MACs)`) and a comma file's quoted
    header semicolons, and each is still split where its program split it."""
    header = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    counts = {delimiter: len(next(csv.reader([header], delimiter=delimiter), [])) for delimiter in DELIMITERS}
    return max(DELIMITERS, key=lambda delimiter: counts[delimiter])  # max keeps the first of equals
