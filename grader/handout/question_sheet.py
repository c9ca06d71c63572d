"""A student's question sheet in Markdown: each question with that student's numbers, and a line
per answer to fill in (`q1.standard.weights: `), so a typed sheet can be handed in as it is."""
from __future__ import annotations

from dataclasses import dataclass

from grader.rubric.answer_key import AnswerKey
from grader.rubric.model import Problem
from grader.rubric.placeholders import fill, show_value

INSTRUCTIONS = (
    "Write each answer after its colon. Numbers may be typed as 7200, 7,200, 1.62e6, -1/2 or −3;",
    "leave an answer empty if you skip it. Check it on your course's self-check page, if it has one.",
)


@dataclass(frozen=True)
class Question:
    """One problem as a student sees it: the text with their own numbers, and what to answer."""

    id: str
    title: str
    text: str
    given: tuple[str, ...]
    paths: tuple[str, ...]


def questions(key: AnswerKey) -> list[Question]:
    """The student's questions, shared by the Markdown sheet and the self-check page."""
    return [
        Question(
            problem.id,
            problem.title,
            fill(problem.text.strip(), problem.parts[0].given if problem.parts else {}) if problem.text else "",
            tuple(_given_lines(problem)),
            tuple(entry.path for entry in key.entries if entry.problem_id == problem.id),
        )
        for problem in key.rubric.problems
    ]


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
    lines += INSTRUCTIONS
    for question in questions(key):
        lines += ["", f"## {question.id}: {question.title}", ""]
        if question.text:
            lines += [question.text, ""]
        lines += ["Given values:", *question.given, "", "Answers:", ""]
        lines += [f"{path}:" for path in question.paths]
    return "\n".join(lines) + "\n"
