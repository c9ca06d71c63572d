"""A typed answer sheet (Markdown or plain text, as `grader template --format md` writes it): one
submission, from `path: value` (or `path = value`) lines or `| path | value |` table rows; all
other text is ignored. Keys and values may be backquoted or bold, as Markdown editors write them.

    student_id: s1001
    - q1.standard.weights: 7,200
    | q1.standard.macs | 1 620 000 |
    **q1.depthwise.weights:** `180`
    q1.depthwise.macs = 40500
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from grader.base.documents import Document, decode_text
from grader.base.errors import InputError
from grader.intake.settings import Intake

IDENTITY_KEYS = ("student_id", "name")
# Code or bold around a key, or after its colon (`**q1.a:** 5`); not `_`, which a key may hold, so
# that each character has one reading and a long line costs linear time.
_MARKUP = r"[`*]{0,3}"
_KEY = _MARKUP + r"(?P<key>student_id|name|[A-Za-z]\w*(?:\.\w+)+)" + _MARKUP
_LINE = re.compile(r"\s*(?:[-*+]\s+)?" + _KEY + r"\s*[:=]" + _MARKUP + r"(?P<value>.*)")
_ROW = re.compile(r"\s*\|\s*" + _KEY + r"\s*\|(?P<value>[^|]*)\|?\s*")


def read_answer_text(data: bytes, path: Path, intake: Intake) -> list[Document]:
    source = str(path)
    return [Document(source, path.stem, typed_answers(decode_text(data, source), source))]


def typed_answers(text: str, source: str) -> dict[str, Any]:
    """The sheet's identity and answers, as a structured file would give them."""
    document: dict[str, Any] = {"answers": {}}
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _LINE.fullmatch(line) or _ROW.fullmatch(line)
        if not match:
            continue
        key, value = match.group("key"), _unmarked(match.group("value"))
        if key in lines:
            raise InputError(source, f"line {number}", f"{key} is given twice (first on line {lines[key]})")
        lines[key] = number
        target = document if key in IDENTITY_KEYS else document["answers"]
        target[key] = value or None
    if not lines:
        raise InputError(source, "", "no answers found: expected lines such as 'q1.standard.weights: 7200'")
    return document


def _unmarked(value: str) -> str:
    """A value without the code or bold marks around it: `` `7200` ``, `**7200**` → 7200."""
    return value.strip().strip("`*_").strip()
