"""grader.exports.xlsx_cells: what a workbook cell may hold."""
from __future__ import annotations

from fractions import Fraction

from grader.exports.xlsx_cells import cell_value


def test_numbers_stay_numbers() -> None:
    assert cell_value(Fraction(7, 2)) == 3.5 and cell_value(Fraction(4)) == 4 and isinstance(cell_value(Fraction(4)), int)
    assert cell_value(3) == 3 and cell_value(0.25) == 0.25 and cell_value(None) is None


def test_text_is_neutralised() -> None:
    assert cell_value("=1+1") == "'=1+1" and cell_value("7200") == "7200"


def test_characters_xml_cannot_hold_become_replacement_characters() -> None:
    assert cell_value("Bob\u0007\x00") == "Bob\ufffd\ufffd"
    assert cell_value("A\ud800B\uffff\ufffe") == "A\ufffdB\ufffd\ufffd"  # a lone surrogate, as a JSON file may hold
    assert cell_value("tab\tnew\nline\r") == "tab\tnew\nline\r" and cell_value("😀") == "😀"
