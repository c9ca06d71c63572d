"""Credit carried forward, earned: which of a student's own values later answers may build on,
and the feedback that names the values a carried answer really depends on.

A TA carries credit from a slip, never from filler. A `0` makes every product 0, so a wrong 0
is a basis for carrying only when it is explained: right given the student's earlier values, or
a diagnosed mistake. A sheet of one repeated value (0s, 1s, any constant in half a problem's
answers) copies itself through every factor of 1, and happens to match some mistake somewhere,
so there only a value right given earlier ones is a basis. Any other wrong value (an arithmetic
slip) is a basis as it stands.
"""
from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Iterable, Mapping

from grader.base.errors import ExpressionError
from grader.base.numbers import Number, format_number
from grader.rubric.answer_key import KeyEntry
from grader.rubric.tolerance import accepts
from grader.solver.constraints import BoundConstraint
from grader.solver.mistakes import Mistake

REPEATED_AT_LEAST = 3  # a value written this often, and in half a problem's answers, is a filler constant


def sheet_values(entries: Iterable[KeyEntry], own: Mapping[str, Fraction]) -> frozenset[tuple[str, Fraction]]:
    """(problem, value) pairs that fill a sheet: a value the student wrote in at least half of a
    problem's answers, and at least three times."""
    asked: Counter[str] = Counter()
    written: Counter[tuple[str, Fraction]] = Counter()
    for entry in entries:
        asked[entry.problem_id] += 1
        if entry.path in own:
            written[(entry.problem_id, own[entry.path])] += 1
    return frozenset(pair for pair, count in written.items() if count >= REPEATED_AT_LEAST and 2 * count >= asked[pair[0]])


def carry_bases(
    entries: Iterable[KeyEntry], own: Mapping[str, Fraction], rules: frozenset[BoundConstraint]
) -> dict[str, Fraction]:
    """The student's values that later answers may be re-solved from: every value but unexplained filler."""
    by_path = {entry.path: entry for entry in entries}
    sheet = sheet_values(by_path.values(), own)
    decided: dict[str, bool] = {}

    def is_basis(path: str) -> bool:
        if path not in decided:
            decided[path] = False  # dependencies form no loop; this only guards a rubric's own builds_on
            entry, value = by_path[path], own[path]
            if (entry.problem_id, value) in sheet:
                decided[path] = _explained(entry, value, rules, bases_of(entry), mistakes=False)
            else:
                decided[path] = value != 0 or _explained(entry, value, rules, bases_of(entry), mistakes=True)
        return decided[path]

    def bases_of(entry: KeyEntry) -> dict[str, Fraction]:
        paths = entry.carried.paths if entry.carried else ()
        return {path: own[path] for path in paths if path in own and path in by_path and is_basis(path)}

    return {path: own[path] for path in own if path in by_path and is_basis(path)}


def _explained(
    entry: KeyEntry, value: Fraction, rules: frozenset[BoundConstraint], bases: Mapping[str, Fraction], mistakes: bool
) -> bool:
    """Right, right by its group's rule, a diagnosed mistake (where `mistakes`), or right given `bases`."""
    if accepts(entry.tolerance, entry.value, value) or (entry.constraint is not None and entry.constraint in rules):
        return True
    if mistakes and any(accepts(entry.tolerance, mistake.value, value) for mistake in entry.mistakes):
        return True
    expected = _re_solved(entry, bases)
    return expected is not None and accepts(entry.tolerance, expected, value)


def _re_solved(entry: KeyEntry, given: Mapping[str, Number]) -> Number | None:
    if entry.carried is None:
        return None
    try:
        return entry.carried.value_given(given)
    except (ExpressionError, ArithmeticError, ValueError):
        return None


def carried_feedback(entry: KeyEntry, value: Fraction, bases: Mapping[str, Fraction], key_values: Mapping[str, Number]) -> str | None:
    """Feedback when the answer is right given the student's own (wrong) earlier values; it names
    only those whose own value changes the answer (each put back to the key's changes it)."""
    if entry.carried is None:
        return None
    given = {path: bases[path] for path in entry.carried.paths if path in bases}
    wrong = [path for path, own in given.items() if own != key_values.get(path)]
    if not wrong:
        return None
    expected = _re_solved(entry, given)
    if expected is None or accepts(entry.tolerance, entry.value, expected) or not accepts(entry.tolerance, expected, value):
        return None
    real = [path for path in wrong if _re_solved(entry, {**given, path: key_values[path]}) != expected] or wrong
    named = ", ".join(f"{path.split('.', 1)[1]} = {format_number(given[path])}" for path in real)
    return f"Correct given your {named}."


def sign_error_at(entry: KeyEntry, value: Fraction, bases: Mapping[str, Fraction], key_values: Mapping[str, Number]) -> str | None:
    """Feedback when the answer is the negative of what the student's own earlier values give:
    the sign went wrong at this term, not at an earlier one."""
    if entry.carried is None or value == 0:
        return None
    given = {path: bases[path] for path in entry.carried.paths if path in bases}
    expected = _re_solved(entry, given)
    if expected is None or expected == 0 or not accepts(entry.tolerance, -expected, value):
        return None
    wrong = [path for path, own in given.items() if own != key_values.get(path)]
    if not wrong:
        return None  # the key's own sign error is a mistake of the kind
    named = ", ".join(f"{path.split('.', 1)[1]} = {format_number(given[path])}" for path in wrong)
    return f"The sign went wrong at this term: given your {named}, it is {format_number(expected)}."


def mistakes_seen(
    entries: Iterable[KeyEntry], own: Mapping[str, Fraction], bases: Mapping[str, Fraction], key_values: Mapping[str, Number]
) -> dict[str, tuple[tuple[str, int, tuple[str, ...]], ...]]:
    """Per problem, each mistake label, how many of the student's answers it explains, and the
    answers it would have changed that the student has right; so that a value several mistakes
    give is named by the one the student's other answers show, and not by one their right
    answers rule out. An answer right given the student's earlier ones is evidence of nothing."""
    counts: dict[str, Counter[str]] = {}
    ruled_out: dict[str, dict[str, list[str]]] = {}
    for entry in entries:
        if entry.path not in own or not entry.mistakes:
            continue
        value = own[entry.path]
        if accepts(entry.tolerance, entry.value, value):
            for mistake in entry.mistakes:
                ruled_out.setdefault(entry.problem_id, {}).setdefault(mistake.label, []).append(entry.path)
            continue
        if carried_feedback(entry, value, bases, key_values) is not None:
            continue
        labels = {mistake.label for mistake in entry.mistakes if accepts(entry.tolerance, mistake.value, value)}
        counts.setdefault(entry.problem_id, Counter()).update(labels)
    problems = set(counts) | set(ruled_out)
    return {
        problem: tuple(
            (label, counts.get(problem, Counter())[label], tuple(sorted(ruled_out.get(problem, {}).get(label, ()))))
            for label in sorted(set(counts.get(problem, Counter())) | set(ruled_out.get(problem, {})))
        )
        for problem in problems
    }


def mistakes_given_own(
    entry: KeyEntry, value: Fraction, bases: Mapping[str, Fraction], key_values: Mapping[str, Number]
) -> tuple[Mistake, ...]:
    """The kind's mistakes, relative to the student's own (wrong) earlier values, that give `value`."""
    if entry.carried is None:
        return ()
    given = {path: bases[path] for path in entry.carried.paths if path in bases}
    if all(own == key_values.get(path) for path, own in given.items()):
        return ()  # relative to the key's values: the kind's own mistakes
    return tuple(m for m in entry.carried.mistakes_given(given) if accepts(entry.tolerance, m.value, value))
