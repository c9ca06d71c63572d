"""The answer file for notebook homework: a Jupyter notebook with the questions (the student's
own numbers) and one code cell tagged `answers`, which grader reads back without running it
(grader.intake.notebook). Written as nbformat 4 JSON by hand: grader needs no Jupyter."""
from __future__ import annotations

import json

from grader.handout.question_sheet import questions
from grader.intake.notebook import ANSWER_TAG
from grader.rubric.answer_key import AnswerKey

HOW_TO = (
    "Write your answers in the cell below, tagged `answers`, as numbers or arithmetic "
    "(`7200`, `1.62e6`, `3*3*20*40`, `-1/2`); leave `None` for one you skip. "
    "grader reads this cell without running the notebook, so a variable computed elsewhere "
    "(`weights`) is not read: write its value. Keep the cell's tag and the names `student_id`, `name`, `answers`."
)


def notebook_sheet(key: AnswerKey, student_id: str = "") -> str:
    lines = [f"student_id = {json.dumps(student_id)}  # your student id", 'name = ""  # your name as the course lists it', "answers = {"]
    for problem in key.rubric.problems:
        lines.append(f"    # {problem.id}: {problem.title}")
        lines.extend(f"    {json.dumps(e.path)}: None," for e in key.entries if e.problem_id == problem.id)
    lines.append("}")
    cells = [
        _cell("markdown", "questions", _questions(key)),
        _cell("markdown", "how-to-answer", HOW_TO),
        {**_cell("code", "answers", "\n".join(lines)), "execution_count": None, "outputs": [], "metadata": {"tags": [ANSWER_TAG]}},
    ]
    notebook = {
        "cells": cells,
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}, "language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def _questions(key: AnswerKey) -> str:
    """The questions with the student's numbers, without the typed sheet's answer lines."""
    lines = [f"# {key.rubric.title or key.rubric.assignment}"]
    for question in questions(key):
        lines += ["", f"## {question.id}: {question.title}", ""]
        lines += [question.text, ""] if question.text else []
        lines += ["Given values:", *question.given]
    return "\n".join(lines)


def _cell(kind: str, cell_id: str, text: str) -> dict[str, object]:
    """A cell with its source as Jupyter saves it: a list of lines, each but the last with its newline."""
    return {"cell_type": kind, "id": cell_id, "metadata": {}, "source": text.splitlines(keepends=True)}
