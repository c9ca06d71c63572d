"""Submission times from the LMS: a CSV with `student_id, submitted_at` (or Gradescope's `SID`,
`Submission Time`). Times are kept as written; the late policy reads them in its time zone."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Mapping

from grader.base.errors import InputError
from grader.intake.form_csv import sniff_delimiter

ID_COLUMNS = ("student_id", "SID")
TIME_COLUMNS = ("submitted_at", "Submission Time")


def read_timestamps(path: Path) -> Mapping[str, str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(str(path), "", f"cannot be read as a UTF-8 CSV of submission times ({error})") from error
    return parse_timestamps(text, str(path))


def parse_timestamps(text: str, source: str) -> Mapping[str, str]:
    reader = csv.DictReader(io.StringIO(text), delimiter=sniff_delimiter(text))  # `;` from European Excel
    headers = reader.fieldnames or []
    id_column = next((c for c in ID_COLUMNS if c in headers), None)
    time_column = next((c for c in TIME_COLUMNS if c in headers), None)
    if id_column is None or time_column is None:
        raise InputError(source, "header", "expected the columns student_id, submitted_at (or Gradescope's SID, Submission Time)")
    times: dict[str, str] = {}
    for line, row in enumerate(reader, start=2):
        student = (row.get(id_column) or "").strip()
        if student in times:
            raise InputError(source, f"row {line}", f"student {student} has a second submission time")
        if student:
            times[student] = (row.get(time_column) or "").strip()
    return times
