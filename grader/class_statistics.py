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
from itertools import combinations
from typing import Sequence

from grader.results import BatchResult, Standing, Status, StudentResult

TOP_WRONG = 3
BINS = 10
RARE_SHARE = Fraction(1, 10)  # a wrong value given by at most this share of the class (and ≥ 2 students)
SHARED_MINIMUM = 2  # rare wrong values two students must share to be listed


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


@dataclass(frozen=True)
class SharedAnswers:
    students: tuple[str, str]
    answers: tuple[tuple[str, Fraction], ...]


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


def counted(batch: BatchResult) -> list[StudentResult]:
    """The submissions that count and could be read: no superseded copy, no missing student."""
    return [r for r in batch.counted if r.standing not in (Standing.INVALID, Standing.MISSING)]


def class_statistics(batch: BatchResult) -> ClassStatistics:
    results = counted(batch)
    key = batch.key
    totals = [float(result.total) for result in results]
    answers = tuple(_answer_item(results, totals, index, entry.path, entry.points) for index, entry in enumerate(key.entries))
    problems = tuple(
        _item(problem.id, key.problem_possible(problem.id), [r.problem_score(problem.id) for r in results], totals)
        for problem in key.rubric.problems
    )
    return ClassStatistics(tuple(r.final for r in results), key.possible, answers, problems, shared_rare_answers(results))


def _answer_item(results: list[StudentResult], totals: list[float], index: int, path: str, possible: Fraction) -> ItemStatistics:
    verdicts = [result.verdicts[index] for result in results]
    item = _item(path, possible, [v.points for v in verdicts], totals)
    correct = sum(1 for v in verdicts if v.status is Status.CORRECT)
    wrong_verdicts = [v for v in verdicts if v.status in (Status.INCORRECT, Status.PARTIAL) and v.value is not None]
    wrong = Counter(v.value for v in wrong_verdicts)
    mistakes = {v.value: v.mistake for v in reversed(wrong_verdicts)}
    ranked = sorted(wrong.items(), key=lambda pair: (-pair[1], pair[0]))[:TOP_WRONG]
    share = correct / len(verdicts) if verdicts else 0.0
    found = tuple(WrongValue(value, count, mistakes[value]) for value, count in ranked)
    return ItemStatistics(path, possible, share, item.difficulty, item.discrimination, found)


def _item(name: str, possible: Fraction, points: list[Fraction], totals: list[float]) -> ItemStatistics:
    """In floats: figures shown to two decimals need no exact arithmetic, and Fraction arithmetic
    over a class of thousands was the slowest part of its statistics."""
    if not points or not possible:
        return ItemStatistics(name, possible, 0.0, 0.0, None)
    floats = _as_floats(points)
    ceiling = float(possible)
    full = sum(1 for p in floats if p >= ceiling) / len(floats)
    earned = math.fsum(floats) / len(floats)
    rest = [total - p for total, p in zip(totals, floats)]
    return ItemStatistics(name, possible, full, 1 - earned / ceiling, correlation(floats, rest))


def _as_floats(values: list[Fraction]) -> list[float]:
    """Each distinct object converted once: the scorer shares one verdict, and so one points
    value, between every student who wrote the same answer."""
    converted: dict[int, float] = {}
    floats = []
    for value in values:
        number = converted.get(id(value))
        if number is None:
            number = converted[id(value)] = float(value)
        floats.append(number)
    return floats


def correlation(xs: Sequence[float | Fraction], ys: Sequence[float | Fraction]) -> float | None:
    """Pearson's r; with a right/wrong item this is the point-biserial correlation. In floats: a
    statistic shown to two decimals needs no exact arithmetic, and a class of thousands makes
    Fraction sums the slowest part of grading."""
    n = len(xs)
    if n < 2:
        return None
    fx, fy = [float(x) for x in xs], [float(y) for y in ys]
    mean_x, mean_y = math.fsum(fx) / n, math.fsum(fy) / n
    cov = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(fx, fy))
    var_x = math.fsum((x - mean_x) ** 2 for x in fx)
    var_y = math.fsum((y - mean_y) ** 2 for y in fy)
    if var_x <= 1e-12 * n or var_y <= 1e-12 * n:
        return None
    return cov / math.sqrt(var_x * var_y)


def shared_rare_answers(results: list[StudentResult]) -> tuple[SharedAnswers, ...]:
    """Pairs of students who gave the same rare wrong values: for a TA to look at, not a verdict."""
    givers: dict[tuple[str, Fraction], list[str]] = defaultdict(list)
    for result in results:
        for verdict in result.verdicts:
            if verdict.status is Status.INCORRECT and verdict.value is not None:
                givers[(verdict.path, verdict.value)].append(result.student_id)
    limit = max(2, math.floor(RARE_SHARE * len(results)))
    pairs: dict[tuple[str, str], list[tuple[str, Fraction]]] = defaultdict(list)
    for answer, students in givers.items():
        if 2 <= len(students) <= limit:
            for pair in combinations(sorted(students), 2):
                pairs[pair].append(answer)
    return tuple(
        SharedAnswers(pair, tuple(answers)) for pair, answers in sorted(pairs.items()) if len(answers) >= SHARED_MINIMUM
    )
