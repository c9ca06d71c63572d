"""A Jupyter notebook (.ipynb) handed in as homework: one submission, read without running it.

The answers are where `grader template --format ipynb` puts them: a code cell tagged `answers`
that assigns `student_id`, `name` and `answers`, a dict of answer path → value:

    student_id = "s1001"
    answers = {"q1.standard.weights": 7200, "q1.standard.macs": 1.62e6, "q3.grad.x1": -3}

Without a tagged cell every code cell is read. The last assignment of each name counts, as running
the notebook top to bottom would leave it. Nothing is run: a value is read as typed (`1.62e6`,
`3*3*20*40`, `"7,200"`), so one computed in the notebook (`answers = {"q1.a": weights}`) reaches
the number reader as the text `weights`, which it calls unreadable. A Markdown or raw cell tagged
`answers` is read as a typed sheet (`q1.standard.weights: 7200` lines).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from grader.base.documents import SUBMISSION_READERS, Document, decode_text
from grader.base.errors import InputError
from grader.intake.settings import Intake
from grader.intake.typed_sheet import typed_answers

ANSWER_TAG = "answers"
VARIABLES = ("student_id", "name", "answers")
_MAGIC = re.compile(r"^\s*[%!]|\?\s*$")  # IPython's `%timeit`, `!pip`, `obj?`: not Python


def read_notebook(data: bytes, path: Path, intake: Intake) -> list[Document]:
    source = str(path)
    notebook = SUBMISSION_READERS[".json"](decode_text(data, source), source)
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise InputError(source, "", "not a Jupyter notebook: expected a JSON object with a list of 'cells'")
    tagged = [(number, cell) for number, cell in enumerate(cells, start=1) if isinstance(cell, dict) and ANSWER_TAG in _tags(cell)]
    chosen = tagged or [(number, cell) for number, cell in enumerate(cells, start=1) if isinstance(cell, dict) and cell.get("cell_type") == "code"]
    document: dict[str, Any] = {}
    for number, cell in chosen:
        place = f"cell {number}"
        text = _text(cell.get("source"), source, place)
        if cell.get("cell_type") == "code":
            document.update(_assigned(text, source, place, strict=bool(tagged)))
        else:
            typed = typed_answers(text, source)
            document.update({key: value for key, value in typed.items() if key != "answers"})
            document["answers"] = {**document.get("answers", {}), **typed["answers"]}
    if not document.get("answers"):
        raise InputError(source, "", f"no answers found: expected a cell tagged '{ANSWER_TAG}' holding answers = {{...}} "
                                     "(`grader template --format ipynb` writes one)")
    return [Document(source, path.stem, document)]


def _tags(cell: dict[str, Any]) -> list[Any]:
    metadata = cell.get("metadata")
    tags = metadata.get("tags") if isinstance(metadata, dict) else None
    return tags if isinstance(tags, list) else []


def _text(raw: object, source: str, place: str) -> str:
    """A cell's source: one string, or (as Jupyter saves it) a list of lines."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, list) and all(isinstance(line, str) for line in raw):
        return "".join(raw)
    raise InputError(source, place, "expected the cell's source as text or a list of lines")


def _assigned(text: str, source: str, place: str, strict: bool) -> dict[str, Any]:
    """The cell's top-level `student_id = …`, `name = …` and `answers = {…}`, read as written.
    A cell that is not Python is an error only where the student tagged it as the answers."""
    code = "\n".join("" if _MAGIC.search(line) else line for line in text.split("\n"))
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        if not strict:
            return {}
        line = getattr(error, "lineno", None)
        raise InputError(source, f"{place}, line {line}" if line else place, "the answers cell is not valid Python") from None
    found: dict[str, Any] = {}
    for statement in tree.body:
        target, value = _assignment(statement)
        if target not in VARIABLES or value is None:
            continue
        if target == "answers" and not isinstance(value, ast.Dict) and not strict:
            continue  # scratch work in an untagged cell
        found[target] = _value(value, code, source, f"{place}, line {value.lineno}", mapping=target == "answers")
    return found


def _assignment(statement: ast.stmt) -> tuple[str | None, ast.expr | None]:
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id, statement.value
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id, statement.value
    return None, None


def _value(node: ast.expr, code: str, source: str, place: str, mapping: bool = False) -> Any:
    """A dict stays a dict (its keys must be text), text and None stay as they are, and anything
    else is the text the student typed, for grader's own number reader."""
    if isinstance(node, ast.Dict):
        answers: dict[str, Any] = {}
        for key, value in zip(node.keys, node.values):
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                raise InputError(source, place, "expected each key of answers to be an answer path in quotes, such as \"q1.a\"")
            answers[key.value] = _value(value, code, source, place)
        return answers
    if mapping:
        raise InputError(source, place, "expected answers = {...}, a dict of answer path → value")
    if isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, str)):
        return node.value
    return ast.get_source_segment(code, node)
