"""What a student's report shows, formatted once for both the HTML and the Markdown report."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from operator import attrgetter
from typing import Any, Callable, Generic, TypeVar

from grader.base.numbers import format_number
from grader.judging.results import LatePenalty, Override, StudentResult, Verdict, can_be_key
from grader.rubric.answer_key import AnswerKey
from grader.rubric.model import for_student
from grader.rubric.placeholders import fill

ROW_CACHE = 4096  # a class's distinct verdicts number in the hundreds; this bounds a worker's memory

Row = TypeVar("Row")


class RowCache(Generic[Row]):
    """A report format's table rows, each rendered once per process: a class shares most
    verdicts. The scorer hands out the same verdict object for the same answer (and the same
    run of them for a problem answered alike), so rows are looked up by identity first (hashing
    a verdict costs more than the lookup), then by value. The answer's type is part of the value
    key (`25` and `25.0` are equal verdicts but are shown as typed); an answer given as a list,
    which cannot be a key, is rendered every time. Each cache holds its verdicts, so an id seen
    stays that verdict's."""

    def __init__(self, render: Callable[[Verdict, bool], Row]) -> None:
        self.render = render
        self.by_value = lru_cache(maxsize=ROW_CACHE)(self._render_typed)
        self.by_identity: dict[bool, dict[int, tuple[Verdict, Row]]] = {False: {}, True: {}}
        self.runs: dict[bool, dict[tuple[int, ...], tuple[tuple[Verdict, ...], tuple[Row, ...]]]] = {False: {}, True: {}}

    def _render_typed(self, verdict: Verdict, raw_type: str, reveal: bool) -> Row:
        return self.render(verdict, reveal)

    def __call__(self, verdict: Verdict, reveal: bool) -> Row:
        seen = self.by_identity[reveal]
        known = seen.get(id(verdict))
        if known is not None:
            return known[1]
        if not can_be_key(verdict.raw):
            return self.render(verdict, reveal)
        rendered = self.by_value(verdict, type(verdict.raw).__qualname__, reveal)
        _remember(seen, id(verdict), (verdict, rendered))
        return rendered

    def rows(self, verdicts: tuple[Verdict, ...], reveal: bool) -> tuple[Row, ...]:
        """One problem's rows: one lookup for the many students who answered it alike."""
        seen = self.runs[reveal]
        ids = tuple(map(id, verdicts))
        known = seen.get(ids)
        if known is not None:
            return known[1]
        rows = tuple(self(verdict, reveal) for verdict in verdicts)
        _remember(seen, ids, (verdicts, rows))
        return rows


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> None:
    if len(cache) >= ROW_CACHE:
        cache.clear()
    cache[key] = value


@RowCache
def row_fields(verdict: Verdict, reveal: bool) -> dict[str, str]:
    """One answer's row, formatted. Shared between reports: callers must not change the dict."""
    return {
        "path": verdict.path,
        "raw": verdict.raw_text,
        "read_as": verdict.read_as,
        "value": "" if verdict.value is None else format_number(verdict.value),
        "expected": format_number(verdict.expected) if reveal and verdict.expected is not None else "",
        "status": verdict.status.value,
        "status_class": verdict.status.name.lower(),
        "points": format_number(verdict.points),
        "possible": format_number(verdict.possible),
        "feedback": verdict.feedback_shown(reveal),
        "mistake": verdict.mistake,
    }


def _override(override: Override) -> dict[str, str]:
    if override.points is not None:
        change = f"set to {format_number(override.points)}"
    else:
        change = ("+" if override.change >= 0 else "") + format_number(override.change)
    return {"target": override.target, "change": change, "reason": override.reason}


def _late(late: LatePenalty | None, result: StudentResult) -> dict[str, str] | None:
    if late is None or not late.share:
        return None
    return {
        "submitted": late.submitted_at.isoformat(),
        "share": f"{float(late.share):.0%}",
        "deduction": format_number(result.late_deduction),
        "reason": late.reason,
    }


@dataclass(frozen=True)
class ProblemSection:
    """One problem of a report. With rendered rows it is a cache key: most students of a class
    share whole sections, which are then rendered once."""

    id: str
    title: str
    text: str
    score: str
    possible: str
    rows: tuple[Any, ...]


def report_context(result: StudentResult, key: AnswerKey, reveal: bool, row: RowCache[Any] = row_fields) -> dict[str, Any]:
    """Everything a report shows, already formatted; reference values only when `reveal` (the
    rubric's policy, decided by the caller at the time of grading). Each question shows the
    student's own numbers where the rubric draws them. `row` turns each verdict into a table row:
    its fields by default, or a report format's own rendered (and cached) row."""
    rubric = for_student(key.rubric, result.student_id) if result.received else key.rubric
    rows: dict[str, tuple[Any, ...]] = {}
    for problem_id, verdicts in groupby(result.verdicts, key=attrgetter("problem_id")):
        rows[problem_id] = rows.get(problem_id, ()) + row.rows(tuple(verdicts), reveal)
    problems = [
        ProblemSection(
            problem.id,
            problem.title,
            fill(problem.text, problem.parts[0].given) if problem.parts else problem.text,
            format_number(result.problem_score(problem.id)),
            format_number(key.problem_possible(problem.id)),
            rows.get(problem.id, ()),
        )
        for problem in rubric.problems
    ]
    return {
        "assignment": rubric.assignment,
        "assignment_title": rubric.title,
        "student_id": result.student_id,
        "student_name": result.name,
        "standing": result.standing.value,
        "total": format_number(result.total),
        "final": format_number(result.final),
        "possible": format_number(result.possible),
        "adjusted": result.final != result.total,
        "overrides": [_override(o) for o in result.overrides],
        "late": _late(result.late, result),
        # The student's own notes; the TA's (StudentResult.staff_notes) stay in the TA's outputs. A
        # file that could not be read says so once, with no list of answers all "missing".
        "notes": result.notes if result.received else (),
        "problems": problems if result.readable else [],
        "unread": result.received and not result.readable,
        "reveal": reveal,
        "source": result.source,
    }
