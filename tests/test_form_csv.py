"""grader.intake.form_csv: a CSV form export read as a document per row, in any of the accepted encodings."""
from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pytest

from grader.base.errors import InputError
from grader.base.limits import Limits
from grader.intake.form_csv import read_csv_form
from grader.intake.settings import Intake

TEXT = 'student_id,name,q1.a\r\ns1,"Lovelace, Ada","7,200"\r\ns2,Zoë,−3\r\n'
ROWS = [{"student_id": "s1", "name": "Lovelace, Ada", "answers": {"q1.a": "7,200"}},
        {"student_id": "s2", "name": "Zoë", "answers": {"q1.a": "−3"}}]


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"), codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
], ids=["utf8", "utf8-bom", "utf16le", "utf16be"])
def test_rows_are_read_in_every_accepted_encoding(data: bytes) -> None:
    documents = read_csv_form(data, Path("form.csv"), Intake())
    assert [d.data for d in documents] == ROWS
    assert [d.source for d in documents] == ["form.csv, row 2", "form.csv, row 3"]


@pytest.mark.parametrize(("data", "place", "expected"), [
    (b"", "", "an empty form export, expected a header row and a row a student"),
    ("student_id\r\ns1\r\n".encode("cp1252") + b"\x93", "byte 16", "not UTF-8 or UTF-16 text"),
    (b"student_id\x00\r\n", "line 1", "binary data, expected a text file"),
    (b'student_id,"q1.a\r\ns1,unclosed\r\n', "line 1", "not valid CSV: unexpected end of data"),
])
def test_unreadable_exports_are_refused_with_the_place(data: bytes, place: str, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        read_csv_form(data, Path("form.csv"), Intake())
    assert caught.value.place == place and caught.value.expected.startswith(expected)


def test_the_row_limit_applies() -> None:
    with pytest.raises(InputError) as caught:
        read_csv_form(b"student_id\ns1\ns2\ns3\n", Path("form.csv"), Intake(Limits(max_form_rows=2)))
    assert caught.value.expected == "more than 2 rows"


def excel_csv(rows: list[list[str]], delimiter: str) -> bytes:
    """As Python's csv module writes it with Excel's dialect, an independent writer of the format."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, dialect="excel", delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode("utf-8")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_comma_semicolon_and_tab_separated_exports_read_alike(delimiter: str) -> None:
    rows = [["student_id", "Q1 (weights, MACs; total)", "q1.b"], ["s1", "Lovelace; Ada, 7", "7,5"], ["s2", "x", "-3"]]
    documents = read_csv_form(excel_csv(rows, delimiter), Path("form.csv"), Intake())
    assert [d.data for d in documents] == [
        {"student_id": "s1", "answers": {"Q1 (weights, MACs; total)": "Lovelace; Ada, 7", "q1.b": "7,5"}},  # as typed
        {"student_id": "s2", "answers": {"Q1 (weights, MACs; total)": "x", "q1.b": "-3"}},
    ]


def test_a_semicolon_file_gives_its_columns_not_one_wide_column() -> None:
    data = "student_id;name;q1.a\r\ns1;Ada;7200\r\n".encode("utf-8-sig")
    [document] = read_csv_form(data, Path("form.csv"), Intake())
    assert document.data == {"student_id": "s1", "name": "Ada", "answers": {"q1.a": "7200"}}


def test_a_latin1_export_is_refused_with_how_to_resave_it() -> None:
    with pytest.raises(InputError) as caught:
        read_csv_form("student_id;name\r\ns1;Zoë\r\n".encode("latin-1"), Path("form.csv"), Intake())
    message = str(caught.value)
    assert message.startswith("form.csv at byte 22: not UTF-8 or UTF-16 text (it looks like Latin-1")
    assert "re-save it as UTF-8 (Excel: Save As, 'CSV UTF-8'" in message
