"""Answers read as a TA reads them, never silently wrong: each rule of docs/scoring.md §1 with
answers typed the ways students type them, and what was read shown beside what was typed."""
from __future__ import annotations

from fractions import Fraction

import pytest

from grader.base.answer_text import Hints, interpret
from grader.intake.submission import Submission
from grader.judging.results import Status
from grader.judging.scoring import grade_answer, grade_submission
from grader.rubric.answer_key import KeyEntry, build_answer_key
from grader.rubric.model import parse_rubric
from grader.rubric.tolerance import Tolerance

COUNT = Hints(whole=True)
RATIO = Hints(whole=False, percent_allowed=True)


@pytest.mark.parametrize(("typed", "hints", "value", "note"), [
    ("7200 weights", COUNT, 7200, "'weights'"),
    ("1,620,000 MACs", COUNT, 1620000, "'MACs'"),
    ("10 filters", COUNT, 10, "'filters'"),
    ("1 pixel", COUNT, 1, "'pixel'"),
    ("7.2k", COUNT, 7200, "×1,000"),
    ("1.62M", COUNT, 1620000, "×1,000,000"),
    ("1.62 million", COUNT, 1620000, "×1,000,000"),
    ("3x3x20x40", COUNT, 7200, ""),
    ("3×3×20×40 = 7200", COUNT, 7200, ""),
    ("$7200$", COUNT, 7200, ""),
    (r"$3 \times 3 \times 20 \times 40$", COUNT, 7200, ""),
    ("980 (=180+800)", COUNT, 980, "'=180+800'"),
    ("980 (180 + 800)", COUNT, 980, "'180 + 800'"),
    ("16,20,000", COUNT, 1620000, "Indian"),  # 16 lakh 20 thousand
    ("1'620'000", COUNT, 1620000, ""),  # Swiss
    ("1\u2019620\u2019000", COUNT, 1620000, ""),  # Swiss, typographic apostrophe
    ("1.620.000", COUNT, 1620000, "thousands"),
    ("7.200", COUNT, 7200, "a count is a whole number"),
    ("7.200", RATIO, Fraction(36, 5), ""),  # not a count: the point is a decimal point
    ("0,136", RATIO, Fraction(136, 1000), "leading '0,'"),
    ("0,136", COUNT, Fraction(136, 1000), "leading '0,'"),
    ("13,6%", RATIO, Fraction(136, 1000), "decimal comma"),
    ("−3, so L = 25", Hints(whole=True), -3, "'L = 25'"),
    ("−3 → L = 25", Hints(whole=True), -3, "'L = 25'"),
    ("z = −3; L = 25", Hints(whole=True), -3, "'L = 25'"),
    ("2(z − t) → −10", Hints(whole=True), -10, ""),  # an arrow to a bare number gives the answer
    ("≈ 0.136", RATIO, Fraction(136, 1000), "≈"),
    ("~13.6%", RATIO, Fraction(136, 1000), "≈"),
    ("220500/1620000 ≈ 0.1361", RATIO, Fraction(1361, 10000), "≈"),
])
def test_what_a_ta_reads_without_hesitation(typed: str, hints: Hints, value: Fraction, note: str) -> None:
    found = interpret(typed, hints)
    assert (found.outcome, found.value) == ("number", value)
    assert note in " ".join(found.notes)


@pytest.mark.parametrize(("typed", "hints", "reason"), [
    ("7,200", Hints(whole=False), "may be 7.200 (a decimal comma) or 7200"),  # a non-whole answer: either could be meant
    ("7,20", COUNT, "a TA decides"),  # no thousands group, and a count is no decimal
    ("1,5", Hints(), "a TA decides"),  # nothing settles it
    ("about 7200", COUNT, "'about'"),
    ("7x", COUNT, "'x'"),
])
def test_ambiguous_text_is_left_for_a_ta(typed: str, hints: Hints, reason: str) -> None:
    found = interpret(typed, hints)
    assert (found.outcome, found.value) == ("unreadable", None)
    assert reason in found.reason


