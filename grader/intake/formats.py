"""The registry of submission formats: file → documents, one per submission it holds.

A new format is one module with a reader `(bytes, path, intake) → list[Document]`, listed here
once. A structured file (YAML, JSON) or a typed sheet (Markdown, text) holds one submission; a
form export (CSV, XLSX) a row each.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from grader.base.documents import SUBMISSION_READERS as STRUCTURED
from grader.base.documents import Document, decode_text, read_bounded
from grader.base.errors import InputError
from grader.intake.form_csv import read_csv_form
from grader.intake.form_xlsx import read_xlsx_form
from grader.intake.notebook import read_notebook
from grader.intake.settings import DEFAULT_INTAKE, Intake
from grader.intake.typed_sheet import read_answer_text

Reader = Callable[[bytes, Path, Intake], list[Document]]


def _structured(data: bytes, path: Path, intake: Intake) -> list[Document]:
    parse = STRUCTURED[path.suffix.lower()]
    return [Document(str(path), path.stem, parse(decode_text(data, str(path)), str(path)))]


# suffix → (reader, whether it is a form export, which is bounded by the form limits)
READERS: dict[str, tuple[Reader, bool]] = {
    **{suffix: (_structured, False) for suffix in STRUCTURED},
    ".csv": (read_csv_form, True),
    ".xlsx": (read_xlsx_form, True),
    ".md": (read_answer_text, False),
    ".txt": (read_answer_text, False),
    ".ipynb": (read_notebook, True),  # one submission, but bounded as a form export: plots in outputs make notebooks large
}


def is_submission_format(path: Path) -> bool:
    return path.suffix.lower() in READERS


def _reader(path: Path, intake: Intake) -> tuple[Reader, int]:
    entry = READERS.get(path.suffix.lower())
    if entry is None:
        raise InputError(str(path), "", f"unknown file type '{path.suffix}', expected one of {', '.join(sorted(READERS))}")
    reader, is_form = entry
    return reader, intake.limits.max_form_bytes if is_form else intake.limits.max_file_bytes


def read_documents(path: Path, intake: Intake = DEFAULT_INTAKE) -> list[Document]:
    """Every submission a file holds, or InputError naming the file and the place."""
    reader, limit = _reader(path, intake)
    return reader(read_bounded(path, limit), path, intake)


def read_uploaded(data: bytes, name: Path, intake: Intake = DEFAULT_INTAKE) -> list[Document]:
    """The same for bytes already in hand (an upload), which never touch the disk; `name` gives
    the format by its suffix and names the file in messages."""
    reader, limit = _reader(name, intake)
    if len(data) > limit:
        raise InputError(str(name), "", f"larger than the limit of {limit:,} bytes")
    return reader(data, name, intake)
