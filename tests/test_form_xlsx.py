"""grader.intake.form_xlsx: an .xlsx form export read as a document per row, formulas never evaluated."""
from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from grader.base.errors import InputError
from grader.base.limits import Limits
from grader.intake.form_xlsx import read_xlsx_form
from grader.intake.settings import Intake


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
    assert documents[0].data == {"student_id": "s1", "name": "Ada", "answers": {"q1.a": 7200, "q1.b": "=1+1"}}  # no stored value: its text
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


VALID = workbook_bytes([["student_id", "q1.a"], ["s1", 7200]])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), min_size=1, max_size=8), st.integers(0, len(VALID)))
def test_a_damaged_workbook_is_read_or_refused_never_a_crash(changes: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(VALID[:cut] if cut > len(VALID) // 2 else VALID)
    for position, value in changes:
        if position < len(data):
            data[position] = value
    try:
        documents = read_xlsx_form(bytes(data), Path("quiz.xlsx"), Intake())
    except InputError as error:
        assert error.source == "quiz.xlsx" and error.expected
    else:
        assert all(isinstance(d.data, dict) for d in documents)


def test_a_formula_with_no_stored_value_is_flagged_not_missing(tmp_path: Path) -> None:
    from grader.course.class_grading import grade_class
    from grader.judging.results import Standing, Status
    from grader.rubric.answer_key import build_answer_key
    from grader.rubric.model import load_rubric
    from tests.homework import RUBRIC

    form = tmp_path / "quiz.xlsx"
    form.write_bytes(workbook_bytes([
        ["student_id", "q1.standard.weights", "q1.standard.macs", "q1.depthwise.weights"],
        ["s1", "=3*3*20*40", "=SUM(B2:B2)*225", None],  # plain arithmetic; a formula over cells; truly blank
    ]))
    [result] = grade_class(build_answer_key(load_rubric(RUBRIC)), [form]).results
    verdicts = {v.path: v for v in result.verdicts}
    assert verdicts["q1.standard.weights"].status is Status.CORRECT  # =3*3*20*40 is 7200, as a spreadsheet shows it
    macs = verdicts["q1.standard.macs"]
    assert (macs.status, macs.raw_text) == (Status.UNREADABLE, "=SUM(B2:B2)*225")
    assert "a spreadsheet formula with no value stored" in macs.feedback
    assert verdicts["q1.depthwise.weights"].status is Status.MISSING
    assert result.standing is Standing.REVIEW  # an unreadable answer is a TA's to look at
