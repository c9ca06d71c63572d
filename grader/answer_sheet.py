"""The blank answer file a student fills in, generated from the answer key's paths."""
from __future__ import annotations

import json
from typing import Any

import yaml

from grader.answer_key import AnswerKey

FORMATS = ("yaml", "json", "md")
INSTRUCTIONS = (
    "Write each answer after its colon. Numbers may be typed as 7200, 7,200, 1.62e6, -1/2 or −3;",
    "leave an answer empty if you skip it. Check it with: grader check RUBRIC THIS_FILE",
)


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


def answer_sheet(key: AnswerKey, file_format: str = "yaml") -> str:
    if file_format == "json":
        document = {"student_id": "", "name": "", "answers": nested_blanks([e.path for e in key.entries])}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if file_format == "md":
        return _markdown_sheet(key)
    return _yaml_sheet(key)


def _markdown_sheet(key: AnswerKey) -> str:
    """A sheet to type into: `path: value` lines, read back by grader.answer_text."""
    rubric = key.rubric
    lines = [f"# Answer sheet: {rubric.title or rubric.assignment}", "", *INSTRUCTIONS, "", "student_id:", "name:"]
    for problem in rubric.problems:
        lines.extend(["", f"## {problem.id}: {problem.title}", ""])
        lines.extend(f"{e.path}:" for e in key.entries if e.problem_id == problem.id)
    return "\n".join(lines) + "\n"


def _yaml_sheet(key: AnswerKey) -> str:
    rubric = key.rubric
    lines = [
        f"# Answer file for {rubric.title or rubric.assignment}",
        *(f"# {line}" for line in INSTRUCTIONS),
        "student_id:   # your student id",
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
