"""grader.judging.scoring: each answer read, compared within tolerance, and given its points."""
from __future__ import annotations

from fractions import Fraction

import pytest

from grader.base.answer_text import Hints
from grader.intake.submission import Submission
from grader.judging.results import Standing, Status
from grader.judging.scoring import (
    BatchMemo,
    grade_answer,
    grade_submission,
    read_answer,
    remembered_reading,
    unreadable_file,
)
from grader.rubric.answer_key import KeyEntry, build_answer_key
from grader.rubric.model import parse_rubric
from grader.rubric.tolerance import Tolerance
from tests.test_carried_forward import HW4_Q3, q3_answers

ENTRY = KeyEntry("q1.standard.weights", "q1", Fraction(7200), Fraction(2), Tolerance())


@pytest.mark.parametrize(
    ("raw", "status", "value", "points", "feedback"),
    [
        (7200, Status.CORRECT, Fraction(7200), 2, "Correct."),
        ("7,200", Status.CORRECT, Fraction(7200), 2, "Correct."),
        ("7 200", Status.CORRECT, Fraction(7200), 2, "Correct."),
        ("7.2e3", Status.CORRECT, Fraction(7200), 2, "Correct."),
        (7200.0, Status.CORRECT, Fraction(7200), 2, "Correct."),
        ("  7200 ", Status.CORRECT, Fraction(7200), 2, "Correct."),
        (7201, Status.INCORRECT, Fraction(7201), 0, "Incorrect: no usual mistake gives 7201; check your working."),
        ("-7200", Status.INCORRECT, Fraction(-7200), 0, "Incorrect: no usual mistake gives -7200; check your working."),
        ("7240", Status.INCORRECT, Fraction(7240), 0, "Incorrect: no usual mistake gives 7240; check your working."),
        (None, Status.MISSING, None, 0, "No answer given."),
        ("", Status.MISSING, None, 0, "No answer given."),
        ("   ", Status.MISSING, None, 0, "No answer given."),
    ],
)
def test_verdicts_and_points(raw: object, status: Status, value: Fraction | None, points: int, feedback: str) -> None:
    verdict = grade_answer(ENTRY, raw)
    assert (verdict.path, verdict.problem_id, verdict.raw) == ("q1.standard.weights", "q1", raw)
    assert (verdict.status, verdict.value, verdict.points, verdict.possible, verdict.feedback) == (
        status, value, points, 2, feedback,
    )


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("about 7200", "'about 7200'"),
        ("7,20", "'7,20'"),
        (True, "'true'"),
        ([7200, 7200], "'7200 | 7200'"),
        ({"value": 7200}, "'{…}'"),  # nested values are named, never printed (they may be huge or deep)
        ("x" * 200, "'" + "x" * 80 + "'"),
    ],
)
def test_unreadable_answers_score_zero_and_say_why(raw: object, shown: str) -> None:
    verdict = grade_answer(ENTRY, raw)
    assert (verdict.status, verdict.value, verdict.points, verdict.possible) == (Status.UNREADABLE, None, 0, 2)
    assert verdict.feedback.startswith(f"Could not read {shown} as a number: ")


@pytest.mark.parametrize(
    ("expected", "tolerance", "raw", "status"),
    [
        (Fraction(10), Tolerance(absolute=Fraction(1, 2)), "10.5", Status.CORRECT),
        (Fraction(10), Tolerance(absolute=Fraction(1, 2)), "9.5", Status.CORRECT),
        (Fraction(10), Tolerance(absolute=Fraction(1, 2)), "10.6", Status.INCORRECT),
        (Fraction(200), Tolerance(relative=Fraction(1, 10)), 220, Status.CORRECT),
        (Fraction(200), Tolerance(relative=Fraction(1, 10)), 221, Status.INCORRECT),
        (Fraction(200), Tolerance(relative=Fraction(1, 10)), 179, Status.INCORRECT),
        (Fraction(1, 3), Tolerance(relative=Fraction(1, 10**6)), "0.3333333", Status.CORRECT),
        (Fraction(1, 3), Tolerance(relative=Fraction(1, 10**6)), "1/3", Status.CORRECT),
        (Fraction(1, 3), Tolerance(relative=Fraction(1, 10**6)), "0.33", Status.INCORRECT),
        (Fraction(1, 3), Tolerance(), "0.3333333", Status.INCORRECT),
        (Fraction(0), Tolerance(relative=Fraction(1, 2)), "0.001", Status.INCORRECT),
        (Fraction(0), Tolerance(absolute=Fraction(1, 100)), "0.001", Status.CORRECT),
        (Fraction(5), Tolerance(absolute=Fraction(1, 10), relative=Fraction(1, 2)), "7", Status.CORRECT),
    ],
)
def test_tolerance_decides_close_answers(expected: Fraction, tolerance: Tolerance, raw: object, status: Status) -> None:
    entry = KeyEntry("p.a", "p", expected, Fraction(1), tolerance)
    verdict = grade_answer(entry, raw)
    assert verdict.status is status
    assert verdict.points == (1 if status is Status.CORRECT else 0)


