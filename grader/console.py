"""Plain-text views for the terminal: the answer key, a self-check, and a class summary."""
from __future__ import annotations

import json
import statistics
from typing import Sequence

from grader.base.numbers import format_number, to_plain
from grader.base.safety import terminal_safe
from grader.course.class_results import BatchResult
from grader.judging.results import Standing, Status, StudentResult
from grader.rubric.answer_key import AnswerKey, KeyEntry

STATUS_MARKS = {status: status.value for status in Status}  # the reports' words: correct, incorrect, …
STATUS_COLOURS = {  # ANSI SGR codes, used only when the output is a terminal
    Status.CORRECT: "32",
    Status.CARRIED: "36",
    Status.PARTIAL: "33",
    Status.INCORRECT: "31",
    Status.UNREADABLE: "35",
    Status.MISSING: "2",
}


def paint(line: str, code: str | None) -> str:
    return f"\033[{code}m{line}\033[0m" if code else line


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int] = frozenset()) -> str:  # type: ignore[assignment]
    """Cells are shown terminal-safe: student text cannot bring a control character to the TA's terminal."""
    headers = [terminal_safe(str(cell)) for cell in headers]
    rows = [[terminal_safe(str(cell)) for cell in row] for row in rows]
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
        rows = [[e.path, format_number(e.value), format_number(e.points), _accepts(e)] for e in entries]
        blocks.append(f"\n{problem.id}: {problem.title}\n" + format_table(["answer", "value", "points", "accepted"], rows, {1, 2}))
    return "\n".join(blocks)


def _accepts(entry: KeyEntry) -> str:
    """What the scorer accepts: the tolerance, and any answer satisfying the entry's rule."""
    tolerance = entry.tolerance.describe()
    return f"{tolerance}, or any answers satisfying {entry.constraint.describe()}" if entry.constraint else tolerance


def key_as_json(key: AnswerKey) -> str:
    rubric = key.rubric
    document = {
        "assignment": rubric.assignment,
        "title": rubric.title,
        "possible": to_plain(key.possible),
        "answers": {e.path: to_plain(e.value) for e in key.entries},
        "points": {e.path: to_plain(e.points) for e in key.entries},
        "constraints": [{"answers": list(rule.paths), "rule": rule.describe()} for rule in key.constraints],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def check_as_text(result: StudentResult, key: AnswerKey, reveal: bool, colour: bool = False) -> str:
    """A student's self-check: verdict, points and feedback per answer (the diagnosed mistake in
    it); reference values only when `reveal`; rows coloured by verdict when `colour`."""
    headers = ["answer", "you wrote", "verdict", "points", *(["expected"] if reveal else []), "feedback"]
    rows = []
    for v in result.verdicts:
        expected = [format_number(v.expected) if v.expected is not None else ""] if reveal else []
        feedback = f"[{v.mistake}] {v.feedback}" if v.mistake else v.feedback_shown(reveal)
        feedback = f"(read as {v.read_as}) {feedback}" if v.read_as else feedback
        rows.append([v.path, v.raw_text[:40], STATUS_MARKS[v.status], f"{format_number(v.points)}/{format_number(v.possible)}", *expected, feedback])
    table = format_table(headers, rows, {3}).split("\n")
    codes = [None, None, *(STATUS_COLOURS[v.status] if colour else None for v in result.verdicts)]
    counts = ", ".join(f"{result.count(status)} {STATUS_MARKS[status]}" for status in Status if result.count(status))
    lines = [
        terminal_safe(f"{key.rubric.title}: self-check of {result.source}"),
        *(paint(line, code) for line, code in zip(table, codes)),
        "",
        f"Score: {format_number(result.total)} / {format_number(result.possible)} ({counts})",
    ]
    lines.extend(terminal_safe(f"Note: {note}") for note in result.notes)
    return "\n".join(lines)


def summary_as_text(batch: BatchResult) -> str:
    problems = [problem.id for problem in batch.key.rubric.problems]
    headers = ["student_id", "name", "status", *problems, "final"]
    rows = [
        [r.student_id, r.name, r.standing.value, *(format_number(r.problem_score(p)) for p in problems), format_number(r.final)]
        for r in batch.results
    ]
    possible = ["", "points possible", "", *(format_number(batch.key.problem_possible(p)) for p in problems), format_number(batch.key.possible)]
    numeric = set(range(3, len(headers)))
    lines = [format_table(headers, [possible, *rows], numeric), ""]
    lines.append(f"Submissions: {batch.counts_text()}.")
    graded = [float(r.final) for r in batch.results if r.standing in (Standing.GRADED, Standing.REVIEW)]
    if graded:
        lines.append(
            f"Scores of the {len(graded)} read: mean {statistics.fmean(graded):.2f}, "
            f"median {statistics.median(graded):g} of {format_number(batch.key.possible)}"
        )
    attention = [r for r in batch.results if r.standing in (Standing.REVIEW, Standing.INVALID, Standing.MISSING)]
    if attention:
        lines.append(f"\n{len(attention)} submission(s) need attention:")
        for result in attention:
            reasons = list(result.all_notes)
            unreadable = [v.path for v in result.verdicts if v.status is Status.UNREADABLE]
            if unreadable:
                reasons.append(f"unreadable answers: {', '.join(unreadable)}")
            lines.append(terminal_safe(f"  {result.source or result.student_id} [{result.standing.value}]: " + "; ".join(reasons)))
    if batch.not_graded:
        lines.append(f"\n{len(batch.not_graded)} path(s) under the given folders were not graded (listed in not-graded.csv):")
        lines.extend(terminal_safe(f"  {item.path}: {item.reason}") for item in batch.not_graded)
    return "\n".join(lines)
