"""Plain-text views for the terminal: the answer key, a self-check, and a class summary."""
from __future__ import annotations

import json
import statistics
from typing import Sequence

from grader.answer_key import AnswerKey
from grader.numbers import format_number, to_plain
from grader.results import BatchResult, Standing, Status, StudentResult

STATUS_MARKS = {
    Status.CORRECT: "right",
    Status.INCORRECT: "wrong",
    Status.UNREADABLE: "unreadable",
    Status.MISSING: "missing",
}


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int] = frozenset()) -> str:  # type: ignore[assignment]
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]

    def line(cells: Sequence[str]) -> str:
        parts = [str(c).rjust(w) if i in numeric else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, widths))]
        return "  ".join(parts).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(row) for row in rows)])


def key_as_text(key: AnswerKey) -> str:
    rubric = key.rubric
    blocks = [f"Answer key: {rubric.title} ({rubric.assignment}), {format_number(key.possible)} points"]
    for problem in rubric.problems:
        entries = [e for e in key.entries if e.problem_id == problem.id]
        rows = [[e.path, format_number(e.value), format_number(e.points), e.tolerance.describe()] for e in entries]
        blocks.append(f"\n{problem.id}: {problem.title}\n" + format_table(["answer", "value", "points", "tolerance"], rows, {1, 2}))
    return "\n".join(blocks)


def key_as_json(key: AnswerKey) -> str:
    rubric = key.rubric
    document = {
        "assignment": rubric.assignment,
        "title": rubric.title,
        "possible": to_plain(key.possible),
        "answers": {e.path: to_plain(e.value) for e in key.entries},
        "points": {e.path: to_plain(e.points) for e in key.entries},
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def check_as_text(result: StudentResult, key: AnswerKey) -> str:
    """A student's self-check: verdicts and points; reference values only if the rubric reveals them."""
    reveal = key.rubric.reveal == "always"
    headers = ["answer", "you wrote", "verdict", "points", *(["expected"] if reveal else []), "feedback"]
    rows = []
    for v in result.verdicts:
        expected = [format_number(key.by_path[v.path].value)] if reveal else []
        rows.append([v.path, v.raw_text[:40], STATUS_MARKS[v.status], f"{format_number(v.points)}/{format_number(v.possible)}", *expected, v.feedback])
    counts = ", ".join(f"{result.count(status)} {STATUS_MARKS[status]}" for status in Status)
    lines = [
        f"{key.rubric.title}: self-check of {result.source}",
        format_table(headers, rows, {3}),
        "",
        f"Score: {format_number(result.total)} / {format_number(result.possible)} ({counts})",
    ]
    lines.extend(f"Note: {note}" for note in result.notes)
    return "\n".join(lines)


def summary_as_text(batch: BatchResult) -> str:
    problems = [problem.id for problem in batch.key.rubric.problems]
    headers = ["student_id", "name", "status", *problems, "total"]
    rows = [
        [r.student_id, r.name, r.standing.value, *(format_number(r.problem_score(p)) for p in problems), format_number(r.total)]
        for r in batch.results
    ]
    possible = ["", "points possible", "", *(format_number(batch.key.problem_possible(p)) for p in problems), format_number(batch.key.possible)]
    numeric = set(range(3, len(headers)))
    lines = [format_table(headers, [possible, *rows], numeric), ""]
    graded = [float(r.total) for r in batch.results if r.standing in (Standing.GRADED, Standing.REVIEW)]
    if graded:
        lines.append(
            f"{len(batch.results)} submissions, {len(graded)} graded: mean {statistics.fmean(graded):.2f}, "
            f"median {statistics.median(graded):g} of {format_number(batch.key.possible)}"
        )
    attention = [r for r in batch.results if r.standing in (Standing.REVIEW, Standing.INVALID)]
    if attention:
        lines.append(f"\n{len(attention)} submission(s) need attention:")
        for result in attention:
            reasons = list(result.notes)
            unreadable = [v.path for v in result.verdicts if v.status is Status.UNREADABLE]
            if unreadable:
                reasons.append(f"unreadable answers: {', '.join(unreadable)}")
            lines.append(f"  {result.source} [{result.standing.value}]: " + "; ".join(reasons))
    return "\n".join(lines)
