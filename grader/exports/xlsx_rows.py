"""The data rows of the workbook's two big sheets, written as SpreadsheetML text.

openpyxl costs about 10 µs a cell here (1.14 M cells: 11.7 s in write-only mode; xlsxwriter's
constant_memory mode 7.7 s), which made the workbook of 10,000 students cost 12 s on its own.
openpyxl still builds everything else (styles, headers, panes, filters, the chart); only the
rows below the headers are written here and spliced into its sheets (`xlsx_splice`). A cell's
text is made once per distinct value, with ROW standing for its row number, so most cells cost a
dictionary look-up and each row one `str.replace`."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterable, Iterator, Sequence

from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from grader.exports.xlsx_cells import XlsxCell, cell_value

ROW = "\0"  # the row number in a cached cell; cell_value turns any NUL in text into U+FFFD
CELL_CACHE = 16_384  # cells remembered a column: a worker's memory stays flat whatever the class
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))  # a bare CR would read back as LF


@dataclass(frozen=True)
class SheetRows:
    """Rows to splice after the header rows openpyxl wrote in sheet `title`. `rows` is consumed
    once, while the zip is written, so that a sheet's text is never held whole."""

    title: str
    rows: Iterable[str]
    last_row: int
    last_column: int


def escape_text(text: str) -> str:
    """Text as XML element content; most text has nothing to escape, so each replace is checked first."""
    for char, entity in _ESCAPES:
        if char in text:
            text = text.replace(char, entity)
    return text


def cell_xml(column: str, value: XlsxCell, style: int | None = None) -> str:
    """One `<c>` in `column` (letters) with ROW for its row; "" for an empty cell, as openpyxl
    shows no value for an empty string either. Numbers stay numbers; text is cleaned by
    `cell_value` (never a formula, no character XML forbids, cut to Excel's limit)."""
    plain = cell_value(value)
    if plain is None or plain == "" or (isinstance(plain, float) and not math.isfinite(plain)):
        return ""
    styled = "" if style is None else f' s="{style}"'
    if isinstance(plain, str):
        text = escape_text(plain)
        return f'<c r="{column}{ROW}"{styled} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    number = repr(plain) if isinstance(plain, float) else str(int(plain))  # type: ignore[call-overload]
    return f'<c r="{column}{ROW}"{styled}><v>{number}</v></c>'


def row_xml(number: int, cells: Iterable[str]) -> str:
    """One `<row>`: the ROW marks in it and its cells become `number`, with a single replace."""
    return f'<row r="{ROW}">{"".join(cells)}</row>'.replace(ROW, str(number))


def number_style(sheet: WriteOnlyWorksheet, number_format: str) -> int:
    """openpyxl's id for a cell with this number format, registered on the workbook so that its
    styles.xml carries it; never a number assumed here."""
    cell = WriteOnlyCell(sheet)
    cell.number_format = number_format
    return cell.style_id


@dataclass
class ColumnCells:
    """The cells of one column. Where values repeat (points, statuses) each distinct value's
    text is made once; a Fraction is keyed by its ratio, as hashing it costs more than the text."""

    column: str
    style: int | None = None
    repeats: bool = True
    made: dict[object, str] = field(default_factory=dict)

    def __call__(self, value: XlsxCell) -> str:
        if not self.repeats:
            return cell_xml(self.column, value, self.style)
        key = value.as_integer_ratio() if type(value) is Fraction else value
        text = self.made.get(key)
        if text is None:
            if len(self.made) >= CELL_CACHE:  # bounded: a column of distinct values must not grow with the class
                self.made.clear()
            text = self.made[key] = cell_xml(self.column, value, self.style)
        return text


def table_rows(values: Iterable[Sequence[XlsxCell]], columns: Sequence[ColumnCells], first: int) -> Iterator[str]:
    """A row of text for each row of values, numbered from `first`."""
    cell = ColumnCells.__call__
    for number, row in enumerate(values, start=first):
        yield row_xml(number, map(cell, columns, row))
