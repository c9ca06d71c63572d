"""gradebook.xlsx beyond the Grades table: Answers and Statistics sheets, the chart, filters and formats."""
from __future__ import annotations

import io
import json
import zipfile
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from grader.course.class_grading import grade_class
from grader.course.class_inputs import ClassInputs
from grader.exports import gradebook_xlsx
from grader.exports.exporter import content_bytes
from grader.intake.discovery import find_submission_files
from grader.judging.results import Override
from tests.homework import EXAMPLES, SUBMISSIONS


def workbook_data(batch) -> bytes:  # type: ignore[no-untyped-def]
    [(name, content)] = list(gradebook_xlsx.render(batch))
    assert name == "gradebook.xlsx"
    return content_bytes(content)


@pytest.fixture(scope="module")
def data(homework_key) -> bytes:
    return workbook_data(grade_class(homework_key, find_submission_files([SUBMISSIONS])))


@pytest.fixture(scope="module")
def book(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_grades_sheet_has_a_filter_and_numbers_as_numbers(book) -> None:
    sheet = book["Grades"]
    assert sheet.auto_filter.ref == "A1:AT11"  # 46 columns, header + points row + 9 submissions
    assert sheet["AT2"].value == 37 and sheet["AT3"].data_type == "n"
    assert sheet["AT3"].number_format == "General"  # whole points need no format; fractions get 0.00


def test_answers_sheet_has_what_each_student_wrote_and_the_verdict(book) -> None:
    rows = list(book["Answers"].iter_rows(values_only=True))
    assert rows[0][:6] == ("student_id", "name", "q1.standard.weights", "q1.standard.weights verdict", "q1.standard.macs", "q1.standard.macs verdict")
    assert len(rows) == 1 + 9 and len(rows[0]) == 2 + 2 * 37
    turing = dict(zip(rows[0], next(row for row in rows if row[0] == "s1002")))
    assert (turing["q1.standard.weights"], turing["q1.standard.weights verdict"]) == ("7240", "incorrect")
    assert turing["q1.separable.weights verdict"] == "correct given earlier answers"
    shannon = dict(zip(rows[0], next(row for row in rows if row[0] == "s1008")))
    assert (shannon["q1.standard.macs"], shannon["q1.standard.macs verdict"]) == ("about 1.6 million", "unreadable")
    assert book["Answers"].freeze_panes == "C2" and book["Answers"].auto_filter.ref == "A1:BX10"  # 76 columns


def test_statistics_sheet_has_the_class_figures(book) -> None:
    rows = list(book["Statistics"].iter_rows(values_only=True))
    figures = {row[0]: row[1] for row in rows[:6]}
    assert figures["students counted"] == 8 and figures["mean"] == pytest.approx(32) and figures["median"] == 34.5
    weights = next(row for row in rows if row[0] == "q1.standard.weights")
    assert weights[1:4] == (1, 0.875, 0.125) and weights[5] == "7240 (1)"
    q2 = next(row for row in rows if row[0] == "q2")
    assert q2[2] == 0.75
    bins = [(row[7], row[8]) for row in rows[1:11]]
    # hand-binned by 4 points: 10 → 8; 20 → 20; 32, 33 ×3, 35 → 32; 37 → 36
    # scores 10 | 34 34 34 35 | 36 36 37 (credit carried forward)
    assert bins == [("0", 0), ("4", 0), ("8", 1), ("12", 0), ("16", 0), ("20", 0), ("24", 0), ("28", 0), ("32", 4), ("36", 3)]
    assert sum(count for _, count in bins) == len(EXAMPLES) - 1


def test_the_distribution_is_a_native_bar_chart(data) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode("utf-8")
    assert "<barChart>" in chart and "'Statistics'!$I$2:$I$11" in chart and "'Statistics'!$H$2:$H$11" in chart


def test_a_formula_in_an_answer_is_text_in_the_answers_sheet(homework_key, tmp_path: Path) -> None:
    path = tmp_path / "evil.json"
    path.write_text(json.dumps({"student_id": "s9", "answers": {"q1.standard.weights": "=HYPERLINK(\"x\")"}}), encoding="utf-8")
    data = workbook_data(grade_class(homework_key, [path]))
    answers = openpyxl.load_workbook(io.BytesIO(data))["Answers"]
    assert answers["C2"].value == "'=HYPERLINK(\"x\")" and answers["C2"].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not [name for name in archive.namelist() if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)]


def test_adjustment_columns_are_formatted_as_numbers(homework_key) -> None:
    override = Override("s1002", "q1", "half a point back", change=Fraction(1, 2))
    batch = grade_class(homework_key, [SUBMISSIONS / "alan-turing.json"], ClassInputs(overrides=(override,)))
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_data(batch)))["Grades"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[-4:] == ["total", "overrides", "late penalty", "final"]
    overrides, late, final = (sheet.cell(3, headers.index(name) + 1) for name in ("overrides", "late penalty", "final"))
    assert (overrides.value, late.value, final.value) == (0.5, 0, 34.5)  # 34 + 1/2
    assert overrides.number_format == "0.00" and late.number_format == "General" and final.number_format == "0.00"
    assert sheet.cell(2, headers.index("final") + 1).value == 37
