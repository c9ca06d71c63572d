"""gradebook.xlsx end to end: the rows written as text and spliced into openpyxl's sheets read
back, cell for cell, in openpyxl and pandas, with their formats, filters and panes."""
from __future__ import annotations

import io
import json
import zipfile
from fractions import Fraction

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import get_column_letter

from grader.course.class_grading import grade_class
from grader.course.class_inputs import ClassInputs
from grader.course.class_results import BatchResult
from grader.exports import gradebook_xlsx
from grader.exports.exporter import content_bytes
from grader.exports.gradebook_table import gradebook_table
from grader.exports.xlsx_cells import cell_value
from grader.intake.discovery import find_submission_files
from grader.judging.results import Override
from tests.homework import SUBMISSIONS

ODD_NAME = "<Ada & Bob>\u0007"


@pytest.fixture(scope="module")
def batch(homework_key, tmp_path_factory: pytest.TempPathFactory) -> BatchResult:
    """The bundled class, a student whose name and answer try markup, a control character and a
    formula, and half a point given back so that the adjustment columns need two decimals."""
    folder = tmp_path_factory.mktemp("odd")
    odd = {"student_id": "s0", "name": ODD_NAME, "answers": {"q1.standard.weights": "=1+1", "q1.standard.macs": "a\r\nb"}}
    (folder / "odd.json").write_text(json.dumps(odd), encoding="utf-8")
    files = [*find_submission_files([SUBMISSIONS]), folder / "odd.json"]
    override = Override("s1002", "q1", "half a point back", change=Fraction(1, 2))
    return grade_class(homework_key, files, ClassInputs(overrides=(override,)))


@pytest.fixture(scope="module")
def data(batch: BatchResult) -> bytes:
    [(_, content)] = list(gradebook_xlsx.render(batch))
    return content_bytes(content)


@pytest.fixture(scope="module")
def book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def shown(value: object) -> object:
    """What a reader gets back for a value: empty text is an empty cell."""
    plain = cell_value(value)  # type: ignore[arg-type]
    return None if plain == "" else plain


def test_every_grades_cell_reads_back_as_written(batch: BatchResult, book: openpyxl.Workbook) -> None:
    table = gradebook_table(batch)
    sheet = book["Grades"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(table.rows) and sheet.max_row == len(table.rows) + 2
    assert rows == [tuple(shown(value) for value in row) for row in table.rows]
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(table.headers))}{len(table.rows) + 2}"
    assert sheet.freeze_panes == "C3"


def test_points_stay_numbers_with_two_decimals_where_a_column_has_fractions(batch: BatchResult, book: openpyxl.Workbook) -> None:
    sheet = book["Grades"]
    headers = [cell.value for cell in sheet[1]]
    turing = next(row for row in sheet.iter_rows(min_row=3) if row[0].value == "s1002")
    final, total = turing[headers.index("final")], turing[headers.index("total")]
    assert (final.value, final.data_type, final.number_format) == (34.5, "n", "0.00")
    assert (total.value, total.data_type, total.number_format) == (34, "n", "General")
    assert sheet.cell(2, headers.index("final") + 1).number_format == "0.00"  # openpyxl's own points row


def test_text_is_escaped_cleaned_and_never_a_formula(book: openpyxl.Workbook, data: bytes) -> None:
    grades, answers = book["Grades"], book["Answers"]
    [odd] = [row for row in grades.iter_rows(min_row=3) if row[0].value == "s0"]
    assert (odd[1].value, odd[1].data_type) == ("<Ada & Bob>\ufffd", "s")
    [odd_answers] = [row for row in answers.iter_rows(min_row=2, values_only=True) if row[0] == "s0"]
    assert odd_answers[2:6] == ("'=1+1", "incorrect", "a\r\nb", "unreadable")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not [name for name in archive.namelist() if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)]


def test_every_answers_cell_reads_back_as_written(batch: BatchResult, book: openpyxl.Workbook) -> None:
    rows = list(book["Answers"].iter_rows(min_row=2, values_only=True))
    expected = [
        (shown(result.student_id), shown(result.name), *(shown(cell) for v in result.verdicts for cell in (v.raw_text, v.status.value)))
        for result in batch.results
    ]
    assert rows == expected


def test_pandas_reads_the_sheets_with_numbers_as_numbers(batch: BatchResult, data: bytes) -> None:
    grades = pd.read_excel(io.BytesIO(data), sheet_name="Grades", skiprows=[1])
    assert list(grades["student_id"]) == [result.student_id for result in batch.results]
    assert grades["final"].dtype.kind == "f" and grades["total"].dtype.kind == "i"
    assert grades.loc[grades["student_id"] == "s1002", "final"].item() == 34.5
    answers = pd.read_excel(io.BytesIO(data), sheet_name="Answers")
    assert answers.shape == (len(batch.results), 2 + 2 * len(batch.key.entries))
    assert set(answers["q1.standard.weights verdict"]) <= {"correct", "incorrect", "unreadable", "missing", "partially correct"}


def test_the_workbook_is_byte_identical_when_rendered_again(batch: BatchResult, data: bytes) -> None:
    [(_, again)] = list(gradebook_xlsx.render(batch))
    assert content_bytes(again) == data


def test_a_large_class_comes_in_pieces_that_make_the_same_workbook(homework_key, tmp_path) -> None:
    """600 students: the Answers sheet's rows are zipped a few hundred at a time, each piece
    handed over as it is made; joined, they are a workbook that zipfile and openpyxl read whole."""
    paths = []
    for index in range(600):
        path = tmp_path / f"s{index:03d}.json"
        path.write_text(json.dumps({"student_id": f"s{index:03d}", "answers": {"q1.standard.weights": index}}), encoding="utf-8")
        paths.append(path)
    [(_, content)] = list(gradebook_xlsx.render(grade_class(homework_key, paths)))
    pieces = [piece for piece in content() if piece]  # type: ignore[operator, union-attr]
    assert len(pieces) > 4
    whole = b"".join(pieces)
    assert zipfile.ZipFile(io.BytesIO(whole)).testzip() is None
    sheet = openpyxl.load_workbook(io.BytesIO(whole), read_only=True)["Answers"]
    assert [row[2] for row in sheet.iter_rows(min_row=600, max_row=601, values_only=True)] == ["598", "599"]  # as typed
