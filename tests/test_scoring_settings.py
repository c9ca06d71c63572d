"""grader.rubric.scoring_settings and how scoring applies them: partial credit, rubric mistakes, significant
figures, and when reference values may be revealed."""
from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from grader.base.errors import RubricError
from grader.intake.submission import Submission
from grader.judging.results import Status
from grader.judging.scoring import grade_submission
from grader.rubric.answer_key import build_answer_key
from grader.rubric.model import parse_rubric
from grader.rubric.scoring_settings import RevealPolicy

Q1 = {"id": "q1", "kind": "convolution-cost", "given": {"input": [30, 30, 20], "kernel": 3, "output": [15, 15, 40]},
      "ask": ["standard.weights", "ratio"]}


def verdicts(problem: dict, answers: dict, **top) -> dict:
    key = build_answer_key(parse_rubric({"assignment": "hw", "problems": [problem], **top}, "r.yaml"))
    return {v.path: v for v in grade_submission(key, Submission("f", "s", "", answers)).verdicts}


def test_partial_credit_within_a_looser_tolerance() -> None:
    problem = {**Q1, "answers": {"standard.weights": {"partial": [
        {"tolerance": {"relative": 0.01}, "credit": 0.5}, {"tolerance": {"relative": 0.1}, "credit": 0.25}]}}}
    close = verdicts(problem, {"q1.standard.weights": 7250})["q1.standard.weights"]  # 0.7% off
    assert (close.status, close.points) == (Status.PARTIAL, Fraction(1, 2))
    assert close.feedback.startswith("Close: within ±1% of the key.") and "50% of the points" in close.feedback
    far = verdicts(problem, {"q1.standard.weights": 7700})["q1.standard.weights"]  # 7% off
    assert (far.status, far.points) == (Status.PARTIAL, Fraction(1, 4))
    wrong = verdicts(problem, {"q1.standard.weights": 9000})["q1.standard.weights"]
    assert (wrong.status, wrong.points) == (Status.INCORRECT, 0)


def test_a_rubric_mistake_names_the_error_and_may_give_credit() -> None:
    problem = {**Q1, "mistakes": [{"answer": "standard.weights", "value": "kernel*kernel*input_3*output_3*2",
                                   "feedback": "Each weight is counted once.", "credit": 0.5}]}
    verdict = verdicts(problem, {"q1.standard.weights": 14_400})["q1.standard.weights"]  # 3*3*20*40*2
    assert (verdict.status, verdict.points, verdict.mistake) == (Status.PARTIAL, Fraction(1, 2), "instructor's note")
    assert "Each weight is counted once." in verdict.feedback


def test_a_rubric_mistake_may_use_the_keys_answers() -> None:
    problem = {**Q1, "mistakes": [{"answer": "ratio", "value": "1/ratio", "feedback": "Standard over separable, not the reverse."}]}
    verdict = verdicts(problem, {"q1.ratio": "360/49"})["q1.ratio"]
    assert (verdict.status, verdict.mistake) == (Status.INCORRECT, "instructor's note")


@pytest.mark.parametrize(
    ("mistake", "field"),
    [
        ({"answer": "standard.nope", "value": "1", "feedback": "x"}, "mistakes[0].answer"),
        ({"answer": "ratio", "value": "kernal*2", "feedback": "x"}, "mistakes[0].value"),
        ({"answer": "ratio", "value": "2", "feedback": "x", "credit": 3}, "mistakes[0].credit"),
    ],
)
def test_bad_rubric_mistakes_are_located(mistake: dict, field: str) -> None:
    with pytest.raises(RubricError) as caught:
        parse_and_key({**Q1, "mistakes": [mistake]})
    assert [issue.field for issue in caught.value.issues] == [field]


def parse_and_key(problem: dict) -> None:
    build_answer_key(parse_rubric({"assignment": "hw", "problems": [problem]}, "r.yaml"))


def test_significant_figures() -> None:
    problem = {**Q1, "answers": {"ratio": {"tolerance": {"significant_figures": 3}}}}
    # 49/360 = 0.136111...: three figures accept 0.1355 to 0.1365
    assert verdicts(problem, {"q1.ratio": 0.136})["q1.ratio"].status is Status.CORRECT
    assert verdicts(problem, {"q1.ratio": 0.1364})["q1.ratio"].status is Status.CORRECT
    assert verdicts(problem, {"q1.ratio": 0.137})["q1.ratio"].status is Status.INCORRECT


def test_the_nearest_tolerance_wins() -> None:
    problem = {**Q1, "tolerance": {"relative": 0.5}, "answers": {"ratio": {"tolerance": {"absolute": 0.001}}}}
    checked = verdicts(problem, {"q1.standard.weights": 9000, "q1.ratio": 0.14}, tolerance={"relative": 0.9})
    assert checked["q1.standard.weights"].status is Status.CORRECT  # the problem's 50% beats the rubric's
    assert checked["q1.ratio"].status is Status.INCORRECT  # the answer's ±0.001 beats the problem's 50%


def test_reveal_policies() -> None:
    due = dt.datetime(2026, 12, 1, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    before, after = dt.datetime(2026, 12, 1, 22, 0, tzinfo=dt.timezone.utc), dt.datetime(2026, 12, 2, tzinfo=dt.timezone.utc)
    assert not RevealPolicy("never").allows(after)
    assert RevealPolicy("always").allows(before)
    assert not RevealPolicy("after_due", due).allows(before) and RevealPolicy("after_due", due).allows(after)


@pytest.mark.parametrize(
    ("top", "fragment"),
    [
        ({"reveal": "after_due"}, "field 'due': required with reveal: after_due"),
        ({"reveal": "after_due", "due": "2026-12-01 23:59"}, "field 'due': expected a time zone"),
        ({"reveal": "after_due", "due": "next friday"}, "field 'due': expected a date and time"),
    ],
)
def test_reveal_after_due_needs_a_due_time_with_a_zone(top: dict, fragment: str) -> None:
    with pytest.raises(RubricError, match=fragment):
        parse_rubric({"assignment": "hw", "problems": [Q1], **top}, "r.yaml")


def test_a_yaml_timestamp_is_read_as_the_due_time() -> None:
    rubric = parse_rubric({"assignment": "hw", "problems": [Q1], "reveal": "after_due",
                           "due": dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.timezone.utc)}, "r.yaml")
    assert rubric.reveal.allows(dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.timezone.utc))


def test_a_ratio_may_be_written_as_a_percentage_and_only_a_ratio() -> None:
    checked = verdicts({**Q1, "answers": {"ratio": {"tolerance": {"significant_figures": 3}}}},
                       {"q1.ratio": "13.6%", "q1.standard.weights": "7200%"})
    assert checked["q1.ratio"].status is Status.CORRECT  # 49/360 = 13.61%
    assert checked["q1.standard.weights"].status is Status.UNREADABLE
    assert "percentages are not expected here" in checked["q1.standard.weights"].feedback
