"""grader.intake.roster: plain and Canvas class lists read into people; bad lists refused with their place."""
from __future__ import annotations

from pathlib import Path

import pytest

from grader.base.errors import InputError
from grader.intake.roster import Person, parse_roster, read_roster, split_name

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_plain_roster_gives_id_name_email_and_section() -> None:
    people = read_roster(FIXTURES / "roster.csv")
    assert len(people) == 9
    assert people[0] == Person("s1001", "Ada Lovelace", "ada@example.edu", "A")
    assert people[-1] == Person("s1010", "Frances Allen", "frances@example.edu", "A")


def test_a_canvas_export_skips_points_possible_and_the_test_student() -> None:
    people = read_roster(FIXTURES / "canvas_export.csv")
    assert people == (
        Person("s1001", "Lovelace, Ada", "", "CS-101 A", "9001", "ada"),
        Person("s1002", "Turing, Alan", "", "CS-101 A", "9002", "alan"),
    )


def test_a_canvas_row_without_sis_id_is_keyed_by_login() -> None:
    text = "Student,ID,SIS User ID,SIS Login ID,Section\r\n\"Doe, Jo\",7,,jdoe,S1\r\n"
    assert parse_roster(text, "r.csv")[0].student_id == "jdoe"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("who,what\r\nx,y\r\n", "r.csv at header: expected the columns id, name, email, section"),
        ("id,name\r\ns1,A\r\ns1,B\r\n", "r.csv at student s1: listed twice"),
        ("id,name\r\n,A\r\n", "r.csv at row 2: a student without an id"),
    ],
)
def test_a_bad_roster_is_refused_with_its_place(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_roster(text, "r.csv")
    assert str(caught.value).startswith(message)


def test_a_missing_roster_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot be read"):
        read_roster(tmp_path / "nope.csv")


@pytest.mark.parametrize(
    ("name", "parts"),
    [("Lovelace, Ada", ("Ada", "Lovelace")), ("Ada King Lovelace", ("Ada King", "Lovelace")), ("Plato", ("Plato", "")), ("", ("", ""))],
)
def test_split_name(name: str, parts: tuple[str, str]) -> None:
    assert split_name(name) == parts
