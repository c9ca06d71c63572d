"""(answer key, submission) → result: read each answer, then judge it as a careful TA would.

Reading and judging are separate steps: an answer that cannot be read is a format problem,
reported as such, and never counted as a wrong value. Judging tries, in order: the key within
its tolerance; a rule the answer's group satisfies (any valid padding and stride); the key
re-solved from the student's own earlier answers (credit carried forward); partial credit
within a looser tolerance or for a diagnosed mistake worth some points; a diagnosed mistake.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Hashable, Iterable, Mapping, MutableMapping

from grader.base.answer_text import NO_HINTS, Hints, interpret
from grader.base.numbers import ZERO, Number, format_number
from grader.intake.submission import Submission
from grader.judging.carrying import carried_feedback, carry_bases, mistakes_given_own, mistakes_seen, sign_error_at
from grader.judging.results import Status, StudentResult, Verdict, can_be_key, display_text
from grader.rubric.answer_key import AnswerKey, KeyEntry
from grader.rubric.tolerance import accepts
from grader.solver.constraints import BoundConstraint
from grader.solver.mistakes import INSTRUCTORS_NOTE

MEMO_LIMIT = 100_000
_WORKED = re.compile(r"[=*/^()×·⋅]|\d\s*[-+\u2212]|e[-+]?\d", re.IGNORECASE)  # a calculation: its value is shown

ReadingMemo = MutableMapping[Hashable, "Reading"]
VerdictMemo = MutableMapping[Hashable, "Verdict"]


@dataclass(frozen=True)
class Reading:
    """What an answer says: a value, or why there is none (`missing`, `two values: …` or the
    unreadable reason), and how it was read (`notes`, shown beside what was typed)."""

    raw: object
    value: Fraction | None
    problem: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def read_as(self) -> str:
        """The value read, with the notes, when it is not plainly what was typed."""
        if self.value is None:
            return f"no value ({'; '.join(self.notes)})" if self.notes else ""
        shown = format_number(self.value)
        if self.notes:
            return f"{shown} ({'; '.join(self.notes)})"
        return shown if isinstance(self.raw, str) and _WORKED.search(self.raw) else ""


def remembered_reading(raw: object, hints: Hints, memo: ReadingMemo) -> Reading:
    """A class writes the same few answers over and over: each value as typed is read once per
    batch. The type is part of the key, so `1`, `1.0` and `true` never share a reading. Judging,
    which also looks at the student's other answers, is remembered by `BatchMemo`."""
    if not can_be_key(raw):
        return read_answer(raw, hints)
    memo_key = (hints, type(raw), raw)
    reading = memo.get(memo_key)
    if reading is None:
        reading = read_answer(raw, hints)
        if len(memo) < MEMO_LIMIT:
            memo[memo_key] = reading
    return reading


def read_answer(raw: object, hints: Hints = NO_HINTS) -> Reading:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Reading(raw, None, "missing")
    found = interpret(raw, hints)
    if found.outcome == "missing":
        return Reading(raw, None, "missing", found.notes)
    if found.outcome == "two values":
        return Reading(raw, None, f"two values: {found.reason}", found.notes)
    if found.value is None:
        return Reading(raw, None, f"Could not read {display_text(raw)[:80]!r} as a number: {found.reason}.", found.notes)
    return Reading(raw, found.value, notes=found.notes)


@dataclass(frozen=True)
class Context:
    """What judging one answer may look at besides the answer: the student's other readable
    values, the rules their groups satisfy, the key's values by path, and the values later
    answers may carry credit from (every own value but unexplained filler: grader.judging.carrying)."""

    own: Mapping[str, Fraction]
    rules_met: frozenset[BoundConstraint]
    key_values: Mapping[str, Number]
    carry_from: Mapping[str, Fraction] = field(default_factory=dict)
    seen: Mapping[str, tuple[tuple[str, int, tuple[str, ...]], ...]] = field(default_factory=dict)  # per problem: mistakes, how often, ruled out where


NO_CONTEXT = Context({}, frozenset(), {})


def judge(entry: KeyEntry, reading: Reading, context: Context = NO_CONTEXT) -> Verdict:
    def verdict(status: Status, credit: Fraction, feedback: str, mistake: str = "", working: str = "") -> Verdict:
        return Verdict(entry.path, entry.problem_id, reading.raw, reading.value, status, credit * entry.points,
                       entry.points, feedback, entry.value, mistake, reading.read_as, working)

    value = reading.value
    if reading.problem == "missing":
        return verdict(Status.MISSING, ZERO, "No answer given.")
    if reading.problem and reading.problem.startswith("two values: "):
        return verdict(Status.INCORRECT, ZERO, f"Incorrect: {reading.problem.split(': ', 1)[1]}.")
    if value is None:
        return verdict(Status.UNREADABLE, ZERO, reading.problem or "Unreadable.")
    if accepts(entry.tolerance, entry.value, value):
        return verdict(Status.CORRECT, Fraction(1), "Correct.")
    if entry.constraint is not None and entry.constraint in context.rules_met:
        return verdict(Status.CORRECT, Fraction(1), f"Correct: your answers satisfy {entry.constraint.describe()}; "
                       f"the key's own choice is {format_number(entry.value)}.")
    carried = carried_feedback(entry, value, context.carry_from, context.key_values)
    if carried is not None:
        return verdict(Status.CARRIED, entry.carried.credit if entry.carried else ZERO, carried)
    return _wrong(entry, value, verdict, context)