RUBRIC = {
    "assignment": "hw",
    "points": 2,
    "problems": [
        {"id": "s", "kind": "output-size", "given": {"input": [20, 20, 10], "output": [20, 20, 10], "kernel": 3},
         "answers": {"filters": {"points": 3}}},
    ],
}


@pytest.fixture(scope="module")
def key():
    return build_answer_key(parse_rubric(RUBRIC, "hw.yaml"))


def test_a_submission_is_graded_in_key_order(key) -> None:
    submission = Submission("a.yaml", "s7", "Ada", {"s.filters": "10", "s.padding": "one", "extra": 1}, ("a note",))
    result = grade_submission(key, submission)
    assert (result.source, result.student_id, result.name, result.notes, result.readable) == (
        "a.yaml", "s7", "Ada", ("a note",), True,
    )
    assert [(v.path, v.status, v.points, v.possible) for v in result.verdicts] == [
        ("s.padding", Status.UNREADABLE, 0, 2),
        ("s.stride", Status.MISSING, 0, 2),
        ("s.filters", Status.CORRECT, 3, 3),
    ]
    assert (result.total, result.possible, result.problem_score("s")) == (3, 7, 3)
    assert (result.count(Status.CORRECT), result.count(Status.UNREADABLE), result.count(Status.MISSING)) == (1, 1, 1)


@pytest.mark.parametrize(
    ("answers", "notes", "standing", "total"),
    [
        ({"s.padding": 1, "s.stride": 1, "s.filters": 10}, (), Standing.GRADED, 7),
        ({"s.padding": 0, "s.stride": 2}, (), Standing.GRADED, 0),
        ({"s.padding": 1, "s.stride": "1?", "s.filters": 10}, (), Standing.REVIEW, 5),
        ({"s.padding": 1, "s.stride": 1, "s.filters": 10}, ("late",), Standing.REVIEW, 7),
        ({"s.padding": [1, 1], "s.stride": 1, "s.filters": 10}, (), Standing.REVIEW, 5),
    ],
)
def test_standing_and_total(key, answers: dict[str, object], notes: tuple[str, ...], standing: Standing, total: int) -> None:
    result = grade_submission(key, Submission("a.yaml", "s7", "Ada", answers, notes))
    assert (result.standing, result.total, result.possible) == (standing, total, 7)


def test_an_unreadable_file_still_has_every_answer_missing_and_the_reason(key) -> None:
    result = unreadable_file(key, "uploads/bad.yaml", "bad", "line 3, column 1: not valid YAML")
    assert (result.source, result.student_id, result.name, result.readable) == ("uploads/bad.yaml", "bad", "", False)
    assert result.notes == ("line 3, column 1: not valid YAML",)
    assert result.standing is Standing.INVALID
    assert [(v.path, v.status, v.points, v.possible) for v in result.verdicts] == [
        ("s.padding", Status.MISSING, 0, 2), ("s.stride", Status.MISSING, 0, 2), ("s.filters", Status.MISSING, 0, 3),
    ]
    assert (result.total, result.possible) == (0, 7)


ANY_VALID = {
    "assignment": "hw",
    "problems": [{"id": "s", "kind": "output-size", "given": {"input": 7, "kernel": 3, "output": 3}}],
}


