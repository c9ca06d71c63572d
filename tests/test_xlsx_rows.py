"""grader.exports.xlsx_rows: sheet rows written as SpreadsheetML text."""
from __future__ import annotations

from fractions import Fraction
from xml.etree import ElementTree

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from grader.exports.xlsx_cells import cell_value
from grader.exports.xlsx_rows import ROW, ColumnCells, cell_xml, number_style, row_xml, table_rows

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def parsed(row: str) -> ElementTree.Element:
    return ElementTree.fromstring(f'<sheetData xmlns="{MAIN[1:-1]}">{row}</sheetData>')


def test_numbers_are_values_and_keep_their_row_mark() -> None:
    assert cell_xml("C", Fraction(7, 2)) == f'<c r="C{ROW}"><v>3.5</v></c>'
    assert cell_xml("C", Fraction(8, 2)) == f'<c r="C{ROW}"><v>4</v></c>'
    assert cell_xml("AT", 37) == f'<c r="AT{ROW}"><v>37</v></c>'
    assert cell_xml("B", 0.1) == f'<c r="B{ROW}"><v>0.1</v></c>' and cell_xml("B", 1e-20) == f'<c r="B{ROW}"><v>1e-20</v></c>'
    assert cell_xml("B", Fraction(1, 3)) == f'<c r="B{ROW}"><v>{float(Fraction(1, 3))!r}</v></c>'


def test_empty_and_unwritable_values_make_no_cell() -> None:
    assert cell_xml("A", None) == "" and cell_xml("A", "") == ""
    assert cell_xml("A", float("nan")) == "" and cell_xml("A", float("inf")) == ""


def test_text_is_an_inline_string_with_its_spaces_kept() -> None:
    assert cell_xml("B", " Ada  Lovelace ") == f'<c r="B{ROW}" t="inlineStr"><is><t xml:space="preserve"> Ada  Lovelace </t></is></c>'


def test_markup_in_text_is_escaped() -> None:
    assert cell_xml("B", "a<b>&c</b>") == f'<c r="B{ROW}" t="inlineStr"><is><t xml:space="preserve">a&lt;b&gt;&amp;c&lt;/b&gt;</t></is></c>'
    assert cell_xml("B", "line\r\n") == f'<c r="B{ROW}" t="inlineStr"><is><t xml:space="preserve">line&#13;\n</t></is></c>'


def test_a_formula_is_written_as_text() -> None:
    assert cell_xml("A", "=1+1") == f'<c r="A{ROW}" t="inlineStr"><is><t xml:space="preserve">\'=1+1</t></is></c>'
    assert "<f>" not in cell_xml("A", "=HYPERLINK(\"x\")")


def test_control_characters_become_replacement_characters() -> None:
    assert cell_xml("B", "Bob\u0007\x00") == f'<c r="B{ROW}" t="inlineStr"><is><t xml:space="preserve">Bob\ufffd\ufffd</t></is></c>'


EXCEL_CELL_LIMIT = 32_767  # Microsoft's "Excel specifications and limits": characters in a cell


def test_text_is_cut_at_excels_limit_saying_so() -> None:
    [cell] = parsed(row_xml(1, [cell_xml("A", "x" * (EXCEL_CELL_LIMIT + 100))]))[0]
    text = cell.findtext(f"{MAIN}is/{MAIN}t")
    assert len(text) == EXCEL_CELL_LIMIT
    assert text.startswith("x" * 30_000) and text.endswith("32,867 characters do not fit in one spreadsheet cell]")


def test_text_at_excels_limit_is_kept_whole() -> None:
    [cell] = parsed(row_xml(1, [cell_xml("A", "y" * EXCEL_CELL_LIMIT)]))[0]
    assert cell.findtext(f"{MAIN}is/{MAIN}t") == "y" * EXCEL_CELL_LIMIT


def test_a_style_id_is_written_as_given() -> None:
    assert cell_xml("F", Fraction(1, 2), style=3) == f'<c r="F{ROW}" s="3"><v>0.5</v></c>'


def test_a_row_numbers_itself_and_its_cells() -> None:
    row = row_xml(12, [cell_xml("A", "s1"), cell_xml("B", None), cell_xml("C", 2)])
    assert row == '<row r="12"><c r="A12" t="inlineStr"><is><t xml:space="preserve">s1</t></is></c><c r="C12"><v>2</v></c></row>'


@given(st.text(max_size=60))
def test_any_text_reads_back_as_the_cleaned_value(text: str) -> None:
    [row] = parsed(row_xml(3, [cell_xml("D", text)]))
    expected = cell_value(text)
    if expected == "":
        assert len(row) == 0
        return
    [cell] = row
    assert cell.get("r") == "D3" and cell.get("t") == "inlineStr"
    assert cell.find(f"{MAIN}is/{MAIN}t").get(XML_SPACE) == "preserve"  # type: ignore[union-attr]
    assert cell.findtext(f"{MAIN}is/{MAIN}t") == expected


def test_number_styles_are_openpyxls_own_ids() -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Grades")
    decimal = number_style(sheet, "0.00")
    assert decimal == number_style(sheet, "0.00") != number_style(sheet, "0.0%")
    assert decimal != 0  # the default style; the format itself is read back in test_gradebook_xlsx


def test_repeating_values_are_made_once() -> None:
    column = ColumnCells("E", style=2)
    first = column(Fraction(1, 2))
    assert column(Fraction(2, 4)) is first and column(0.5) == first and len(column.made) == 2
    assert column("graded") is column("graded") and len(column.made) == 3
    distinct = ColumnCells("A", repeats=False)
    assert distinct("s1") == cell_xml("A", "s1") and not distinct.made


def test_table_rows_are_numbered_from_the_first() -> None:
    columns = [ColumnCells("A", repeats=False), ColumnCells("B")]
    rows = list(table_rows([("s1", Fraction(1)), ("s2", Fraction(1))], columns, first=3))
    assert rows == [
        '<row r="3"><c r="A3" t="inlineStr"><is><t xml:space="preserve">s1</t></is></c><c r="B3"><v>1</v></c></row>',
        '<row r="4"><c r="A4" t="inlineStr"><is><t xml:space="preserve">s2</t></is></c><c r="B4"><v>1</v></c></row>',
    ]