def _wrong(entry: KeyEntry, value: Fraction, verdict, context: Context) -> Verdict:  # type: ignore[no-untyped-def]
    """A diagnosed mistake or a looser tolerance may still earn a share of the points. Where
    several mistakes give the value, those the student's other answers also show are named."""
    matches = [m for m in entry.mistakes if accepts(entry.tolerance, m.value, value)]
    matches = [m for m in matches if m.label == INSTRUCTORS_NOTE] or matches  # the rubric's own word comes first
    own_label, own_feedback = _given_own(entry, value, context)
    if own_label and not any(m.label == INSTRUCTORS_NOTE for m in matches):
        matches = []  # built on the student's own earlier values, it explains more than a slip against the key
    builds_on = entry.carried.paths if entry.carried else ()
    labels = _narrowed(list(dict.fromkeys(m.label for m in matches)), context.seen.get(entry.problem_id, ()), builds_on)
    matches = [m for m in matches if m.label in labels]
    label = " or ".join(labels)
    if len(labels) > 1:
        feedback = "Each of these mistakes gives this value: check which one you made."
    elif matches:
        feedback = matches[0].feedback
    else:
        label, feedback = own_label, own_feedback
    credit, note = max(((m.credit, "") for m in matches), default=(ZERO, ""))
    for level in entry.partial:
        if level.credit > credit and accepts(level.tolerance, entry.value, value):
            credit, note = level.credit, f"Close: within {level.tolerance.describe()} of the key."
    if credit:
        share = f"{format_number(credit * 100)}% of the points"
        return verdict(Status.PARTIAL, credit, " ".join(filter(None, (note, feedback if matches else "", share + "."))), label)
    if not label:
        return verdict(Status.INCORRECT, ZERO, f"Incorrect: no usual mistake gives {format_number(value)}; check your working.",
                       working=entry.working)
    return verdict(Status.INCORRECT, ZERO, feedback, label)


def _given_own(entry: KeyEntry, value: Fraction, context: Context) -> tuple[str, str]:
    """A mistake relative to the student's own earlier values (a sign error at this term, a path
    left out of their own gradients), or none ("", "")."""
    sign = sign_error_at(entry, value, context.carry_from, context.key_values)
    if sign:
        return "sign error", sign
    own = mistakes_given_own(entry, value, context.carry_from, context.key_values)
    if len(own) > 1:
        return " or ".join(m.label for m in own), "Each of these mistakes gives this value: check which one you made."
    return (own[0].label, own[0].feedback) if own else ("", "")


def _narrowed(labels: list[str], seen: tuple[tuple[str, int, tuple[str, ...]], ...], builds_on: tuple[str, ...]) -> list[str]:
    """Of several mistakes, drop those that would have changed an answer this one builds on which
    the student has right; then keep those diagnosed most often in the student's answers (`seen`
    counts this one too), or all when none is diagnosed elsewhere."""
    if len(labels) < 2:
        return labels
    counts = {label: count for label, count, _ in seen}
    ruled_out = {label for label, _, paths in seen if set(paths) & set(builds_on)}
    labels = [label for label in labels if label not in ruled_out] or labels
    best = max(counts.get(label, 0) for label in labels)
    return [label for label in labels if counts.get(label, 0) == best] if best > 1 else labels


def grade_answer(entry: KeyEntry, raw: object) -> Verdict:
    """One answer on its own, without the rules that judge answers in groups."""
    return judge(entry, read_answer(raw, entry.hints))


def rules_met(constraints: tuple[BoundConstraint, ...], own: Mapping[str, Fraction]) -> frozenset[BoundConstraint]:
    return frozenset(
        rule for rule in constraints if all(path in own for path in rule.paths) and rule.satisfied_by(own)
    )


