"""Hostile form exports: one poisoned row never costs the others, and an .xlsx cannot expand past
its bounds, in the batch and through the web page's reader alike (issue 13)."""
from __future__ import annotations

import io
import resource
import time
import zipfile
from pathlib import Path

import pytest

from grader.base.errors import InputError
from grader.base.limits import Limits
from grader.course.file_grading import grade_path
from grader.intake.formats import read_documents, read_uploaded
from grader.intake.settings import DEFAULT_INTAKE, Intake

HEADER = "student_id,name,q1.standard.weights\r\n"


def good_rows(first: int, last: int) -> str:
    return "".join(f"s{n},Student {n},7200\r\n" for n in range(first, last + 1))


POISONS = {
    "nul": ("s1000,Nul\x00Name,7200\r\n", "a NUL byte"),
    "field-limit": ('s1000,"' + "x" * 200_000 + '",7200\r\n', "field larger than field limit"),
    "unclosed-quote": ('s1000,"Unclosed,7200\r\n', "not valid CSV"),
    "unclosed-quote-paired-later": ('s1000,"Unclosed,7200\r\n', "not valid CSV"),
    "extra-cells": ("s1000,A,1,2,3,4\r\n", "more than the header's 3"),
}


@pytest.mark.parametrize("poison", sorted(POISONS))
def test_a_poisoned_row_among_two_thousand_is_flagged_with_its_line_and_the_rest_graded(homework_key, tmp_path: Path, poison: str) -> None:
    bad, words = POISONS[poison]
    after = good_rows(1001, 2000)
    if poison == "unclosed-quote-paired-later":
        after = after.replace("s1500,Student 1500", 's1500,"Student" 1500')  # a later quote the open one could pair with
    text = HEADER + good_rows(1, 999) + bad + after
    path = tmp_path / "form.csv"
    path.write_bytes(text.encode("utf-8"))
    results = grade_path(homework_key, path)
    flagged = [r for r in results if not r.readable]
    assert [r.source for r in flagged] == [f"{path}, row 1001"] or poison == "unclosed-quote-paired-later"
    assert words in flagged[0].notes[0] and "line 1001" in flagged[0].notes[0]
    readable = {r.student_id for r in results if r.readable}
    expected = {f"s{n}" for n in range(1, 2001) if n != 1000}
    if poison == "unclosed-quote-paired-later":
        expected.discard("s1500")  # its own stray quote: flagged too, on its own line
        assert [r.source for r in flagged] == [f"{path}, row 1001", f"{path}, row 1501"]
    assert readable == expected


def test_a_legitimate_multi_line_answer_is_not_taken_for_an_open_quote(tmp_path: Path) -> None:
    text = HEADER + 's1,"Ada\nLovelace",7200\r\ns2,Alan,7200\r\n'
    documents = read_uploaded(text.encode("utf-8"), Path("form.csv"))
    assert [(d.problem, d.data["name"]) for d in documents] == [("", "Ada\nLovelace"), ("", "Alan")]


# A minimal workbook written by hand (not by openpyxl, which reads it): the parts Excel needs.
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Form" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '</Relationships>'
)


def workbook(rows_xml: str, dimension: str | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f"{declared}<sheetData>{rows_xml}</sheetData></worksheet>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS), ("xl/workbook.xml", WORKBOOK),
                           ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS), ("xl/worksheets/sheet1.xml", sheet)):
            archive.writestr(name, text)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


SMALL = workbook(f'<row r="1">{text_cell("A1", "student_id")}{text_cell("B1", "q1.standard.weights")}</row>'
                 f'<row r="2">{text_cell("A2", "s1")}{text_cell("B2", "7200")}</row>')


def test_the_hand_made_workbook_reads_as_a_form() -> None:
    [document] = read_uploaded(SMALL, Path("form.xlsx"))
    assert document.data == {"student_id": "s1", "answers": {"q1.standard.weights": "7200"}}


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def refused(data: bytes, intake: Intake = DEFAULT_INTAKE) -> str:
    """Refused by the web page's reader and by the batch's, the same way; returns the message."""
    with pytest.raises(InputError) as uploaded:
        read_uploaded(data, Path("form.xlsx"), intake)
    return uploaded.value.detail


