"""`grader grade` and the LMS files end to end: the run summary's LMS lines, exit code 1 for rows
left out, `--missing-as` over the rubric's `missing_submissions`, and byte-identical reruns."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from grader.cli import main
from tests.homework import RUBRIC, SUBMISSIONS
from tests.lms_checkers import CanvasStudent, canvas_problems

FIXTURES = Path(__file__).parent / "fixtures"
KNOWN = [CanvasStudent(f"9{n}", "", f"s{n}") for n in range(1001, 1011)]


def canvas_rows(out: Path) -> dict[str, str]:
    data = (out / "lms" / "sml-hw4-canvas.csv").read_bytes()
    assert canvas_problems(data, KNOWN) == []
    return {row[2]: row[-1] for row in csv.reader(data.decode("utf-8").splitlines())}


def test_the_summary_counts_each_lms_file_and_lists_what_was_left_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["grade", str(RUBRIC), str(SUBMISSIONS), "--out", str(tmp_path), "--roster", str(FIXTURES / "roster.csv")])
    printed = capsys.readouterr().out
    assert code == 1
    assert "lms/sml-hw4-canvas.csv: 9 students (no submission: 1 blank)" in printed
    assert "lms/sml-hw4-blackboard.csv: 0 students" in printed  # a plain roster without usernames
    assert "students without a submission written as: blank" in printed
    assert "submissions/broken-upload.yaml [canvas moodle blackboard brightspace sakai]: the submission could not be read" in printed
    assert canvas_rows(tmp_path)["s1010"] == ""
    with (tmp_path / "lms" / "sml-hw4-not-uploaded.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [sum(1 for row in rows if row["left out of"] == lms) for lms in ("blackboard", "sakai")] == [9, 9]  # no usernames
    assert "9 students [blackboard]: no Blackboard username" in printed
    assert next(row for row in rows if row["student_id"] == "broken-upload")["file"].endswith("broken-upload.yaml")


@pytest.mark.parametrize(("rubric_says", "option", "written"), [
    (None, None, ""), ("zero", None, "0"), ("zero", "blank", ""), (None, "excused", "EX"), ("excused", None, "EX"),
])
def test_missing_as_comes_from_the_option_then_the_rubric(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          rubric_says: str | None, option: str | None, written: str) -> None:
    document = yaml.safe_load(RUBRIC.read_text(encoding="utf-8"))
    if rubric_says:
        document["missing_submissions"] = rubric_says
    rubric = tmp_path / "hw.yaml"
    rubric.write_text(yaml.safe_dump(document), encoding="utf-8")
    args = ["grade", str(rubric), str(SUBMISSIONS / "ada-lovelace.yaml"), "--out", str(tmp_path / "out"), "--roster", str(FIXTURES / "roster.csv")]
    main(args + (["--missing-as", option] if option else []))
    scores = canvas_rows(tmp_path / "out")
    assert (scores["s1001"], scores["s1010"], scores["s1002"]) == ("37", written, written)
    assert f"written as: {option or rubric_says or 'blank'}" in capsys.readouterr().out


def test_a_misspelt_missing_submissions_is_a_rubric_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rubric = tmp_path / "hw.yaml"
    rubric.write_text(RUBRIC.read_text(encoding="utf-8") + "\nmissing_submissions: zeroes\n", encoding="utf-8")
    assert main(["grade", str(rubric), str(SUBMISSIONS), "--out", str(tmp_path / "out")]) == 2
    assert "expected one of blank, zero, excused, found 'zeroes' (did you mean 'zero'?)" in capsys.readouterr().err


def test_a_clean_class_exits_0_and_one_left_out_row_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.yaml").write_bytes((SUBMISSIONS / "ada-lovelace.yaml").read_bytes())
    assert main(["grade", str(RUBRIC), str(tmp_path / "in"), "--out", str(tmp_path / "out")]) == 0
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,username\r\ns1001,Ada Lovelace,\r\n", encoding="utf-8")  # no Blackboard/Sakai key
    assert main(["grade", str(RUBRIC), str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--roster", str(roster)]) == 1
    assert "no Blackboard username" in capsys.readouterr().out


def test_two_counted_submissions_of_one_student_are_left_out_not_doubled(homework_key, tmp_path: Path) -> None:
    from grader.course.class_grading import grade_class
    from grader.course.class_inputs import ClassInputs
    from grader.exports import lms_sakai
    from grader.intake.roster import Person

    (tmp_path / "a.json").write_text('{"student_id": "s1001", "answers": {}}', encoding="utf-8")
    (tmp_path / "b.json").write_text('{"student_id": "ada", "answers": {}}', encoding="utf-8")
    batch = grade_class(homework_key, [tmp_path / "a.json", tmp_path / "b.json"], ClassInputs(roster=(Person("s1001", "Ada", login="ada"),)))
    upload = lms_sakai.plan(batch)
    assert len(upload.rows) == 1 and [e.reason[:21] for e in upload.not_uploaded] == ["two submissions count"] * 2


def test_make_demo_writes_uploads_that_pass_every_checker(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The Makefile's `grader grade rubrics/sml-hw4.yaml submissions`, checked file by file on disk."""
    from tests.homework import EXAMPLES, ROOT
    from tests.lms_checkers import BrightspaceUsers, blackboard_problems, brightspace_problems, moodle_problems, sakai_problems

    assert "grader grade rubrics/sml-hw4.yaml submissions --out reports" in (ROOT / "Makefile").read_text(encoding="utf-8")
    assert main(["grade", str(RUBRIC), str(SUBMISSIONS), "--out", str(tmp_path)]) == 1
    readable = {sid for sid, (_, status, *_) in EXAMPLES.items() if status != "invalid"}
    files = {lms: (tmp_path / "lms" / f"sml-hw4-{lms}.csv").read_bytes() for lms in ("canvas", "moodle", "blackboard", "brightspace", "sakai")}
    title = "SML Homework 4: convolution arithmetic and backpropagation"
    assert canvas_problems(files["canvas"], [CanvasStudent(f"x{sid}", "", sid) for sid in readable]) == []
    assert moodle_problems(files["moodle"], ",", "ID number", "useridnumber", [{"idnumber": sid} for sid in readable], [title]) == []
    assert blackboard_problems(files["blackboard"], readable, None) == []  # a new column: docs/lms.md says create it first
    assert brightspace_problems(files["brightspace"], BrightspaceUsers(readable, set())) == []
    assert sakai_problems(files["sakai"], ",", readable) == []
    for data in files.values():  # every readable student once, the broken upload in none
        text = data.decode("utf-8")
        assert sorted(sid for sid in EXAMPLES if f"{sid}," in text or f'"{sid}"' in text) == sorted(readable)
    with (tmp_path / "lms" / "sml-hw4-not-uploaded.csv").open(encoding="utf-8", newline="") as stream:
        assert [(row["student_id"], row["left out of"]) for row in csv.DictReader(stream)] == [
            ("broken-upload", "canvas moodle blackboard brightspace sakai")]