@pytest.mark.parametrize(
    ("padding", "stride", "statuses", "feedback"),
    [
        # (7 - 3 + 2P)/S + 1 = 3: the key prefers P = 0, S = 2; P = 1, S = 3 and P = 2, S = 4 fit too
        (0, 2, ("correct", "correct"), "Correct."),
        (1, 3, ("correct", "correct"), "Correct: your answers satisfy W2 = (W1 − F + 2P)/S + 1; the key's own choice is 0."),
        (2, 4, ("correct", "correct"), "Correct: your answers satisfy W2 = (W1 − F + 2P)/S + 1; the key's own choice is 0."),
        # (4 + 2)/2 + 1 = 4: only the stride matches the key; P = 1 is what (7 - 3 + 2P)/2 = 3 gives
        (1, 2, ("incorrect", "correct"), "Count the first position too: W2 = (W1 − F + 2P)/S + 1, with + 1."),
        # fits the equation, but padding 3 is not below the kernel
        (3, 5, ("incorrect", "incorrect"), "Incorrect: no usual mistake gives 3; check your working."),
        ("one", 3, ("unreadable", "incorrect"), "Could not read 'one' as a number: not a number."),
    ],
)
def test_any_valid_answer_to_an_output_size_question_is_right(padding, stride, statuses, feedback) -> None:
    key = build_answer_key(parse_rubric(ANY_VALID, "hw.yaml"))
    result = grade_submission(key, Submission("f.yaml", "s1", "", {"s.padding": padding, "s.stride": stride}))
    assert tuple(v.status.value for v in result.verdicts) == statuses
    assert result.verdicts[0].feedback == feedback


def test_a_rule_is_not_applied_when_only_part_of_its_group_is_asked() -> None:
    rubric = {**ANY_VALID, "problems": [{**ANY_VALID["problems"][0], "ask": ["stride"]}]}
    key = build_answer_key(parse_rubric(rubric, "hw.yaml"))
    assert key.entries[0].constraint is None
    result = grade_submission(key, Submission("f.yaml", "s1", "", {"s.stride": 3}))
    assert result.verdicts[0].status.value == "incorrect"  # stride 3 alone cannot be judged by the rule


@pytest.mark.parametrize(("first", "second"), [(1, True), (1, 1.0), (7200, "7200"), (0, False)])
def test_the_memo_never_mixes_values_that_compare_equal_across_types(first: object, second: object) -> None:
    memo: dict = {}
    assert remembered_reading(first, Hints(), memo) == read_answer(first)
    assert remembered_reading(second, Hints(), memo) == read_answer(second)
    assert len(memo) == 2


def test_the_memo_reads_a_repeated_answer_once() -> None:
    memo: dict = {}
    reading = remembered_reading("7,200", Hints(), memo)
    assert remembered_reading("7,200", Hints(), memo) is reading
    assert list(memo) == [(Hints(), str, "7,200")]
    assert remembered_reading("13%", Hints(percent_allowed=True), memo).value == Fraction(13, 100)  # percentages are read apart


def test_nested_answers_are_never_remembered() -> None:
    memo: dict = {}
    assert remembered_reading([7200, 7200], Hints(), memo).value is None
    assert memo == {}


def test_a_shared_memo_does_not_share_judgements() -> None:
    """Two students with the same upstream slip but different downstream values are judged apart."""
    key = build_answer_key(parse_rubric(ANY_VALID, "hw.yaml"))
    memo = BatchMemo(key)
    right = grade_submission(key, Submission("a", "s1", "", {"s.padding": 1, "s.stride": 3}), memo)
    wrong = grade_submission(key, Submission("b", "s2", "", {"s.padding": 1, "s.stride": 2}), memo)
    assert (right.verdicts[0].status, wrong.verdicts[0].status) == (Status.CORRECT, Status.INCORRECT)


def test_a_shared_memo_judges_a_repeated_answer_once() -> None:
    key = build_answer_key(parse_rubric(ANY_VALID, "hw.yaml"))
    memo = BatchMemo(key)
    first = grade_submission(key, Submission("a", "s1", "", {"s.padding": 1, "s.stride": 3}), memo)
    second = grade_submission(key, Submission("b", "s2", "", {"s.padding": 1, "s.stride": 3}), memo)
    assert all(a is b for a, b in zip(first.verdicts, second.verdicts))
    assert first.verdicts == grade_submission(key, Submission("a", "s1", "", {"s.padding": 1, "s.stride": 3})).verdicts