def test_a_string_bomb_is_refused_by_its_declared_size_before_it_is_unpacked(tmp_path: Path) -> None:
    """1 GB of one letter packs into about 1 MB; sharedStrings.xml would be read whole."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("xl/sharedStrings.xml", "w") as stream:
            chunk = b"A" * (1 << 20)
            for _ in range(1024):
                stream.write(chunk)
    bomb = buffer.getvalue()
    assert len(bomb) < 2_000_000
    before, start = peak_memory_mb(), time.perf_counter()
    detail = refused(bomb)
    assert "unpacks to 1,073,74" in detail and "more than the limit of 268,435,456" in detail
    assert time.perf_counter() - start < 5 and peak_memory_mb() - before < 100
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb)
    with pytest.raises(InputError) as batch:
        read_documents(path)
    assert batch.value.detail == detail


def test_a_sheet_declaring_every_cell_of_excel_is_refused_unread() -> None:
    bomb = workbook(f'<row r="1">{text_cell("A1", "student_id")}</row>', dimension="A1:XFD1048576")
    assert len(bomb) < 2_000
    assert refused(bomb) == "first sheet: declares 1,048,576 rows by 16,384 columns, more than the limit of 5,000,000 cells"


def test_a_sparse_sheet_lying_about_its_size_is_stopped_at_the_cells_limit() -> None:
    """A cell in the last column of each row: 27 KB on disk, each row 16,384 cells wide when read."""
    rows = "".join(f'<row r="{n}"><c r="XFD{n}"><v>1</v></c></row>' for n in range(1, 1001))
    bomb = workbook(rows, dimension="A1:B2")
    before = peak_memory_mb()
    detail = refused(bomb)
    # 305 rows × 16,384 = 4,997,120 cells; one row more passes 5 M
    assert detail.endswith("more than the limit of 5,000,000 cells read") and detail.startswith("row 306: ")
    assert peak_memory_mb() - before < 400
    assert "cells read" in refused(bomb, Intake(Limits(max_form_cells=10_000)))


def test_rows_far_below_the_last_are_numbered_as_a_spreadsheet_shows_them() -> None:
    data = workbook(f'<row r="1">{text_cell("A1", "student_id")}</row><row r="7">{text_cell("A7", "s7")}</row>')
    [document] = read_uploaded(data, Path("form.xlsx"))
    assert (document.source, document.data["student_id"]) == ("form.xlsx, row 7", "s7")


def test_an_overlong_workbook_cell_flags_its_row_alone() -> None:
    data = workbook(f'<row r="1">{text_cell("A1", "student_id")}{text_cell("B1", "name")}</row>'
                    f'<row r="2">{text_cell("A2", "s1")}{text_cell("B2", "x" * 140_000)}</row>'
                    f'<row r="3">{text_cell("A3", "s2")}{text_cell("B3", "Bo")}</row>')
    documents = read_uploaded(data, Path("form.xlsx"))
    assert [(d.source, d.problem) for d in documents] == [
        ("form.xlsx, row 2", "column 2: a cell of 140,000 characters, more than the limit of 131,072"),
        ("form.xlsx, row 3", ""),
    ]


def test_a_zip_entry_lying_about_its_size_unpacks_no_further_than_it_declares() -> None:
    """The declared sizes are what the bound checks; Python's zipfile stops each entry there
    (and finds the CRC wrong), so a lie makes the workbook unreadable, never bigger."""
    honest = workbook(f'<row r="1">{text_cell("A1", "student_id")}</row>' + "<row/>" * 2_000_000)
    data = bytearray(honest)
    archive = zipfile.ZipFile(io.BytesIO(honest))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > 10_000_000
    central = data.find(b"xl/worksheets/sheet1.xml", data.find(b"PK\x01\x02")) - 46
    data[info.header_offset + 22:info.header_offset + 26] = (1000).to_bytes(4, "little")
    data[central + 24:central + 28] = (1000).to_bytes(4, "little")
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml").file_size == 1000
    assert refused(bytes(data)) == "not a readable .xlsx workbook"


def test_a_zip_of_a_hundred_thousand_entries_is_refused_before_they_are_listed() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for index in range(20_000):
            archive.writestr(f"x/{index}", b"")
    assert refused(buffer.getvalue()) == "a zip of 20,000 entries, more than the 10,000 a workbook may have"
    assert read_uploaded(SMALL, Path("form.xlsx"))  # a real workbook's few entries pass