@pytest.mark.parametrize("typed", ["N/A", "idk", "-", "—", "?", "none"])
def test_words_for_no_answer_are_missing(typed: str) -> None:
    assert interpret(typed, COUNT).outcome == "missing"


ENTRY = KeyEntry("q1.standard.weights", "q1", Fraction(7200), Fraction(1), Tolerance())


def test_two_values_are_wrong_with_a_note() -> None:
    verdict = grade_answer(ENTRY, "7200 or 7280")
    assert (verdict.status, verdict.points) == (Status.INCORRECT, 0)
    assert verdict.feedback == "Incorrect: two values given (7200 or 7280): give one answer."
    assert grade_answer(ENTRY, "7200 | 7200").status is Status.CORRECT  # the same value twice is one answer


def test_what_was_read_is_shown_beside_what_was_typed() -> None:
    assert grade_answer(ENTRY, "7200").read_as == ""
    assert grade_answer(ENTRY, 7200).read_as == ""
    assert grade_answer(ENTRY, "7,200").read_as == ""  # plainly 7200
    assert grade_answer(ENTRY, "3*3*20*40").read_as == "7200"
    assert grade_answer(ENTRY, "7.200").read_as == "7200 ('.' separates thousands (a count is a whole number))"
    assert grade_answer(ENTRY, "idk").read_as == "no value ('idk' counts as no answer)"
    assert grade_answer(ENTRY, "idk").status is Status.MISSING


def test_a_padding_may_be_answered_same_or_valid() -> None:
    rubric = {"assignment": "hw", "problems": [{"id": "q2", "kind": "output-size", "given": {"input": [20, 20, 10], "output": [20, 20, 10]},
                                                 "parts": {"a": {"kernel": 1}, "b": {"kernel": 3}}}]}
    key = build_answer_key(parse_rubric(rubric, "r.yaml"))
    answers = {"q2.a.padding": "valid", "q2.a.stride": 1, "q2.b.padding": "same", "q2.b.stride": 1}
    verdicts = {v.path: v for v in grade_submission(key, Submission("f", "s", "", answers)).verdicts}
    # 'same' keeps 20 outputs: with a 3x3 filter and stride 1, (20 - 3 + 2P)/1 + 1 = 20 gives P = 1
    assert (verdicts["q2.b.padding"].status, verdicts["q2.b.padding"].read_as) == (Status.CORRECT, "1 (the word 'same' for this question)")
    assert (verdicts["q2.a.padding"].status, verdicts["q2.a.padding"].value) == (Status.CORRECT, 0)


def test_an_approximate_reading_is_judged_within_the_tolerance() -> None:
    entry = KeyEntry("q1.ratio", "q1", Fraction(220500, 1620000), Fraction(1), Tolerance(relative=Fraction(1, 200)), percent_allowed=True)
    assert grade_answer(entry, "≈ 0.136").status is Status.CORRECT  # 0.13611…: 0.08 % off
    assert grade_answer(entry, "≈ 0.14").status is Status.INCORRECT  # 2.9 % off


@pytest.mark.parametrize(("typed", "value"), [
    ("z1 = 2, z2 = -1", 2),  # the next answer written after this one is not this one
    ("2*(3+4)", 14),  # brackets that are arithmetic stay arithmetic
    ("-10 (2(z - t))", -10),
    ("y1 = 1*2 + (-1)*1 = 1", 1),
    ("1,620,000", 1620000),
])
def test_what_must_not_be_misread(typed: str, value: int) -> None:
    assert interpret(typed, COUNT).value == value


@pytest.mark.parametrize("typed", ["0x10", "5m", "3 x"])
def test_what_stays_unreadable(typed: str) -> None:
    assert interpret(typed, COUNT).outcome == "unreadable"


def test_a_unit_that_names_another_count_is_noted() -> None:
    found = interpret("3,240,000 FLOPs", Hints(whole=True, asked="macs"))
    assert (found.value, found.notes) == (3_240_000, ("the word 'FLOPs' is set aside, but MACs are asked",))
    assert interpret("7200 weights", Hints(whole=True, asked="weights")).notes == ("the word 'weights' after the number is set aside",)
