"""End to end: the real `grader` command on the bundled rubric and example submissions."""
from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.homework import EXAMPLES, EXPECTED_KEY, ROOT, RUBRIC, SUBMISSIONS

# (status, total) as grades.csv writes them, from the hand-derived examples.
EXPECTED_TOTALS = {student: (status, str(total)) for student, (_, status, *_, total) in EXAMPLES.items()}


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_solve_json_gives_every_reference_value_of_the_assignment() -> None:
    done = run("solve", str(RUBRIC), "--format", "json")
    assert done.returncode == 0, done.stderr
    key = json.loads(done.stdout)
    assert key["answers"] == EXPECTED_KEY
    assert list(key["answers"]) == list(EXPECTED_KEY)
    assert key["possible"] == 37


def test_solve_text_lists_answers_with_their_values() -> None:
    done = run("solve", str(RUBRIC))
    assert done.returncode == 0, done.stderr
    assert re.search(r"q1\.separable\.macs\s+220500\s+1\s+exact", done.stdout)
    assert re.search(r"q3\.grad\.x1\s+40\b", done.stdout)


def test_rubric_never_states_the_expected_numbers() -> None:
    text = RUBRIC.read_text(encoding="utf-8")
    for value in ("7200", "7,200", "1620000", "220500", "40500"):
        assert value not in text


@pytest.mark.parametrize("sheet_format", ["yaml", "json"])
def test_template_filled_with_the_reference_values_scores_full_marks(tmp_path: Path, sheet_format: str) -> None:
    sheet = tmp_path / f"blank.{sheet_format}"
    done = run("template", str(RUBRIC), "--format", sheet_format, "--output", str(sheet))
    assert done.returncode == 0, done.stderr
    document = yaml.safe_load(sheet.read_text(encoding="utf-8"))
    document["student_id"], document["name"] = "t1", "Template Tester"
    for path, value in EXPECTED_KEY.items():
        node = document["answers"]
        *branches, leaf = path.split(".")
        for branch in branches:
            node = node[branch]
        assert node[leaf] is None
        node[leaf] = value
    filled = tmp_path / f"filled.{sheet_format}"
    filled.write_text(json.dumps(document) if sheet_format == "json" else yaml.safe_dump(document), encoding="utf-8")
    checked = run("check", str(RUBRIC), str(filled))
    assert checked.returncode == 0, checked.stderr
    assert "Score: 37 / 37 (37 right, 0 wrong, 0 unreadable, 0 missing)" in checked.stdout


