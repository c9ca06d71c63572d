"""grader.course.overrides: a TA's overrides read, checked against the key, and applied to the final score."""
from __future__ import annotations

import csv
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from grader.base.errors import SettingsError
from grader.course.class_grading import grade_class
from grader.course.class_inputs import ClassInputs
from grader.course.overrides import parse_overrides
from grader.exports.gradebook_table import gradebook_table
from grader.intake.discovery import find_submission_files
from grader.judging.results import Override
from tests.homework import RUBRIC, SUBMISSIONS
from tests.test_cli import run


def final_scores(key, overrides):  # type: ignore[no-untyped-def]
    batch = grade_class(key, find_submission_files([SUBMISSIONS]), ClassInputs(overrides=overrides))
    return {r.student_id: r.final for r in batch.results}, batch


def test_overrides_are_read_with_points_or_an_adjustment(homework_key) -> None:
    document = {"overrides": [
        {"student": "s1002", "target": "q1", "points": 8, "reason": "bias accepted"},
        {"student": "s1006", "target": "q3.grad.x1", "adjust": "-1/2", "reason": " sign slip "},
    ]}
    assert parse_overrides(document, "o.yaml", homework_key) == (
        Override("s1002", "q1", "bias accepted", points=Fraction(8)),
        Override("s1006", "q3.grad.x1", "sign slip", change=Fraction(-1, 2)),
    )


def test_every_issue_is_listed_with_its_place(homework_key) -> None:
    document = {"overrides": [
        {"student": "s1", "target": "q9", "points": 1, "reason": "x"},
        {"student": "s1", "target": "q1", "points": 1, "adjust": 1, "reason": "x"},
        {"student": "s1", "target": "q1", "adjust": 1, "reason": " "},
        {"student": "s2", "target": "q2", "adjust": 1, "reason": "x", "note": "?"},
        {"student": "s3", "target": "q2", "adjust": 1, "reason": "a"},
        {"student": "s3", "target": "q2", "adjust": 2, "reason": "b"},
    ]}
    with pytest.raises(SettingsError) as caught:
        parse_overrides(document, "o.yaml", homework_key)
    assert caught.value.issues == (
        "field 'overrides[1].target': expected an answer path or problem id of this assignment, found 'q9'",
        "field 'overrides[2].points': give either points (the new points) or adjust (a change), not both or neither",
        "field 'overrides[3].reason': a reason the student will read is required",
        "field 'overrides[4].note': unknown field",
        "student s3, target q2: overridden twice; keep one entry",
    )
    assert str(caught.value).startswith("o.yaml cannot be used:")


def test_answer_and_problem_overrides_change_the_final_score(homework_key) -> None:
    overrides = (
        Override("s1002", "q1", "bias accepted", points=Fraction(8)),  # 34 - 5 + 8 = 37
        Override("s1006", "q3.grad.x1", "half credit", points=Fraction(1, 2)),  # x1 carried (1) set to 1/2: q3 21 1/2
        Override("s1006", "q3", "plus one", change=Fraction(1)),  # q3 22 1/2: 8 + 6 + 22 1/2 = 36 1/2
        Override("s1001", "q2", "copied", points=Fraction(0)),  # 37 - 6 = 31
    )
    finals, batch = final_scores(homework_key, overrides)
    assert (finals["s1002"], finals["s1006"], finals["s1001"], finals["s1003"]) == (37, Fraction(73, 2), 31, 34)
    turing = next(r for r in batch.results if r.student_id == "s1002")
    assert turing.total == 34 and turing.problem_score("q1") == 5  # the answers' own points are kept


def test_the_gradebook_gains_override_and_final_columns(homework_key) -> None:
    _, batch = final_scores(homework_key, (Override("s1002", "q1", "bias accepted", points=Fraction(8)),))
    table = gradebook_table(batch)
    assert table.headers[-4:] == ("total", "overrides", "late penalty", "final")
    turing = next(row for row in table.rows if row[0] == "s1002")
    assert turing[-4:] == (34, 3, 0, 37)


def test_an_override_for_a_student_nobody_knows_is_an_error(homework_key) -> None:
    with pytest.raises(SettingsError, match="student s9999: no submission or roster entry has this id"):
        final_scores(homework_key, (Override("s9999", "q1", "x", points=Fraction(1)),))


def test_grade_applies_overrides_beside_the_rubric(tmp_path: Path) -> None:
    rubric = tmp_path / "hw.yaml"
    shutil.copy(RUBRIC, rubric)
    (tmp_path / "overrides.yaml").write_text(
        "overrides:\n  - {student: s1002, target: q1, points: 8, reason: Counting the bias is accepted.}\n", encoding="utf-8"
    )
    done = run("grade", str(rubric), str(SUBMISSIONS), "--out", str(tmp_path / "out"))
    assert done.returncode == 1, done.stderr
    with (tmp_path / "out" / "lms" / "sml-hw4-canvas.csv").open(encoding="utf-8", newline="") as stream:
        scores = {row[2]: row[5] for row in csv.reader(stream)}
    assert (scores["s1002"], scores["s1001"]) == ("37", "37")
    report = (tmp_path / "out" / "students" / "s1002.md").read_text(encoding="utf-8")
    assert "q1: set to 8. Counting the bias is accepted." in report and "**Score: 37 / 37**" in report


def test_a_broken_overrides_file_stops_grading_with_its_issues(tmp_path: Path) -> None:
    rubric = tmp_path / "hw.yaml"
    shutil.copy(RUBRIC, rubric)
    (tmp_path / "overrides.yaml").write_text("overrides:\n  - {student: s1002, target: q7, points: 8, reason: x}\n", encoding="utf-8")
    done = run("grade", str(rubric), str(SUBMISSIONS), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "overrides.yaml cannot be used:" in done.stderr and "found 'q7'" in done.stderr
