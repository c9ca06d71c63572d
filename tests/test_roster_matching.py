"""grader.course.roster_matching: the roster adds missing students and flags strangers, dropping nobody."""
from __future__ import annotations

from pathlib import Path

from grader.course.class_grading import grade_class
from grader.course.class_inputs import ClassInputs
from grader.intake.discovery import find_submission_files
from grader.intake.roster import Person, read_roster
from grader.judging.results import Standing
from tests.homework import EXAMPLES, SUBMISSIONS

ROSTER = Path(__file__).parent / "fixtures" / "roster.csv"


def graded(key, roster):  # type: ignore[no-untyped-def]
    return grade_class(key, find_submission_files([SUBMISSIONS]), ClassInputs(roster=roster))


def test_everyone_on_the_roster_and_every_submission_appear(homework_key) -> None:
    batch = graded(homework_key, read_roster(ROSTER))
    ids = [result.student_id for result in batch.results]
    assert ids == sorted([*EXAMPLES, "s1010"])


def test_a_student_without_a_submission_is_missing_with_zero(homework_key) -> None:
    batch = graded(homework_key, read_roster(ROSTER))
    allen = next(r for r in batch.results if r.student_id == "s1010")
    assert (allen.name, allen.standing, allen.final, allen.source) == ("Frances Allen", Standing.MISSING, 0, "")
    assert allen.notes == ("no submission received",)
    assert allen.person == Person("s1010", "Frances Allen", "frances@example.edu", "A")


def test_a_submission_from_someone_not_on_the_roster_is_kept_and_flagged(homework_key) -> None:
    batch = graded(homework_key, (Person("s1001", "Ada Lovelace"),))
    assert len(batch.results) == len(EXAMPLES)
    turing = next(r for r in batch.results if r.student_id == "s1002")
    assert turing.standing is Standing.REVIEW and turing.final == 34
    assert turing.staff_notes == ("student id 's1002' is not on the roster; check the id or the roster",)  # for the TA only
    assert turing.notes == ()
    ada = next(r for r in batch.results if r.student_id == "s1001")
    assert ada.person == Person("s1001", "Ada Lovelace") and ada.standing is Standing.GRADED


def test_without_a_roster_nothing_is_added(homework_key) -> None:
    batch = graded(homework_key, None)
    assert sorted(r.student_id for r in batch.results) == sorted(EXAMPLES)
    assert all(r.person is None for r in batch.results)


def test_a_submission_under_the_students_login_or_email_is_matched(homework_key, tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{"student_id": "ADA.L", "answers": {}}', encoding="utf-8")
    (tmp_path / "b.json").write_text('{"student_id": "alan@example.edu", "answers": {}}', encoding="utf-8")
    roster = (Person("s1001", "Ada Lovelace", login="ada.l"), Person("s1002", "Alan Turing", email="alan@example.edu"))
    batch = grade_class(homework_key, [tmp_path / "a.json", tmp_path / "b.json"], ClassInputs(roster=roster))
    assert [(r.student_id, r.notes, r.person is not None) for r in batch.results] == [("s1001", (), True), ("s1002", (), True)]


def test_an_alias_never_takes_another_students_id(homework_key, tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{"student_id": "s1002", "answers": {}}', encoding="utf-8")
    roster = (Person("s1001", "Ada", login="s1002"), Person("s1002", "Alan"))
    batch = grade_class(homework_key, [tmp_path / "a.json"], ClassInputs(roster=roster))
    assert next(r for r in batch.results if r.received).person == Person("s1002", "Alan")


def test_names_come_from_the_roster_when_it_has_one(homework_key) -> None:
    """A file's own `name:` ("Ada Lovelace") gives way to the roster's spelling; without a roster
    name, the file's stays."""
    batch = graded(homework_key, (Person("s1001", "Augusta Ada King"), Person("s1002", "")))
    names = {result.student_id: result.name for result in batch.results}
    assert names["s1001"] == "Augusta Ada King"
    assert names["s1002"] == "Alan Turing"
