"""(answer key, submission) → result: read each answer, compare it, award its points."""
from __future__ import annotations

from fractions import Fraction
from typing import Hashable, MutableMapping

from grader.answer_key import AnswerKey, KeyEntry
from grader.numbers import UnreadableNumber, read_number
from grader.results import Status, StudentResult, Verdict, display_text
from grader.submission import Submission
from grader.tolerance import accepts

_NONE = Fraction(0)
MEMO_LIMIT = 100_000

VerdictMemo = MutableMapping[Hashable, Verdict]


def grade_answer(entry: KeyEntry, raw: object) -> Verdict:
    """An unreadable answer is a format problem, reported as such, never counted as a wrong value."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Verdict(entry.path, entry.problem_id, raw, None, Status.MISSING, _NONE, entry.points, "No answer given.")
    try:
        value = read_number(raw)
    except UnreadableNumber as error:
        feedback = f"Could not read {display_text(raw)[:80]!r} as a number: {error}."
        return Verdict(entry.path, entry.problem_id, raw, None, Status.UNREADABLE, _NONE, entry.points, feedback)
    if accepts(entry.tolerance, entry.value, value):
        return Verdict(entry.path, entry.problem_id, raw, value, Status.CORRECT, entry.points, entry.points, "Correct.")
    return Verdict(entry.path, entry.problem_id, raw, value, Status.INCORRECT, _NONE, entry.points, "Incorrect.")


def remembered_verdict(entry: KeyEntry, raw: object, memo: VerdictMemo) -> Verdict:
    """A class writes the same few answers over and over: each (answer, value as typed) is graded
    once per batch. The type is part of the key, so `1`, `1.0` and `true` never share a verdict."""
    if isinstance(raw, (list, dict)):
        return grade_answer(entry, raw)
    memo_key = (entry.path, type(raw), raw)
    verdict = memo.get(memo_key)
    if verdict is None:
        verdict = grade_answer(entry, raw)
        if len(memo) < MEMO_LIMIT:
            memo[memo_key] = verdict
    return verdict


def grade_submission(key: AnswerKey, submission: Submission, memo: VerdictMemo | None = None) -> StudentResult:
    """`memo`, shared across one batch, makes grading a class cost little more than reading it."""
    memo = {} if memo is None else memo
    verdicts = tuple(remembered_verdict(entry, submission.answers.get(entry.path), memo) for entry in key.entries)
    return StudentResult(
        submission.source, submission.student_id, submission.name, verdicts, submission.notes, submitted=submission.submitted
    )


def unreadable_file(key: AnswerKey, source: str, student_id: str, reason: str) -> StudentResult:
    """A file that could not be read still appears everywhere, with every answer missing and the reason."""
    verdicts = tuple(grade_answer(entry, None) for entry in key.entries)
    return StudentResult(source, student_id, "", verdicts, (reason,), readable=False)
