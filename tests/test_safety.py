"""grader.base.safety: spreadsheet cells that cannot run, file names that cannot escape their folder."""
from __future__ import annotations

import pytest

from grader.base.safety import neutralise_cell, safe_file_stem, unique_stems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+41 22 000", "'+41 22 000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
    ],
)
def test_formula_triggers_get_a_leading_apostrophe(text: str, expected: str) -> None:
    assert neutralise_cell(text) == expected


@pytest.mark.parametrize("text", ["Ada Lovelace", "s1001", "1=1", "a+b", "O'Brien", "", "graded", "x@y.org"])
def test_plain_text_is_left_alone(text: str) -> None:
    assert neutralise_cell(text) == text


@pytest.mark.parametrize(
    ("student_id", "stem"),
    [
        ("s1001", "s1001"),
        ("ada.lovelace-2_b", "ada.lovelace-2_b"),
        ("../../etc/passwd", "etc_passwd"),
        ("/etc/passwd", "etc_passwd"),
        ("..\\..\\Windows\\win.ini", "Windows_win.ini"),
        ("C:\\Users\\ada", "C_Users_ada"),
        ("..", "student"),
        ("", "student"),
        ("   ", "student"),
        ("李雷", "student"),
        ("Zoë Müller", "Zo_M_ller"),
        ("<script>", "script"),
        (".hidden", "hidden"),
        ("x" * 100, "x" * 64),
        ("CON", "_CON"),
        ("con", "_con"),
        ("nul.txt", "_nul.txt"),
        ("PRN", "_PRN"),
        ("aux.tar.gz", "_aux.tar.gz"),
        ("COM1", "_COM1"),
        ("lpt9", "_lpt9"),
        ("console", "console"),
        ("com10", "com10"),
    ],
)
def test_safe_file_stem(student_id: str, stem: str) -> None:
    assert safe_file_stem(student_id) == stem


@pytest.mark.parametrize("student_id", ["../x", "a/../../b", "..\\..\\c", "/", "\\", "./.", "a\x00b", "a\nb"])
def test_a_stem_never_leaves_its_folder(student_id: str) -> None:
    stem = safe_file_stem(student_id)
    assert stem and "/" not in stem and "\\" not in stem and "\x00" not in stem and "\n" not in stem
    assert not stem.startswith(".")


@pytest.mark.parametrize(
    ("student_ids", "stems"),
    [
        (["s1", "s2"], ["s1", "s2"]),
        (["s1", "S1", "s1"], ["s1", "S1-2", "s1-3"]),
        (["", "", "../"], ["student", "student-2", "student-3"]),
        (["a/b", "a_b", "a\\b"], ["a_b", "a_b-2", "a_b-3"]),
        (["s1", "s1", "s1-2"], ["s1", "s1-2", "s1-2-2"]),
        (["con", "_con"], ["_con", "_con-2"]),
        ([], []),
    ],
)
def test_unique_stems_are_distinct_in_order_of_appearance(student_ids: list[str], stems: list[str]) -> None:
    found = unique_stems(student_ids)
    assert found == stems
    assert len({stem.lower() for stem in found}) == len(found)
