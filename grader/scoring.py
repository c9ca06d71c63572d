"""(answer key, submission) → result: read each answer, compare it, award its points.

Reading and judging are separate steps: an answer that cannot be read is a format problem,
reported as such, and never counted as a wrong value.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

from grader.answer_key import AnswerKey, KeyEntry
from grader.constraints import BoundConstraint
from grader.numbers import UnreadableNumber, format_number, read_number
from grader.results import Status, StudentResult, Verdict, display_text
from grader.submission import Submission
from grader.tolerance import accepts

_NONE = Fraction(0)


@dataclass(frozen=True)
class Reading:
    """What an answer says: a value, or why there is none (`missing` or the unreadable reason)."""

    raw: object
    value: Fraction | None
    problem: str | None = None


def read_answer(raw: object) -> Reading:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Reading(raw, None, "missing")
    try:
        return Reading(raw, read_number(raw))
    except UnreadableNumber as error:
        return Reading(raw, None, f"Could not read {display_text(raw)[:80]!r} as a number: {error}.")


def judge(entry: KeyEntry, reading: Reading, rule_met: bool = False) -> Verdict:
    """`rule_met`: the answer's group satisfies the key's constraint, so any value of it is right."""
    def verdict(status: Status, points: Fraction, feedback: str) -> Verdict:
        return Verdict(
            entry.path, entry.problem_id, reading.raw, reading.value, status, points, entry.points, feedback, entry.value
        )

    if reading.problem == "missing":
        return verdict(Status.MISSING, _NONE, "No answer given.")
    if reading.value is None:
        return verdict(Status.UNREADABLE, _NONE, reading.problem or "Unreadable.")
    if accepts(entry.tolerance, entry.value, reading.value):
        return verdict(Status.CORRECT, entry.points, "Correct.")
    if rule_met and entry.constraint is not None:
        feedback = (
            f"Correct: your answers satisfy {entry.constraint.describe()}; "
            f"the key's own choice is {format_number(entry.value)}."
        )
        return verdict(Status.CORRECT, entry.points, feedback)
    return verdict(Status.INCORRECT, _NONE, "Incorrect.")


def grade_answer(entry: KeyEntry, raw: object) -> Verdict:
    """One answer on its own, without the rules that judge answers in groups."""
    return judge(entry, read_answer(raw))


def rules_met(constraints: tuple[BoundConstraint, ...], readings: Mapping[str, Reading]) -> set[BoundConstraint]:
    met = set()
    for rule in constraints:
        values = {path: readings[path].value for path in rule.paths}
        if all(value is not None for value in values.values()) and rule.satisfied_by(values):  # type: ignore[arg-type]
            met.add(rule)
    return met


def grade_submission(key: AnswerKey, submission: Submission) -> StudentResult:
    readings = {entry.path: read_answer(submission.answers.get(entry.path)) for entry in key.entries}
    met = rules_met(key.constraints, readings)
    verdicts = tuple(judge(entry, readings[entry.path], entry.constraint in met) for entry in key.entries)
    return StudentResult(submission.source, submission.student_id, submission.name, verdicts, submission.notes)


def unreadable_file(key: AnswerKey, source: str, student_id: str, reason: str) -> StudentResult:
    """A file that could not be read still appears everywhere, with every answer missing and the reason."""
    verdicts = tuple(grade_answer(entry, None) for entry in key.entries)
    return StudentResult(source, student_id, "", verdicts, (reason,), readable=False)
