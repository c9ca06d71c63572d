"""A typed answer sheet (Markdown or plain text, as `grader template --format md` writes it): one
submission, from `path: value` lines or `| path | value |` table rows; all other text is ignored.

    student_id: s1001
    - q1.standard.weights: 7,200
    | q1.standard.macs | 1 620 000 |
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from grader.base.documents import Document, decode_text
from grader.base.errors import InputError
from grader.intake.settings import Intake

IDENTITY_KEYS = ("student_id", "name")
_KEY = r"`?(?P<key>student_id|name|[A-Za-z]\w*(?:\.\w+)+)`?"
_LINE = re.compile(r"\s*(?:[-*+]\s+)?" + _KEY + r"\s*:(?P<value>.*)")
_ROW = re.compile(r"\s*\|\s*" + _KEY + r"\s*\|(?P<value>[^|]*)\|?\s*")


def read_answer_text(data: bytes, path: Path, intake: Intake) -> list[Document]:
    source = str(path)
    document: dict[str, Any] = {"answers": {}}
    lines: dict[str, int] = {}
    for number, line in enumerate(decode_text(data, source).splitlines(), start=1):
        match = _LINE.fullmatch(line) or _ROW.fullmatch(line)
        if not match:
            continue
        key, value = match.group("key"), match.group("value").strip()
        if key in lines:
            raise InputError(source, f"line {number}", f"{key} is given twice (first on line {lines[key]})")
        lines[key] = number
        target = document if key in IDENTITY_KEYS else document["answers"]
        target[key] = value or None
    if not lines:
        raise InputError(source, "", "no answers found: expected lines such as 'q1.standard.weights: 7200'")
    return [Document(source, path.stem, document)]
