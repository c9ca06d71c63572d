"""Where the class went wrong: score spread, per-answer and per-problem item analysis, shared rare
wrong answers. Pure functions of a BatchResult; the summary page and the workbook lay them out.

Only submissions that were read count (not `invalid`, not `missing`): a file nobody could read says
nothing about how hard a question was.
"""
from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from operator import mul
from typing import Callable, Generic, Iterable, Iterator, Sequence, TypeVar

from grader.judging.results import Standing, Status, StudentResult, Verdict
from grader.rubric.answer_key import AnswerKey

Shared = TypeVar("Shared")

TOP_WRONG = 3
BINS = 10
# A wrong value is rare when at least 2 students and at most this share of the class gave it, so
# a class needs 20 students before any value can be; a value a diagnosed classic mistake gives is
# never rare (students who make the same textbook slip have not thereby copied).
RARE_SHARE = Fraction(1, 10)


@dataclass(frozen=True)
class WrongValue:
    value: Fraction
    students: int
    mistake: str = ""  # the diagnosed mistake, when scoring named one


@dataclass(frozen=True)
class ItemStatistics:
    """One answer or one problem. `difficulty` is the share of its points the class lost;
    `discrimination` the correlation of its score with the rest of the total (None if either is constant)."""

    name: str
    possible: Fraction
    share_correct: float
    difficulty: float
    discrimination: float | None
    wrong: tuple[WrongValue, ...] = ()


@dataclass(frozen=True, slots=True)  # slots: a class of 100,000 has hundreds of thousands
class SharedAnswers:
    """Students (two or more) who all gave the same rare wrong `answers` (path, value): everything
    they have in common. `givers` counts the students of the class who gave each value, of
    `counted`."""

    students: tuple[str, ...]
    answers: tuple[tuple[str, Fraction], ...]
    givers: tuple[int, ...]
    counted: int

    @property
    def chance(self) -> float:
        """How likely one student is to give all these values if each were given independently, at
        the rate the class gave it: the smaller, the less likely a coincidence."""
        return math.prod(count / self.counted for count in self.givers)

    def rank(self) -> tuple[float, int, tuple[str, ...]]:
        """Rarest first (rare values and many of them make a small chance), then larger groups."""
        return (self.chance, -len(self.students), self.students)


@dataclass(frozen=True)
class Bin:
    """Scores from `low` (included) up to `high` (excluded, except the last bin, which ends at the maximum)."""

    low: Fraction
    high: Fraction
    students: int


@dataclass(frozen=True)
class ClassStatistics:
    scores: tuple[Fraction, ...]
    possible: Fraction
    answers: tuple[ItemStatistics, ...]
    problems: tuple[ItemStatistics, ...]
    shared: tuple[SharedAnswers, ...]

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.scores) if self.scores else None

    @property
    def median(self) -> float | None:
        return float(statistics.median(self.scores)) if self.scores else None

    @property
    def spread(self) -> float | None:
        """The population standard deviation of the final scores."""
        return statistics.pstdev([float(score) for score in self.scores]) if self.scores else None

    @property
    def distribution(self) -> tuple[Bin, ...]:
        """About ten bins of whole-number width covering 0 to the points possible."""
        width = Fraction(max(1, math.ceil(self.possible / BINS)))
        count = max(1, math.ceil(self.possible / width))
        tally = Counter(min(count - 1, max(0, math.floor(score / width))) for score in self.scores)
        return tuple(Bin(i * width, min((i + 1) * width, self.possible), tally[i]) for i in range(count))


def counted(results: Iterable[StudentResult]) -> list[StudentResult]:
    """The submissions that count and could be read: no superseded copy, no missing student."""
    return [r for r in results if r.counted and r.standing not in (Standing.INVALID, Standing.MISSING)]


def class_statistics(key: AnswerKey, all_results: Iterable[StudentResult]) -> ClassStatistics:
    results = counted(all_results)
    totals = Totals([float(result.total) for result in results])
    answers = tuple(
        _answer_item([result.verdicts[index] for result in results], totals, entry.path, entry.points)
        for index, entry in enumerate(key.entries)
    )
    problems = tuple(_problem_item(problem.id, key.problem_possible(problem.id), results, totals) for problem in key.rubric.problems)
    return ClassStatistics(tuple(r.final for r in results), key.possible, answers, problems, shared_rare_answers(results))


