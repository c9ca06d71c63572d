"""grader.exports.lms_*: round trips from each LMS's own export (tests/fixtures/lms, with a test
student, a dropped student, an existing column with its id, a section column, a BOM, `;` for a
decimal-comma locale), graded, and the upload checked by that importer's own rules
(tests/lms_checkers.py, written from the importers' source and the vendors' documentation).

The enrolled students each checker matches against are written out here by hand from the fixtures,
never read with grader's roster reader."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.course.class_grading import grade_class
from grader.course.class_inputs import ClassInputs
from grader.course.class_results import BatchResult
from grader.exports import lms_blackboard, lms_brightspace, lms_canvas, lms_moodle, lms_sakai
from grader.exports.lms_rows import Upload
from grader.intake.roster import read_roster
from grader.rubric.answer_key import AnswerKey
from tests.homework import SUBMISSIONS
from tests.lms_checkers import (
    BrightspaceUsers,
    CanvasStudent,
    blackboard_problems,
    brightspace_problems,
    canvas_problems,
    moodle_problems,
    sakai_problems,
)

FIXTURES = Path(__file__).parent / "fixtures" / "lms"
TITLE = "SML Homework 4: convolution arithmetic and backpropagation"
# Ada, Alan and Grace are in every export; Claude Shannon (s1008) dropped the course and is in none;
# the broken upload is unreadable. Hand-derived totals (tests/homework.py): 37, 34, 34.
FILES = ["ada-lovelace.yaml", "alan-turing.json", "grace-hopper.yaml", "claude-shannon.yaml", "broken-upload.yaml"]
CANVAS = [
    CanvasStudent("9001", "Ada Lovelace", "s1001", "ada", "Lovelace, Ada"),
    CanvasStudent("9002", "Alan Turing", "s1002", "alan", "Turing, Alan"),
    CanvasStudent("9003", "Grace Hopper", "s1003", "grace", "Hopper, Grace"),
    CanvasStudent("9010", "Frances Allen", "s1010", "frances", "Allen, Frances"),
    CanvasStudent("9011", "Donald Knuth", "", "-knuth", "Knuth, Donald"),
]
MOODLE = [
    {"idnumber": "s1001", "email": "ada@example.edu"}, {"idnumber": "s1002", "email": "alan@example.edu"},
    {"idnumber": "", "email": "grace@example.edu"}, {"idnumber": "s1010", "email": "frances@example.edu"},
]
BLACKBOARD = {"ada.l", "alan.t", "grace.h", "frances.a"}
BRIGHTSPACE = BrightspaceUsers({"s1001", "s1002", "s1003", "s1010"}, {"ada.l", "alan.t", "grace.h", "frances.a"})
SAKAI = {"ada", "alan", "grace", "frances"}


def graded(key: AnswerKey, roster: str | None, files: list[str] = FILES, missing_as: str = "blank") -> BatchResult:
    import dataclasses

    key = dataclasses.replace(key, rubric=dataclasses.replace(key.rubric, missing_as=missing_as))
    people = read_roster(FIXTURES / roster) if roster else None
    return grade_class(key, [SUBMISSIONS / name for name in files], ClassInputs(roster=people))


def table(upload: Upload) -> list[list[str]]:
    return list(csv.reader(io.StringIO(upload.content().decode("utf-8")), delimiter=upload.delimiter))


def left_out(upload: Upload) -> dict[str, str]:
    return {entry.student_id: entry.reason for entry in upload.not_uploaded}


def assert_dropped_and_unreadable_listed(upload: Upload) -> None:
    reasons = left_out(upload)
    assert reasons["s1008"].startswith("not on the roster")
    assert reasons["broken-upload"].startswith("the submission could not be read")


def test_canvas_round_trip_passes_the_importer_and_hits_the_existing_assignment(homework_key) -> None:
    upload = lms_canvas.plan(graded(homework_key, "canvas-export.csv"))
    assert canvas_problems(upload.content(), CANVAS, {"1201"}) == []
    rows = table(upload)
    assert upload.delimiter == ";" and upload.file_name == "lms/sml-hw4-canvas.csv"
    assert rows[0][-1] == f"{TITLE} (1201)" and rows[1][0] == "Points Possible" and rows[1][-1] == "37"
    scores = {row[3]: row[-1] for row in rows[2:]}
    # Frances has no submission: Canvas's own 12,50 goes back, so nothing is cleared; Knuth had none.
    assert scores == {"ada": "37", "alan": "34", "grace": "34", "frances": "12,50", "-knuth": ""}
    assert "Student, Test" not in {row[0] for row in rows}
    assert dict(upload.missing) == {"kept": 1, "blank": 1}
    assert_dropped_and_unreadable_listed(upload)


@pytest.mark.parametrize(("choice", "written"), [("zero", "0"), ("excused", "EX")])
def test_canvas_missing_as_zero_or_excused(homework_key, choice: str, written: str) -> None:
    upload = lms_canvas.plan(graded(homework_key, "canvas-export.csv", missing_as=choice))
    assert canvas_problems(upload.content(), CANVAS, {"1201"}) == []
    scores = {row[3]: row[-1] for row in table(upload)[2:]}
    assert (scores["frances"], scores["-knuth"], scores["ada"]) == (written, written, "37")
    assert dict(upload.missing) == {written: 2}


def test_moodle_round_trip_has_one_key_column_and_no_blank_key(homework_key) -> None:
    batch = graded(homework_key, "moodle-export.csv")
    upload = lms_moodle.plan(batch)
    assert moodle_problems(upload.content(), ",", "ID number", "useridnumber", MOODLE, [TITLE]) == []
    rows = table(upload)
    assert rows[0] == ["First name", "Last name", "ID number", TITLE]
    assert {row[2]: row[3] for row in rows[1:]} == {"s1001": "37", "s1002": "34", "s1010": "12.50"}
    # Grace has no ID number in Moodle: her row would abort the whole import, so it is listed instead.
    assert left_out(upload)["grace@example.edu"].startswith("no ID number")
    assert_dropped_and_unreadable_listed(upload)


def test_moodle_xlsx_export_reads_as_its_csv(homework_key, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    with (FIXTURES / "moodle-export.csv").open(encoding="utf-8", newline="") as stream:
        for row in csv.reader(stream):
            workbook.active.append([float(cell) if cell.replace(".", "").isdigit() and "." in cell else cell for cell in row])
    workbook.save(tmp_path / "grades.xlsx")
    from_xlsx = read_roster(tmp_path / "grades.xlsx")
    assert [(p.student_id, p.email) for p in from_xlsx] == [(p.student_id, p.email) for p in read_roster(FIXTURES / "moodle-export.csv")]


def test_blackboard_round_trip_keeps_the_column_id(homework_key) -> None:
    upload = lms_blackboard.plan(graded(homework_key, "blackboard-export.xls"))
    assert blackboard_problems(upload.content(), BLACKBOARD, "4567") == []
    rows = table(upload)
    assert rows[0][-1] == f"{TITLE} [Total Pts: 37 Score] |4567"
    assert {row[2]: row[3] for row in rows[1:]} == {"ada.l": "37", "alan.t": "34", "grace.h": "34", "frances.a": "12.5"}
    assert_dropped_and_unreadable_listed(upload)


def test_brightspace_round_trip_keeps_the_hash_prefixed_keys(homework_key) -> None:
    upload = lms_brightspace.plan(graded(homework_key, "brightspace-export.csv"))
    assert brightspace_problems(upload.content(), BRIGHTSPACE, {TITLE}) == []
    rows = table(upload)
    assert rows[1][:3] == ["#s1001", "#ada.l", "37"] and rows[0][2].startswith(f"{TITLE} Points Grade <Numeric MaxPoints:37")
    assert {row[0]: row[2] for row in rows[1:]} == {"#s1001": "37", "#s1002": "34", "#s1003": "34", "#s1010": "12.5"}
    assert_dropped_and_unreadable_listed(upload)


def test_sakai_round_trip_with_semicolons_and_the_existing_item(homework_key) -> None:
    upload = lms_sakai.plan(graded(homework_key, "sakai-export.csv"))
    assert sakai_problems(upload.content(), ";", SAKAI, {TITLE: "37", "Quiz 1": "7,5"}) == []
    rows = table(upload)
    assert rows[0] == ["Student ID", "Student Name", f"{TITLE} [37]"]
    assert {row[0]: row[2] for row in rows[1:]} == {"ada": "37", "alan": "34", "grace": "34", "frances": "12,5"}
    assert_dropped_and_unreadable_listed(upload)


def test_a_plain_roster_with_extra_identity_columns_feeds_each_lms(homework_key, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,email,section,username,lms_id\r\ns1001,Ada Lovelace,ada@example.edu,A,ada.l,9001\r\n"
                      "s1002,Alan Turing,alan@example.edu,A,,9002\r\n", encoding="utf-8")
    key = homework_key
    batch = grade_class(key, [SUBMISSIONS / "ada-lovelace.yaml", SUBMISSIONS / "alan-turing.json"], ClassInputs(roster=read_roster(roster)))
    canvas = table(lms_canvas.plan(batch))
    assert canvas[2][:5] == ["Ada Lovelace", "9001", "s1001", "ada.l", "A"]
    blackboard = lms_blackboard.plan(batch)
    assert [row[2] for row in table(blackboard)[1:]] == ["ada.l"]
    assert left_out(blackboard)["s1002"].startswith("no Blackboard username")
    assert left_out(lms_sakai.plan(batch))["s1002"].startswith("no Sakai user id")


@pytest.mark.parametrize("module", [lms_canvas, lms_moodle, lms_blackboard, lms_brightspace, lms_sakai])
def test_an_id_that_would_need_escaping_is_left_out_and_names_are_neutralised(homework_key, tmp_path: Path, module) -> None:  # type: ignore[no-untyped-def]
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,email,username\r\n=1+1,@SUM(A1) -x,+evil@example.edu,=cmd\r\ns1001,=Ada,ada@x.edu,ada\r\n", encoding="utf-8")
    batch = grade_class(homework_key, [SUBMISSIONS / "ada-lovelace.yaml"], ClassInputs(roster=read_roster(roster)))
    upload = module.plan(batch)
    assert "formula character" in left_out(upload)["=1+1"]
    cells = [cell for row in table(upload)[1:] for cell in row]
    assert cells and not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert any(cell.startswith("'=Ada") or cell == "'=Ada" for cell in cells) or module is lms_brightspace


# --- the checkers can fail: each one on a file its importer refuses ----------------------------

def test_the_canvas_checker_refuses_a_missing_section_an_unknown_student_and_text() -> None:
    assert canvas_problems(b"Student,ID,SIS User ID,SIS Login ID,Title\r\n", CANVAS)[0].startswith("Invalid header row")
    bad = b"Student,ID,SIS User ID,SIS Login ID,Section,T\r\nNobody,1,x,y,S,3\r\n\"Lovelace, Ada\",9001,,,S,abc\r\n"
    assert canvas_problems(bad, CANVAS, {"7"}) == [
        "column 'T' is no existing assignment: Canvas would create one", "row 2: student 'Nobody' unknown to Canvas",
        "row 3: 'abc' is no score",
    ]


def test_the_moodle_checker_aborts_on_a_blank_key_an_unknown_user_a_comma_and_101() -> None:
    def check(row: str) -> list[str]:
        return moodle_problems(f"ID number,T\r\n{row}\r\n".encode(), ",", "ID number", "useridnumber", MOODLE, ["T"])

    assert check(",5") == ["row 2: blank user key"]
    assert check("broken-upload,0")[0].startswith("row 2: User mapping error")
    assert check('s1001,"9,5"') == ["row 2: badgrade '9,5'"]
    assert check("s1001,101") == ["row 2: gradevaluetoobig '101'"]


def test_the_blackboard_checker_wants_quotes_a_column_id_and_an_enrolled_username() -> None:
    problems = blackboard_problems(b'"Username","T [Total Pts: 5 Score]"\r\nada.l,"3"\r\n"who","x"\r\n', BLACKBOARD, "12")
    assert problems == [
        "line 2: not every field quoted", "column 'T [Total Pts: 5 Score]' has no Column ID 12: a new text column with 0 points",
        "row 3: 'who' not enrolled: not processed", "row 3: 'x' is no score",
    ]


def test_the_brightspace_checker_wants_the_end_of_line_indicator_and_known_users() -> None:
    problems = brightspace_problems(b"OrgDefinedId,Username,T Points Grade\r\nzz,,3\r\n", BRIGHTSPACE)
    assert problems == ["the last column must be End-of-Line Indicator", "row 2: 'zz'/'' unknown", "row 2: End-of-Line Indicator is '3', not #"]


def test_the_sakai_checker_refuses_three_decimals_a_bracket_and_unknown_users() -> None:
    data = "Student ID,Student Name,T [37.125],U [a]\r\nada,A,9.555\r\nwho,B,-1\r\n".encode()
    assert sakai_problems(data, ",", SAKAI) == [
        "invalid column 'T [37.125]'", "invalid column 'U [a]'", "row 3: unknown user 'who'",
    ]
    data = "Student ID,Student Name,T [37]\r\nada,A,9.555\r\nada,A,-1\r\n".encode()
    assert sakai_problems(data, ",", SAKAI, {"T": "10"}) == [
        "'T': points 37 would change the item's 10", "row 2: invalid grade '9.555'", "row 3: duplicate student 'ada'",
        "row 3: invalid grade '-1'",
    ]


IDS = st.text(alphabet="ab01=-+@é ,;\"'", min_size=1, max_size=5).map(str.strip).filter(bool)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(IDS, st.text(alphabet="Ab =-@,", max_size=6), st.sampled_from(["", "ada", "=x", "b;c", "#d"])),
                min_size=1, max_size=6, unique_by=lambda person: person[0]))
def test_every_roster_student_is_written_so_the_importer_takes_it_or_listed(homework_key, people) -> None:  # type: ignore[no-untyped-def]
    """Random plain rosters (ids with formula characters, delimiters, quotes; blank and odd logins):
    every student is in each upload, accepted by its checker, or in its not-uploaded list: never both, never neither."""
    from grader.intake.roster import Person

    roster = tuple(Person(sid, name, login=login) for sid, name, login in people)
    logins = [login for _, _, login in people]
    unique_login = {login for login in logins if login and logins.count(login) == 1}
    roster = tuple(Person(p.student_id, p.name, login=p.login if p.login in unique_login else "") for p in roster)
    batch = grade_class(homework_key, [SUBMISSIONS / "ada-lovelace.yaml"], ClassInputs(roster=roster))
    for module in (lms_canvas, lms_moodle, lms_blackboard, lms_brightspace, lms_sakai):
        upload = module.plan(batch)
        body = table(upload)[2 if module is lms_canvas else 1:]  # Canvas: header and Points Possible
        assert len(body) == upload.students and len(body) + len(upload.not_uploaded) == len(batch.counted), module.LMS
    data = {module.LMS: module.plan(batch).content() for module in (lms_canvas, lms_moodle, lms_sakai, lms_blackboard)}
    canvas = [CanvasStudent(f"x{i}", p.name, p.student_id, p.login) for i, p in enumerate(roster)]
    assert canvas_problems(data["canvas"], canvas) == []
    users = [{"idnumber": p.student_id} for p in roster]
    assert moodle_problems(data["moodle"], ",", "ID number", "useridnumber", users, [TITLE]) == []
    assert sakai_problems(data["sakai"], ",", {p.login for p in roster if p.login}) == []
    assert blackboard_problems(data["blackboard"], {p.login for p in roster if p.login}, None) == []


def test_an_lms_column_worth_other_points_is_noted_and_another_title_makes_a_new_column(homework_key, tmp_path: Path) -> None:
    from grader.exports.lms_uploads import summary_lines

    export = (FIXTURES / "canvas-export.csv").read_text(encoding="utf-8").replace("37,00;5,00", "40,00;5,00")
    (tmp_path / "canvas.csv").write_text(export, encoding="utf-8")
    people = read_roster(tmp_path / "canvas.csv")
    batch = grade_class(homework_key, [SUBMISSIONS / "ada-lovelace.yaml"], ClassInputs(roster=people))
    assert f"  note: canvas's column '{TITLE} (1201)' is worth 40,00 points, the rubric 37: scores are written as graded" in summary_lines(batch)
    renamed = (FIXTURES / "canvas-export.csv").read_text(encoding="utf-8").replace(f"{TITLE} (1201)", "Homework 4 (1201)")
    (tmp_path / "canvas.csv").write_text(renamed, encoding="utf-8")
    batch = grade_class(homework_key, [SUBMISSIONS / "ada-lovelace.yaml"], ClassInputs(roster=read_roster(tmp_path / "canvas.csv")))
    assert canvas_problems(lms_canvas.plan(batch).content(), CANVAS, {"1201"}) == [
        f"column {TITLE!r} is no existing assignment: Canvas would create one"]
    assert f"  note: the canvas export has no column titled {TITLE!r} or 'sml-hw4': the upload makes a new one (docs/lms.md)" in summary_lines(batch)
