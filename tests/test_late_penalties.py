"""grader.course.late_penalties and grader.intake.lms_times: penalties applied to a class, from the LMS's times or the files'."""
from __future__ import annotations

import copy
import csv
import json
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from grader.base.documents import read_document
from grader.base.errors import InputError
from grader.course.class_grading import grade_class
from grader.course.class_inputs import ClassInputs
from grader.intake.lms_times import parse_timestamps
from grader.rubric.answer_key import build_answer_key
from grader.rubric.model import parse_rubric
from tests.homework import EXPECTED_KEY, RUBRIC, SUBMISSIONS
from tests.test_cli import run

LATE = {"due": "2026-03-01 23:59", "timezone": "Europe/Berlin", "penalty_per_day": 10, "cap": 50}


@pytest.fixture(scope="module")
def late_key():
    document = copy.deepcopy(read_document(RUBRIC))
    document["late"] = LATE
    return build_answer_key(parse_rubric(document, "hw.yaml"))


def submission(tmp_path: Path, student: str, **fields: object) -> Path:
    path = tmp_path / f"{student}.json"
    path.write_text(json.dumps({"student_id": student, "answers": EXPECTED_KEY, **fields}), encoding="utf-8")
    return path


def test_the_time_in_the_file_is_used(late_key, tmp_path: Path) -> None:
    path = submission(tmp_path, "s1", submitted_at="2026-03-03T10:00+01:00")  # 2 started days: 20%
    [result] = grade_class(late_key, [path]).results
    assert (result.total, result.late_deduction, result.final) == (37, Fraction(37, 5), Fraction(148, 5))  # 37 - 7.4 = 29.6


def test_the_lms_time_wins_over_the_files(late_key, tmp_path: Path) -> None:
    path = submission(tmp_path, "s1", submitted_at="2026-03-03T10:00+01:00")
    [result] = grade_class(late_key, [path], ClassInputs(times={"s1": "2026-03-01 23:00"})).results
    assert (result.late.share, result.final, result.notes) == (0, 37, ())


@pytest.mark.parametrize(("fields", "notes"), [
    ({}, ("no submission time: the late policy was not applied",)),
    ({"submitted_at": "soon"}, (
        "submitted: 'soon' is not a date and time such as 2026-11-20 10:05; it is ignored",
        "submission time 'soon' is not a date and time: the late policy was not applied",
    )),
])
def test_without_a_readable_time_there_is_a_note_and_no_penalty(late_key, tmp_path: Path, fields: dict, notes: tuple) -> None:
    [result] = grade_class(late_key, [submission(tmp_path, "s1", **fields)]).results
    assert (result.late, result.final, result.all_notes) == (None, 37, notes)
    assert "late policy" not in " ".join(result.notes)  # the TA's concern, not the student's


def test_timestamps_csv_plain_and_gradescope() -> None:
    assert parse_timestamps("student_id,submitted_at\r\ns1,2026-03-02 00:30\r\n", "t.csv") == {"s1": "2026-03-02 00:30"}
    gradescope = "Name,SID,Submission Time\r\nAda,s1,2026-03-01 18:30:00 -0500\r\n"
    assert parse_timestamps(gradescope, "t.csv") == {"s1": "2026-03-01 18:30:00 -0500"}


@pytest.mark.parametrize(("text", "message"), [
    ("id,time\r\n", "t.csv at header: expected the columns student_id, submitted_at"),
    ("student_id,submitted_at\r\ns1,x\r\ns1,y\r\n", "t.csv at row 3: student s1 has a second submission time"),
])
def test_bad_timestamps_are_refused(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_timestamps(text, "t.csv")
    assert str(caught.value).startswith(message)


def test_grade_applies_the_late_policy_from_a_timestamps_csv(tmp_path: Path) -> None:
    document = read_document(RUBRIC) | {"late": LATE}
    rubric = tmp_path / "hw.yaml"
    rubric.write_text(yaml.safe_dump(document), encoding="utf-8")
    times = tmp_path / "times.csv"
    times.write_text("student_id,submitted_at\ns1002,2026-03-02 09:00\ns1001,2026-03-01 12:00\n", encoding="utf-8")
    shutil.copytree(SUBMISSIONS, tmp_path / "in")
    done = run("grade", str(rubric), str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--timestamps", str(times))
    assert done.returncode == 1, done.stderr
    with (tmp_path / "out" / "lms" / "sml-hw4-canvas.csv").open(encoding="utf-8", newline="") as stream:
        scores = {row[2]: row[5] for row in csv.reader(stream)}
    assert (scores["s1002"], scores["s1001"]) == ("30.6", "37")  # Turing 34, 1 day late: 34 - 3.4
    report = (tmp_path / "out" / "students" / "s1002.md").read_text(encoding="utf-8")
    assert "Late penalty: −3.4 (10%)" in report
    assert "no submission time: the late policy was not applied" in done.stdout  # the others had no time


def test_a_semicolon_separated_timestamps_file_is_read() -> None:
    text = "student_id;submitted_at\r\ns1;2026/03/02 00:30:00\r\n"  # European Excel, Google Forms' time
    assert parse_timestamps(text, "t.csv") == {"s1": "2026/03/02 00:30:00"}
