"""grader.exports.xlsx_splice: rows written as text put into the sheets openpyxl saved."""
from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from grader.exports.workbook_file import workbook_bytes
from grader.exports.xlsx_rows import SheetRows
from grader.exports.xlsx_splice import batched, sheet_parts, splice

RELS = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{}</Relationships>'
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def test_sheet_parts_follow_the_workbooks_relationships() -> None:
    workbook = Workbook()
    workbook.active.title = "Grades"
    workbook.create_sheet("Tom & Jerry <1>")
    raw = io.BytesIO()
    workbook.save(raw)
    with zipfile.ZipFile(raw) as archive:
        assert sheet_parts(archive) == {"Grades": "xl/worksheets/sheet1.xml", "Tom & Jerry <1>": "xl/worksheets/sheet2.xml"}


def test_relative_targets_are_read_beside_the_workbook() -> None:
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as archive:
        archive.writestr("_rels/.rels", RELS.format(f'<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="book/main.xml"/>'))
        archive.writestr("book/_rels/main.xml.rels", RELS.format(f'<Relationship Id="rId7" Type="{OFFICE}/worksheet" Target="sheets/../data/one.xml"/>'))
        archive.writestr("book/main.xml", f'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{OFFICE}">'
                                          '<sheets><sheet name="Grades" sheetId="1" r:id="rId7"/></sheets></workbook>')
    with zipfile.ZipFile(raw) as archive:
        assert sheet_parts(archive) == {"Grades": "book/data/one.xml"}


def test_rows_go_after_the_header_rows_and_the_dimension_covers_them() -> None:
    part = '<worksheet><dimension ref="A1:B1"/><sheetData><row r="1"/></sheetData><autoFilter ref="A1:AD3"/></worksheet>'
    spliced = "".join(splice(part, ['<row r="2"/>', '<row r="3"/>'], last_row=3, last_column=30))
    assert spliced == '<worksheet><dimension ref="A1:AD3"/><sheetData><row r="1"/><row r="2"/><row r="3"/></sheetData><autoFilter ref="A1:AD3"/></worksheet>'


def test_an_empty_sheet_data_is_opened_for_the_rows() -> None:
    spliced = "".join(splice("<worksheet><sheetData/><pageMargins/></worksheet>", ['<row r="1"/>'], last_row=1, last_column=1))
    assert spliced == '<worksheet><sheetData><row r="1"/></sheetData><pageMargins/></worksheet>'


def test_a_part_without_one_sheet_data_is_refused() -> None:
    with pytest.raises(ValueError, match="sheetData"):
        "".join(splice("<worksheet/>", [], last_row=1, last_column=1))


def test_rows_for_a_sheet_the_workbook_lacks_are_refused() -> None:
    workbook = Workbook(write_only=True)
    workbook.create_sheet("Grades")
    with pytest.raises(ValueError, match="'Answers'"):
        workbook_bytes(workbook, [SheetRows("Answers", [], 1, 1)])


def test_texts_are_written_a_batch_at_a_time() -> None:
    assert list(batched(["a", "b", "c"], size=2)) == ["ab", "c"] and list(batched([])) == []
