"""grader.handout.question_sheet and grader.rubric.placeholders: a student's questions with their own numbers."""
from __future__ import annotations

import pytest

from grader.handout.question_sheet import question_sheet
from grader.rubric.answer_key import build_answer_key
from grader.rubric.model import for_student
from grader.rubric.placeholders import fill, show_value, unknown_placeholders
from tests.homework import EXPECTED_KEY


@pytest.mark.parametrize(
    ("value", "shown"),
    [([30, 30, 20], "30 × 30 × 20"), ([2, -1, 0.1], "[2, −1, 0.1]"), (["w1", "w2"], "[w1, w2]"),
     (-3, "−3"), ({"x": 1, "w": -2}, "x = 1, w = −2"), (True, "yes"), ("0.25", "0.25")],
)
def test_values_are_shown_as_a_person_writes_them(value, shown) -> None:
    assert show_value(value) == shown


def test_placeholders_are_filled_from_nested_given_values() -> None:
    given = {"input": [8, 8, 3], "values": {"x1": -1}}
    assert fill("In {input}, x1 = {values.x1}; {not a name}", given) == "In 8 × 8 × 3, x1 = −1; {not a name}"
    assert unknown_placeholders("{input} {values.x2} {kernel}", given) == ["{values.x2}", "{kernel}"]


def test_homework_sheet_lists_every_answer_line_under_its_question(homework_key) -> None:
    sheet = question_sheet(homework_key, "s1001")
    assert sheet.startswith("# SML Homework 4") and "student_id: s1001\n" in sheet
    lines = [line for line in sheet.splitlines() if line.endswith(":") and line.startswith("q")]
    assert [line[:-1] for line in lines] == list(EXPECTED_KEY)
    assert sheet.index("## q2: Padding") < sheet.index("q2.a.padding:") < sheet.index("## q3:")
    assert "- (a) input: 20 × 20 × 10; output: 20 × 20 × 10; kernel: 1" in sheet


def test_a_variant_sheet_carries_the_students_numbers() -> None:
    from grader.rubric.model import load_rubric
    from tests.homework import ROOT

    rubric = load_rubric(ROOT / "rubrics" / "example-variants.yaml")
    mine = for_student(rubric, "s7")
    given = mine.problems[0].parts[0].given
    sheet = question_sheet(build_answer_key(mine), "s7")
    assert f"An input of {show_value(given['input'])} is convolved" in sheet
    assert f"{given['kernel']}×{given['kernel']} filters" in sheet
