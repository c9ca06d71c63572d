"""grader.intake.roster: plain and Canvas class lists read into people; bad lists refused with their place."""
from __future__ import annotations

from pathlib import Path

import pytest

from grader.base.errors import InputError
from grader.intake.roster import LmsColumn, LmsExport, Person, parse_roster, read_roster, split_name

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_plain_roster_gives_id_name_email_and_section() -> None:
    people = read_roster(FIXTURES / "roster.csv")
    assert len(people) == 9
    assert people[0] == Person("s1001", "Ada Lovelace", "ada@example.edu", "A")
    assert people[-1] == Person("s1010", "Frances Allen", "frances@example.edu", "A")


def test_a_canvas_export_skips_points_possible_and_the_test_student() -> None:
    people = read_roster(FIXTURES / "canvas_export.csv")
    assert [(p.student_id, p.name, p.section, p.lms_id, p.login) for p in people] == [
        ("s1001", "Lovelace, Ada", "CS-101 A", "9001", "ada"), ("s1002", "Turing, Alan", "CS-101 A", "9002", "alan"),
    ]
    assert people[0].key("SIS User ID") == "s1001" and people[0].grade("Homework 3 (1201)") == "10"
    assert people[0].source == LmsExport("canvas", ",", (LmsColumn("Homework 3 (1201)", "Homework 3", "10"),))


@pytest.mark.parametrize("name", ["Student, Test", "Test Student"])
def test_canvas_test_student_is_skipped_under_either_name(name: str) -> None:
    text = f'Student,ID,SIS User ID,SIS Login ID,Section,A (1)\r\n"Doe, Jo",7,s7,jdoe,S1,\r\n"{name}",9,,,S1,\r\n'
    assert [p.student_id for p in parse_roster(text, "r.csv")] == ["s7"]


def test_the_lms_exports_are_recognised_from_their_header() -> None:
    lms = FIXTURES / "lms"
    found = {name: read_roster(lms / name) for name in sorted(p.name for p in lms.iterdir())}
    assert {name: people[0].source.lms for name, people in found.items() if people[0].source} == {
        "blackboard-export.xls": "blackboard", "brightspace-export.csv": "brightspace", "canvas-export.csv": "canvas",
        "moodle-export.csv": "moodle", "sakai-export.csv": "sakai",
    }
    # BOM + ';' (Canvas, Sakai), UTF-16 tabs (Blackboard), '#' keys (Brightspace): ids as students write them
    assert {name: [p.student_id for p in people] for name, people in found.items()} == {
        "blackboard-export.xls": ["s1001", "s1002", "s1003", "s1010"],
        "brightspace-export.csv": ["s1001", "s1002", "s1003", "s1010"],
        "canvas-export.csv": ["s1001", "s1002", "s1003", "s1010", "-knuth"],
        "moodle-export.csv": ["s1001", "s1002", "grace@example.edu", "s1010"],
        "sakai-export.csv": ["s1001", "s1002", "s1003", "s1010"],
    }
    assert found["brightspace-export.csv"][0].key("Username") == "#ada.l" and found["brightspace-export.csv"][0].login == "ada.l"
    assert found["sakai-export.csv"][0].login == "ada" and found["canvas-export.csv"][0].grade(
        "SML Homework 4: convolution arithmetic and backpropagation (1201)") == "30,00"


def test_a_plain_roster_may_carry_username_and_lms_id() -> None:
    people = parse_roster("name,id,username,lms_id\r\nAda,s1,ada.l,9001\r\n", "r.csv")
    assert people == (Person("s1", "Ada", login="ada.l", lms_id="9001"),)


def test_a_roster_in_another_encoding_is_refused_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("id,name\r\ns1,Jos\xe9\r\n".encode("latin-1"))
    with pytest.raises(InputError, match="cannot be read as UTF-8 or UTF-16"):
        read_roster(path)


def test_a_canvas_row_without_sis_id_is_keyed_by_login() -> None:
    text = "Student,ID,SIS User ID,SIS Login ID,Section\r\n\"Doe, Jo\",7,,jdoe,S1\r\n"
    assert parse_roster(text, "r.csv")[0].student_id == "jdoe"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("who,what\r\nx,y\r\n", "r.csv at header: expected the columns id, name (and optionally"),
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


def test_rosters_forms_and_lms_times_split_a_header_by_one_rule() -> None:
    """Two branches each wrote a delimiter sniffer; one rule (a CRLF header, quotes respected) serves all."""
    from grader.intake import form_csv, lms_roster, lms_times, roster

    assert lms_roster.sniff_delimiter is roster.sniff_delimiter is lms_times.sniff_delimiter is form_csv.sniff_delimiter
    assert form_csv.sniff_delimiter('"Q1 (weights; MACs)",b\r\n') == ","
