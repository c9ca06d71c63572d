"""grader.course.statistics: spread, item analysis and shared rare wrong answers, against hand-worked numbers."""
from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from grader.course.class_grading import grade_class
from grader.course.class_inputs import ClassInputs
from grader.course.statistics import SharedAnswers, correlation
from grader.intake.discovery import find_submission_files
from grader.intake.roster import Person
from tests.homework import EXPECTED_KEY, SUBMISSIONS


@pytest.fixture(scope="module")
def stats(homework_key):
    return grade_class(homework_key, find_submission_files([SUBMISSIONS])).statistics


def test_only_read_submissions_count(homework_key) -> None:
    batch = grade_class(homework_key, find_submission_files([SUBMISSIONS]), ClassInputs(roster=(Person("s1010", "F A"),)))
    # 10 results: 8 read, broken-upload invalid, s1010 missing
    assert len(batch.results) == 10 and len(batch.statistics.scores) == 8


def test_mean_median_and_spread_of_the_bundled_class(stats) -> None:
    # scores 37 34 34 34 35 36 36 10 (credit carried forward): sum 256 over 8
    assert stats.mean == pytest.approx(32)
    assert stats.median == 34.5  # (34 + 35) / 2
    # deviations 5 2 2 2 3 4 4 -22: squares sum to 562; / 8 = 70.25
    assert stats.spread == pytest.approx(70.25 ** 0.5)


def test_an_answer_one_student_got_wrong(stats) -> None:
    weights = stats.answers[0]
    assert weights.name == "q1.standard.weights"
    assert weights.share_correct == pytest.approx(7 / 8) and weights.difficulty == pytest.approx(1 / 8)
    assert [(w.value, w.students, w.mistake) for w in weights.wrong] == [(7240, 1, "bias counted")]  # Turing


def test_an_answer_everyone_got_right_has_no_discrimination(stats) -> None:
    padding = next(item for item in stats.answers if item.name == "q2.a.padding")
    assert (padding.share_correct, padding.difficulty, padding.discrimination, padding.wrong) == (1.0, 0.0, None, ())


def test_problems_share_of_full_marks_and_points_lost(stats) -> None:
    q2 = stats.problems[1]
    # full marks on q2: all but Liskov (4/6) and Shannon (3/6): 6 of 8; points lost (2 + 3) / (8 * 6)
    assert (q2.name, q2.share_correct) == ("q2", 6 / 8)
    assert q2.difficulty == pytest.approx(5 / 48)


def test_correlation_by_hand() -> None:
    # x mean 1/2, y mean 2: cov 1, var x 1, var y 2 → 1/√2
    assert correlation([Fraction(v) for v in (1, 0, 1, 0)], [Fraction(v) for v in (3, 1, 2, 2)]) == pytest.approx(2 ** -0.5)
    assert correlation([Fraction(1)] * 3, [Fraction(v) for v in (1, 2, 3)]) is None
    assert correlation([Fraction(1)], [Fraction(2)]) is None


def test_students_sharing_rare_wrong_answers_are_listed(homework_key, tmp_path: Path) -> None:
    paths = []
    for index in range(25):
        answers = dict(EXPECTED_KEY)
        if index in (3, 7):  # the same two odd values
            answers |= {"q1.standard.weights": 7777, "q3.forward.z": 5}
        if index in (3, 9):  # only one shared odd value
            answers |= {"q2.a.stride": 9}
        path = tmp_path / f"s{index:02d}.json"
        path.write_text(json.dumps({"student_id": f"s{index:02d}", "answers": answers}), encoding="utf-8")
        paths.append(path)
    stats = grade_class(homework_key, paths).statistics
    # each of the two values given by these two students only, of the 25
    assert stats.shared == (SharedAnswers(("s03", "s07"), (("q1.standard.weights", 7777), ("q3.forward.z", 5)), (2, 2), 25),)


def test_a_common_wrong_value_is_not_rare(homework_key, tmp_path: Path) -> None:
    paths = []
    for index in range(4):  # 3 of 4 share the values: common, not suspicious
        answers = dict(EXPECTED_KEY) | ({"q1.standard.weights": 1, "q3.forward.z": 2} if index else {})
        path = tmp_path / f"s{index}.json"
        path.write_text(json.dumps({"student_id": f"s{index}", "answers": answers}), encoding="utf-8")
        paths.append(path)
    assert grade_class(homework_key, paths).statistics.shared == ()


def test_a_class_with_nothing_readable_has_no_figures(homework_key) -> None:
    stats = grade_class(homework_key, [SUBMISSIONS / "broken-upload.yaml"]).statistics
    assert (stats.scores, stats.mean, stats.median, stats.spread) == ((), None, None, None)
    assert [b.students for b in stats.distribution] == [0] * 10
    assert stats.answers[0].share_correct == 0.0 and stats.answers[0].discrimination is None and stats.shared == ()
