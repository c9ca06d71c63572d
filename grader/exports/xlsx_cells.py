"""Workbook cell values: numbers stay numbers, text can never become a formula or break the file."""
from __future__ import annotations

from fractions import Fraction
from typing import Union

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from grader.numbers import to_plain
from grader.safety import neutralise_cell

XlsxCell = Union[str, Fraction, float, int, None]


def cell_value(cell: XlsxCell) -> object:
    """Text is neutralised, and control characters, which the xlsx format cannot hold, become U+FFFD
    so that one odd name cannot stop the whole workbook."""
    if cell is None or isinstance(cell, (int, float)):
        return cell
    if isinstance(cell, Fraction):
        return to_plain(cell)
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", neutralise_cell(cell))
