"""grader.intake.form_columns: which column is what, and a form's rows as documents."""
from __future__ import annotations

from pathlib import Path

import pytest

from grader.base.errors import GraderError, InputError
from grader.intake.form_columns import FormColumns, form_documents, load_form_columns

FORM = Path("class.csv")


def mapping_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "columns.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("header", "target"), [
    ("student_id", "student_id"), (" Student_ID ", "student_id"), ("NAME", "name"), ("q1.standard.weights", "q1.standard.weights"),
    ("Q1  standard", "Q1 standard"), ("", None),
])
def test_without_a_mapping_identity_headers_and_answer_paths_map_to_themselves(header: str, target: str | None) -> None:
    assert FormColumns().target(header) == target


def test_a_mapping_file_gives_headers_and_patterns(tmp_path: Path) -> None:
    columns = load_form_columns(mapping_file(tmp_path, (
        'columns:\n  "Student ID": student_id\n  "Full  name": name\n  "Q1 weights": q1.standard.weights\n'
        '  "/Q3 gradient of (\\\\w+)/": q3.grad.\\1\n'
    )))
    assert [columns.target(h) for h in ("student id", "Full name", " q1 WEIGHTS", "Q3 gradient of w1_11", "Email", "Q3 gradient of")] == [
        "student_id", "name", "q1.standard.weights", "q3.grad.w1_11", None, None,
    ]


@pytest.mark.parametrize(("text", "message"), [
    ("columns: []\n", "expected one field 'columns'"),
    ("columns: {A: q1.a}\nextra: 1\n", "expected one field 'columns'"),
    ("columns: {A: 'q1 a'}\n", "column 'A': expected student_id, name, submitted or an answer path, found 'q1 a'"),
    ("columns: {A: 3}\n", "column 'A': expected student_id, name, submitted or an answer path, found 3"),
    ("columns: {'/(unclosed/': q1.a}\n", "column '/(unclosed/': not a valid pattern"),
])
def test_a_bad_mapping_file_stops_the_run_naming_the_column(tmp_path: Path, text: str, message: str) -> None:
    path = mapping_file(tmp_path, text)
    with pytest.raises(GraderError) as caught:
        load_form_columns(path)
    assert str(caught.value).startswith(f"{path}: {message}")


def test_rows_become_documents_numbered_as_the_spreadsheet_shows_them() -> None:
    header = ["student_id", "name", "q1.a", "q1.b"]
    rows = [["s1", "Ada", "7,200", ""], ["", "", "", ""], ["s2", "Alan", 3, None], ["s3"]]
    documents = form_documents(header, rows, FORM, FormColumns(), 10)
    assert [(d.source, d.fallback_id) for d in documents] == [
        ("class.csv, row 2", "class-row2"), ("class.csv, row 4", "class-row4"), ("class.csv, row 5", "class-row5"),
    ]
    assert [d.data for d in documents] == [
        {"student_id": "s1", "name": "Ada", "answers": {"q1.a": "7,200", "q1.b": ""}},
        {"student_id": "s2", "name": "Alan", "answers": {"q1.a": 3, "q1.b": None}},
        {"student_id": "s3", "answers": {}},
    ]


@pytest.mark.parametrize(("header", "message"), [
    (["student_id", "Student_ID"], "columns 'student_id' and 'Student_ID' both give student_id"),
    ([None, ""], "no column gives a student id, a name or an answer"),
])
def test_a_header_that_cannot_be_used_refuses_the_file(header: list, message: str) -> None:
    with pytest.raises(InputError) as caught:
        form_documents(header, [["s1", "x"]], FORM, FormColumns(), 10)
    assert (caught.value.source, caught.value.place, caught.value.expected) == ("class.csv", "header", message)


def test_too_many_rows_refuse_the_file() -> None:
    with pytest.raises(InputError) as caught:
        form_documents(["student_id"], [["s1"], ["s2"], ["s3"]], FORM, FormColumns(), 2)
    assert caught.value.expected == "more than 2 rows"
