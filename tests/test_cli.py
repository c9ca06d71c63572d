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
    assert "Score: 37 / 37 (37 correct)" in checked.stdout
    assert "\033[" not in checked.stdout  # no colour codes when not on a terminal


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
    assert reports == sorted(f"{student}.{ext}" for student in EXPECTED_TOTALS for ext in ("html", "md"))
    assert (out / "gradebook.xlsx").stat().st_size > 0
    assert "broken-upload.yaml" in done.stdout and "not valid YAML" in done.stdout
    assert re.search(r"s1007\s+Katherine Johnson\s+graded\s+8\s+6\s+22\s+36", done.stdout)


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
    assert "Score: 34 / 37" in done.stdout
    for expected in ("7200", "980", "800"):  # the right weights he did not give
        assert not re.search(rf"(?<![\d,]){expected}(?![\d,])", done.stdout), expected
    assert re.search(r"q1\.standard\.weights\s+7240\s+incorrect\s+0/1", done.stdout)


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


VARIANTS = ROOT / "rubrics" / "example-variants.yaml"


def test_validate_reports_a_valid_rubric_and_every_issue_of_a_bad_one(tmp_path: Path) -> None:
    done = run("validate", str(VARIANTS))
    assert done.returncode == 0, done.stderr
    assert "valid (2 problems, 10 answers, 200 sample variants drawn)" in done.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "assignment: hw\nproblems:\n  - id: q1\n    kind: convolution\n    given: {input: [8, 8], kernel: 9, filters: 0}\n"
        "  - id: q2\n    kind: output-size\n    given: {input: 20, output: 20}\n",
        encoding="utf-8",
    )
    done = run("validate", str(bad))
    assert done.returncode == 2
    assert "rubric is invalid (3 issues)" in done.stderr
    assert f"{bad}: problem q1, field 'given.input'" in done.stderr
    assert f"{bad}: problem q1, field 'given.filters'" in done.stderr
    assert f"{bad}: problem q2, field 'given': expected one or two unknowns" in done.stderr


def test_each_student_gets_their_own_sheet_and_key_and_is_graded_on_it(tmp_path: Path) -> None:
    done = run("template", str(VARIANTS), "--student", "s42", "--output-dir", str(tmp_path / "sheets"))
    assert done.returncode == 0, done.stderr
    sheet = (tmp_path / "sheets" / "s42.md").read_text(encoding="utf-8")
    answers = yaml.safe_load((tmp_path / "sheets" / "s42.yaml").read_text(encoding="utf-8"))
    assert answers["student_id"] == "s42" and "student_id: s42" in sheet
    key = json.loads(run("solve", str(VARIANTS), "--student", "s42", "--format", "json").stdout)["answers"]
    assert key == json.loads(run("solve", str(VARIANTS), "--student", "s42", "--format", "json").stdout)["answers"]
    for path, value in key.items():
        problem, *rest = path.split(".")
        node = answers["answers"][problem]
        for name in rest[:-1]:
            node = node[name]
        node[rest[-1]] = value
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "s42.yaml").write_text(yaml.safe_dump(answers), encoding="utf-8")
    (tmp_path / "class" / "s43.yaml").write_text(yaml.safe_dump({**answers, "student_id": "s43"}), encoding="utf-8")
    done = run("grade", str(VARIANTS), str(tmp_path / "class"), "--out", str(tmp_path / "out"))
    with (tmp_path / "out" / "grades.csv").open(encoding="utf-8", newline="") as stream:
        totals = {row["student_id"]: row["total"] for row in csv.DictReader(stream)}
    assert totals["s42"] == "10"  # their own key's values
    assert totals["s43"] != "10"  # the same numbers are wrong for another student's variant


def test_bundled_reports_show_carried_credit_and_named_mistakes(tmp_path: Path) -> None:
    run("grade", str(RUBRIC), str(SUBMISSIONS), "--out", str(tmp_path))
    turing = (tmp_path / "students" / "s1002.html").read_text(encoding="utf-8")
    assert "<strong>bias counted</strong>" in turing
    assert "correct given earlier answers" in turing and "Correct given your depthwise.weights = 200" in turing
    mccarthy = (tmp_path / "students" / "s1006.html").read_text(encoding="utf-8")
    assert "<strong>sign error</strong>" in mccarthy
    assert mccarthy.count("correct given earlier answers") == 16


def test_check_reveals_after_the_due_time(tmp_path: Path) -> None:
    text = RUBRIC.read_text(encoding="utf-8").replace("reveal: never", "reveal: after_due\ndue: 2020-01-01T00:00:00+00:00")
    past = tmp_path / "past.yaml"
    past.write_text(text, encoding="utf-8")
    future = tmp_path / "future.yaml"
    future.write_text(text.replace("2020-01-01", "2999-01-01"), encoding="utf-8")
    shown = run("check", str(past), str(SUBMISSIONS / "alan-turing.json")).stdout
    hidden = run("check", str(future), str(SUBMISSIONS / "alan-turing.json")).stdout
    assert re.search(r"q1\.standard\.weights\s+7240\s+incorrect\s+0/1\s+7200", shown)
    assert "expected" not in hidden and not re.search(r"(?<![\d,])7200(?![\d,])", hidden)


