"""grader.form_xlsx: an .xlsx form export read as a document per row, formulas never evaluated."""
from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from grader.errors import InputError
from grader.form_xlsx import read_xlsx_form
from grader.intake import Intake
from grader.limits import Limits


def workbook_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_rows_keep_their_cell_types_and_formulas_are_not_run() -> None:
    data = workbook_bytes([
        ["Student_ID", "Name", "q1.a", "q1.b"],
        ["s1", "Ada", 7200, "=1+1"],
        [1002, None, 7.5, datetime.datetime(2026, 1, 2)],
    ])
    documents = read_xlsx_form(data, Path("quiz.xlsx"), Intake())
    assert [d.source for d in documents] == ["quiz.xlsx, row 2", "quiz.xlsx, row 3"]
    assert documents[0].data == {"student_id": "s1", "name": "Ada", "answers": {"q1.a": 7200, "q1.b": None}}  # no cached value
    assert documents[1].data == {"student_id": 1002, "name": None, "answers": {"q1.a": 7.5, "q1.b": datetime.datetime(2026, 1, 2)}}


@pytest.mark.parametrize(("data", "expected"), [
    (b"PK\x03\x04 not really a zip", "not a readable .xlsx workbook"),
    (b"student_id,q1.a\n", "not a readable .xlsx workbook"),
    (workbook_bytes([]), "an empty form export, expected a header row and a row a student"),
])
def test_unreadable_workbooks_are_refused(data: bytes, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        read_xlsx_form(data, Path("quiz.xlsx"), Intake())
    assert (caught.value.source, caught.value.expected) == ("quiz.xlsx", expected)


def test_the_row_limit_applies_before_the_sheet_is_read_whole() -> None:
    data = workbook_bytes([["student_id"], *([f"s{i}"] for i in range(50))])
    with pytest.raises(InputError) as caught:
        read_xlsx_form(data, Path("quiz.xlsx"), Intake(Limits(max_form_rows=10)))
    assert caught.value.expected == "more than 10 rows"
