"""Form exports (a row a student: Google Forms, Microsoft Forms, an LMS quiz) → one document per row.

Which column holds what comes from a small mapping file (`--columns FILE`):

    columns:
      "Student ID": student_id
      "Full name": name
      "Timestamp": submitted
      "Q1 standard weights": q1.standard.weights
      "/Q3 gradient of (\\w+)/": q3.grad.\\1     # a /regex/ header, its groups used in the path

Without one, a column headed `student_id`, `name` or `submitted` (or `Timestamp`) gives the identity and every other header is
taken as an answer path (so a sheet headed `q1.standard.weights`, … needs no mapping). Headers
are compared with case and surrounding spaces ignored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from grader.base.documents import Document, read_document
from grader.base.errors import GraderError, InputError

IDENTITY_TARGETS = ("student_id", "name", "submitted")
MAX_CELL_CHARS = 131_072  # the csv module's own field limit, for workbooks too
ALIASES = {"timestamp": "submitted"}  # Google Forms heads its time column "Timestamp"


@dataclass(frozen=True)
class BadRow:
    """A row of a form export that could not be read (`line` of the file, 0 where lines mean
    nothing, as in a workbook); it is flagged on its own and the other rows are graded."""

    line: int
    problem: str


@dataclass(frozen=True)
class ColumnRule:
    pattern: re.Pattern[str]
    target: str


@dataclass(frozen=True)
class FormColumns:
    """`rules` empty means the default: identity headers by name, every other header an answer path."""

    rules: tuple[ColumnRule, ...] = ()

    def target(self, header: str) -> str | None:
        text = " ".join(header.split())
        if not self.rules:
            lowered = ALIASES.get(text.lower(), text.lower())
            return lowered if lowered in IDENTITY_TARGETS else (text or None)
        for rule in self.rules:
            match = rule.pattern.fullmatch(text)
            if match:
                return match.expand(rule.target)
        return None


def _rule(header: str, target: object, source: str) -> ColumnRule:
    if not isinstance(target, str) or not target or any(ch.isspace() for ch in target):
        raise GraderError(f"{source}: column '{header}': expected student_id, name, submitted or an answer path, found {target!r}")
    if len(header) > 2 and header.startswith("/") and header.endswith("/"):
        try:
            return ColumnRule(re.compile(header[1:-1], re.IGNORECASE), target)
        except re.error as error:
            raise GraderError(f"{source}: column '{header}': not a valid pattern ({error})") from None
    return ColumnRule(re.compile(re.escape(" ".join(header.split())), re.IGNORECASE), target)


def load_form_columns(path: Path) -> FormColumns:
    """Read the mapping file; anything wrong in it is the TA's to fix, so it stops the run."""
    document = read_document(path)
    columns = document.get("columns") if isinstance(document, dict) else None
    if not isinstance(columns, dict) or not columns or set(document) != {"columns"}:
        raise GraderError(f"{path}: expected one field 'columns', a mapping of column header → student_id, name or answer path")
    return FormColumns(tuple(_rule(str(header), target, str(path)) for header, target in columns.items()))


def form_documents(
    header: Sequence[object], rows: Sequence[Sequence[object] | BadRow], path: Path, columns: FormColumns, max_rows: int
) -> list[Document]:
    """A document per non-blank row, numbered as a spreadsheet shows it (the header is row 1); a
    row that cannot be read (a BadRow, a NUL byte, a cell past MAX_CELL_CHARS) becomes a document
    carrying its problem, so that it is flagged with its place while the other rows are graded."""
    source = str(path)
    if len(rows) > max_rows:
        raise InputError(source, "", f"more than {max_rows:,} rows")
    targets = [columns.target("" if cell is None else str(cell)) for cell in header]
    _refuse_clashes(header, targets, source)
    documents = []
    for number, row in enumerate(rows, start=2):
        problem = row.problem if isinstance(row, BadRow) else _cell_problem(row)
        if problem:
            place = f"line {row.line}: " if isinstance(row, BadRow) and row.line else ""
            documents.append(Document(f"{source}, row {number}", f"{path.stem}-row{number}", None, f"{place}{problem}"))
            continue
        assert not isinstance(row, BadRow)  # noqa: S101 - for mypy: a BadRow always has a problem
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row):
            continue
        document: dict[str, Any] = {"answers": {}}
        for target, cell in zip(targets, row):
            if target in IDENTITY_TARGETS:
                document[target] = cell
            elif target is not None:
                document["answers"][target] = cell
        documents.append(Document(f"{source}, row {number}", f"{path.stem}-row{number}", document))
    return documents


def _cell_problem(row: Sequence[object]) -> str:
    for column, cell in enumerate(row, start=1):
        if isinstance(cell, str):
            if "\x00" in cell:
                return f"column {column}: a NUL byte (binary data), expected text"
            if len(cell) > MAX_CELL_CHARS:
                return f"column {column}: a cell of {len(cell):,} characters, more than the limit of {MAX_CELL_CHARS:,}"
    return ""


def _refuse_clashes(header: Sequence[object], targets: list[str | None], source: str) -> None:
    seen: dict[str, object] = {}
    for cell, target in zip(header, targets):
        if target is None:
            continue
        if target in seen:
            raise InputError(source, "header", f"columns '{seen[target]}' and '{cell}' both give {target}")
        seen[target] = cell
    if not seen:
        raise InputError(source, "header", "no column gives a student id, a name or an answer")