@dataclass
class BatchMemo:
    """What one batch has already worked out. A class writes the same few answers over and over:
    each value as typed is read once; each answer is judged once for everything its judging looks
    at (its reading, whether its group's rule holds, the earlier values it builds on); and each
    problem's verdicts are remembered for its answers as typed, since judging one problem looks at
    that problem's answers only (rules and carried credit never cross problems), so the many
    students who answer a problem alike cost one dictionary lookup. Verdicts are remembered for
    `key` only, the batch's own key: a student whose rubric draws values gets a key of their own,
    judged afresh."""

    key: AnswerKey | None = None
    readings: ReadingMemo = field(default_factory=dict)
    verdicts: VerdictMemo = field(default_factory=dict)
    problems: dict[Hashable, tuple[Verdict, ...]] = field(default_factory=dict)

    @cached_property
    def problems_answers(self) -> tuple[tuple[int, tuple[int, ...], tuple[str, ...]], ...]:
        """Each problem's number, and its answers' places in the key and paths."""
        entries = self.key.entries if self.key else ()
        problem_ids = list(dict.fromkeys(entry.problem_id for entry in entries))
        places = [tuple(i for i, entry in enumerate(entries) if entry.problem_id == problem_id) for problem_id in problem_ids]
        return tuple((number, indices, tuple(entries[i].path for i in indices)) for number, indices in enumerate(places))

    def graded(self, key: AnswerKey, answers: Mapping[str, object]) -> tuple[Verdict, ...]:
        """Every verdict of one student, problem by problem from the memo where it can."""
        typed = [(number, _as_typed(answers.get(path) for path in paths)) for number, _, paths in self.problems_answers]
        found = [self.problems.get(memo_key) if memo_key[1] is not None else None for memo_key in typed]
        remembered = [verdicts for verdicts in found if verdicts is not None]
        if len(remembered) < len(found):
            judged = self.judged_one_by_one(key, answers)
            for memo_key, (_, indices, _) in zip(typed, self.problems_answers):
                if memo_key[1] is not None and len(self.problems) < MEMO_LIMIT:
                    self.problems[memo_key] = tuple(judged[i] for i in indices)
            return judged
        placed: list[Verdict | None] = [None] * len(key.entries)
        for (_, indices, _), verdicts in zip(self.problems_answers, remembered):
            for index, verdict in zip(indices, verdicts):
                placed[index] = verdict
        return tuple(verdict for verdict in placed if verdict is not None)  # the problems cover every entry

    def judged_one_by_one(self, key: AnswerKey, answers: Mapping[str, object]) -> tuple[Verdict, ...]:
        readings = [remembered_reading(answers.get(entry.path), entry.hints, self.readings) for entry in key.entries]
        context = _context(key, readings)
        if self.key is not key:
            return tuple(judge(entry, reading, context) for entry, reading in zip(key.entries, readings))
        return tuple(self.judged(index, entry, reading, context) for index, (entry, reading) in enumerate(zip(key.entries, readings)))

    def judged(self, index: int, entry: KeyEntry, reading: Reading, context: Context) -> Verdict:
        if not can_be_key(reading.raw):
            return judge(entry, reading, context)
        given = tuple(context.carry_from.get(path) for path in entry.carried.paths) if entry.carried else ()
        rule_met = entry.constraint is not None and entry.constraint in context.rules_met
        memo_key = (index, type(reading.raw), reading.raw, rule_met, given, context.seen.get(entry.problem_id))
        verdict = self.verdicts.get(memo_key)
        if verdict is None:
            verdict = judge(entry, reading, context)
            if len(self.verdicts) < MEMO_LIMIT:
                self.verdicts[memo_key] = verdict
        return verdict


def _as_typed(raws: Iterable[object]) -> tuple[tuple[type, object], ...] | None:
    """Answers as a memo key, the type included (`1`, `1.0` and `true` are told apart); None when
    one cannot be a key (a list, a mapping, a set)."""
    typed = tuple((type(raw), raw) for raw in raws)
    return typed if can_be_key(typed) else None


def _context(key: AnswerKey, readings: list[Reading]) -> Context:
    own = {entry.path: reading.value for entry, reading in zip(key.entries, readings) if reading.value is not None}
    rules = rules_met(key.constraints, own)
    bases = carry_bases(key.entries, own, rules)
    return Context(own, rules, key.values, bases, mistakes_seen(key.entries, own, bases, key.values))


def grade_submission(key: AnswerKey, submission: Submission, memo: BatchMemo | None = None) -> StudentResult:
    """`memo`, shared across one batch, makes grading a class cost little more than reading its files."""
    memo = BatchMemo(key) if memo is None else memo
    if memo.key is key:
        verdicts = memo.graded(key, submission.answers)
    else:
        verdicts = memo.judged_one_by_one(key, submission.answers)
    return StudentResult(
        submission.source, submission.student_id, submission.name, verdicts, submission.notes, submitted_at=submission.submitted_at,
        submitted=submission.submitted,
    )


def unreadable_file(key: AnswerKey, source: str, student_id: str, reason: str) -> StudentResult:
    """A file that could not be read still appears everywhere, with every answer missing and the reason."""
    verdicts = tuple(grade_answer(entry, None) for entry in key.entries)
    return StudentResult(source, student_id, "", verdicts, (reason,), readable=False)
