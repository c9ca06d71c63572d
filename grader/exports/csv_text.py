"""CSV writing shared by every CSV export: numbers as plain decimals, text neutralised against formulas
and cut (saying so) to what a spreadsheet cell holds, as a CSV is opened in one."""
from __future__ import annotations

import csv
import io
from fractions import Fraction
from typing import Iterable, Sequence, Union

from grader.base.numbers import format_number
from grader.base.safety import fit_cell, neutralise_cell


class Verbatim(str):
    """Text written exactly as given: an id or login an LMS gave (an apostrophe in front would stop
    the LMS matching it) or a number this program formatted. Never text a student typed."""


CsvCell = Union[str, Fraction, None]


def csv_cell(value: CsvCell) -> str:
    if value is None:
        return ""
    if isinstance(value, Fraction):
        return format_number(value)
    if isinstance(value, Verbatim):
        return str(value)
    return fit_cell(neutralise_cell(value))


def csv_bytes(rows: Iterable[Sequence[CsvCell]], quote_all: bool = False, delimiter: str = ",") -> bytes:
    """UTF-8 with CRLF line ends (RFC 4180), as every LMS importer reads."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL, delimiter=delimiter)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8")
