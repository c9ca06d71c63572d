"""A student's question sheet in Markdown: each question with that student's numbers, and a line
per answer to fill in (`q1.standard.weights: `), so a typed sheet can be handed in as it is."""
from __future__ import annotations

from grader.answer_key import AnswerKey
from grader.placeholders import fill, show_value
from grader.rubric import Problem


def _given_lines(problem: Problem) -> list[str]:
    lines = []
    for part in problem.parts:
        label = f"({part.name}) " if part.name else ""
        shown = "; ".join(f"{name}: {show_value(value)}" for name, value in part.given.items() if name != "ranges")
        lines.append(f"- {label}{shown}")
    return lines


def question_sheet(key: AnswerKey, student_id: str = "") -> str:
    rubric = key.rubric
    lines = [f"# {rubric.title or rubric.assignment}", ""]
    lines += [f"student_id: {student_id}".rstrip(), "name:", ""]
    lines.append("Write each answer after its colon (7200, 7,200, 1.62e6, -1/2 and −3 all work).")
    for problem in rubric.problems:
        given = problem.parts[0].given if problem.parts else {}
        lines += ["", f"## {problem.id}: {problem.title}", ""]
        if problem.text:
            lines += [fill(problem.text.strip(), given), ""]
        lines += ["Given values:", *_given_lines(problem), "", "Answers:", ""]
        lines += [f"{entry.path}:" for entry in key.entries if entry.problem_id == problem.id]
    return "\n".join(lines) + "\n"
