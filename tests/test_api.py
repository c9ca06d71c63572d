"""grader.grade: the notebook API gives results and a DataFrame, and writes nothing."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import grader
from grader.base.errors import InputError
from grader.judging.results import Standing
from tests.homework import EXAMPLES, ORDER, RUBRIC, SUBMISSIONS

ROSTER = Path(__file__).parent / "fixtures" / "roster.csv"


def test_grade_returns_results_and_a_frame_without_writing(tmp_path: Path) -> None:
    shutil.copytree(SUBMISSIONS, tmp_path / "in")
    before = sorted(tmp_path.rglob("*"))
    graded = grader.grade(str(RUBRIC), [tmp_path / "in"])
    assert sorted(tmp_path.rglob("*")) == before
    assert [r.student_id for r in graded.results] == ORDER
    frame = graded.frame
    assert frame["student_id"].tolist() == ORDER
    assert dict(zip(frame["student_id"], frame["total"])) == {sid: total for sid, (*_, total) in EXAMPLES.items()}
    assert str(frame["total"].dtype).startswith("int")
    assert frame.attrs["possible"]["total"] == 37 and frame.attrs["possible"]["q3"] == 23


def test_grade_with_a_roster_includes_the_missing_student() -> None:
    graded = grader.grade(RUBRIC, [SUBMISSIONS], roster=ROSTER)
    allen = graded.frame[graded.frame["student_id"] == "s1010"].iloc[0]
    assert (allen["name"], allen["status"], allen["total"]) == ("Frances Allen", "missing", 0)
    assert next(r for r in graded.results if r.student_id == "s1010").standing is Standing.MISSING


def test_grade_raises_the_domain_error_for_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        grader.grade(RUBRIC, [tmp_path / "nowhere"])


def test_an_unknown_attribute_is_still_an_error() -> None:
    with pytest.raises(AttributeError):
        grader.nothing_here  # noqa: B018


def test_one_path_is_one_path_as_text_or_path() -> None:
    for one in (str(SUBMISSIONS), SUBMISSIONS):
        graded = grader.grade(RUBRIC, one)
        assert [r.student_id for r in graded.results] == ORDER
    single = grader.grade(RUBRIC, str(SUBMISSIONS / "ada-lovelace.yaml"))
    assert [r.student_id for r in single.results] == ["s1001"]


def test_the_public_names_are_importable_from_grader_and_listed() -> None:
    from grader import BatchResult, GraderError, InputError, Standing, Status, StudentResult, Verdict, check, grade  # noqa: F401

    public = {"grade", "check", "Graded", "GraderError", "InputError", "RubricError", "BatchResult",
              "StudentResult", "Verdict", "Status", "Standing", "check_remote"}
    assert public <= set(dir(grader))
    assert set(grader.__all__) == public
    assert issubclass(InputError, GraderError)
    assert grader.GraderError is __import__("grader.base.errors", fromlist=["GraderError"]).GraderError


def test_importing_grader_loads_neither_pandas_nor_the_api() -> None:
    import subprocess
    import sys

    code = "import sys, grader; dir(grader); print('pandas' in sys.modules, 'grader.api' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["False", "False"], done.stderr
    loaded = subprocess.run([sys.executable, "-c", "import sys, grader; grader.grade; print('pandas' in sys.modules)"],
                            capture_output=True, text=True, timeout=60)
    assert loaded.stdout.strip() == "True"  # the adversary: the probe can see pandas load


def test_check_judges_a_file_or_the_answers_themselves() -> None:
    from_file = grader.check(RUBRIC, SUBMISSIONS / "alan-turing.json")
    assert (from_file.student_id, from_file.total) == ("s1002", 34)  # as `grader check` says: 34 / 37
    answers = grader.check(RUBRIC, {"q1.standard.weights": 7240, "q1": {"standard": {"macs": "1,620,000"}}}, student_id="s9")
    verdicts = {v.path: v for v in answers.verdicts}
    assert verdicts["q1.standard.weights"].status is grader.Status.INCORRECT
    assert verdicts["q1.standard.weights"].mistake == "bias counted"
    assert verdicts["q1.standard.macs"].status is grader.Status.CORRECT
    assert verdicts["q2.a.padding"].status is grader.Status.MISSING
    assert answers.student_id == "s9"


def test_check_uses_the_students_own_numbers_on_a_variant_rubric() -> None:
    import json
    import subprocess
    import sys

    variants = RUBRIC.parent / "example-variants.yaml"
    key = json.loads(subprocess.run([sys.executable, "-m", "grader", "solve", str(variants), "--student", "s42", "--format", "json"],
                                    capture_output=True, text=True, timeout=60).stdout)["answers"]
    own = grader.check(variants, key, student_id="s42")
    other = grader.check(variants, key, student_id="s43")
    assert own.total == own.possible == 10
    assert other.total < other.possible
