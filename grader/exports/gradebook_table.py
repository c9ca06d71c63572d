"""The gradebook as one plain table, computed once and shared by every tabular export.

Exporters only lay this table out; none of them repeats any score arithmetic.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Union

from grader.course.class_results import BatchResult
from grader.judging.results import StudentResult

Cell = Union[str, Fraction]
IDENTITY_HEADERS = ("student_id", "name", "status", "file", "notes")
TOTAL_HEADER = "total"
POSSIBLE_LABEL = "Points possible"
ADJUSTMENT_HEADERS = ("overrides", "late penalty", "final")


@dataclass(frozen=True)
class Table:
    """`possible` holds the points possible under each score column and None under text columns."""

    headers: tuple[str, ...]
    possible: tuple[Fraction | None, ...]
    rows: tuple[tuple[Cell, ...], ...]


def gradebook_table(batch: BatchResult) -> Table:
    """The adjustment columns (overrides, late penalty, final) appear only when a result has one."""
    key = batch.key
    problem_ids = [problem.id for problem in key.rubric.problems]
    adjusted = any(result.overrides or result.late for result in batch.results)
    extra = ADJUSTMENT_HEADERS if adjusted else ()
    headers = (*IDENTITY_HEADERS, *(e.path for e in key.entries), *problem_ids, TOTAL_HEADER, *extra)
    possible = (
        *([None] * len(IDENTITY_HEADERS)),
        *(e.points for e in key.entries),
        *(key.problem_possible(pid) for pid in problem_ids),
        key.possible,
        *((None, None, key.possible) if adjusted else ()),
    )
    rows = tuple((*_row(result, problem_ids), *(_adjustments(result) if adjusted else ())) for result in batch.results)
    return Table(headers, possible, rows)


def _adjustments(result: StudentResult) -> tuple[Cell, ...]:
    return (result.adjusted - result.total, -result.late_deduction, result.final)


def _row(result: StudentResult, problem_ids: list[str]) -> tuple[Cell, ...]:
    return (
        result.student_id,
        result.name,
        result.standing.value,
        result.source,
        "; ".join(result.all_notes),
        *(verdict.points for verdict in result.verdicts),
        *(result.problem_score(pid) for pid in problem_ids),
        result.total,
    )
