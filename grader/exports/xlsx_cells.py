"""Workbook cell values: numbers stay numbers, text can never become a formula or break the file."""
from __future__ import annotations

import re
from fractions import Fraction
from typing import Union

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from grader.base.numbers import to_plain
from grader.base.safety import fit_cell, neutralise_cell

XlsxCell = Union[str, Fraction, float, int, None]
# openpyxl's control characters, and what XML forbids beyond them: lone surrogates (a JSON file can
# hold one, and UTF-8 cannot) and the noncharacters U+FFFE and U+FFFF
NOT_IN_XML = re.compile(f"{ILLEGAL_CHARACTERS_RE.pattern}|[\ud800-\udfff\ufffe\uffff]")


def cell_value(cell: XlsxCell) -> str | float | None:
    """Text is neutralised, cut (saying so) to what a cell holds, and characters the xlsx format
    cannot hold become U+FFFD so that one odd name cannot stop the whole workbook."""
    if cell is None or isinstance(cell, (int, float)):
        return cell
    if isinstance(cell, Fraction):
        return to_plain(cell)
    return NOT_IN_XML.sub("\ufffd", fit_cell(neutralise_cell(cell)))