def test_grade_with_a_roster_lists_the_missing_student_in_the_lms_files(tmp_path: Path) -> None:
    roster = ROOT / "tests" / "fixtures" / "roster.csv"
    done = run("grade", str(RUBRIC), str(SUBMISSIONS), "--out", str(tmp_path), "--roster", str(roster))
    assert done.returncode == 1, done.stderr
    with (tmp_path / "lms" / "sml-hw4-canvas.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[-1] == ["Frances Allen", "", "s1010", "", "A", ""]  # no submission: no score (the lossless default)
    with (tmp_path / "lms" / "sml-hw4-not-uploaded.csv").open(encoding="utf-8", newline="") as stream:
        left_out = {(row["student_id"], row["left out of"]) for row in csv.DictReader(stream)}
    assert ("broken-upload", "canvas moodle blackboard brightspace sakai") in left_out
    assert ("s1010", "blackboard") in left_out  # the plain roster has no Blackboard username
    assert "row(s) not uploaded (listed in lms/sml-hw4-not-uploaded.csv)" in done.stdout
    assert "s1010 [missing]: no submission received" in done.stdout
    assert (tmp_path / "students" / "s1010.html").exists()


def test_a_bad_roster_is_an_error_naming_the_file(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("who,what\n", encoding="utf-8")
    done = run("grade", str(RUBRIC), str(SUBMISSIONS), "--out", str(tmp_path / "out"), "--roster", str(roster))
    assert done.returncode == 2
    assert f"{roster} at header: expected the columns id, name (and optionally" in done.stderr


def test_grade_with_every_input_is_deterministic(tmp_path: Path) -> None:
    document = yaml.safe_load(RUBRIC.read_text(encoding="utf-8"))
    document["late"] = {"due": "2026-03-01 23:59", "timezone": "Europe/Berlin", "penalty_per_day": 10}
    rubric = tmp_path / "hw.yaml"
    rubric.write_text(yaml.safe_dump(document), encoding="utf-8")
    (tmp_path / "overrides.yaml").write_text("overrides:\n  - {student: s1006, target: q3, adjust: 2, reason: sign convention}\n", encoding="utf-8")
    times = tmp_path / "times.csv"
    times.write_text("student_id,submitted_at\ns1006,2026-03-03 10:00\n", encoding="utf-8")
    roster = ROOT / "tests" / "fixtures" / "roster.csv"
    outputs = [tmp_path / "one", tmp_path / "two"]
    for out in outputs:
        args = ("grade", str(rubric), str(SUBMISSIONS), "--out", str(out), "--roster", str(roster), "--timestamps", str(times))
        assert run(*args).returncode == 1
    files = sorted(p.relative_to(outputs[0]) for p in outputs[0].rglob("*") if p.is_file())
    # html and md per student, grades.csv, gradebook.xlsx, summary.html, not-graded.csv, shared-answers.csv, 5 LMS files,
    # not-uploaded.csv, .grader-output, .grader-lock
    assert len(files) == 2 * 10 + 13
    for relative in files:
        assert (outputs[0] / relative).read_bytes() == (outputs[1] / relative).read_bytes(), relative
    with (outputs[0] / "lms" / "sml-hw4-moodle.csv").open(encoding="utf-8", newline="") as stream:
        mccarthy = next(row for row in csv.reader(stream) if row[2] == "s1006")
    assert mccarthy[-1] == "30.4"  # (36 + 2) less 2 started days at 10%: 38 - 7.6


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
    assert sorted(p.name for p in (tmp_path / "out" / "students").iterdir()) == sorted(f"{s}.{e}" for s in ("f1", "f2", "s1001") for e in ("html", "md"))


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
    blanks = [line for line in lines if line.endswith(":") and (line.startswith("q") or line in ("student_id:", "name:"))]
    assert blanks == ["student_id:", "name:", *(f"{path}:" for path in EXPECTED_KEY)]
    filled = {"student_id:": "student_id: t1", "name:": "name: Typed Sheet", **{f"{p}:": f"{p}: {v:,}" for p, v in EXPECTED_KEY.items()}}
    sheet = tmp_path / "typed.md"
    sheet.write_text("\n".join(filled.get(line, line) for line in lines) + "\n", encoding="utf-8")
    checked = run("check", str(RUBRIC), str(sheet))
    assert checked.returncode == 0, checked.stderr
    assert "Score: 37 / 37 (37 correct)" in checked.stdout


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
    assert sorted(p.name for p in (out / "students").iterdir() if p.suffix == ".html") == ["s1-2.html", "s1-3.html", "s1.html", "s2.html"]
    # Which copy counted is the TA's to know (grades.csv above), not in the students' reports.
    assert "counted (the latest before the deadline" not in (out / "students" / "s1.html").read_text(encoding="utf-8")
    assert "counts instead" not in (out / "students" / "s1-2.html").read_text(encoding="utf-8")
    with (out / "lms" / "sml-hw4-canvas.csv").open(encoding="utf-8", newline="") as stream:
        canvas = [row for row in csv.reader(stream)][2:]
    assert [(row[2], row[-1]) for row in canvas] == [("s1", "0"), ("s2", "1")]  # one row a student: the counted copy


def test_validate_warns_where_a_non_whole_answer_refuses_a_rounded_answer(tmp_path: Path) -> None:
    rubric = tmp_path / "strict.yaml"
    rubric.write_text(
        "assignment: hw\ntolerance: {relative: 0.000001}\nproblems:\n  - id: q1\n    kind: convolution-cost\n"
        "    given: {input: [30, 30, 20], kernel: 3, output: [15, 15, 40]}\n    ask: [standard.macs, ratio]\n",
        encoding="utf-8",
    )
    done = run("validate", str(rubric))
    assert done.returncode == 0, done.stderr
    # 220500 / 1620000 = 0.1361111...; to 3 significant figures 0.136, 0.08 % off
    assert "warning: q1.ratio: the answer 0.1361111111 is not whole, but its tolerance (±0.0001%) refuses 0.136" in done.stdout
    assert "q1.standard.macs" not in done.stdout  # a whole answer is exact by design
    assert "warning" not in run("validate", str(ROOT / "rubrics" / "sml-hw4.yaml")).stdout
