"""grader.intake.typed_sheet: a typed sheet's `path: value` lines and table rows, everything else ignored."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from grader.base.errors import InputError
from grader.intake.settings import Intake
from grader.intake.typed_sheet import read_answer_text

SHEET = """# Answer sheet: HW 4
Write each answer after its colon. Note: this line is ignored.

student_id: s1001
name:   Ada Lovelace

## q1: Convolution
- q1.standard.weights: 7,200
* `q1.standard.macs`: 1 620 000
q1.depthwise.weights:

| answer | your answer |
|---|---|
| q3.forward.z | −3 |
| `q3.grad.x1` | 40 |
"""
EXPECTED = {
    "student_id": "s1001", "name": "Ada Lovelace",
    "answers": {"q1.standard.weights": "7,200", "q1.standard.macs": "1 620 000", "q1.depthwise.weights": None,
                "q3.forward.z": "−3", "q3.grad.x1": "40"},
}


@pytest.mark.parametrize("data", [SHEET.encode("utf-8"), codecs.BOM_UTF16_LE + SHEET.encode("utf-16-le")], ids=["utf8", "utf16"])
def test_lines_bullets_and_table_rows_are_read(data: bytes) -> None:
    [document] = read_answer_text(data, Path("ada.md"), Intake())
    assert (document.source, document.fallback_id, document.data) == ("ada.md", "ada", EXPECTED)


@pytest.mark.parametrize(("text", "place", "expected"), [
    ("q1.a: 1\nq1.b: 2\nq1.a: 3\n", "line 3", "q1.a is given twice (first on line 1)"),
    ("Dear TA,\nhere are my answers: 7200 and 180.\n", "", "no answers found: expected lines such as 'q1.standard.weights: 7200'"),
    ("", "", "no answers found: expected lines such as 'q1.standard.weights: 7200'"),
])
def test_a_sheet_that_cannot_be_used_is_refused_with_the_place(text: str, place: str, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        read_answer_text(text.encode("utf-8"), Path("ada.txt"), Intake())
    assert (caught.value.place, caught.value.expected) == (place, expected)


MARKED_UP = """student_id = `s1001`
**name:** Ada Lovelace
- **q1.standard.weights**: **7,200**
- `q1.standard.macs` = `1620000`
**q1.depthwise.weights:** 180
* `q1.depthwise.macs`: *40500*
| **q3.forward.z** | `-3` |
| q3.grad.x1 = 40 |
q3.grad.x2 = 3*3 = 9
"""


def test_backquoted_and_bold_keys_and_values_and_equals_signs_are_read() -> None:
    [document] = read_answer_text(MARKED_UP.encode("utf-8"), Path("ada.md"), Intake())
    assert document.data == {
        "student_id": "s1001", "name": "Ada Lovelace",
        "answers": {"q1.standard.weights": "7,200", "q1.standard.macs": "1620000", "q1.depthwise.weights": "180",
                    "q1.depthwise.macs": "40500", "q3.forward.z": "-3", "q3.grad.x2": "3*3 = 9"},
    }  # `| q3.grad.x1 = 40 |` is neither a line nor a two-cell row: not read, as a TA would not guess it


def test_a_marked_up_key_given_twice_is_still_refused() -> None:
    with pytest.raises(InputError) as caught:
        read_answer_text(b"**q1.a**: 1\nq1.a = 2\n", Path("s.md"), Intake())
    assert (caught.value.place, caught.value.expected) == ("line 2", "q1.a is given twice (first on line 1)")
