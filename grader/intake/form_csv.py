"""A form export as CSV (UTF-8 with or without BOM, or UTF-16): a document per row.

One bad row never costs the others: a row the csv module cannot read (an unclosed quote, a cell
past its field limit), a row holding a NUL byte, a row with more cells than the header, or one
that runs on over several lines with another number of cells (the mark of a quote left open) is
flagged with its line, and reading resumes on the line after the one it started on. Comma-,
semicolon- (Excel in much of Europe) or tab-separated: the header row tells which."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Generator, Iterator, Sequence

from grader.base.documents import Document, decode_text
from grader.base.errors import InputError
from grader.intake.form_columns import BadRow, form_documents
from grader.intake.settings import Intake


def read_csv_form(data: bytes, path: Path, intake: Intake) -> list[Document]:
    text = decode_text(data, str(path), allow_nul=True)
    lines = list(io.StringIO(text, newline=""))  # split where the csv module splits: \r\n, \r or \n
    records = _records(lines, intake.limits.max_form_rows + 2, sniff_delimiter(text))
    header = next(records, None)
    if header is None:
        raise InputError(str(path), "", "an empty form export, expected a header row and a row a student")
    if isinstance(header, BadRow):
        raise InputError(str(path), f"line {header.line}", header.problem)
    if any("\x00" in cell for cell in header):
        raise InputError(str(path), "line 1", "binary data, expected a text file")
    return form_documents(header, list(records), path, intake.columns, intake.limits.max_form_rows)


def _records(lines: Sequence[str], most: int, delimiter: str) -> Generator[list[str] | BadRow, None, None]:
    """Each record, its cells or a BadRow, at most `most` of them (the rest is never parsed). A
    record is bad where the csv module refuses it, or where it runs on over several lines with
    another number of cells than the header; reading then resumes on the line after its first."""
    start = count = 0
    width: int | None = None
    while start < len(lines) and count < most:
        reader = csv.reader(_from(lines, start), delimiter=delimiter, strict=True)
        before = 0
        try:
            for cells in reader:
                count += 1
                spans = reader.line_num - before
                if width is not None and (len(cells) > width or (spans > 1 and len(cells) != width)):
                    yield BadRow(start + before + 1, _miscount(len(cells), width, spans))
                    break
                if width is not None and any("\x00" in cell for cell in cells):
                    yield BadRow(start + before + 1, "a NUL byte (binary data), expected text")
                    before = reader.line_num
                    continue
                width = len(cells) if width is None else width
                yield cells
                before = reader.line_num
                if count >= most:
                    return
            else:
                return
        except csv.Error as error:
            count += 1
            yield BadRow(start + before + 1, f"not valid CSV: {error}")
        start += before + 1


def _miscount(cells: int, width: int, spans: int) -> str:
    if spans > 1:
        return f"a row running on over {spans} lines with {cells} cells, not the header's {width}: is a quote left open?"
    return f"{cells} cells, more than the header's {width}"


def _from(lines: Sequence[str], start: int) -> Iterator[str]:
    for index in range(start, len(lines)):
        yield lines[index]


DELIMITERS = (",", ";", "\t")  # in order of preference when two split the header alike


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header row into the most columns, quotes respected: a
    semicolon file's header may hold commas (`Q1 (weights, MACs)`) and a comma file's quoted
    header semicolons, and each is still split where its program split it."""
    header = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    counts = {delimiter: len(next(csv.reader([header], delimiter=delimiter), [])) for delimiter in DELIMITERS}
    return max(DELIMITERS, key=lambda delimiter: counts[delimiter])  # max keeps the first of equals