def test_a_shared_memo_keeps_carried_credit_apart_by_the_earlier_values() -> None:
    """The same downstream value is right given one slip upstream and wrong given another."""
    key = build_answer_key(parse_rubric({"assignment": "hw", "problems": [HW4_Q3]}, "r.yaml"))
    memo = BatchMemo(key)
    slipped = grade_submission(key, Submission("a", "s1", "", q3_answers(grad__y1=10, grad__w1_11=10)), memo)
    right = grade_submission(key, Submission("b", "s2", "", q3_answers(grad__w1_11=10)), memo)
    status = {result.student_id: {v.path: v.status for v in result.verdicts}["q3.grad.w1_11"] for result in (slipped, right)}
    assert status == {"s1": Status.CARRIED, "s2": Status.INCORRECT}


def test_a_key_other_than_the_batch_key_is_never_remembered() -> None:
    """A student whose rubric draws values is judged against a key of their own."""
    key = build_answer_key(parse_rubric(ANY_VALID, "hw.yaml"))
    other = build_answer_key(parse_rubric(ANY_VALID, "hw.yaml"))
    memo = BatchMemo(key)
    grade_submission(other, Submission("a", "s1", "", {"s.padding": 1, "s.stride": 3}), memo)
    assert memo.verdicts == {}


TWO_ALIKE = {"assignment": "hw", "problems": [{**ANY_VALID["problems"][0], "id": "s"}, {**ANY_VALID["problems"][0], "id": "t"}]}


def test_a_problem_answered_alike_is_judged_once_and_the_others_apart() -> None:
    key = build_answer_key(parse_rubric(TWO_ALIKE, "hw.yaml"))
    memo = BatchMemo(key)
    first = grade_submission(key, Submission("a", "s1", "", {"s.padding": 1, "s.stride": 3, "t.padding": 0, "t.stride": 2}), memo)
    second = grade_submission(key, Submission("b", "s2", "", {"s.padding": 1, "s.stride": 3, "t.padding": 1, "t.stride": 2}), memo)
    assert [a is b for a, b in zip(first.verdicts, second.verdicts)] == [True, True, False, False]
    alone = grade_submission(key, Submission("b", "s2", "", {"s.padding": 1, "s.stride": 3, "t.padding": 1, "t.stride": 2}))
    assert second.verdicts == alone.verdicts


def test_problems_answered_the_same_way_keep_their_own_verdicts() -> None:
    """Two problems with the same answers (here none) are remembered apart: each verdict names its own answer."""
    key = build_answer_key(parse_rubric(TWO_ALIKE, "hw.yaml"))
    memo = BatchMemo(key)
    for student in ("s1", "s2"):
        result = grade_submission(key, Submission("a", student, "", {}), memo)
        assert [v.path for v in result.verdicts] == [entry.path for entry in key.entries]


def test_carried_credit_is_remembered_with_the_problem_it_depends_on() -> None:
    key = build_answer_key(parse_rubric({"assignment": "hw", "problems": [HW4_Q3]}, "r.yaml"))
    memo = BatchMemo(key)
    answers = q3_answers(grad__y1=10, grad__w1_11=10)
    first, second = (grade_submission(key, Submission("a", sid, "", answers), memo) for sid in ("s1", "s2"))
    assert first.verdicts is not second.verdicts and first.verdicts == second.verdicts
    assert {v.path: v.status for v in second.verdicts}["q3.grad.w1_11"] == Status.CARRIED


def test_an_answer_given_as_a_list_is_judged_without_the_memo() -> None:
    key = build_answer_key(parse_rubric(ANY_VALID, "hw.yaml"))
    memo = BatchMemo(key)
    result = grade_submission(key, Submission("a", "s1", "", {"s.padding": [1, 1], "s.stride": 3}), memo)
    assert result.verdicts[0].status is Status.UNREADABLE and memo.problems == {}
