"""(answer key, submission) → result: read each answer, compare it, award its points."""
from __future__ import annotations

from fractions import Fraction

from grader.answer_key import AnswerKey, KeyEntry
from grader.numbers import UnreadableNumber, read_number
from grader.results import Status, StudentResult, Verdict, display_text
from grader.submission import Submission
from grader.tolerance import accepts

_NONE = Fraction(0)


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


def grade_submission(key: AnswerKey, submission: Submission) -> StudentResult:
    verdicts = tuple(grade_answer(entry, submission.answers.get(entry.path)) for entry in key.entries)
    return StudentResult(
        submission.source, submission.student_id, submission.name, verdicts, submission.notes, submitted_at=submission.submitted_at
    )


def unreadable_file(key: AnswerKey, source: str, student_id: str, reason: str) -> StudentResult:
    """A file that could not be read still appears everywhere, with every answer missing and the reason."""
    verdicts = tuple(grade_answer(entry, None) for entry in key.entries)
    return StudentResult(source, student_id, "", verdicts, (reason,), readable=False)