@dataclass(frozen=True)
class Totals:
    """The students' totals, with the sums an item's discrimination needs."""

    values: list[float]

    @cached_property
    def sum(self) -> float:
        return math.fsum(self.values)

    @cached_property
    def sum_of_squares(self) -> float:
        return math.fsum(map(mul, self.values, self.values))


@dataclass(frozen=True)
class Group(Generic[Shared]):
    """Students who share one object: the scorer gives everyone who wrote the same answer the
    same verdict, so an item is looked at once per group, not once per student."""

    item: Shared
    students: int


def _groups(column: list[Shared]) -> list[Group[Shared]]:
    """In order of first appearance; counted at C speed, as a class of thousands has 40 columns."""
    items = dict(zip(map(id, column), column))
    return [Group(items[key], students) for key, students in Counter(map(id, column)).items()]


def _problem_item(problem_id: str, possible: Fraction, results: list[StudentResult], totals: Totals) -> ItemStatistics:
    scores = [result.problem_score(problem_id) for result in results]
    return _item(problem_id, possible, scores, _groups(scores), _points, totals)


def _points(value: Fraction) -> Fraction:
    return value


def _verdict_points(verdict: Verdict) -> Fraction:
    return verdict.points


def _answer_item(column: list[Verdict], totals: Totals, path: str, possible: Fraction) -> ItemStatistics:
    groups = _groups(column)
    item = _item(path, possible, column, groups, _verdict_points, totals)
    correct = sum(g.students for g in groups if g.item.status is Status.CORRECT)
    wrong: Counter[Fraction] = Counter()
    mistakes: dict[Fraction, str] = {}
    for group in groups:
        verdict = group.item
        if verdict.status in (Status.INCORRECT, Status.PARTIAL) and verdict.value is not None:
            wrong[verdict.value] += group.students
            mistakes.setdefault(verdict.value, verdict.mistake)
    ranked = sorted(wrong.items(), key=lambda pair: (-pair[1], pair[0]))[:TOP_WRONG]
    share = correct / len(column) if column else 0.0
    found = tuple(WrongValue(value, count, mistakes[value]) for value, count in ranked)
    return ItemStatistics(path, possible, share, item.difficulty, item.discrimination, found)


def _item(
    name: str, possible: Fraction, column: list[Shared], groups: list[Group[Shared]], points_of: Callable[[Shared], Fraction], totals: Totals
) -> ItemStatistics:
    """In floats: figures shown to two decimals need no exact arithmetic. Each distinct object's
    points are converted once; the discrimination correlates an item's points with the rest of
    each total (the total less the item)."""
    if not column or not possible:
        return ItemStatistics(name, possible, 0.0, 0.0, None)
    as_float = {id(group.item): float(points_of(group.item)) for group in groups}
    xs = list(map(as_float.__getitem__, map(id, column)))
    ceiling = float(possible)
    full = sum(group.students for group in groups if as_float[id(group.item)] >= ceiling) / len(xs)
    sum_x, sum_xx, sum_x_total = math.fsum(xs), math.fsum(map(mul, xs, xs)), math.fsum(map(mul, xs, totals.values))
    sum_rest, sum_rest_squares = totals.sum - sum_x, totals.sum_of_squares - 2 * sum_x_total + sum_xx
    discrimination = _pearson(len(xs), sum_x, sum_rest, sum_xx, sum_rest_squares, sum_x_total - sum_xx)
    return ItemStatistics(name, possible, full, 1 - sum_x / len(xs) / ceiling, discrimination)


def correlation(xs: Sequence[float | Fraction], ys: Sequence[float | Fraction]) -> float | None:
    """Pearson's r; with a right/wrong item this is the point-biserial correlation."""
    fx, fy = [float(x) for x in xs], [float(y) for y in ys]
    return _pearson(len(fx), math.fsum(fx), math.fsum(fy), math.fsum(x * x for x in fx), math.fsum(y * y for y in fy),
                    math.fsum(x * y for x, y in zip(fx, fy)))


