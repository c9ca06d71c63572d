"""The blank answer file a student fills in, generated from the answer key's paths: YAML or JSON,
or Markdown with the questions and the student's numbers (grader.handout.question_sheet), or a
Jupyter notebook with both (grader.handout.notebook_sheet)."""
from __future__ import annotations

import json
from typing import Any

import yaml

from grader.handout.notebook_sheet import notebook_sheet
from grader.handout.question_sheet import INSTRUCTIONS, question_sheet
from grader.rubric.answer_key import AnswerKey

FORMATS = ("yaml", "json", "md", "ipynb")


def nested_blanks(paths: list[str]) -> dict[str, Any]:
    """`q1.standard.weights` → {'q1': {'standard': {'weights': None}}}."""
    tree: dict[str, Any] = {}
    for path in paths:
        *branches, leaf = path.split(".")
        node = tree
        for branch in branches:
            node = node.setdefault(branch, {})
        node[leaf] = None
    return tree


def answer_sheet(key: AnswerKey, file_format: str = "yaml", student_id: str = "") -> str:
    """`student_id`, when known (a per-student sheet), is filled in already."""
    if file_format == "md":
        return question_sheet(key, student_id)
    if file_format == "ipynb":
        return notebook_sheet(key, student_id)
    if file_format == "json":
        document = {"student_id": student_id, "name": "", "answers": nested_blanks([e.path for e in key.entries])}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return _yaml_sheet(key, student_id)


def _yaml_sheet(key: AnswerKey, student_id: str) -> str:
    rubric = key.rubric
    identity = f"student_id: {_key(student_id)}" if student_id else "student_id:   # your student id"
    lines = [
        f"# Answer file for {rubric.title or rubric.assignment}",
        *(f"# {line}" for line in INSTRUCTIONS),
        identity,
        "name:         # your name as the course lists it",
        "answers:",
    ]
    for problem in rubric.problems:
        paths = [e.path for e in key.entries if e.problem_id == problem.id]
        lines.append(f"  # {problem.id}: {problem.title}")
        lines.extend(_yaml_tree(nested_blanks(paths), indent=1))
    return "\n".join(lines) + "\n"


def _yaml_tree(tree: dict[str, Any], indent: int) -> list[str]:
    lines = []
    for name, child in tree.items():
        lines.append("  " * indent + _key(name) + ":")
        if child is not None:
            lines.extend(_yaml_tree(child, indent + 1))
    return lines


def _key(text: str) -> str:
    """Quoted where YAML would misread it (`y`, `on`, `no` are booleans to YAML 1.1)."""
    return yaml.safe_dump(text, default_style=None).strip().removesuffix("...").strip()
