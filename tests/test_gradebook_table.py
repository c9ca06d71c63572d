"""grader.exports.gradebook_table and grades.csv: the bundled class as one table, and the CSV read back with pandas."""
from __future__ import annotations

import io
import json
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from grader.course.file_grading import grade_files
from grader.exports import grades_csv
from grader.exports.gradebook_table import gradebook_table
from grader.intake.discovery import find_submission_files
from grader.rubric.answer_key import build_answer_key
from grader.rubric.model import load_rubric
from tests.homework import EXAMPLES, ORDER, SUBMISSIONS

EXPECTED = EXAMPLES
FIRST_HEADERS = ["student_id", "name", "status", "file", "notes", "q1.standard.weights", "q1.standard.macs"]
LAST_HEADERS = ["q3.grad.x1", "q3.grad.x2", "q1", "q2", "q3", "total"]


@pytest.fixture(scope="module")
def key(homework_key):
    return homework_key


@pytest.fixture(scope="module")
def batch(key):
    return grade_files(key, find_submission_files([SUBMISSIONS]))


def csv_bytes(batch) -> bytes:
    files = list(grades_csv.render(batch))
    assert [name for name, _ in files] == ["grades.csv"]
    return files[0][1]


def read_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8")


def test_table_headers_possible_and_rows(batch) -> None:
    table = gradebook_table(batch)
    assert len(table.headers) == 46  # 5 identity columns, 37 answers, 3 problems, total
    assert list(table.headers[:7]) == FIRST_HEADERS and list(table.headers[-6:]) == LAST_HEADERS
    assert table.possible[:5] == (None,) * 5
    assert set(table.possible[5:42]) == {Fraction(1)}
    assert table.possible[42:] == (8, 6, 23, 37)
    assert [row[0] for row in table.rows] == ORDER
    for row in table.rows:
        name, status, q1, q2, q3, total = EXPECTED[row[0]]
        assert (row[1], row[2], *row[-4:]) == (name, status, q1, q2, q3, total)
        assert str(row[3]).endswith(".yaml") or str(row[3]).endswith(".json")
        assert len(row) == 46


def test_table_answer_columns_follow_the_verdicts(batch) -> None:
    table = gradebook_table(batch)
    turing = next(row for row in table.rows if row[0] == "s1002")
    assert list(turing[5:13]) == [0, 1, 0, 1, 0, 1, 1, 1]  # three step weights wrong; the separable total carried; MACs right
    johnson = dict(zip(table.headers, next(row for row in table.rows if row[0] == "s1007")))
    wrong = sorted(h for h in table.headers[5:42] if johnson[h] == 0)
    assert wrong == ["q3.grad.y1"]  # w1_11, w1_21, x1, x2 are right given her dL/dy1 = 10
    broken = next(row for row in table.rows if row[0] == "broken-upload")
    assert broken[4].startswith("line 7, column 14: not valid YAML")


def test_csv_reads_back_header_possible_row_then_one_row_per_submission(batch) -> None:
    frame = read_csv(csv_bytes(batch))
    assert list(frame.columns[:7]) == FIRST_HEADERS and list(frame.columns[-6:]) == LAST_HEADERS
    assert len(frame.columns) == 46
    possible = frame.iloc[0]
    assert possible["student_id"] == "Points possible"
    assert [possible[c] for c in ("name", "status", "file", "notes")] == ["", "", "", ""]
    assert [possible[c] for c in ("q1.standard.weights", "q3.grad.x2", "q1", "q2", "q3", "total")] == [
        "1", "1", "8", "6", "23", "37",
    ]
    students = frame.iloc[1:]
    assert list(students["student_id"]) == ORDER
    found = {
        row["student_id"]: (row["name"], row["status"], int(row["q1"]), int(row["q2"]), int(row["q3"]), int(row["total"]))
        for _, row in students.iterrows()
    }
    assert found == EXPECTED
    assert students.iloc[0]["notes"].startswith("line 7, column 14: not valid YAML")
    assert students.iloc[0]["file"].endswith("broken-upload.yaml")


def test_csv_numbers_parse_as_numbers(batch) -> None:
    frame = pd.read_csv(io.BytesIO(csv_bytes(batch)), skiprows=[1])
    assert frame["total"].tolist() == [0, 37, 34, 34, 34, 35, 36, 36, 10]
    assert str(frame["total"].dtype).startswith("int")


def test_csv_is_utf8_without_bom_with_crlf_rows(batch) -> None:
    data = csv_bytes(batch)
    assert data.startswith(b"student_id,name,status,file,notes,q1.standard.weights,")
    assert data.count(b"\r\n") == 11 and data.endswith(b"\r\n")


def test_csv_fractional_points_are_written_as_decimals(tmp_path: Path) -> None:
    rubric = tmp_path / "r.yaml"
    rubric.write_text(
        "assignment: hw\npoints: 1/2\nproblems:\n  - id: s\n    kind: output-size\n"
        "    given: {input: [20, 20, 10], output: [20, 20, 10], kernel: 3}\n"
        "    answers: {filters: {points: 1/4}}\n",
        encoding="utf-8",
    )
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"student_id": "s1", "answers": {"s.padding": 1, "s.filters": 10}}), encoding="utf-8")
    batch = grade_files(build_answer_key(load_rubric(rubric)), [answers])
    frame = read_csv(csv_bytes(batch))
    assert list(frame.iloc[0][["s.padding", "s.stride", "s.filters", "s", "total"]]) == ["0.5", "0.5", "0.25", "1.25", "1.25"]
    assert list(frame.iloc[1][["s.padding", "s.stride", "s.filters", "s", "total"]]) == ["0.5", "0", "0.25", "0.75", "0.75"]


@pytest.mark.parametrize(
    ("student_id", "name", "shown_id", "shown_name"),
    [
        ("s1", "=HYPERLINK(\"http://evil\",\"x\")", "s1", "'=HYPERLINK(\"http://evil\",\"x\")"),
        ("@SUM(1+1)", "+cmd", "'@SUM(1+1)", "'+cmd"),
        ("s2", "-2+3", "s2", "'-2+3"),
        ("s3", "\t=1", "s3", "'=1"),  # identity is stripped, then neutralised
        ("s4", "Ada, \"the first\"\nprogrammer", "s4", "Ada, \"the first\"\nprogrammer"),
    ],
)
def test_csv_neutralises_formula_payloads_in_text_cells(key, tmp_path: Path, student_id: str, name: str, shown_id: str, shown_name: str) -> None:
    path = tmp_path / "evil.json"
    path.write_text(json.dumps({"student_id": student_id, "name": name, "answers": {"q1.standard.weights": 7200}}), encoding="utf-8")
    frame = read_csv(csv_bytes(grade_files(key, [path])))
    assert len(frame) == 2
    row = frame.iloc[1]
    assert (row["student_id"], row["name"], row["total"]) == (shown_id, shown_name, "1")