def _pearson(n: int, sum_x: float, sum_y: float, sum_xx: float, sum_yy: float, sum_xy: float) -> float | None:
    """From sums, so a class is summed once per group of students rather than once per student;
    None when there are fewer than two students or either side is constant."""
    if n < 2:
        return None
    var_x = sum_xx / n - (sum_x / n) ** 2
    var_y = sum_yy / n - (sum_y / n) ** 2
    if var_x <= 1e-12 * max(1.0, sum_xx / n) or var_y <= 1e-12 * max(1.0, sum_yy / n):
        return None
    return (sum_xy / n - (sum_x / n) * (sum_y / n)) / math.sqrt(var_x * var_y)


def shared_rare_answers(results: list[StudentResult]) -> tuple[SharedAnswers, ...]:
    """Groups of students who gave the same rare wrong values, for a TA to look at, not a verdict;
    rarest first (see `SharedAnswers.chance`).

    The definition is pairwise (two students are listed when they share two or more rare wrong
    values), but pairs of students are never enumerated: a value given by k students would make
    k² of them. Each student's rare values are taken two at a time instead; the
    students under one such combination form a group, and the group's finding is everything its
    students have in common. Every pair of the pairwise definition lies in a group, every pair in
    a group is one, and the answers two students share are those of the groups holding both:
    the findings are the pairwise ones, a group of k listed once. The work is linear in the class
    (each student's few rare values taken in pairs)."""
    rare_values, givers = _rare_values(results)
    if not rare_values:
        return ()
    values_of: dict[int, list[int]] = defaultdict(list)  # student index → rare value numbers, ascending
    for number, students in enumerate(givers):
        for student in students:
            values_of[student].append(number)
    counted = len(results)
    found, seen = [], set()
    for members in _groups_of_students(values_of, givers):
        if members not in seen:  # the same students under several pairs of values: one finding
            seen.add(members)
            shared = sorted(set.intersection(*(set(values_of[s]) for s in members)))
            found.append(SharedAnswers(
                tuple(sorted(results[s].student_id for s in members)),
                tuple(rare_values[n] for n in shared),
                tuple(len(givers[n]) for n in shared),
                counted,
            ))
    found.sort(key=SharedAnswers.rank)
    return tuple(found)


def _groups_of_students(values_of: dict[int, list[int]], givers: list[list[int]]) -> Iterator[tuple[int, ...]]:
    """For each pair of rare values that two or more students gave, those students, ascending.
    Pairs are gathered one first value at a time, so that only that value's students (at most
    RARE_SHARE of the class) are held: a class of 100,000 makes millions of pairs in all."""
    for first, students in enumerate(givers):
        by_second: dict[int, list[int]] = defaultdict(list)
        for student in students:
            for second in values_of[student]:
                if second > first:
                    by_second[second].append(student)
        for members in by_second.values():
            if len(members) >= 2:
                yield tuple(members)


def _rare_values(results: list[StudentResult]) -> tuple[list[tuple[str, Fraction]], list[list[int]]]:
    """The wrong values (answer path, value) that at least two and at most RARE_SHARE of the
    class gave, in the key's order of answers (where a verdict stands in a result) then by value,
    with the students who gave each."""
    counts: Counter[tuple[str, Fraction]] = Counter()
    positions: dict[str, int] = {}
    wrong = Status.INCORRECT
    for result in results:
        for position, verdict in enumerate(result.verdicts):
            if verdict.status is wrong and verdict.value is not None and not verdict.mistake:
                counts[(verdict.path, verdict.value)] += 1
                positions.setdefault(verdict.path, position)
    limit = math.floor(RARE_SHARE * len(results))  # the share holds in a small class too: under 20, nothing is rare
    rare = sorted(
        (answer for answer, count in counts.items() if 2 <= count <= limit),
        key=lambda answer: (positions[answer[0]], answer),
    )
    del counts  # most wrong values are a single student's: only the rare ones' students are gathered
    givers: dict[tuple[str, Fraction], list[int]] = {answer: [] for answer in rare}
    for index, result in enumerate(results):
        for verdict in result.verdicts:
            if verdict.status is wrong and verdict.value is not None and not verdict.mistake:
                students = givers.get((verdict.path, verdict.value))
                if students is not None:
                    students.append(index)
    return rare, [givers[answer] for answer in rare]
