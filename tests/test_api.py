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