def test_a_rubric_worth_more_than_100_warns_of_moodles_grade_limit(homework_key) -> None:
    import dataclasses
    from fractions import Fraction

    from grader.course.class_grading import grade_class
    from grader.exports.lms_uploads import summary_lines

    entries = tuple(dataclasses.replace(entry, points=Fraction(3)) for entry in homework_key.entries)
    key = dataclasses.replace(homework_key, entries=entries)  # 37 answers at 3 points: 111
    warning = "  note: moodle aborts an import with a grade above 100 unless the site allows unlimited grades"
    assert warning in summary_lines(grade_class(key, []))
    assert warning not in summary_lines(grade_class(homework_key, []))


def test_the_next_assignment_keeps_the_last_ones_upload_files(tmp_path: Path) -> None:
    """Two assignments graded into one --out: each keeps its own lms/ files; a rerun of the first
    replaces only its own (the rest of the output set is replaced whole, as always)."""
    rubric = yaml.safe_load(RUBRIC.read_text(encoding="utf-8"))
    rubric["assignment"] = "sml-hw5"
    hw5 = tmp_path / "hw5.yaml"
    hw5.write_text(yaml.safe_dump(rubric), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["grade", str(RUBRIC), str(SUBMISSIONS), "--out", str(out)]) == 1
    first = (out / "lms" / "sml-hw4-canvas.csv").read_bytes()
    assert main(["grade", str(hw5), str(SUBMISSIONS / "ada-lovelace.yaml"), "--out", str(out)]) == 0
    names = sorted(p.name for p in (out / "lms").iterdir())
    files = ("blackboard", "brightspace", "canvas", "moodle", "not-uploaded", "sakai")
    assert names == sorted([*(f"sml-hw4-{x}.csv" for x in files), *(f"sml-hw5-{x}.csv" for x in files)])
    assert (out / "lms" / "sml-hw4-canvas.csv").read_bytes() == first
    assert main(["grade", str(RUBRIC), str(SUBMISSIONS / "ada-lovelace.yaml"), "--out", str(out)]) == 0
    assert (out / "lms" / "sml-hw4-canvas.csv").read_bytes() != first  # replaced: one student now
    assert (out / "lms" / "sml-hw5-canvas.csv").exists()
    assert sorted(p.name for p in (out / "students").iterdir()) == ["s1001.html", "s1001.md"]  # the rest replaced whole
