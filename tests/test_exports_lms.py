"""grader.exports.lms_*: each LMS file laid out like that LMS's documented sample (tests/fixtures/lms),
read back with pandas, with the hand-derived totals and every student of the roster."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from grader.course.class_grading import grade_class
from grader.course.class_inputs import ClassInputs
from grader.exports import (
    lms_blackboard,
    lms_brightspace,
    lms_canvas,
    lms_gradescope,
    lms_moodle,
)
from grader.intake.discovery import find_submission_files
from grader.intake.roster import Person, read_roster
from tests.homework import EXAMPLES, SUBMISSIONS

FIXTURES = Path(__file__).parent / "fixtures"
TITLE = "SML Homework 4: convolution arithmetic and backpropagation"
# Hand-derived: each example's total, Frances Allen (on the roster, no file) 0.
TOTALS = {**{sid: total for sid, (*_, total) in EXAMPLES.items()}, "s1010": 0}
MODULES = {"canvas": lms_canvas, "moodle": lms_moodle, "blackboard": lms_blackboard, "brightspace": lms_brightspace, "gradescope": lms_gradescope}


@pytest.fixture(scope="module")
def batch(homework_key):
    roster = read_roster(FIXTURES / "roster.csv")
    return grade_class(homework_key, find_submission_files([SUBMISSIONS]), ClassInputs(roster=roster))


def rendered(module, batch) -> bytes:  # type: ignore[no-untyped-def]
    [(name, data)] = list(module.render(batch))
    assert name == f"lms/{module.__name__.rsplit('_', 1)[1]}.csv"
    return data


def header(data: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(data.decode("utf-8"))))


@pytest.mark.parametrize(("lms", "item"), [
    ("canvas", "Assignment 1"), ("moodle", "Assignment 1"), ("blackboard", "Assignment 1 [Total Pts: 10 Score]"),
    ("brightspace", "Assignment 1 Points Grade"), ("gradescope", None),
])
def test_columns_are_those_of_the_documented_sample(batch, lms: str, item: str | None) -> None:
    sample = header((FIXTURES / "lms" / f"{lms}.csv").read_bytes())
    ours = header(rendered(MODULES[lms], batch))
    ours_item = {"Assignment 1": TITLE, "Assignment 1 [Total Pts: 10 Score]": f"{TITLE} [Total Pts: 37 Score]",
                 "Assignment 1 Points Grade": f"{TITLE} Points Grade"}.get(item or "")
    assert ours == [ours_item if column == item else column for column in sample]


def test_canvas_reads_back_with_points_possible_and_every_student(batch) -> None:
    frame = pd.read_csv(io.BytesIO(rendered(lms_canvas, batch)), dtype=str, keep_default_na=False)
    assert frame.iloc[0].tolist() == ["Points Possible", "", "", "", "", "37"]
    scores = dict(zip(frame["SIS User ID"][1:], frame[TITLE][1:].astype(int)))
    assert scores == {**TOTALS, "broken-upload": 0}
    ada = frame[frame["SIS User ID"] == "s1001"].iloc[0]
    assert (ada["Student"], ada["Section"]) == ("Ada Lovelace", "A")


def test_canvas_uses_the_canvas_ids_of_a_canvas_roster(homework_key) -> None:
    roster = read_roster(FIXTURES / "canvas_export.csv")
    small = grade_class(homework_key, [SUBMISSIONS / "ada-lovelace.yaml"], ClassInputs(roster=roster))
    lines = rendered(lms_canvas, small).decode("utf-8").splitlines()
    assert lines[2:] == ['"Lovelace, Ada",9001,s1001,ada,CS-101 A,37', '"Turing, Alan",9002,s1002,alan,CS-101 A,0']


def test_moodle_is_keyed_by_id_number_and_email(batch) -> None:
    frame = pd.read_csv(io.BytesIO(rendered(lms_moodle, batch)), dtype=str, keep_default_na=False)
    allen = frame[frame["ID number"] == "s1010"].iloc[0].tolist()
    assert allen == ["Frances", "Allen", "s1010", "frances@example.edu", "0"]
    assert dict(zip(frame["ID number"], frame[TITLE].astype(int))) == {**TOTALS, "broken-upload": 0}


def test_blackboard_quotes_every_field(batch) -> None:
    lines = rendered(lms_blackboard, batch).decode("utf-8").split("\r\n")
    assert lines[2] == '"Lovelace","Ada","s1001","37"'
    assert all(line.startswith('"') for line in lines if line)


def test_brightspace_ends_every_row_with_the_end_of_line_indicator(batch) -> None:
    frame = pd.read_csv(io.BytesIO(rendered(lms_brightspace, batch)), dtype=str, keep_default_na=False)
    assert set(frame["End-of-Line Indicator"]) == {"#"}
    assert dict(zip(frame["OrgDefinedId"], frame[f"{TITLE} Points Grade"].astype(int))) == {**TOTALS, "broken-upload": 0}


def test_gradescope_marks_missing_and_ungraded(batch) -> None:
    frame = pd.read_csv(io.BytesIO(rendered(lms_gradescope, batch)), dtype=str, keep_default_na=False)
    status = dict(zip(frame["SID"], frame["Status"]))
    assert (status["s1010"], status["broken-upload"], status["s1001"]) == ("Missing", "Ungraded", "Graded")
    assert set(frame["Max Points"]) == {"37"}


@pytest.mark.parametrize("lms", sorted(MODULES))
def test_formula_payloads_are_neutralised_in_every_lms_file(homework_key, tmp_path: Path, lms: str) -> None:
    path = tmp_path / "evil.json"
    path.write_text(json.dumps({"student_id": "=1+1", "name": "@SUM(A1) -x", "answers": {}}), encoding="utf-8")
    roster = (Person("=1+1", "@SUM(A1) -x", "+evil@example.edu", "-A", "\t9", "\rlogin"),)
    data = rendered(MODULES[lms], grade_class(homework_key, [path], ClassInputs(roster=roster))).decode("utf-8")
    cells = [cell for row in csv.reader(io.StringIO(data)) for cell in row]
    assert cells and not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert any(cell.startswith("'") for cell in cells)