def test_grade_writes_every_output_and_the_hand_derived_totals(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    done = run("grade", str(RUBRIC), str(SUBMISSIONS), "--out", str(out))
    assert done.returncode == 1, done.stderr  # the malformed example needs attention
    with (out / "grades.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert rows[0]["student_id"] == "Points possible" and rows[0]["total"] == "37"
    totals = {row["student_id"]: (row["status"], row["total"]) for row in rows[1:]}
    assert totals == EXPECTED_TOTALS
    reports = sorted(path.name for path in (out / "students").iterdir())
    assert reports == sorted(f"{student}.html" for student in EXPECTED_TOTALS)
    assert (out / "gradebook.xlsx").stat().st_size > 0
    assert "broken-upload.yaml" in done.stdout and "not valid YAML" in done.stdout
    assert re.search(r"s1007\s+Katherine Johnson\s+graded\s+8\s+6\s+18\s+32", done.stdout)


def test_grade_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    for out in (first, second):
        assert run("grade", str(RUBRIC), str(SUBMISSIONS), "--out", str(out)).returncode == 1
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative


def test_grade_exits_zero_when_nothing_needs_attention(tmp_path: Path) -> None:
    done = run("grade", str(RUBRIC), str(SUBMISSIONS / "ada-lovelace.yaml"), "--out", str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr


def test_check_never_prints_a_reference_value_for_a_wrong_answer() -> None:
    done = run("check", str(RUBRIC), str(SUBMISSIONS / "alan-turing.json"))
    assert done.returncode == 0, done.stderr
    assert "Score: 33 / 37" in done.stdout
    for expected in ("7200", "980", "800"):  # the right weights he did not give
        assert not re.search(rf"(?<![\d,]){expected}(?![\d,])", done.stdout), expected
    assert re.search(r"q1\.standard\.weights\s+7240\s+wrong\s+0/1", done.stdout)


def test_check_of_a_malformed_file_names_the_file_and_place() -> None:
    done = run("check", str(RUBRIC), str(SUBMISSIONS / "broken-upload.yaml"))
    assert done.returncode == 2
    assert "broken-upload.yaml at line 7, column 14: not valid YAML" in done.stderr
    assert "Traceback" not in done.stderr


def test_invalid_rubric_is_refused_with_file_problem_and_field(tmp_path: Path) -> None:
    rubric = tmp_path / "bad.yaml"
    rubric.write_text(
        "assignment: hw\nproblems:\n  - id: q1\n    kind: convolution-cost\n"
        "    given: {input: [30, 30], kernel: 3, output: [15, 15, 40]}\n",
        encoding="utf-8",
    )
    for command in ("solve", "template"):
        done = run(command, str(rubric))
        assert done.returncode == 2
        assert f"{rubric}: problem q1, field 'given.input': expected a list of 3 whole numbers" in done.stderr


def test_missing_submission_path_is_an_error_not_a_crash(tmp_path: Path) -> None:
    done = run("grade", str(RUBRIC), str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "nowhere: no such file or folder" in done.stderr


def test_grade_limits_are_options(tmp_path: Path) -> None:
    done = run("grade", str(RUBRIC), str(SUBMISSIONS / "ada-lovelace.yaml"), "--out", str(tmp_path), "--max-file-bytes", "100")
    assert done.returncode == 1
    assert "ada-lovelace.yaml [invalid]: larger than the limit of 100 bytes" in done.stdout
    refused = run("grade", str(RUBRIC), str(SUBMISSIONS), "--max-depth", "0")
    assert refused.returncode == 2 and "expected a whole number ≥ 1, found 0" in refused.stderr


def test_check_takes_the_same_limits(tmp_path: Path) -> None:
    done = run("check", str(RUBRIC), str(SUBMISSIONS / "ada-lovelace.yaml"), "--max-answers", "3")
    assert done.returncode == 2
    assert "ada-lovelace.yaml at answers: more than 3 entries" in done.stderr


def test_grade_with_two_processes_writes_the_same_files_as_with_one(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    first = run("grade", str(RUBRIC), str(SUBMISSIONS), "--out", str(one), "--jobs", "1")
    second = run("grade", str(RUBRIC), str(SUBMISSIONS), "--out", str(two), "--jobs", "2")
    assert (first.returncode, second.returncode) == (1, 1)
    assert first.stdout.replace(str(one), "") == second.stdout.replace(str(two), "")
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)
    assert second.stderr == ""  # no progress bar when stderr is not a terminal


def test_grade_a_google_forms_export_with_a_column_mapping_beside_answer_files(tmp_path: Path) -> None:
    columns = tmp_path / "columns.yaml"
    columns.write_text(
        'columns:\n  "Student number": student_id\n  "Your name": name\n'
        '  "/Q1 (standard|depthwise) (weights|macs)/": q1.\\1.\\2\n', encoding="utf-8")
    form = tmp_path / "uploads" / "Form responses 1.csv"
    form.parent.mkdir()
    form.write_text(
        "Timestamp,Email address,Student number,Your name,Q1 standard weights,Q1 standard macs,Q1 depthwise weights\n"
        "2026/11/20 10:00:01,a@x.org,f1,Form One,7200,1620000,180\n"  # three right
        "2026/11/20 10:05:00,b@x.org,f2,Form Two,7240,,\n",  # one wrong, two missing
        encoding="utf-8-sig")
    done = run("grade", str(RUBRIC), str(SUBMISSIONS / "ada-lovelace.yaml"), str(form.parent),
               "--columns", str(columns), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stdout + done.stderr
    with (tmp_path / "out" / "grades.csv").open(encoding="utf-8", newline="") as stream:
        rows = {row["student_id"]: row for row in list(csv.DictReader(stream))[1:]}
    assert {sid: (row["name"], row["total"], row["q1.standard.weights"]) for sid, row in rows.items()} == {
        "s1001": ("Ada Lovelace", "37", "1"), "f1": ("Form One", "3", "1"), "f2": ("Form Two", "0", "0"),
    }
    assert rows["f2"]["file"] == f"{form}, row 3"
    assert sorted(p.name for p in (tmp_path / "out" / "students").iterdir()) == ["f1.html", "f2.html", "s1001.html"]


def test_a_bad_column_mapping_stops_the_run(tmp_path: Path) -> None:
    columns = tmp_path / "columns.yaml"
    columns.write_text("columns: {A: 'not a path'}\n", encoding="utf-8")
    done = run("grade", str(RUBRIC), str(SUBMISSIONS), "--columns", str(columns), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert f"{columns}: column 'A': expected student_id, name, submitted or an answer path" in done.stderr


def test_markdown_template_typed_in_with_the_reference_values_scores_full_marks(tmp_path: Path) -> None:
    done = run("template", str(RUBRIC), "--format", "md")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line for line in lines if line.endswith(":")] == ["student_id:", "name:", *(f"{path}:" for path in EXPECTED_KEY)]
    filled = {"student_id:": "student_id: t1", "name:": "name: Typed Sheet", **{f"{p}:": f"{p}: {v:,}" for p, v in EXPECTED_KEY.items()}}
    sheet = tmp_path / "typed.md"
    sheet.write_text("\n".join(filled.get(line, line) for line in lines) + "\n", encoding="utf-8")
    checked = run("check", str(RUBRIC), str(sheet))
    assert checked.returncode == 0, checked.stderr
    assert "Score: 37 / 37 (37 right, 0 wrong, 0 unreadable, 0 missing)" in checked.stdout


def test_resubmissions_resolve_by_the_rubric_deadline_and_every_copy_is_listed(tmp_path: Path) -> None:
    rubric = tmp_path / "hw.yaml"
    rubric.write_text(RUBRIC.read_text(encoding="utf-8") + "\ndeadline: 2026-11-21 23:59\n", encoding="utf-8")
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / "responses.csv").write_text(
        "Timestamp,student_id,q1.standard.weights\n"
        "2026/11/20 09:00:00,s1,7200\n"  # on time, right
        "2026/11/21 22:00:00,s1,7201\n"  # on time, later, wrong: this one counts
        "2026/11/22 08:00:00,s1,7200\n",  # late
        encoding="utf-8")
    (uploads / "s2.yaml").write_text("student_id: s2\nsubmitted: 2026-11-21 10:00\nanswers: {q1.standard.weights: 7200}\n", encoding="utf-8")
    out = tmp_path / "out"
    done = run("grade", str(rubric), str(uploads), "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr  # a resolved resubmission needs no TA
    with (out / "grades.csv").open(encoding="utf-8", newline="") as stream:
        rows = [(r["student_id"], r["file"].rsplit(", ", 1)[-1], r["status"], r["total"], r["notes"]) for r in list(csv.DictReader(stream))[1:]]
    form = uploads / "responses.csv"
    assert [row[:4] for row in rows] == [
        ("s1", "row 2", "superseded", "1"), ("s1", "row 3", "graded", "0"), ("s1", "row 4", "superseded", "1"),
        ("s2", str(uploads / "s2.yaml"), "graded", "1"),
    ]
    assert rows[1][4] == (
        "counted (the latest before the deadline 2026-11-21 23:59); not counted: "
        f"{form}, row 2 (1 points, submitted 2026-11-20 09:00:00), {form}, row 4 (1 points, submitted 2026-11-22 08:00:00)"
    )
    assert rows[0][4] == f"not counted: {form}, row 3 (0 points, submitted 2026-11-21 22:00:00) counts instead"
    assert sorted(p.name for p in (out / "students").iterdir()) == ["s1-2.html", "s1-3.html", "s1.html", "s2.html"]
    assert "counted (the latest before the deadline" in (out / "students" / "s1.html").read_text(encoding="utf-8")
    assert "row 3 (0 points, submitted 2026-11-21 22:00:00) counts instead" in (out / "students" / "s1-2.html").read_text(encoding="utf-8")
