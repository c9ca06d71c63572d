"""grader.base.times: one reader of times for the late policy and the resubmission rule, so every
format one accepts the other accepts too (Google Forms' export was once refused by the late policy)."""
from __future__ import annotations

import datetime
from fractions import Fraction
from pathlib import Path

import pytest

from grader.base.times import parse_time
from grader.course.class_grading import grade_class
from grader.rubric.answer_key import build_answer_key
from grader.rubric.model import load_rubric
from grader.rubric.resubmission_rule import read_time
from tests.homework import RUBRIC

UTC = datetime.timezone.utc
T = datetime.datetime

# As each system writes 20 November 2026, 11:30 (UTC where no offset is given).
WRITTEN = [
    ("2026/11/20 11:30:00", T(2026, 11, 20, 11, 30, tzinfo=UTC)),  # Google Forms
    ("2026/11/20 11:30", T(2026, 11, 20, 11, 30, tzinfo=UTC)),
    ("2026/1/5 09:00:00", T(2026, 1, 5, 9, 0, tzinfo=UTC)),  # Google Forms, not zero-padded
    ("2026-11-20 03:30:00 -0800", T(2026, 11, 20, 11, 30, tzinfo=UTC)),  # Gradescope
    ("2026-11-20T11:30:00Z", T(2026, 11, 20, 11, 30, tzinfo=UTC)),  # ISO, Zulu
    ("2026-11-20T12:30:00+01:00", T(2026, 11, 20, 11, 30, tzinfo=UTC)),  # ISO with an offset
    ("2026-11-20 11:30", T(2026, 11, 20, 11, 30, tzinfo=UTC)),
    (T(2026, 11, 20, 11, 30), T(2026, 11, 20, 11, 30, tzinfo=UTC)),  # a YAML timestamp
    (datetime.date(2026, 11, 20), T(2026, 11, 20, tzinfo=UTC)),  # a YAML date
]
REFUSED = ["20/11/2026 11:30", "11/20/2026 11:30:00", "yesterday", "", "2026/13/01 10:00", 1700000000, None]


@pytest.mark.parametrize(("raw", "moment"), WRITTEN)
def test_the_late_policy_and_the_resubmission_rule_read_every_format_alike(raw: object, moment: T) -> None:
    assert parse_time(raw, UTC) == moment
    assert read_time(raw) == moment.replace(tzinfo=None)


@pytest.mark.parametrize("raw", REFUSED)
def test_what_neither_reads_without_guessing(raw: object) -> None:
    assert parse_time(raw, UTC) is None
    assert read_time(raw) is None


def test_a_google_forms_timestamp_gets_the_late_penalty(tmp_path: Path) -> None:
    rubric = tmp_path / "hw.yaml"
    rubric.write_text(RUBRIC.read_text(encoding="utf-8")
                      + "\nlate: {due: 2026-11-20 23:59, timezone: UTC, penalty_per_day: 10}\n", encoding="utf-8")
    form = tmp_path / "responses.csv"
    form.write_text("Timestamp,student_id,q1.standard.weights\n2026/11/22 10:00:00,s1,7200\n2026/11/20 10:00:00,s2,7200\n",
                    encoding="utf-8")
    results = {r.student_id: r for r in grade_class(build_answer_key(load_rubric(rubric)), [form]).results}
    assert results["s1"].late is not None and results["s1"].late.share == Fraction(2, 10)  # 2 started days
    assert results["s2"].late is not None and results["s2"].late.share == 0
    assert not any("late policy" in note for r in results.values() for note in r.notes)
